"""The map-view protocol: what the Leaflet map reports, and which view the app draws."""

from __future__ import annotations

import pytest

from layers.view import view_bounds
from layers.view_state import (
    FOCUS_ZOOM,
    clicked_point,
    parse_view,
    point_focus,
    rebuild_focus,
    view_focus,
    view_to_draw,
)

REPORT = {
    "bounds": {
        "_southWest": {"lat": 38.57, "lng": -121.51},
        "_northEast": {"lat": 38.59, "lng": -121.49},
    },
    "zoom": 16.4,
}
START = ((38.5, -121.5), 15)


def test_a_reported_view_is_its_box_and_zoom() -> None:
    assert parse_view(REPORT) == ((38.57, -121.51, 38.59, -121.49), 16.4)


@pytest.mark.parametrize(
    "report",
    [
        {},
        {"bounds": REPORT["bounds"]},  # no zoom
        {"zoom": 12},  # no bounds
        {"bounds": {"_southWest": {"lat": 38.5}, "_northEast": {}}, "zoom": 12},
        {"bounds": {"_southWest": {"lat": "x", "lng": 1}, "_northEast": {}}, "zoom": 12},
        {"bounds": REPORT["bounds"], "zoom": "high"},
        # an empty map reports a box of no size (south == north)
        {
            "bounds": {
                "_southWest": {"lat": 38.5, "lng": -121.5},
                "_northEast": {"lat": 38.5, "lng": -121.5},
            },
            "zoom": 12,
        },
    ],
)
def test_a_view_that_is_missing_or_broken_is_none(report: dict[str, object]) -> None:
    assert parse_view(report) is None


def test_a_click_on_a_parcel_wins_over_the_map_click() -> None:
    on_parcel = {"lat": 38.58, "lng": -121.5}
    on_map = {"lat": 1.0, "lng": 2.0}
    assert clicked_point(on_parcel, on_map) == (38.58, -121.5)
    assert clicked_point(None, on_map) == (1.0, 2.0)
    assert clicked_point({"lat": 3}, {"lat": "4", "lng": "5"}) == (4.0, 5.0)
    assert clicked_point(None, None) is None
    assert clicked_point({"lat": "north", "lng": 1}, []) is None


def test_focus_of_a_view_is_its_centre_at_a_whole_zoom() -> None:
    view = parse_view(REPORT)
    assert view is not None
    lat, lon, zoom = view_focus(view)
    assert (lat, lon, zoom) == (pytest.approx(38.58), pytest.approx(-121.5), 16)
    assert point_focus((38.1, -121.2)) == (38.1, -121.2, FOCUS_ZOOM)


def test_the_reported_view_is_drawn_unless_a_focus_is_pending() -> None:
    reported = parse_view(REPORT)
    focus = (38.0, -121.0, 18)
    assert view_to_draw(reported, focus, False, START) == reported
    assert view_to_draw(reported, focus, True, START) == (view_bounds((38.0, -121.0), 18), 18.0)


def test_without_a_report_the_focus_then_the_start_is_drawn() -> None:
    focus = (38.0, -121.0, 18)
    assert view_to_draw(None, focus, False, START) == (view_bounds((38.0, -121.0), 18), 18.0)
    assert view_to_draw(None, None, False, START) == (view_bounds(START[0], 15), 15.0)


def test_a_rebuilt_map_reopens_where_the_user_was() -> None:
    reported = parse_view(REPORT)
    assert rebuild_focus("a", "a", reported) == (False, None)  # same map: nothing to do
    assert rebuild_focus(None, "a", reported) == (True, None)  # the first map: its own view
    changed, focus = rebuild_focus("a", "b", reported)
    assert changed and focus is not None and focus[2] == 16
    assert rebuild_focus("a", "b", None) == (True, None)  # the map never reported a view
