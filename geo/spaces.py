"""Places to assemble near the landmark: where, how big, how many people fit, which rules.

Part 2 of the proposal reaffirms the right to assemble on city-owned space. A place to
assemble is the zone's public right-of-way (its streets and sidewalks), a city-owned parcel
whose land use the profile lists as open (plazas, parks, open lots), or an address the
profile names (a city hall's exterior). Its capacity follows Jacobs' method: usable open
area divided by the space one person takes, at three crowd densities. A building's parcel
counts only the open area the profile gives, or the parcel minus a footprint layer; else
it has no capacity, and ``capacity_basis`` says why. Areas and distances are measured in
the profile's projected CRS, never in degrees.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import shapely.errors
from pyproj import CRS
from shapely.geometry.base import BaseGeometry

from geo.analysis import Analysis
from geo.errors import InputError
from geo.landuse import matches_any
from geo.normalize import normalize_address
from geo.policy import city_classes
from geo.profile import AssemblySpec, Rule
from geo.right_of_way import KIND_FACE, KIND_ROW, right_of_way_places
from geo.zone import metres_per_unit

# How a place's capacity was found (the edge says it in words: ``places.basis.<code>``).
BASIS_OPEN = "open_parcel"  # an open parcel (plaza, park, lot): its whole area
BASIS_PROFILE = "profile_area"  # a building's parcel: the open area the profile gives
BASIS_FOOTPRINTS = "minus_footprints"  # a building's parcel minus the footprint layer
BASIS_NONE = "building_no_area"  # a building's parcel with no open area known: no capacity
KIND_PARCEL = "parcel"

SQFT_PER_M2 = 10.763910416709722
SPACE_COLUMNS = (
    "place_id",
    "kind",
    "apn",
    "address",
    "owner_class",
    "site_kind",
    "land_use",
    "area_m2",
    "area_ft2",
    "open_area_m2",
    "capacity_basis",
    "capacity_loose",
    "capacity_dense",
    "capacity_packed",
    "distance_m",
    "in_free_speech_zone",
    "rules",
)


def areas_m2(geoms: gpd.GeoSeries, measure_crs: CRS | str) -> np.ndarray:
    """Areas in square metres, measured in a projected CRS.

    Parameters
    ----------
    geoms : geopandas.GeoSeries
        Shapes in any CRS.
    measure_crs : pyproj.CRS or str
        A projected CRS.

    Returns
    -------
    numpy.ndarray
    """
    crs = CRS.from_user_input(measure_crs)
    if geoms.crs is not None and CRS.from_user_input(geoms.crs) != crs:
        geoms = geoms.to_crs(crs)
    return geoms.area.to_numpy() * metres_per_unit(crs) ** 2


def capacities(area_ft2: np.ndarray, density: Mapping[str, float]) -> dict[str, np.ndarray]:
    """How many people fit, at each crowd density (square feet per person).

    Parameters
    ----------
    area_ft2 : numpy.ndarray
        Areas in square feet.
    density : mapping
        Density name (``loose``, ``dense``, ``packed``) to square feet per person.

    Returns
    -------
    dict
        Density name to whole numbers of people (rounded down).
    """
    area = np.nan_to_num(np.asarray(area_ft2, dtype=float))
    return {name: np.floor(area / ft2).astype(int) for name, ft2 in density.items()}


def rules_for(places: pd.DataFrame, rules: Sequence[Rule]) -> list[list[Rule]]:
    """The rules that apply at each place.

    Parameters
    ----------
    places : pandas.DataFrame
        With ``address``, ``land_use`` and ``owner_class`` columns.
    rules : sequence of Rule

    Returns
    -------
    list of list of Rule
        One list per row, in the rules' order.
    """
    address = places["address"].map(normalize_address).to_numpy()
    labels = places.get("land_use_label")
    owner = places["owner_class"].astype(str).to_numpy()
    kinds = places["kind"] if "kind" in places else pd.Series(KIND_PARCEL, index=places.index)
    kind = kinds.astype(str).replace(KIND_FACE, KIND_ROW).to_numpy()  # a face is right-of-way
    found: list[list[Rule]] = [[] for _ in range(len(places))]
    for rule in rules:
        mask = np.isin(kind, list(rule.places or (KIND_PARCEL,)))
        if rule.addresses:
            mask &= np.isin(address, [normalize_address(a) for a in rule.addresses])
        if rule.land_uses:
            mask &= matches_any(places["land_use"], rule.land_uses, labels)  # BFH*, PARK...
        if rule.owner_classes:
            mask &= np.isin(owner, list(rule.owner_classes))
        for i in np.flatnonzero(mask):
            found[i].append(rule)
    return found


def rule_text(rules: Sequence[Rule], lang: str = "en") -> str:
    """Rules as one line in a language: ``title (citation)`` joined by ``; ``."""
    return "; ".join(f"{r.text('title', lang)} ({r.citation})" for r in rules)


def assembly_places(
    analysis: Analysis,
    spec: AssemblySpec,
    rules: Sequence[Rule],
    within_m: float | None = None,
    lang: str = "en",
    footprints: gpd.GeoDataFrame | None = None,
) -> gpd.GeoDataFrame:
    """The zone's streets and sidewalks and city-owned open places near the landmark.

    Parameters
    ----------
    analysis : Analysis
        Parcels with verdicts and distances to the zone's landmark.
    spec : AssemblySpec
        Which land uses and addresses count, open areas, and the crowd densities.
    rules : sequence of Rule
        The profile's rules.
    within_m : float, optional
        Straight-line distance from the landmark in metres (``spec.within_m`` if omitted).
    lang : str
        Language of the rules' titles.
    footprints : geopandas.GeoDataFrame, optional
        Building footprints, taken off a building's parcel when the profile gives no area.

    Returns
    -------
    geopandas.GeoDataFrame
        :data:`SPACE_COLUMNS` and geometry: the right-of-way first, then nearest first.
    """
    within = spec.within_m if within_m is None else float(within_m)
    if not 0 < within <= spec.max_within_m:
        raise InputError.keyed("error.spaces.within", most=f"{spec.max_within_m:g}")
    crs = analysis.zone.crs
    chosen = _open_parcels(analysis, spec, within)
    area = areas_m2(chosen.geometry, crs)
    open_area, basis = open_areas_m2(chosen, area, spec, crs, footprints)
    parcels = pd.DataFrame(
        {
            "place_id": chosen["apn"].astype(str).to_numpy(),
            "kind": KIND_PARCEL,
            "apn": chosen["apn"].to_numpy(),
            "address": chosen["address"].to_numpy(),
            "owner_class": chosen["owner_class"].to_numpy(),
            "site_kind": chosen["site_kind"].to_numpy(),
            "land_use": chosen["land_use"].to_numpy(),
            "land_use_label": chosen.get("land_use_label", pd.Series("", chosen.index)).to_numpy(),
            "area_m2": area,
            "open_area_m2": open_area,
            "capacity_basis": basis,
            "distance_m": chosen["distance_to_landmark_m"].to_numpy(),
            "in_free_speech_zone": chosen["in_free_speech_zone"].to_numpy(dtype=bool),
        }
    )
    row, row_geoms = right_of_way_places(analysis.zone, spec, analysis.parcels)
    table = pd.concat([row, parcels], ignore_index=True) if len(row) else parcels
    geometry = list(row_geoms) + list(chosen.geometry.to_crs(crs).values)
    found = rules_for(table, rules)
    people = capacities(
        table["open_area_m2"].to_numpy(dtype=float) * SQFT_PER_M2, spec.density_ft2_per_person
    )
    none = table["capacity_basis"].to_numpy() == BASIS_NONE
    out = gpd.GeoDataFrame(
        {
            "place_id": table["place_id"].to_numpy(),
            "kind": table["kind"].to_numpy(),
            "apn": table["apn"].to_numpy(),
            "address": table["address"].to_numpy(),
            "owner_class": table["owner_class"].to_numpy(),
            "site_kind": table["site_kind"].to_numpy(),
            "land_use": table["land_use"].to_numpy(),
            "area_m2": np.round(table["area_m2"].to_numpy(dtype=float), 1),
            "area_ft2": np.round(table["area_m2"].to_numpy(dtype=float) * SQFT_PER_M2, 0).astype(
                int
            ),
            "open_area_m2": np.round(table["open_area_m2"].to_numpy(dtype=float), 1),
            "capacity_basis": table["capacity_basis"].to_numpy(),
            **{
                f"capacity_{name}": _people(people.get(name), none)
                for name in ("loose", "dense", "packed")
            },
            "distance_m": table["distance_m"].to_numpy(dtype=float),
            "in_free_speech_zone": table["in_free_speech_zone"].to_numpy(dtype=bool),
            "rules": [rule_text(r, lang) for r in found],
        },
        geometry=geometry,
        crs=crs,
    )
    out.attrs["rules"] = {str(a): r for a, r in zip(out["place_id"], found, strict=True)}
    rank = np.select([out["kind"] == KIND_ROW, out["kind"] == KIND_FACE], [0, 1], 2)
    order = np.lexsort((out["distance_m"].to_numpy(), rank))
    return out.iloc[order].reset_index(drop=True).to_crs(analysis.parcels.crs or crs)


def _people(counts: np.ndarray | None, none: np.ndarray) -> pd.Series:
    """Whole numbers of people, missing where no capacity can be given."""
    values = pd.Series(np.zeros(len(none), dtype=int) if counts is None else counts, dtype="Int64")
    values[none] = pd.NA
    return values


def _open_parcels(analysis: Analysis, spec: AssemblySpec, within: float) -> gpd.GeoDataFrame:
    """City-owned parcels of an open use, or named by address, within walking distance."""
    parcels = analysis.parcels
    owners = [c.value for c in city_classes(analysis.policy.include_city_agencies)]
    labels = parcels.get("land_use_label")
    open_use = pd.Series(matches_any(parcels["land_use"], spec.land_uses, labels), parcels.index)
    named = (
        parcels["address"]
        .map(normalize_address)
        .isin([normalize_address(a) for a in spec.addresses])
    )
    near = parcels["distance_to_landmark_m"].to_numpy() <= within
    chosen = parcels[parcels["owner_class"].isin(owners) & (open_use | named) & near]
    return chosen[~chosen.geometry.isna()]


def open_areas_m2(
    places: gpd.GeoDataFrame,
    area_m2: np.ndarray,
    spec: AssemblySpec,
    crs: CRS | str,
    footprints: gpd.GeoDataFrame | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """The usable open area of each place and how it was found.

    An open parcel counts whole; a building's parcel counts the area the profile gives for
    its address, else the parcel minus the footprints, else nothing (``BASIS_NONE``).

    Parameters
    ----------
    places : geopandas.GeoDataFrame
        Parcels with ``address`` and ``site_kind``.
    area_m2 : numpy.ndarray
        Their areas.
    spec : AssemblySpec
    crs : pyproj.CRS or str
        The measuring CRS.
    footprints : geopandas.GeoDataFrame, optional

    Returns
    -------
    (numpy.ndarray of float, numpy.ndarray of str)
    """
    given = {normalize_address(a): v for a, v in spec.open_area_m2.items()}
    address = places["address"].map(normalize_address).to_numpy()
    building = places["site_kind"].astype(str).to_numpy() == "building"
    area = np.asarray(area_m2, dtype=float).copy()
    basis = np.full(len(places), BASIS_OPEN, dtype=object)
    for i in np.flatnonzero(building):
        if address[i] in given:
            area[i], basis[i] = min(given[address[i]], area[i]), BASIS_PROFILE
        elif footprints is not None:
            area[i] = _minus_footprints(places.geometry.iloc[i], places.crs, footprints, crs)
            basis[i] = BASIS_FOOTPRINTS
        else:
            area[i], basis[i] = 0.0, BASIS_NONE
    return area, basis


def _minus_footprints(
    parcel: BaseGeometry, parcel_crs: object, footprints: gpd.GeoDataFrame, crs: CRS | str
) -> float:
    """The area of a parcel not covered by buildings, m²."""
    shape = gpd.GeoSeries([parcel], crs=parcel_crs).to_crs(crs).iloc[0]
    feet = footprints.geometry.to_crs(crs)
    near = feet.values[feet.sindex.query(shape, predicate="intersects")]
    rest = shape.difference(shapely.union_all(near)) if len(near) else shape
    return float(rest.area) * metres_per_unit(CRS.from_user_input(crs)) ** 2


def place_geometry(places: gpd.GeoDataFrame, position: int, crs: CRS | str) -> BaseGeometry:
    """One place's shape in a CRS (the zone's measuring CRS, for its handout).

    Parameters
    ----------
    places : geopandas.GeoDataFrame
        Output of :func:`assembly_places`.
    position : int
        The place's row position.
    crs : pyproj.CRS or str

    Returns
    -------
    shapely geometry
    """
    return places.geometry.iloc[[position]].to_crs(crs).iloc[0]
