"""A small static map of the parcels two policy versions decide differently."""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import shapely

from layers.sheet import Snippet, snippet_svg
from layers.style import NOT_COVERED, REVIEW, Category

MAX_SHAPES = 2000  # a county's changes are summed up by the list; the map shows the first
COVERED = Category("covered", "#0072B2", "#003A5C", 1.5, None, 0.65)
BY_VERDICT = {"covered": COVERED, "needs review": REVIEW, "not covered": NOT_COVERED}


def changes_svg(geometry: gpd.GeoSeries, verdicts: Sequence[str], size: int = 360) -> str:
    """An inline SVG of changed parcels, each filled by its verdict under the second version.

    Parameters
    ----------
    geometry
        The changed parcels' shapes (any CRS; drawn in a local metric one).
    verdicts
        Each parcel's verdict under the second version (``covered``, ...).
    size
        Width and height in pixels.

    Returns
    -------
    str
        ``""`` when there is nothing to draw. Built from numbers and fixed colours only.
    """
    shapes = geometry.iloc[:MAX_SHAPES]
    if shapes.empty or shapes.crs is None:
        return ""
    projected = shapes.to_crs(shapes.estimate_utm_crs())
    drawn = []
    for geom, verdict in zip(projected, verdicts, strict=False):
        cat = BY_VERDICT.get(str(verdict), NOT_COVERED)
        drawn.append((geom, cat.fill, cat.stroke, 1.2))
    focus = shapely.box(*projected.total_bounds)
    return snippet_svg(Snippet(drawn, focus), size=size, margin=0.1)
