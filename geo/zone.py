"""The free speech zone and the landmarks it is drawn around.

Part 2 of the proposal makes the area around a landmark (in Sacramento, the John E. Moss
Federal Building) a free speech zone. The landmark is found by its address in the loaded
parcels; the profile's point is the fallback, and the result says which was used. All
buffering and measuring happens in the profile's projected CRS.

A city can designate only what it controls, so the zone is the public space inside the
outline (the buffer around the landmark's parcel): the public right-of-way (in parcel
data, the land between parcels: streets and sidewalks) and the parcels of the owner
classes the profile names (the city's own), never a private parcel.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS
from shapely.geometry.base import BaseGeometry

from geo.errors import InputError
from geo.normalize import NO_PLACE, PlaceWords, normalize_address
from geo.profile import Landmark, ZoneSpec


@dataclass(frozen=True)
class LocatedLandmark:
    """A landmark placed on the map.

    Attributes
    ----------
    landmark : Landmark
        The profile's entry.
    geometry : shapely geometry
        Its parcel(s) when found by address, else its point, in the measuring CRS.
    found_by : str
        ``"address"`` or ``"point"`` (the profile's approximate fallback).
    apns : tuple of str
        The APNs of the matched parcels (empty when found by point).
    """

    landmark: Landmark
    geometry: BaseGeometry
    found_by: str
    apns: tuple[str, ...] = ()


@dataclass(frozen=True)
class Zone:
    """The free speech zone, in the measuring CRS.

    Attributes
    ----------
    geometry : shapely geometry
        The zone polygon.
    crs : pyproj.CRS
        The measuring CRS.
    distance_m : float
        How far the zone reaches from the landmark, in metres.
    landmark : LocatedLandmark
        What it surrounds.
    """

    geometry: BaseGeometry
    crs: CRS
    distance_m: float
    landmark: LocatedLandmark
    outline: BaseGeometry | None = None
    right_of_way: BaseGeometry | None = None

    @property
    def area_m2(self) -> float:
        """Area in square metres."""
        return float(self.geometry.area) * metres_per_unit(self.crs) ** 2

    @property
    def right_of_way_m2(self) -> float:
        """Area of the public right-of-way in the zone (streets and sidewalks), m²."""
        if self.right_of_way is None:
            return 0.0
        return float(self.right_of_way.area) * metres_per_unit(self.crs) ** 2

    @property
    def outline_m2(self) -> float:
        """Area of the outline (the whole buffer, public and private land), m²."""
        shape = self.outline if self.outline is not None else self.geometry
        return float(shape.area) * metres_per_unit(self.crs) ** 2

    @property
    def perimeter_m(self) -> float:
        """Perimeter in metres."""
        return float(self.geometry.length) * metres_per_unit(self.crs)

    def to_frame(self) -> gpd.GeoDataFrame:
        """The zone as a one-row GeoDataFrame (in the measuring CRS)."""
        return gpd.GeoDataFrame(
            {
                "name": [f"Proposed free speech zone around {self.landmark.landmark.name}"],
                "distance_m": [self.distance_m],
                "area_m2": [round(self.area_m2, 1)],
                "right_of_way_m2": [round(self.right_of_way_m2, 1)],
                "outline_m2": [round(self.outline_m2, 1)],
                "perimeter_m": [round(self.perimeter_m, 1)],
                "found_by": [self.landmark.found_by],
            },
            geometry=[self.geometry],
            crs=self.crs,
        )


def metres_per_unit(crs: CRS) -> float:
    """Metres in one unit of a projected CRS's first axis (0.3048006 for US survey feet).

    Raises
    ------
    InputError
        When the CRS is not projected (degrees cannot be buffered in metres).
    """
    if not crs.is_projected:
        raise InputError.keyed("error.zone.not_projected", crs=crs.to_string())
    factor = crs.axis_info[0].unit_conversion_factor
    return float(factor) if factor else 1.0


def locate_landmark(
    landmark: Landmark,
    parcels: gpd.GeoDataFrame,
    measure_crs: CRS | str,
    place: PlaceWords = NO_PLACE,
) -> LocatedLandmark:
    """Find a landmark's parcel by address, else fall back to its point.

    Parameters
    ----------
    landmark : Landmark
        A profile landmark.
    parcels : geopandas.GeoDataFrame
        Canonical parcels with an ``address`` column.
    measure_crs : pyproj.CRS or str
        The CRS the geometry is returned in.
    place : PlaceWords
        The jurisdiction's place words, dropped from the end of addresses.

    Returns
    -------
    LocatedLandmark
    """
    crs = CRS.from_user_input(measure_crs)
    if landmark.address and "address" in parcels:
        wanted = normalize_address(landmark.address, place)
        number = wanted.split()[0]
        # only rows that start with the same house number are normalised and compared
        addresses = parcels["address"].astype(str)
        maybe = parcels[addresses.str.lstrip().str.startswith(number)]
        same = [normalize_address(a, place) == wanted for a in maybe["address"]]
        matches = maybe[np.asarray(same, dtype=bool)] if len(maybe) else maybe
        matches = matches[~matches.geometry.isna() & ~matches.geometry.is_empty]
        if len(matches):
            geom = shapely.union_all(matches.to_crs(crs).geometry.values)
            return LocatedLandmark(landmark, geom, "address", tuple(matches["apn"]))
    if landmark.point is None:
        raise InputError.keyed("error.zone.landmark_not_found", landmark=landmark.name)
    lat, lon = landmark.point
    point = gpd.GeoSeries.from_xy([lon], [lat], crs="EPSG:4326").to_crs(crs).iloc[0]
    return LocatedLandmark(landmark, point, "point")


def free_speech_zone(
    located: LocatedLandmark,
    spec: ZoneSpec,
    measure_crs: CRS | str,
    parcels: gpd.GeoDataFrame | None = None,
    designated: np.ndarray | None = None,
) -> Zone:
    """Draw the free speech zone around a located landmark.

    Parameters
    ----------
    located : LocatedLandmark
        The landmark, in the measuring CRS.
    spec : ZoneSpec
        ``distance_m`` (metres) and whether the landmark's own parcel is left out.
    measure_crs : pyproj.CRS or str
        The projected CRS of ``located.geometry``.
    parcels : geopandas.GeoDataFrame, optional
        All parcels. When given, the zone is the public space inside the outline: the
        right-of-way (the outline minus every parcel) and the ``designated`` parcels.
        Without parcels the zone is the bare outline.
    designated : numpy.ndarray of bool, optional
        Which parcels the city can designate (its own); none when omitted.

    Returns
    -------
    Zone
    """
    crs = CRS.from_user_input(measure_crs)
    if not 0 < spec.distance_m <= spec.max_distance_m:
        raise InputError.keyed(
            "error.zone.distance", most=f"{spec.max_distance_m:g}", given=f"{spec.distance_m:g}"
        )
    distance = spec.distance_m / metres_per_unit(crs)
    outline = located.geometry.buffer(distance, quad_segs=16)
    if spec.exclude_landmark_parcel and located.found_by == "address":
        outline = outline.difference(located.geometry)
    outline = shapely.make_valid(outline)
    if parcels is None:
        return Zone(outline, crs, spec.distance_m, located, outline)
    row, public = public_space(outline, parcels, crs, designated)
    if not spec.right_of_way:
        row = shapely.Polygon()
    geometry = shapely.make_valid(shapely.union_all([row, public]))
    if spec.exclude_landmark_parcel and located.found_by == "address":
        geometry = geometry.difference(located.geometry)
    return Zone(_polygons(geometry), crs, spec.distance_m, located, outline, row)


SLIVER_FT2 = 10.0  # gaps between parcels smaller than this (in CRS units²) are drawing noise


def public_space(
    outline: BaseGeometry,
    parcels: gpd.GeoDataFrame,
    crs: CRS,
    designated: np.ndarray | None = None,
) -> tuple[BaseGeometry, BaseGeometry]:
    """The right-of-way and the designated parcels inside an outline.

    Only the parcels whose boxes meet the outline are read (one STRtree query), so this
    stays quick on a county's file.

    Parameters
    ----------
    outline : shapely geometry
        The zone's outline, in ``crs``.
    parcels : geopandas.GeoDataFrame
        All parcels, in any CRS.
    crs : pyproj.CRS
        The projected measuring CRS.
    designated : numpy.ndarray of bool, optional
        Which parcels count as designatable public land.

    Returns
    -------
    (right_of_way, designated_land) : shapely geometries in ``crs``
    """
    geoms = _in_crs(parcels, crs)
    near = geoms.sindex.query(outline, predicate="intersects")
    ours = np.zeros(len(near), dtype=bool)
    if designated is not None and len(near):
        ours = np.asarray(designated, dtype=bool)[near]
    shapes = geoms.values[near]
    present = ~shapely.is_missing(shapes) & ~shapely.is_empty(shapes)
    others = _union(shapes[present & ~ours])
    mine = _union(shapes[present & ours])
    taken = _union(np.asarray([g for g in (others, mine) if g is not None], dtype=object))
    row = outline if taken is None else outline.difference(taken)
    row = _polygons(row, min_area=SLIVER_FT2 / _ft2_per_unit2(crs))
    if mine is None:
        return row, shapely.Polygon()
    land = shapely.intersection(mine, outline)
    if others is not None:  # where a city parcel overlaps another owner's, it is not ours
        land = land.difference(others)
    return row, _polygons(land)


def _union(shapes: np.ndarray) -> BaseGeometry | None:
    """The union of some valid-made shapes, or None when there are none."""
    if not len(shapes):
        return None
    return shapely.union_all(shapely.make_valid(shapes))


def private_area_m2(zone: Zone, parcels: gpd.GeoDataFrame, designated: np.ndarray) -> float:
    """How much of the zone lies on parcels that are not designated (should be zero), m².

    Parameters
    ----------
    zone : Zone
    parcels : geopandas.GeoDataFrame
    designated : numpy.ndarray of bool
        Which parcels the city can designate.

    Returns
    -------
    float
    """
    geoms = _in_crs(parcels, zone.crs)
    near = geoms.sindex.query(zone.geometry, predicate="intersects")
    others = geoms.values[near[~np.asarray(designated, dtype=bool)[near]]]
    if not len(others):
        return 0.0
    overlap = shapely.area(shapely.intersection(shapely.make_valid(others), zone.geometry))
    return float(overlap.sum()) * metres_per_unit(zone.crs) ** 2


def borders_zone(parcels: gpd.GeoDataFrame, zone: Zone, inside: np.ndarray) -> np.ndarray:
    """Parcels not in the zone that touch it (within a foot): they border the zone.

    Parameters
    ----------
    parcels : geopandas.GeoDataFrame
    zone : Zone
    inside : numpy.ndarray of bool
        Output of :func:`in_zone`.

    Returns
    -------
    numpy.ndarray of bool
    """
    result = np.zeros(len(parcels), dtype=bool)
    if zone.geometry.is_empty:
        return result
    geoms = _in_crs(parcels, zone.crs)
    reach = 1.0 / _ft2_per_unit2(zone.crs) ** 0.5  # one foot
    near = geoms.sindex.query(zone.geometry.buffer(reach), predicate="intersects")
    result[near] = True
    return result & ~np.asarray(inside, dtype=bool)


def _in_crs(parcels: gpd.GeoDataFrame, crs: CRS) -> gpd.GeoSeries:
    geoms = parcels.geometry
    if parcels.crs is not None and CRS.from_user_input(parcels.crs) != crs:
        geoms = geoms.to_crs(crs)
    return geoms


def _ft2_per_unit2(crs: CRS) -> float:
    """Square feet in one square unit of the CRS."""
    return (metres_per_unit(crs) / 0.3048) ** 2


def _polygons(geometry: BaseGeometry, min_area: float = 0.0) -> BaseGeometry:
    """Only the polygon parts of a geometry (larger than ``min_area``), as one shape."""
    parts = [
        g
        for g in shapely.get_parts(geometry)
        if g.geom_type in ("Polygon", "MultiPolygon") and g.area > min_area
    ]
    polys = [p for g in parts for p in shapely.get_parts(g)] if parts else []
    if not polys:
        return shapely.Polygon()
    return shapely.union_all(polys) if len(polys) > 1 else polys[0]


def in_zone(parcels: gpd.GeoDataFrame, zone: Zone, min_share: float = 0.01) -> np.ndarray:
    """Which parcels lie in the zone (at least ``min_share`` of their area inside).

    Parameters
    ----------
    parcels : geopandas.GeoDataFrame
        Parcels in any CRS.
    zone : Zone
        The free speech zone.
    min_share : float
        Share of a parcel's area that must be inside; a parcel that only touches the
        zone's edge is not in it.

    Returns
    -------
    numpy.ndarray of bool
    """
    result = np.zeros(len(parcels), dtype=bool)
    geoms = parcels.geometry
    if parcels.crs is not None and CRS.from_user_input(parcels.crs) != zone.crs:
        geoms = geoms.to_crs(zone.crs)
    candidates = geoms.sindex.query(zone.geometry, predicate="intersects")
    if len(candidates) == 0:
        return result
    chosen = geoms.values[candidates]
    overlap = shapely.area(shapely.intersection(chosen, zone.geometry))
    result[candidates] = (overlap > 0) & (overlap >= min_share * shapely.area(chosen))
    return result


def distance_m(parcels: gpd.GeoDataFrame, located: LocatedLandmark, crs: CRS) -> np.ndarray:
    """Straight-line distance in metres from each parcel to the landmark (0 on it).

    Parameters
    ----------
    parcels : geopandas.GeoDataFrame
        Parcels in any CRS.
    located : LocatedLandmark
        The landmark, in ``crs``.
    crs : pyproj.CRS
        The projected measuring CRS.

    Returns
    -------
    numpy.ndarray of float (NaN where a parcel has no geometry)
    """
    geoms = parcels.geometry
    if parcels.crs is not None and CRS.from_user_input(parcels.crs) != crs:
        geoms = geoms.to_crs(crs)
    return shapely.distance(geoms.values, located.geometry) * metres_per_unit(crs)
