"""Checks a parcel layer must pass before it is used: CRS, area of use, geometry types,
vertex budgets, a geometry column and at least one feature."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

from geo.errors import InputError

# Vertex budgets, checked on the undecoded WKB (16 bytes a 2D vertex) before any geometry
# is decoded or repaired: a parcel rarely has more than a few hundred vertices, a county
# about ten million in all.
MAX_FEATURE_VERTICES = 100_000
MAX_FILE_VERTICES = 30_000_000
WKB_VERTEX_BYTES = 16
NOT_POLYGONS = "error.sources.not_polygons"
NO_GEOMETRY = "error.sources.no_geometry"
NO_FEATURES = "error.sources.no_features"
AREA_MARGIN_DEG = 2.0  # generous: it only catches coordinates in the wrong units


def check_vertex_budget(counts: np.ndarray, path: Path, so_far: int) -> int:
    """Refuse a feature or a file with more vertices than the map can draw; the new total."""
    counts = np.asarray(counts)
    if counts.size and int(counts.max()) > MAX_FEATURE_VERTICES:
        raise InputError.keyed(
            "error.sources.feature_vertices",
            name=path.name,
            count=f"{int(counts.max()):,}",
            limit=f"{MAX_FEATURE_VERTICES:,}",
        )
    total = so_far + int(counts.sum())
    if total > MAX_FILE_VERTICES:
        raise InputError.keyed(
            "error.sources.file_vertices", name=path.name, limit=f"{MAX_FILE_VERTICES:,}"
        )
    return total


def check_frame(frame: Any, path: Path) -> gpd.GeoDataFrame:
    """A GeoDataFrame with a ``geometry`` column and at least one feature, or a refusal."""
    if not isinstance(frame, gpd.GeoDataFrame) or frame.geometry.name not in frame:
        raise InputError.keyed(NO_GEOMETRY, name=path.name)
    if len(frame) == 0:
        raise InputError.keyed(NO_FEATURES, name=path.name)
    if frame.geometry.name != "geometry":
        frame = frame.rename_geometry("geometry")
    return frame


def check_crs(frame: gpd.GeoDataFrame, path: Path, crs: str | None) -> None:
    """Set the CRS the user named when the file has none (else refuse); check its area."""
    if frame.crs is None:
        if not crs:
            raise InputError.keyed(
                "error.sources.no_crs",
                cli_key="error.sources.no_crs.cli",
                app_key="error.sources.no_crs.app",
                name=path.name,
            )
        try:
            frame.set_crs(CRS.from_user_input(crs), inplace=True)
        except CRSError:
            raise InputError.keyed("error.sources.unknown_crs", crs=repr(crs)) from None
    check_area_of_use(frame, path)


def check_area_of_use(frame: gpd.GeoDataFrame, path: Path) -> None:
    """Refuse coordinates outside the CRS's area of use (degrees labelled as feet)."""
    area = frame.crs.area_of_use if frame.crs is not None else None
    bounds = frame.geometry.total_bounds
    if area is None or not np.all(np.isfinite(bounds)):
        return
    to_lonlat = Transformer.from_crs(frame.crs, "EPSG:4326", always_xy=True)
    lon, lat = to_lonlat.transform([bounds[0], bounds[2]], [bounds[1], bounds[3]])
    margin = AREA_MARGIN_DEG
    inside = (
        area.west - margin <= min(lon)
        and max(lon) <= area.east + margin
        and area.south - margin <= min(lat)
        and max(lat) <= area.north + margin
    )
    if not inside:
        raise InputError.keyed(
            "error.sources.crs_wrong",
            name=path.name,
            bounds=str(bounds.round(3).tolist()),
            crs=frame.crs.to_string(),
            area=area.name,
        )


def check_geometry_types(frame: gpd.GeoDataFrame, path: Path) -> None:
    """Refuse a layer with no geometry or with anything but polygons."""
    kinds = set(frame.geometry.dropna().geom_type.unique())
    if not kinds:
        raise InputError.keyed("error.sources.no_geometries", name=path.name)
    wrong = kinds - {"Polygon", "MultiPolygon"}
    if wrong:
        raise InputError.keyed(NOT_POLYGONS, name=path.name, kinds=", ".join(sorted(wrong)))
