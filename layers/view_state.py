"""The map-view protocol: what the Leaflet map reports, and which view to draw next.

Pure functions of plain values (the dicts the map component returns), so the loop of
"the map reports, the app re-runs" can be tested without a browser or Streamlit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from layers.view import view_bounds

FOCUS_ZOOM = 18  # a found parcel is shown at street level
Bounds = tuple[float, float, float, float]  # south, west, north, east
View = tuple[Bounds, float]  # bounds and zoom
Focus = tuple[float, float, int]  # latitude, longitude, zoom


def parse_view(result: Mapping[str, Any]) -> View | None:
    """(south, west, north, east) and zoom from what the map reported, if it did."""
    bounds, zoom = result.get("bounds"), result.get("zoom")
    if not bounds or zoom is None:
        return None
    sw, ne = bounds.get("_southWest") or {}, bounds.get("_northEast") or {}
    try:
        box = (float(sw["lat"]), float(sw["lng"]), float(ne["lat"]), float(ne["lng"]))
        level = float(zoom)
    except (KeyError, TypeError, ValueError):
        return None
    return (box, level) if box[0] < box[2] and box[1] < box[3] else None


def clicked_point(on_object: object, on_map: object) -> tuple[float, float] | None:
    """Where the user last clicked (latitude, longitude): on a parcel (its popup stops the
    map's own click event) or on the map itself."""
    for point in (on_object, on_map):
        if isinstance(point, Mapping) and "lat" in point and "lng" in point:
            try:
                return float(point["lat"]), float(point["lng"])
            except (TypeError, ValueError):
                continue
    return None


def view_focus(view: View) -> Focus:
    """The centre and whole zoom of a reported view."""
    (s, w, n, e), zoom = view
    return (s + n) / 2, (w + e) / 2, int(round(zoom))


def reported_focus(report: Mapping[str, Any]) -> Focus | None:
    """The centre and zoom the map last reported (from its bounds, else its centre)."""
    reported = parse_view(report)
    if reported is not None:
        return view_focus(reported)
    center, zoom = report.get("center"), report.get("zoom")
    if not isinstance(center, Mapping) or zoom is None:
        return None
    try:
        lat, lng, level = float(center["lat"]), float(center["lng"]), float(zoom)
    except (KeyError, TypeError, ValueError):
        return None
    return (lat, lng, int(round(level))) if -90 <= lat <= 90 and -180 <= lng <= 180 else None


def same_focus(a: Focus | None, b: Focus | None, tolerance: float = 1e-4) -> bool:
    """Whether two foci are the same place and zoom (within a tolerance, in degrees)."""
    if a is None or b is None:
        return a is b
    return a[2] == b[2] and abs(a[0] - b[0]) <= tolerance and abs(a[1] - b[1]) <= tolerance


def link_focus(
    report: Mapping[str, Any], focus: Focus | None, stale: Sequence[Focus | None] = ()
) -> Focus | None:
    """Where a link should reopen the map: the view the map last reported, unless that report
    is stale (one of ``stale``: what it said before the app last moved it, or the start view
    it reports before it is moved), in which case where the app last sent it."""
    reported = reported_focus(report)
    if reported is None:
        return focus
    if focus is not None and any(same_focus(reported, old) for old in stale):
        return focus
    return reported


def point_focus(point: tuple[float, float], zoom: int = FOCUS_ZOOM) -> Focus:
    """A focus on a point (such as a found parcel's centroid)."""
    return point[0], point[1], zoom


def view_to_draw(
    reported: View | None,
    focus: Focus | None,
    focus_pending: bool,
    start: tuple[tuple[float, float], float],
) -> View:
    """The view to draw parcels for: the map's last report, a pending focus, or the start.

    Parameters
    ----------
    reported : view or None
        What the map last reported (see :func:`parse_view`).
    focus : (lat, lon, zoom) or None
        Where the app last asked the map to go.
    focus_pending : bool
        Whether the map has not yet been drawn at that focus.
    start : ((lat, lon), zoom)
        The start view.
    """
    if reported is not None and not focus_pending:
        return reported
    if focus:
        return view_bounds((focus[0], focus[1]), focus[2]), float(focus[2])
    center, zoom = start
    return view_bounds(center, zoom), float(zoom)


def rebuild_focus(
    previous: object, signature: object, reported: View | None
) -> tuple[bool, Focus | None]:
    """Whether the base map is rebuilt (its signature changed), and where to reopen it.

    Returns
    -------
    (bool, focus or None)
        ``changed`` and, when a map was already shown and had reported a view, that view's
        focus (so a rebuilt map reopens where the user was).
    """
    if previous == signature:
        return False, None
    if previous is not None and reported is not None:
        return True, view_focus(reported)
    return True, None
