"""Helpers for the browser tests: request bookkeeping, waiting for the map, picking a parcel.

The map is drawn by streamlit-folium inside an iframe, so everything about the map is read
from that frame, and everything Streamlit draws around it from the top page.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Frame, Page, ViewportSize, expect

DESKTOP: ViewportSize = {"width": 1366, "height": 900}
# The published site's page opener (conftest's ``open_page``): a URL, a viewport, touch.
OpenPage = Callable[..., tuple[Page, list[str]]]
PHONE: ViewportSize = {"width": 390, "height": 844}
MAP_TIMEOUT_S = 60.0
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost"})
LOCAL_SCHEMES = frozenset({"data", "blob", "about"})
# Parcels (and the zone and landmark dots) are SVG paths inside the component iframe.
PARCEL_SELECTOR = ".leaflet-container path.leaflet-interactive"
CITY_LOT_FILL = "#D55E00"
# Category fills of parcels (layers/style.py); the zone and landmark dots use other colours.
PARCEL_FILLS = ("#D55E00", "#0072B2", "#F0E442", "#BDBDBD")
TARGET_ATTR = "data-e2e-target"

# Marks a parcel path that a click on its centre would really hit: inside the map, clear of
# its controls, not under the zone or a label. Returns what it marked, or null.
_MARK_TARGET_JS = """
([fills, attr]) => {
  const box = document.querySelector('.leaflet-container').getBoundingClientRect();
  const margin = 70;
  for (const old of document.querySelectorAll(`[${attr}]`)) old.removeAttribute(attr);
  for (const fill of fills) {
    for (const p of document.querySelectorAll('path.leaflet-interactive')) {
      if ((p.getAttribute('fill') || '').toUpperCase() !== fill.toUpperCase()) continue;
      const r = p.getBoundingClientRect();
      if (r.width < 6 || r.height < 6) continue;
      const x = r.left + r.width / 2, y = r.top + r.height / 2;
      if (x < box.left + margin || x > box.right - margin) continue;
      if (y < box.top + margin || y > box.bottom - margin) continue;
      if (document.elementFromPoint(x, y) !== p) continue;
      p.setAttribute(attr, '1');
      return {fill: fill, x: x, y: y};
    }
  }
  return null;
}
"""


def is_local(url: str) -> bool:
    """Whether a request URL stays on this machine.

    Parameters
    ----------
    url : str
        Any URL the page requested (http, ws, data, ...).

    Returns
    -------
    bool
        True for ``data:``, ``blob:`` and ``about:`` URLs and for 127.0.0.1/localhost.
    """
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return True
    return parts.hostname in LOCAL_HOSTS


@dataclass(frozen=True)
class SeenRequest:
    """One request (or web socket) the page opened.

    Attributes
    ----------
    url : str
        What was requested.
    frame_url : str
        URL of the frame that made it ("" when unknown).
    main_frame : bool
        Whether that frame is the top-level page.
    """

    url: str
    frame_url: str
    main_frame: bool


@dataclass
class RequestLog:
    """Every request and web socket a page opened, in order."""

    seen: list[SeenRequest] = field(default_factory=list)

    @property
    def urls(self) -> list[str]:
        """The requested URLs."""
        return [s.url for s in self.seen]

    def external(self) -> list[str]:
        """Requested URLs that would leave the machine."""
        return [u for u in self.urls if not is_local(u)]


def page_errors(page: Page) -> str:
    """Text of any exception or error box Streamlit shows (for failure messages)."""
    try:
        boxes = page.locator('[data-testid="stException"], [data-testid="stAlertContentError"]')
        texts = boxes.all_inner_texts()
    except PlaywrightError:
        return ""
    unique = list(dict.fromkeys(t.strip()[:600] for t in texts))
    return "\n".join(t for t in unique if not any(t != u and t in u for u in unique))


def wait_until_idle(page: Page, timeout_ms: float = MAP_TIMEOUT_S * 1000) -> None:
    """Wait until Streamlit has finished the script run a widget or upload started.

    A rerun replaces the widgets it draws; a click or a key press that lands while one
    is under way can go to an element that is about to be replaced and be lost.
    """
    app = page.locator('[data-testid="stApp"]')
    expect(app).to_have_attribute("data-test-script-state", "notRunning", timeout=timeout_ms)


def wait_for_map(page: Page, timeout: float = MAP_TIMEOUT_S) -> Frame:
    """Wait until a frame holds a Leaflet map with parcels drawn, and return that frame.

    Polls ``page.frames`` (the map is in a streamlit-folium iframe, which Streamlit may
    replace on a rerun) until one frame has ``.leaflet-container`` with
    ``path.leaflet-interactive`` elements and their number is the same on two polls.

    Parameters
    ----------
    page : Page
        The app's page.
    timeout : float
        Seconds to wait.

    Returns
    -------
    Frame
        The map's frame.

    Raises
    ------
    AssertionError
        When no such frame appears in time (the message lists the frames and any error
        Streamlit shows).
    """
    deadline = time.monotonic() + timeout
    last: tuple[Frame | None, int] = (None, 0)
    while True:
        for frame in page.frames:
            try:
                count = frame.locator(PARCEL_SELECTOR).count()
            except PlaywrightError:  # detached during a rerun
                continue
            if count:
                if last == (frame, count):
                    return frame
                last = (frame, count)
                break
        if time.monotonic() > deadline:
            frames = "\n".join(f"  {f.url[:120]}" for f in page.frames)
            errors = page_errors(page)
            raise AssertionError(
                f"no Leaflet map with parcel paths within {timeout:.0f} s.\nFrames:\n{frames}"
                + (f"\nErrors shown on the page:\n{errors}" if errors else "")
            )
        page.wait_for_timeout(300)


def open_app(page: Page, base_url: str) -> Frame:
    """Load the app and wait for its map.

    Parameters
    ----------
    page : Page
    base_url : str
        From the ``app_url`` fixture.

    Returns
    -------
    Frame
        The map's frame.
    """
    page.goto(base_url + "/", wait_until="domcontentloaded")
    return wait_for_map(page)


def parcel_fills(frame: Frame) -> list[str]:
    """The ``fill`` attribute of every interactive path on the map, upper-cased."""
    fills = frame.eval_on_selector_all(
        PARCEL_SELECTOR, "els => els.map(e => (e.getAttribute('fill') || '').toUpperCase())"
    )
    return [str(f) for f in fills]


def show_whole_map(frame: Frame) -> None:
    """Scroll the map fully into view and give it focus.

    Leaflet focuses its container on the first mouse press; if the map is only partly on
    screen, that focus scrolls the page between press and release, and the click lands on
    another parcel. Doing it first keeps the click where it was aimed.
    """
    frame.frame_element().evaluate("e => e.scrollIntoView({block: 'center'})")
    frame.locator(".leaflet-container").focus()
    frame.page.wait_for_timeout(200)


def mark_click_target(frame: Frame, fills: tuple[str, ...] = PARCEL_FILLS) -> str | None:
    """Mark (with :data:`TARGET_ATTR`) a parcel a click on its centre would hit.

    Parameters
    ----------
    frame : Frame
        The map's frame.
    fills : tuple of str
        Fill colours to try, in order of preference.

    Returns
    -------
    str or None
        The fill of the marked parcel, or None when none is clickable.
    """
    found = frame.evaluate(_MARK_TARGET_JS, [list(fills), TARGET_ATTR])
    return None if found is None else str(found["fill"])


def full_page_screenshot(page: Page, path: Path) -> None:
    """Screenshot the whole app, not only the window.

    Streamlit scrolls inside ``stMain``, so ``full_page=True`` alone shows one window's
    height. The window is made as tall as the content for the shot, then put back.

    Parameters
    ----------
    page : Page
    path : pathlib.Path
        PNG file to write.
    """
    size = page.viewport_size or DESKTOP
    height = size["height"]
    for _ in range(4):
        needed = page.evaluate(
            """() => {
              const main = document.querySelector('[data-testid="stMain"]');
              return Math.ceil(Math.max(main ? main.scrollHeight : 0,
                                        document.documentElement.scrollHeight));
            }"""
        )
        if needed <= height:
            break
        height = int(needed)
        page.set_viewport_size({"width": size["width"], "height": height})
        page.wait_for_timeout(700)
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)
