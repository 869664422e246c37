"""Fixtures for the browser tests: one Streamlit server, one headless Chromium, fresh pages.

The server runs ``app.py`` from the repository root on a free localhost port for the whole
session. Each test gets a new browser context and page whose every request (from the top
page and from the map's iframe) is recorded; a request to any other host is recorded and
then aborted, so even a failing test never reaches the network.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from app_server import CHROMIUM, LAUNCH_ARGS, WEBGL_ARGS, running_app
from e2e_support import DESKTOP, OpenPage, RequestLog, SeenRequest, is_local, open_app
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Frame,
    Page,
    Playwright,
    Request,
    WebSocket,
    sync_playwright,
)
from playwright.sync_api import Error as PlaywrightError

# Where the session's server writes its stdout and stderr (set by ``app_url``).
SERVER_LOG_KEY = pytest.StashKey[Path]()


@pytest.fixture(scope="session")
def app_url(tmp_path_factory: pytest.TempPathFactory, pytestconfig: pytest.Config) -> Iterator[str]:
    """The app on the bundled sample, for the whole session."""
    log_path = tmp_path_factory.mktemp("streamlit") / "streamlit.log"
    pytestconfig.stash[SERVER_LOG_KEY] = log_path
    with running_app(log_path) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def server_log(app_url: str, pytestconfig: pytest.Config) -> Path:
    """The file the session's Streamlit server writes its stdout and stderr to."""
    return pytestconfig.stash[SERVER_LOG_KEY]


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Playwright]:
    """The Playwright driver, started once."""
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def webgl_browser(playwright_driver: Playwright) -> Iterator[Browser]:
    """Chromium with software WebGL (SwiftShader), for the maps MapLibre draws."""
    browser = playwright_driver.chromium.launch(executable_path=CHROMIUM, args=WEBGL_ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def browser(playwright_driver: Playwright) -> Iterator[Browser]:
    """Debian's headless Chromium (Playwright's own browser download does not work here)."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (make browser)")
    chromium = playwright_driver.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
    yield chromium
    chromium.close()


@pytest.fixture
def request_log() -> RequestLog:
    """The requests of this test's page, filled in by the ``page`` fixture."""
    return RequestLog()


@pytest.fixture
def page(browser: Browser, request_log: RequestLog) -> Iterator[Page]:
    """A fresh desktop-sized page that records every request, the map iframe's included.

    Playwright reports requests made by child frames on the page's ``request`` event too
    (``test_requests_from_the_map_iframe_are_recorded`` checks that). Web sockets are not
    requests, so they are recorded from the ``websocket`` event. A request to any host but
    this one is recorded, then aborted.
    """
    context = browser.new_context(viewport=DESKTOP)
    yield _recording_page(context, request_log)
    context.close()


@pytest.fixture
def make_page(browser: Browser, request_log: RequestLog) -> Iterator[Callable[..., Page]]:
    """Call it with ``browser.new_context`` options for a page that records like ``page``.

    For what ``page`` cannot do, e.g. ``make_page(geolocation=..., permissions=[...])``.
    The viewport is the desktop one unless given; requests go to ``request_log``, and a
    request to another host is aborted. The contexts are closed after the test.
    """
    contexts: list[BrowserContext] = []

    def make(**options: Any) -> Page:
        context = browser.new_context(**{"viewport": DESKTOP, **options})
        contexts.append(context)
        return _recording_page(context, request_log)

    yield make
    for context in contexts:
        context.close()


def _recording_page(context: BrowserContext, request_log: RequestLog) -> Page:
    """A new page in ``context`` whose requests and web sockets go to ``request_log``."""
    context.route(lambda url: not is_local(url), lambda route: route.abort())
    new_page = context.new_page()

    def on_request(req: Request) -> None:
        try:
            frame = req.frame
            frame_url, main = frame.url, frame.parent_frame is None
        except PlaywrightError:  # a request with no frame, e.g. from a service worker
            frame_url, main = "", False
        request_log.seen.append(SeenRequest(req.url, frame_url, main))

    def on_websocket(ws: WebSocket) -> None:
        request_log.seen.append(SeenRequest(ws.url, new_page.main_frame.url, True))

    new_page.on("request", on_request)
    new_page.on("websocket", on_websocket)
    new_page.set_default_timeout(30_000)
    return new_page


@pytest.fixture
def app_page(page: Page, app_url: str) -> Callable[[], Frame]:
    """Call it to load the app on ``page``; it returns the map's frame once parcels show."""
    return lambda: open_app(page, app_url)


# --- the published static site ---------------------------------------------------------------


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The sample published (``civicmap publish``) and served on a free loopback port by the
    range server, and its folder."""
    from geo.profile import load_profile
    from layers.cli import main
    from layers.site_server import start

    folder = tmp_path_factory.mktemp("site") / "site"
    assert (
        main(["publish", str(load_profile().sample_path()), "--out", str(folder), "--quiet"]) == 0
    )
    server = start(folder)
    yield f"http://127.0.0.1:{server.server_address[1]}/", folder
    server.shutdown()
    server.server_close()


@pytest.fixture
def site_url(site: tuple[str, Path]) -> str:
    """The published site's address."""
    return site[0]


@pytest.fixture
def open_page(webgl_browser: Browser) -> Iterator[OpenPage]:
    """Call it with a URL (and a viewport, and whether it is a touch screen) for a page of
    its own context that records every request and aborts any to another host; it returns
    once the map has drawn."""
    contexts: list[BrowserContext] = []

    def open_it(url: str, viewport: Any = DESKTOP, touch: bool = False) -> tuple[Page, list[str]]:
        context = webgl_browser.new_context(viewport=viewport, has_touch=touch, is_mobile=touch)
        contexts.append(context)
        context.route(lambda u: not is_local(u), lambda route: route.abort())
        seen: list[str] = []
        page = context.new_page()
        page.on("request", lambda req: seen.append(req.url))
        page.set_default_timeout(30_000)
        page.goto(url)
        page.wait_for_selector("body[data-ready=yes]")
        page.wait_for_function("() => window.cmMap && window.cmMap.areTilesLoaded()")
        return page, seen

    yield open_it
    for context in contexts:
        context.close()
