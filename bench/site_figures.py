"""The published site at county scale, in a browser: what it costs to open, tap and switch.

Publishes a synthetic county (``--n`` parcels, ``bench/synth.py``; or ``--source FILE``)
with ``civicmap publish`` in a child process, serves the folder on loopback (``civicmap
serve``) and opens it in Debian's Chromium at 1280 × 800 (WebGL by
SwiftShader). One figure a line, as ``bench/run.py`` prints them:

- ``site_publish_s`` and ``site_publish_peak_memory_mb`` (the larger of the command's and
  tippecanoe's peak resident memory, from ``getrusage``); targets 120 s and 3 GB;
- ``site_largest_tile_kb``: the archive's largest stored tile at any zoom (≤ 500 KB);
- ``site_opening_view_wire_bytes``: everything the page reads until its opening view is
  drawn, as served (bodies and headers, the first visit: nothing cached); ≤ 1.0 MB;
- ``site_opening_view_drawn_s``: the last WebGL draw of the opening view, from navigation
  start, median of ``--loads`` warm loads (the browser's cache and the site's service worker
  warm); ≤ 1.5 s;
- ``site_tap_to_card_s``: a tap on a city parcel → its card on the page; ≤ 0.3 s;
- ``site_version_switch_s``: another policy version picked → the last draw of the repainted
  view, median of five switches; ≤ 0.2 s.

The page's draws are counted by wrapping WebGL's draw calls before any script runs; a view
is "drawn" when the map is idle and no draw came for a second.

Run ``python bench/site_figures.py [--n 500000] [--loads 5] [--site DIR] [--keep]``.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import _support
import crowd
import map_figures
import site_load

SCREEN = {"width": 1280, "height": 800}
SWITCHES = 5  # version switches timed (the median is given)
QUIET_MS = 1000  # no draw for this long after the map is idle: the view is drawn
OFFLINE_FILES = ("/sw.js", "/offline.json")  # kept for offline use after the view is drawn
# Counts WebGL draws (their last time, from navigation start) before the page's scripts run.
DRAWS_JS = """
(() => {
  window.__draws = {last: 0, count: 0};
  for (const proto of [WebGLRenderingContext.prototype, WebGL2RenderingContext.prototype]) {
    for (const name of ['drawElements', 'drawArrays', 'drawElementsInstanced',
      'drawArraysInstanced', 'drawRangeElements']) {
      const real = proto[name];
      if (!real) { continue; }
      proto[name] = function (...args) {
        window.__draws.last = performance.now();
        window.__draws.count += 1;
        return real.apply(this, args);
      };
    }
  }
})();
"""
# Resolves with the last draw's time once the map is idle and no draw came for QUIET_MS.
DRAWN_JS = """
(quiet) => new Promise((done) => {
  const look = () => {
    const map = window.cmMap;
    const idle = map && map.loaded() && map.areTilesLoaded() && !map.isMoving();
    if (idle && window.__draws.count && performance.now() - window.__draws.last > quiet) {
      done(window.__draws.last);
    } else {
      setTimeout(look, 50);
    }
  };
  look();
})
"""
# A point on screen of a city parcel drawn in the view, and its id.
CITY_POINT_JS = """
() => {
  const map = window.cmMap;
  const shown = map.getStyle().layers.filter((l) => l.id.startsWith('city-') &&
    (l.paint || {})[l.type + '-opacity'] === 1).map((l) => l.id);
  const found = map.queryRenderedFeatures({layers: shown})
    .find((f) => f.id !== undefined && f.geometry.type === 'Polygon');
  if (!found) { return null; }
  const ring = found.geometry.coordinates[0];
  const lon = ring.reduce((s, c) => s + c[0], 0) / ring.length;
  const lat = ring.reduce((s, c) => s + c[1], 0) / ring.length;
  const p = map.project([lon, lat]);
  const box = map.getContainer().getBoundingClientRect();
  return {x: box.left + p.x, y: box.top + p.y, row: found.id};
}
"""
# Times a tap (pointer down) -> the card of that parcel on the page (``window.__tapped``).
TAP_WATCH_JS = """
(row) => { window.__tapped = new Promise((done) => {
  let start = null;
  document.addEventListener('pointerdown', () => { start = performance.now(); },
    {capture: true, once: true});
  const card = document.getElementById('card');
  const seen = new MutationObserver(() => {
    if (start !== null && card.dataset.row === String(row) && !card.hidden) {
      seen.disconnect();
      done(performance.now() - start);
    }
  });
  seen.observe(card, {attributes: true, childList: true, subtree: true});
}); }
"""
SWITCH_START_JS = """
() => {
  window.__switched = null;
  document.getElementById('version').addEventListener('change',
    () => { window.__switched = performance.now(); }, {capture: true, once: true});
}
"""


def publish(source: Path, out: Path) -> tuple[float, float]:
    """``civicmap publish`` in a child process: its seconds and peak memory (MB)."""
    return _support.command_peak(["publish", str(source), "--out", str(out), "--quiet"])


def largest_tile(site: Path) -> int:
    """The largest stored tile of the site's archive, bytes."""
    from geo.tiles import largest_tiles

    return max(largest_tiles(site / site_load.TILES_NAME).values())


def drawn_at(page: Any) -> float:
    """Seconds from navigation start to the last draw of the view on screen."""
    return float(page.evaluate(DRAWN_JS, QUIET_MS)) / 1000


def wire_bytes(request: Any) -> int:
    """One response's headers and body as served (a module worker's script reports no body
    size to the browser's tools: its Content-Length stands in)."""
    sizes = request.sizes()
    body = sizes["responseBodySize"]
    answer = request.response()
    if not body and answer is not None:
        body = int(answer.headers.get("content-length", "0"))
    return int(body + sizes["responseHeadersSize"])


def opening_bytes(browser: Any, url: str) -> tuple[int, float]:
    """A first visit: the bytes read until the opening view is drawn, and when it was (the
    service worker's own files, fetched once the view is drawn, are not counted)."""
    context = browser.new_context(viewport=SCREEN)
    context.add_init_script(DRAWS_JS)
    finished: list[Any] = []
    page = context.new_page()
    page.on("requestfinished", lambda request: finished.append(request))
    page.goto(url)
    at = drawn_at(page)
    served = 0
    for request in list(finished):
        if request.url.endswith(OFFLINE_FILES):
            continue
        served += wire_bytes(request)
    context.close()
    return served, at


def warm_loads(browser: Any, url: str, loads: int) -> tuple[list[float], Any, Any]:
    """One visit to warm the caches (and keep the site offline), then ``loads`` loads, each
    timed to its opening view's last draw; the last page stays open for the taps."""
    context = browser.new_context(viewport=SCREEN)
    context.add_init_script(DRAWS_JS)
    first = context.new_page()
    first.goto(url)
    drawn_at(first)
    first.wait_for_selector("body[data-offline=ready]", timeout=120_000)
    first.close()
    seconds, page = [], None
    for i in range(loads):
        page = context.new_page()
        page.goto(url)
        seconds.append(drawn_at(page))
        if i < loads - 1:
            page.close()
    return seconds, context, page


def tap_to_card(page: Any) -> float:
    """A tap on a city parcel of the view → its card, seconds."""
    spot = page.evaluate(CITY_POINT_JS)
    if spot is None:
        return float("nan")
    page.evaluate(TAP_WATCH_JS, spot["row"])
    page.mouse.click(spot["x"], spot["y"])
    return float(page.evaluate("() => window.__tapped")) / 1000


def version_switch(page: Any, switches: int = SWITCHES) -> float:
    """Another version picked → the last draw of the repainted view, seconds (the median of
    ``switches``, going round the versions)."""
    page.keyboard.press("Escape")  # the card closed, as a reader would before comparing
    options = page.locator("#version option").evaluate_all("(o) => o.map((x) => x.value)")
    start = options.index(page.locator("#version").input_value())
    seconds = []
    for i in range(1, switches + 1):
        drawn_at(page)  # whatever was drawing has settled
        page.evaluate(SWITCH_START_JS)
        page.select_option("#version", options[(start + i) % len(options)])
        last = page.evaluate(DRAWN_JS, QUIET_MS)
        seconds.append((float(last) - float(page.evaluate("() => window.__switched"))) / 1000)
    return statistics.median(seconds)


def measure(site: Path, loads: int, work: Path) -> list[str]:
    """The browser's figures of a published folder."""
    from playwright.sync_api import sync_playwright

    port = _support.free_port()
    server = site_load.start_site_server(site, port, work / "site.log")
    url = f"http://{_support.LOOPBACK}:{port}/"
    lines = []
    try:
        site_load.wait_serving(port, server)
        with sync_playwright() as play:
            browser = play.chromium.launch(
                executable_path=map_figures.CHROMIUM, args=map_figures.CHROMIUM_ARGS
            )
            served, cold = opening_bytes(browser, url)
            detail = f"first visit, as served; drawn at {cold:.2f} s"
            lines.append(crowd.figure("site_opening_view_wire_bytes", served, "bytes", detail))
            seconds, context, page = warm_loads(browser, url, loads)
            detail = f"last WebGL draw from navigation start, median of {loads} warm loads"
            median = statistics.median(seconds)
            lines.append(crowd.figure("site_opening_view_drawn_s", median, "s", detail))
            tap = tap_to_card(page)
            lines.append(crowd.figure("site_tap_to_card_s", tap, "s", "tap -> its card shown"))
            switch = version_switch(page)
            detail = f"version picked -> last draw of the repainted view, median of {SWITCHES}"
            lines.append(crowd.figure("site_version_switch_s", switch, "s", detail))
            context.close()
            browser.close()
    finally:
        site_load.stop(server)
    return lines


def build_parser() -> argparse.ArgumentParser:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    _support.add_county_options(parser)
    parser.add_argument("--site", type=Path, help="a folder already published (nothing built)")
    parser.add_argument("--loads", type=int, default=5, help="warm loads of the page")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Publish the county (unless given a folder), open it, print the figures."""
    args = build_parser().parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=args.workdir, prefix="site-") as folder:
        work = Path(folder)
        site = args.site
        if site is None:
            site = work / "site"
            with _support.county(args) as source:
                seconds, memory = publish(source, site)
            print(crowd.figure("site_publish_s", seconds, "s", "target 120 s"), flush=True)
            detail = "the command and tippecanoe, target 3 GB"
            print(crowd.figure("site_publish_peak_memory_mb", memory, "MB", detail))
        kb = largest_tile(site) / 1000
        print(crowd.figure("site_largest_tile_kb", kb, "KB", "any zoom, target 500 KB"))
        for line in measure(site, args.loads, work):
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
