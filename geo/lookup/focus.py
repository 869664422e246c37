"""Where a map showing some parcels centres."""

from __future__ import annotations

import geopandas as gpd


def focus_point(
    parcels: gpd.GeoDataFrame, positions: tuple[int, ...]
) -> tuple[float, float] | None:
    """Where a map showing some parcels centres: their centroid in latitude and longitude.

    Parameters
    ----------
    parcels : geopandas.GeoDataFrame
    positions : tuple of int
        Row positions (``iloc``) of the parcels, such as a :class:`Match`'s.

    Returns
    -------
    (float, float) or None
        Latitude and longitude; ``None`` when none of the parcels has a shape.
    """
    geoms = parcels.geometry.iloc[list(positions)]
    geoms = geoms[~geoms.isna() & ~geoms.is_empty]
    if geoms.empty:
        return None
    point = geoms.to_crs("EPSG:4326").union_all().centroid
    return float(point.y), float(point.x)
