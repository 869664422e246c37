"""Places to assemble near the landmark: where, how big, how many people fit, which rules.

Part 2 of the proposal reaffirms the right to assemble on city-owned space. A place to
assemble is a city-owned parcel whose land use the profile lists as open (plazas, parks,
open lots), or an address the profile names (a city hall's exterior). Its capacity follows
Jacobs' method: area divided by the space one person takes, at three crowd densities.
Areas and distances are measured in the profile's projected CRS, never in degrees.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import CRS
from shapely.geometry.base import BaseGeometry

from geo.analysis import Analysis
from geo.errors import InputError
from geo.landuse import matches_any
from geo.normalize import normalize_address
from geo.policy import city_classes
from geo.profile import AssemblySpec, Rule
from geo.zone import metres_per_unit

SQFT_PER_M2 = 10.763910416709722
SPACE_COLUMNS = (
    "apn",
    "address",
    "owner_class",
    "site_kind",
    "land_use",
    "area_m2",
    "area_ft2",
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
    found: list[list[Rule]] = [[] for _ in range(len(places))]
    for rule in rules:
        mask = np.ones(len(places), dtype=bool)
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
) -> gpd.GeoDataFrame:
    """City-owned open places within walking distance of the landmark.

    Parameters
    ----------
    analysis : Analysis
        Parcels with verdicts and distances to the zone's landmark.
    spec : AssemblySpec
        Which land uses and addresses count, and the crowd densities.
    rules : sequence of Rule
        The profile's rules.
    within_m : float, optional
        Straight-line distance from the landmark in metres (``spec.within_m`` if omitted).
    lang : str
        Language of the rules' titles.

    Returns
    -------
    geopandas.GeoDataFrame
        :data:`SPACE_COLUMNS` and geometry, nearest first.
    """
    within = spec.within_m if within_m is None else float(within_m)
    if not 0 < within <= spec.max_within_m:
        raise InputError(
            f"walking distance must be more than 0 and at most {spec.max_within_m:g} m"
        )
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
    chosen = chosen[~chosen.geometry.isna()]
    area = areas_m2(chosen.geometry, analysis.zone.crs)
    people = capacities(area * SQFT_PER_M2, spec.density_ft2_per_person)
    found = rules_for(chosen, rules)
    out = gpd.GeoDataFrame(
        {
            "apn": chosen["apn"].to_numpy(),
            "address": chosen["address"].to_numpy(),
            "owner_class": chosen["owner_class"].to_numpy(),
            "site_kind": chosen["site_kind"].to_numpy(),
            "land_use": chosen["land_use"].to_numpy(),
            "area_m2": np.round(area, 1),
            "area_ft2": np.round(area * SQFT_PER_M2, 0).astype(int),
            "capacity_loose": people.get("loose", np.zeros(len(chosen), dtype=int)),
            "capacity_dense": people.get("dense", np.zeros(len(chosen), dtype=int)),
            "capacity_packed": people.get("packed", np.zeros(len(chosen), dtype=int)),
            "distance_m": chosen["distance_to_landmark_m"].to_numpy(),
            "in_free_speech_zone": chosen["in_free_speech_zone"].to_numpy(),
            "rules": [rule_text(r, lang) for r in found],
        },
        geometry=chosen.geometry.values,
        crs=chosen.crs,
    )
    out.attrs["rules"] = {str(a): r for a, r in zip(out["apn"], found, strict=True)}
    return out.sort_values("distance_m", kind="stable").reset_index(drop=True)


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
