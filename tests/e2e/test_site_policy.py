"""The published site under ``civicmap serve``'s Content-Security-Policy, alone and embedded.

The page is loaded in Chromium with the policy the server sends (layers.site_rules); every
violation the page reports is recorded. The map must draw and a search must answer with
none, from its own origin and inside another origin's iframe (``frame-ancestors``), as a
newsroom embeds it.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from e2e_support import is_local
from playwright.sync_api import Browser, Frame, Page, expect

from geo.profile import load_profile
from layers.cli import main
from layers.site_server import start

pytestmark = pytest.mark.e2e
COVERED_APN = "006-0602-005-0000"
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(
  `${e.effectiveDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
"""


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Quiet."""


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("policy") / "site"
    src = str(load_profile().sample_path())
    assert main(["publish", src, "--out", str(folder), "--quiet"]) == 0
    server = start(folder)
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def newsroom_url(tmp_path: Path, site_url: str) -> Iterator[str]:
    """A page of another origin (``localhost``, no policy of its own) that frames the site."""
    (tmp_path / "story.html").write_text(
        f'<!doctype html><title>story</title><iframe src="{site_url}" width="1000" '
        'height="700" title="map"></iframe>',
        "utf-8",
    )
    handler = functools.partial(_QuietHandler, directory=str(tmp_path))
    server = ThreadingHTTPServer(("localhost", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://localhost:{server.server_address[1]}/story.html"
    server.shutdown()
    server.server_close()


@pytest.fixture
def page(webgl_browser: Browser) -> Iterator[Page]:
    context = webgl_browser.new_context(viewport={"width": 1200, "height": 800})
    context.route(lambda url: not is_local(url), lambda route: route.abort())
    context.add_init_script(RECORD_VIOLATIONS)
    opened = context.new_page()
    opened.set_default_timeout(30_000)
    yield opened
    context.close()


def searched(frame: Frame | Page) -> None:
    """Wait for the map, search the covered lot, and check its answer."""
    frame.wait_for_selector("body[data-ready=yes]")
    frame.fill("#search", COVERED_APN)
    frame.click("#search-go")
    expect(frame.locator("#card")).to_contain_text("a city lot or garage may not be a staging area")
    assert frame.locator("canvas.maplibregl-canvas").count() == 1


def test_the_site_draws_and_searches_with_no_violation_of_its_policy(
    page: Page, site_url: str
) -> None:
    answer = page.goto(site_url)
    assert answer is not None and "script-src 'self'" in answer.headers["content-security-policy"]
    searched(page)
    page.wait_for_timeout(500)
    assert page.evaluate("window.__violations") == []
    assert [w.url.startswith(site_url) for w in page.workers] == [True]  # not a blob: worker
    # the recording works: an image from another origin is refused and reported
    page.evaluate(
        "document.body.append(Object.assign(new Image(), {src: 'http://127.0.0.1:9/x.png'}))"
    )
    page.wait_for_function("window.__violations.length > 0")
    assert page.evaluate("window.__violations")[0].startswith("img-src http://127.0.0.1:9/x.png")


def test_another_origin_may_embed_the_site(page: Page, newsroom_url: str, site_url: str) -> None:
    page.goto(newsroom_url)
    page.wait_for_function("document.querySelector('iframe') !== null")
    frame = next(f for f in page.frames if f.url == site_url)
    searched(frame)
    assert frame.evaluate("window.__violations") == []
    page.screenshot(path=str(Path(__file__).parent / "screenshots" / "site-embedded.png"))
