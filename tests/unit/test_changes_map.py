"""The static map of changed parcels."""

from __future__ import annotations

import geopandas as gpd
import shapely

from layers.changes import COVERED, changes_svg
from layers.style import NOT_COVERED


def test_changed_parcels_are_drawn_by_their_second_verdict() -> None:
    shapes = gpd.GeoSeries(
        [
            shapely.box(-121.50, 38.58, -121.499, 38.581),
            shapely.box(-121.49, 38.57, -121.489, 38.571),
        ],
        crs="EPSG:4326",
    )
    svg = changes_svg(shapes, ["covered", "not covered"])
    assert svg.startswith("<svg") and svg.count("<path") == 2
    assert COVERED.fill in svg and NOT_COVERED.fill in svg


def test_nothing_to_draw_gives_no_map() -> None:
    assert changes_svg(gpd.GeoSeries([], crs="EPSG:4326"), []) == ""
