"""Browser test of drawing a zone: clicks draw, never select parcels; nothing swallows one.

A four-click polygon (one click on the data notice in the map's corner) becomes a
four-vertex polygon; no parcel popup opens and no answer card appears; the shape's size
and the parcels it touches show next to the map.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from e2e_support import full_page_screenshot, page_errors, show_whole_map
from playwright.sync_api import Frame, Page, expect

pytestmark = pytest.mark.e2e

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
DRAWN_VERTICES_JS = """() => {
  for (const name of Object.keys(window)) {
    if (!name.startsWith('drawnItems')) continue;
    const layers = window[name].getLayers();
    if (layers.length) return layers[layers.length - 1].getLatLngs()[0].length;
  }
  return 0;
}"""


def click_at(page: Page, x: float, y: float) -> None:
    """Move to a point, then click it (Leaflet.draw follows the pointer)."""
    page.mouse.move(x, y, steps=4)
    page.wait_for_timeout(120)
    page.mouse.click(x, y)
    page.wait_for_timeout(250)


def test_four_clicks_make_a_four_vertex_polygon_and_select_no_parcel(
    page: Page, app_page: Callable[[], Frame]
) -> None:
    frame = app_page()
    show_whole_map(frame)
    box = frame.locator(".leaflet-container").bounding_box()
    notice = frame.locator(".cm-source").bounding_box()
    assert box and notice, "map or data notice not laid out"
    frame.locator(".leaflet-draw-draw-polygon").click()
    expect(frame.locator(".leaflet-container.cm-drawing")).to_have_count(1)
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    corners = [
        (cx - 120, cy - 90),
        (cx + 120, cy - 90),
        (cx + 120, cy + 90),
        (notice["x"] + notice["width"] / 2, notice["y"] + notice["height"] / 2),
    ]
    for x, y in corners:
        click_at(page, x, y)
    markers = frame.locator(".leaflet-marker-icon.leaflet-div-icon").count()
    assert markers == 4, f"{markers} vertices after four clicks (the notice swallowed one?)"
    click_at(page, *corners[0])  # close the shape on its first vertex
    assert frame.evaluate(DRAWN_VERTICES_JS) == 4
    assert frame.locator(".leaflet-popup-content").count() == 0, "a parcel popup opened"
    summary = page.get_by_text(re.compile(r"Your drawn zone: .* m²"))
    try:
        expect(summary.first).to_be_visible(timeout=30_000)
    except AssertionError as exc:
        raise AssertionError(f"no drawn summary; errors: {page_errors(page) or '(none)'}") from exc
    expect(page.get_by_text("Parcels your shape touches").first).to_be_visible()
    cards = page.get_by_role("heading", name=re.compile(r"APN \d"))
    assert cards.count() == 0, f"a parcel was selected: {cards.all_inner_texts()}"
    full_page_screenshot(page, SCREENSHOTS / "drawn-polygon.png")
