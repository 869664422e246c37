"""A shape drawn on the map: its size, the parcels it touches and how many are the city's.

Organizers draw an alternative zone (a polygon, a rectangle or a circle) on the map; this
measures it in the zone's projected CRS and counts the parcels it touches, asking the
policy core which of them count as city property.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import shapely.errors
from shapely.geometry.base import BaseGeometry

from geo.analysis import Analysis
from geo.policy import OwnerClass, counts_as_city, owner_codes
from geo.zone import metres_per_unit

DRAW_CRS = "EPSG:4326"


@dataclass(frozen=True)
class ShapeSummary:
    """What a drawn shape covers.

    Attributes
    ----------
    area_m2, perimeter_m : float
        The shape's size, measured in the zone's projected CRS.
    positions : tuple of int
        Row positions of the parcels the shape touches.
    city : int
        How many of them count as city property under the analysis's policy.
    """

    area_m2: float
    perimeter_m: float
    positions: tuple[int, ...]
    city: int

    @property
    def parcels(self) -> int:
        """How many parcels the shape touches."""
        return len(self.positions)


def feature_shape(feature: Mapping[str, object]) -> tuple[BaseGeometry, float | None] | None:
    """The geometry (EPSG:4326) and circle radius (metres) of a drawn GeoJSON feature.

    Parameters
    ----------
    feature : mapping
        A GeoJSON feature as the map reports it; a circle is a point with a ``radius``
        property.

    Returns
    -------
    (geometry, float or None) or None
        ``None`` when the feature holds no readable geometry.
    """
    if not isinstance(feature, Mapping):
        return None
    try:
        geometry = shapely.geometry.shape(feature["geometry"])  # type: ignore[arg-type]
    except (KeyError, TypeError, ValueError, AttributeError, shapely.errors.ShapelyError):
        return None
    if geometry.is_empty:
        return None
    properties = feature.get("properties") or {}
    radius = properties.get("radius") if isinstance(properties, Mapping) else None
    try:
        radius_m = float(radius) if radius else None
    except (TypeError, ValueError):
        radius_m = None
    return geometry, radius_m


def owner_class_codes(words: object) -> np.ndarray:
    """Owner class words as the policy core's codes, whichever spelling (``city agency``)."""
    series = pd.Series(np.asarray(words, dtype=object), dtype=object)
    spelled = {w: OwnerClass.parse(str(w)).value for w in series.unique()}
    return owner_codes(series.map(spelled).to_numpy(dtype=object))


def shape_summary(
    analysis: Analysis, geometry_4326: BaseGeometry, radius_m: float | None = None
) -> ShapeSummary:
    """Measure a drawn shape and count the parcels it touches.

    Parameters
    ----------
    analysis : Analysis
        The classified parcels and the zone (whose CRS the shape is measured in).
    geometry_4326 : shapely geometry
        The shape in longitude and latitude.
    radius_m : float, optional
        For a circle drawn as a point: its radius in metres.

    Returns
    -------
    ShapeSummary
    """
    crs = analysis.zone.crs
    unit = metres_per_unit(crs)
    shape = gpd.GeoSeries([geometry_4326], crs=DRAW_CRS).to_crs(crs).iloc[0]
    if shape.geom_type == "Point" and radius_m:
        shape = shape.buffer(radius_m / unit)
    parcels = analysis.parcels
    inside = parcels.geometry.to_crs(crs).intersects(shape).to_numpy(dtype=bool)
    codes = owner_class_codes(parcels["owner_class"].to_numpy(dtype=object)[inside])
    city = counts_as_city(codes, analysis.policy.include_city_agencies)
    return ShapeSummary(
        area_m2=float(shape.area * unit**2),
        perimeter_m=float(shape.length * unit),
        positions=tuple(int(i) for i in np.flatnonzero(inside)),
        city=int(city.sum()),
    )


TOUCHED_COLUMNS = (
    "apn",
    "address",
    "owner_class",
    "site_kind",
    "land_use",
    "verdict",
    "in_free_speech_zone",
    "overlap_m2",
)


def touched_parcels(
    analysis: Analysis,
    geometry_4326: BaseGeometry,
    summary: ShapeSummary,
    radius_m: float | None = None,
) -> gpd.GeoDataFrame:
    """The parcels a drawn shape touches, with their verdicts and how much of each it covers.

    Parameters
    ----------
    analysis : Analysis
    geometry_4326 : shapely geometry
        The shape in longitude and latitude.
    summary : ShapeSummary
        Output of :func:`shape_summary` for the same shape.
    radius_m : float, optional
        For a circle drawn as a point: its radius in metres.

    Returns
    -------
    geopandas.GeoDataFrame
        :data:`TOUCHED_COLUMNS` and geometry (EPSG:4326).
    """
    crs = analysis.zone.crs
    unit = metres_per_unit(crs)
    shape = gpd.GeoSeries([geometry_4326], crs=DRAW_CRS).to_crs(crs).iloc[0]
    if shape.geom_type == "Point" and radius_m:
        shape = shape.buffer(radius_m / unit)
    rows = analysis.parcels.iloc[list(summary.positions)]
    geoms = rows.geometry.to_crs(crs).to_numpy()
    overlap = shapely.area(shapely.intersection(geoms, shape)) * unit**2
    return gpd.GeoDataFrame(
        {
            **{c: rows[c].to_numpy() for c in TOUCHED_COLUMNS[:-1] if c in rows},
            "overlap_m2": np.round(overlap, 1),
        },
        geometry=rows.geometry.to_crs(DRAW_CRS).to_numpy(),
        crs=DRAW_CRS,
    )


def drawn_geojson(
    geometry_4326: BaseGeometry,
    summary: ShapeSummary,
    touched: gpd.GeoDataFrame,
    radius_m: float | None = None,
) -> bytes:
    """The drawn shape (with its area and perimeter) and the parcels it touches, as GeoJSON.

    Parameters
    ----------
    geometry_4326 : shapely geometry
    summary : ShapeSummary
    touched : geopandas.GeoDataFrame
        Output of :func:`touched_parcels`.
    radius_m : float, optional
        A circle's radius (the shape is then its centre point).

    Returns
    -------
    bytes
    """
    shape = gpd.GeoDataFrame(
        {
            "kind": ["drawn_shape"],
            "area_m2": [round(summary.area_m2, 1)],
            "perimeter_m": [round(summary.perimeter_m, 1)],
            "radius_m": [radius_m],
            "parcels": [summary.parcels],
            "city_parcels": [summary.city],
        },
        geometry=[geometry_4326],
        crs=DRAW_CRS,
    )
    parcels = touched.assign(kind="parcel")
    both = pd.concat([shape, parcels], ignore_index=True)
    frame = gpd.GeoDataFrame(both, geometry="geometry", crs=DRAW_CRS)
    return frame.to_json(drop_id=True, ensure_ascii=False, na="drop").encode("utf-8")
