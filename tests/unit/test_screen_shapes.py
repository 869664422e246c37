"""Shapes drawn on every rerun (places, the selection outline, sheets) are simplified for
the screen, so one parcel of a million vertices does not make each page heavy."""

from __future__ import annotations

import numpy as np
import shapely

from layers.sheet import Snippet, snippet_svg
from layers.view import SCREEN_TOLERANCE_DEG, for_screen

VERTICES = 1_000_000


def circle(cx: float, cy: float, radius: float, vertices: int = VERTICES) -> shapely.Polygon:
    angle = np.linspace(0.0, 2 * np.pi, vertices, endpoint=False)
    return shapely.Polygon(
        np.column_stack([cx + radius * np.cos(angle), cy + radius * np.sin(angle)])
    )


def test_for_screen_drops_vertices_below_a_pixel() -> None:
    huge = circle(-121.5, 38.58, 0.0004)  # about 40 m across
    (drawn,) = for_screen(np.array([huge], dtype=object))
    assert shapely.get_num_coordinates(drawn) < 200
    assert huge.hausdorff_distance(drawn) < 2 * SCREEN_TOLERANCE_DEG


def test_for_screen_keeps_a_square_as_it_is() -> None:
    square = shapely.box(-121.5, 38.58, -121.4999, 38.5801)
    (drawn,) = for_screen(np.array([square], dtype=object))
    assert shapely.get_num_coordinates(drawn) == 5
    assert abs(drawn.area - square.area) / square.area < 1e-3


def test_sheet_snippet_of_a_huge_parcel_is_small() -> None:
    huge = circle(6_704_100.0, 1_972_650.0, 40.0)
    svg = snippet_svg(Snippet([(huge, "#fff", "#000", 1.0)], focus=huge))
    assert svg.startswith("<svg") and len(svg) < 20_000
