"""From an analysis (geo) to what the map draws (layers)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import geopandas as gpd
import shapely

from geo.analysis import Analysis
from geo.zone import LocatedLandmark
from layers.map import MapContent
from layers.parcels import to_draw_frame
from layers.style import category_keys


def landmark_points(
    located: Sequence[LocatedLandmark], crs: object
) -> list[tuple[str, str, float, float]]:
    """Landmarks as (name, note, lat, lon), each at a point inside its parcel.

    Parameters
    ----------
    located : sequence of LocatedLandmark
    crs : CRS-like
        The CRS their geometries are in.

    Returns
    -------
    list of tuple
    """
    if not located:
        return []
    points = shapely.point_on_surface([m.geometry for m in located])
    lonlat = gpd.GeoSeries(points, crs=crs).to_crs("EPSG:4326")
    out = []
    for mark, pt in zip(located, lonlat, strict=True):
        note = (
            "found by address in the data"
            if mark.found_by == "address"
            else (f"not found in the data; {mark.landmark.point_note or 'approximate'} location")
        )
        label = mark.landmark.label or mark.landmark.name
        out.append((label, f"{mark.landmark.name}: {note}", pt.y, pt.x))
    return out


MAX_DRAWN = 5_000


def data_view(frame: gpd.GeoDataFrame) -> tuple[tuple[float, float], int]:
    """A centre (lat, lon) and zoom that show all of a parcel table.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        Parcels in any CRS.

    Returns
    -------
    ((float, float), int)
    """
    minx, miny, maxx, maxy = frame.geometry.total_bounds
    corners = gpd.GeoSeries(
        [shapely.Point(minx, miny), shapely.Point(maxx, maxy)], crs=frame.crs
    ).to_crs("EPSG:4326")
    (lon0, lat0), (lon1, lat1) = ((p.x, p.y) for p in corners)
    span = max(abs(lon1 - lon0), abs(lat1 - lat0) * 1.3, 1e-4)
    zoom = int(max(3, min(18, math.floor(math.log2(360 / span)) + 1)))
    return ((lat0 + lat1) / 2, (lon0 + lon1) / 2), zoom


def map_content(
    analysis: Analysis,
    source: tuple[str, str, bool],
    streets: gpd.GeoDataFrame | None = None,
    show_not_covered: bool = True,
    draw_frame: gpd.GeoDataFrame | None = None,
) -> MapContent:
    """Everything the map needs from one analysis.

    Parameters
    ----------
    analysis : Analysis
    source : (str, str, bool)
        Data name, date, illustrative flag.
    streets : geopandas.GeoDataFrame, optional
        Street centrelines.
    show_not_covered : bool
        Draw parcels the proposal does not cover (off to declutter).
    draw_frame : geopandas.GeoDataFrame, optional
        A precomputed :func:`layers.parcels.to_draw_frame` of ``analysis.parcels``.

    Returns
    -------
    MapContent
    """
    landmark = analysis.zone.landmark.landmark.name
    frame = draw_frame if draw_frame is not None else to_draw_frame(analysis.parcels, landmark)
    if not show_not_covered or len(frame) > MAX_DRAWN:
        frame = frame[frame["category"] != "not_covered"]
    counts = category_keys(analysis.parcels).value_counts().to_dict()
    zone = analysis.zone
    return MapContent(
        parcels=frame,
        zone=zone.to_frame(),
        zone_label=(landmark, zone.area_m2, zone.distance_m),
        landmarks=landmark_points(analysis.landmarks, zone.crs),
        streets=streets,
        counts={str(k): int(v) for k, v in counts.items()},
        source=source,
    )
