"""A copied link reopens the same view and parcel, opened in Chromium."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from e2e_support import CITY_LOT_FILL, TARGET_ATTR, mark_click_target, wait_for_map
from playwright.sync_api import Browser, Frame, Page, expect

from geo.i18n import translator

pytestmark = pytest.mark.e2e
T = translator("en")
TIMEOUT_MS = 45_000
SHOTS = Path(__file__).resolve().parent / "screenshots"
_CENTER_JS = (
    "() => { const c = window.map.getCenter(); return [c.lat, c.lng, window.map.getZoom()]; }"
)


def query_of(url: str) -> dict[str, str]:
    """A URL's query parameters, one value each."""
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def wait_for_url(page: Page, *keys: str) -> dict[str, str]:
    """Wait until the page's URL names every key; return its parameters."""
    pattern = "".join(f"(?=.*[?&]{k}=)" for k in keys)
    expect(page).to_have_url(re.compile(pattern), timeout=TIMEOUT_MS)
    return query_of(page.url)


def shared_link(page: Page) -> str:
    """The link in the Copy link box."""
    page.get_by_text(T("link.copy")).first.click()
    code = page.locator('[data-testid="stCode"] code').filter(has_text=re.compile(r"\?"))
    expect(code.first).to_be_visible(timeout=TIMEOUT_MS)
    return code.first.inner_text().strip()


def test_a_copied_link_reopens_the_same_view_and_parcel(
    page: Page, browser: Browser, app_url: str
) -> None:
    page.goto(f"{app_url}/?lat=38.5806&lon=-121.4915&zoom=17", wait_until="domcontentloaded")
    frame = wait_for_map(page)
    assert frame.evaluate(_CENTER_JS) == pytest.approx([38.5806, -121.4915, 17], abs=1e-3)
    assert mark_click_target(frame, (CITY_LOT_FILL,)) is not None, "no city lot to click"
    frame.locator(f"path[{TARGET_ATTR}]").click()
    params = wait_for_url(page, "apn", "lat", "lon", "zoom")  # the link's view is kept
    assert (params["lat"], params["lon"], params["zoom"]) == ("38.5806", "-121.4915", "17")
    heading = page.get_by_role("heading", name=re.compile(r"APN " + re.escape(params["apn"])))
    expect(heading.first).to_be_visible(timeout=TIMEOUT_MS)
    link = shared_link(page)
    assert query_of(link) == params
    other = browser.new_page(viewport={"width": 1366, "height": 900})
    try:
        other.goto(link, wait_until="domcontentloaded")
        reopened = wait_for_map(other)
        again = other.get_by_role("heading", name=re.compile(r"APN " + re.escape(params["apn"])))
        expect(again.first).to_be_visible(timeout=TIMEOUT_MS)
        after = reopened.evaluate(_CENTER_JS)
        assert after == pytest.approx([38.5806, -121.4915, 17], abs=1e-3)
        kept = query_of(other.url)  # not rewritten away (the search box now holds the APN)
        assert kept.get("apn", kept.get("q")) == params["apn"]
        assert (kept["lat"], kept["lon"], kept["zoom"]) == ("38.5806", "-121.4915", "17")
        SHOTS.mkdir(exist_ok=True)
        other.screenshot(path=str(SHOTS / "reopened_link.png"))
    finally:
        other.close()


def test_a_table_row_opens_its_parcel_on_the_map(page: Page, app_page: Callable[[], Frame]) -> None:
    app_page()
    page.get_by_role("tab", name=T("tab.table")).click()
    grid = page.locator('[data-testid="stDataFrame"]:visible').first
    expect(grid).to_be_visible(timeout=TIMEOUT_MS)
    grid.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    box = grid.bounding_box()
    assert box is not None
    # the first row's selection box, at the grid's left edge under its header
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)
    SHOTS.mkdir(exist_ok=True)
    page.wait_for_timeout(3000)
    page.screenshot(path=str(SHOTS / "table_row.png"))
    expect(page).to_have_url(re.compile(r"[?&]q="), timeout=TIMEOUT_MS)
    apn = query_of(page.url)["q"]
    heading = page.get_by_role("heading", name=re.compile(r"APN " + re.escape(apn)))
    expect(heading.first).to_be_visible(timeout=TIMEOUT_MS)
    selected = page.get_by_role("tab", name=T("tab.map"))
    expect(selected).to_have_attribute("aria-selected", "true")
