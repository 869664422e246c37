"""The map-view protocol: what the Leaflet map reports, and which view to draw next.

Pure functions of plain values (the dicts the map component returns), so the loop of
"the map reports, the app re-runs" can be tested without a browser or Streamlit.
"""

from __future__ import annotations

from collections.abc import Mapping
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


def link_focus(report: Mapping[str, Any], focus: Focus | None) -> Focus | None:
    """Where a link should reopen the map: the view the map last reported (its bounds, or
    its centre and zoom), else where the app last sent it (such as a link's own view)."""
    reported = parse_view(report)
    if reported is not None:
        return view_focus(reported)
    center, zoom = report.get("center"), report.get("zoom")
    if isinstance(center, Mapping) and zoom is not None:
        try:
            lat, lng, level = float(center["lat"]), float(center["lng"]), float(zoom)
        except (KeyError, TypeError, ValueError):
            return focus
        if -90 <= lat <= 90 and -180 <= lng <= 180:
            return lat, lng, int(round(level))
    return focus


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
