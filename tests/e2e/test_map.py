"""Browser tests of the app: the map draws, a click and a search answer, nothing leaves.

Run with ``python -m pytest tests/e2e -q``. One Streamlit server serves the whole session;
each test opens its own page in headless Chromium (see ``conftest.py``).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from e2e_support import (
    CITY_LOT_FILL,
    DESKTOP,
    PARCEL_FILLS,
    PHONE,
    TARGET_ATTR,
    RequestLog,
    full_page_screenshot,
    mark_click_target,
    page_errors,
    parcel_fills,
    show_whole_map,
    wait_for_map,
)
from playwright.sync_api import Frame, Page, ViewportSize, expect

from geo.i18n import translator

pytestmark = pytest.mark.e2e

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
SEARCH_LABEL = "Find a parcel by APN or street address"
APN_RE = re.compile(r"APN\s+([0-9][0-9-]*)")
RERUN_TIMEOUT_MS = 30_000
# The notice's wording has changed over time; either phrasing flags the sample.
NOTICE_RE = re.compile(r"Illustrative sample|Sample data, not real records", re.IGNORECASE)


def click_a_parcel(frame: Frame) -> tuple[str, str]:
    """Click a city lot or garage if one is clickable, else any parcel; return fill, popup.

    Parameters
    ----------
    frame : Frame
        The map's frame, with the map already fully in view (:func:`show_whole_map`).

    Returns
    -------
    (str, str)
        The clicked parcel's fill colour and the text of the popup it opened.
    """
    fill = mark_click_target(frame, (CITY_LOT_FILL,)) or mark_click_target(frame)
    assert fill is not None, "no parcel on the map can be clicked at its centre"
    frame.locator(f"path[{TARGET_ATTR}]").click()
    popup = frame.locator(".leaflet-popup-content")
    expect(popup).to_be_visible(timeout=10_000)
    return fill, popup.inner_text()


def card_verdict(page: Page, heading: str) -> str:
    """The first line under an answer card's heading in the top page (its verdict)."""
    text = page.locator('[data-testid="stMain"]').inner_text()
    assert heading in text, f"no {heading!r} on the page"
    after = text[text.index(heading) :].splitlines()[1:]
    return next((line.strip() for line in after if line.strip()), "")


def search(page: Page, query: str) -> None:
    """Type a query into the search box and press Enter."""
    box = page.get_by_label(SEARCH_LABEL, exact=True)
    box.fill(query)
    box.press("Enter")


def test_notice_map_legend_and_labels(page: Page, app_page: Callable[[], Frame]) -> None:
    """The sample is flagged as illustrative; parcels, legend and labels are drawn."""
    frame = app_page()
    # one line on the first screen, which opens to the whole notice
    line = page.locator(".st-key-notices summary")
    expect(line).to_contain_text(translator("en")("notice.illustrative_short"))
    line.click()
    notice = page.locator('[data-testid="stAlertContentWarning"]').filter(has_text=NOTICE_RE)
    expect(notice.first).to_be_visible()

    fills = parcel_fills(frame)
    parcels = sum(1 for f in fills if f in PARCEL_FILLS)
    assert parcels > 1000, f"only {parcels} parcel paths drawn ({len(fills)} paths in all)"
    assert CITY_LOT_FILL in fills, "no parcel is drawn as a city lot or garage"

    legend = frame.locator(".cm-legend")
    expect(legend).to_be_visible()
    expect(legend).to_contain_text("City lot or garage")
    expect(frame.locator(".cm-landmark", has_text="Moss Federal Building").first).to_be_attached()
    streets = frame.locator(".cm-street").count()
    assert streets > 10, f"only {streets} street labels"


def test_click_parcel_shows_popup_and_answer_card(
    page: Page, app_page: Callable[[], Frame]
) -> None:
    """Clicking a parcel opens its popup, and the app's answer card names the same APN."""
    frame = app_page()
    show_whole_map(frame)
    fill, popup = click_a_parcel(frame)
    assert "APN" in popup and "Why:" in popup, f"popup lacks APN or Why: {popup!r}"
    apn = APN_RE.search(popup)
    assert apn, f"no APN number in the popup: {popup!r}"
    if fill == CITY_LOT_FILL:
        assert popup.startswith("Covered"), f"a city lot's popup: {popup[:80]!r}"

    # The click reruns the app (streamlit-folium reports it); the card is in the top page.
    card = page.get_by_role("heading", name=re.compile(rf"APN {re.escape(apn.group(1))}"))
    try:
        expect(card.first).to_be_visible(timeout=RERUN_TIMEOUT_MS)
    except AssertionError as exc:
        shown = page.get_by_role("heading").all_inner_texts()
        raise AssertionError(
            f"no answer card for APN {apn.group(1)} after the click. Headings: {shown}\n"
            f"Errors on the page: {page_errors(page) or '(none)'}"
        ) from exc
    if fill == CITY_LOT_FILL:
        verdict = card_verdict(page, f"APN {apn.group(1)}")
        assert verdict.startswith("Covered"), f"card verdict {verdict!r}"


def test_search_by_address(page: Page, app_page: Callable[[], Frame]) -> None:
    """Searching "1201 I St" shows that parcel's card with its verdict, Covered."""
    app_page()
    search(page, "1201 I St")
    heading = page.get_by_role("heading", name=re.compile(r"1201 I ST"))
    expect(heading.first).to_be_visible(timeout=RERUN_TIMEOUT_MS)
    expect(heading.first).to_contain_text("APN")
    verdict = card_verdict(page, "1201 I ST ·")
    assert verdict.startswith("Covered"), f"1201 I ST: verdict line is {verdict!r}"


def test_requests_from_the_map_iframe_are_recorded(
    app_page: Callable[[], Frame], request_log: RequestLog
) -> None:
    """The page's request log includes what the map iframe loads (so the check covers it)."""
    app_page()
    leaflet = [s for s in request_log.seen if s.url.endswith("/vendor/map.js")]
    assert leaflet, "map.js (Leaflet and its plugins) was not requested (or not recorded)"
    assert all(not s.main_frame for s in leaflet), "map.js was loaded by the top page"
    assert any(s.url.endswith("/_stcore/stream") for s in request_log.seen), "no web socket"


def test_no_request_leaves_the_machine(
    page: Page, app_page: Callable[[], Frame], request_log: RequestLog
) -> None:
    """Loading the page, clicking a parcel and searching touch only this machine."""
    frame = app_page()
    show_whole_map(frame)
    click_a_parcel(frame)
    page.wait_for_timeout(1500)  # the click's rerun (its card is test_click_parcel_...'s job)
    search(page, "1201 I St")
    expect(page.get_by_role("heading", name=re.compile("1201 I ST")).first).to_be_visible(
        timeout=RERUN_TIMEOUT_MS
    )
    wait_for_map(page)
    page.wait_for_timeout(500)
    assert len(request_log.seen) > 10, "suspiciously few requests recorded"
    external = request_log.external()
    assert external == [], "requests to other hosts:\n" + "\n".join(external)


def test_basemap_switch_is_seen_as_leaving(
    page: Page, app_page: Callable[[], Frame], request_log: RequestLog
) -> None:
    """Turning the third-party basemap on makes requests elsewhere, and the log sees them.

    This checks the check: the ``page`` fixture aborts those requests, so none leaves.
    """
    app_page()
    assert request_log.external() == []
    page.get_by_text("Street basemap (third party)", exact=True).click()
    deadline = time.monotonic() + RERUN_TIMEOUT_MS / 1000
    while not request_log.external() and time.monotonic() < deadline:
        page.wait_for_timeout(250)
    assert request_log.external(), "basemap on, yet no request to another host was recorded"


@pytest.mark.parametrize(
    ("name", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)], ids=["desktop", "phone"]
)
def test_screenshots(
    page: Page, app_page: Callable[[], Frame], name: str, viewport: ViewportSize
) -> None:
    """Full-page screenshots at desktop and phone size; the map and its legend fit."""
    page.set_viewport_size(viewport)
    frame = app_page()
    page.wait_for_timeout(500)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"page is {width}px wide in a {viewport['width']}px window"
    iframe = frame.frame_element().bounding_box()
    assert iframe and iframe["width"] <= viewport["width"], f"map iframe box {iframe}"
    legend = frame.locator(".cm-legend").bounding_box()
    container = frame.locator(".leaflet-container").bounding_box()
    assert legend and container, "legend or map container not laid out"
    assert container["x"] <= legend["x"] and (
        legend["x"] + legend["width"] <= container["x"] + container["width"]
    ), f"legend {legend} sticks out of the map {container}"
    path = SCREENSHOTS / f"{name}-{viewport['width']}x{viewport['height']}.png"
    full_page_screenshot(page, path)
    assert path.stat().st_size > 10_000, f"{path.name} is nearly empty"


@pytest.mark.parametrize(
    "viewport",
    [
        pytest.param(DESKTOP, id="desktop"),
        pytest.param(PHONE, id="phone"),
    ],
)
def test_legend_clear_of_data_notice(
    page: Page, app_page: Callable[[], Frame], viewport: ViewportSize
) -> None:
    """The legend and the data notice in the map's bottom corners do not cover each other."""
    page.set_viewport_size(viewport)
    frame = app_page()
    legend = frame.locator(".cm-legend").bounding_box()
    notice = frame.locator(".cm-source").bounding_box()
    assert legend and notice, "legend or data notice not laid out"
    across = min(legend["x"] + legend["width"], notice["x"] + notice["width"]) - max(
        legend["x"], notice["x"]
    )
    down = min(legend["y"] + legend["height"], notice["y"] + notice["height"]) - max(
        legend["y"], notice["y"]
    )
    assert across <= 0 or down <= 0, f"legend {legend} overlaps the data notice {notice}"


def test_first_click_on_partly_visible_map(page: Page, app_page: Callable[[], Frame]) -> None:
    """A first click on a parcel in the visible top of the map opens that parcel's popup."""
    frame = app_page()
    visible = 300  # px of the map left on screen, the rest below the fold
    frame.frame_element().evaluate(
        """(e, visible) => {
          const main = document.querySelector('[data-testid="stMain"]');
          const top = e.getBoundingClientRect().top;
          main.scrollBy(0, top - (window.innerHeight - visible));
        }""",
        visible,
    )
    page.wait_for_timeout(300)
    box = frame.frame_element().bounding_box()
    size = page.viewport_size
    if box is None or size is None or not 0 < size["height"] - box["y"] < box["height"]:
        pytest.skip(f"could not put the map partly below the fold (iframe box {box})")
    point = frame.evaluate(
        """([fills, limit]) => {
          for (const fill of fills) {
            for (const p of document.querySelectorAll('path.leaflet-interactive')) {
              if ((p.getAttribute('fill') || '').toUpperCase() !== fill) continue;
              const r = p.getBoundingClientRect();
              const x = r.left + r.width / 2, y = r.top + r.height / 2;
              if (r.width < 6 || r.height < 6 || x < 70 || y < 70 || y > limit - 30) continue;
              if (document.elementFromPoint(x, y) === p) return [x, y];
            }
          }
          return null;
        }""",
        [[CITY_LOT_FILL, *PARCEL_FILLS], size["height"] - box["y"]],
    )
    if point is None:
        pytest.skip("no parcel is clickable in the visible part of the map")
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])
    expect(frame.locator(".leaflet-popup-content")).to_be_visible(timeout=5_000)
