"""Map figures for ``bench/run.py``: what the browser receives, and how the app behaves.

- ``map_payload_bytes``: the HTML of the app's county map (base map with its tiles layer and
  the colours of every parcel, no shapes), as the app builds it; and its ratio to
  ``GeoDataFrame.explore()``. ``paint_bytes``: the colours alone (what a setting resends).
- ``features_per_view_max``: the most parcels the server would send for a view when it
  cannot use tiles (the fallback), zooms 10-19.
- In Debian's Chromium (WebGL by SwiftShader), ``streamlit run`` serving the county:
  ``first_paint_s`` (page load until the tiles are drawn; ``first_paint_<step>_s``: when
  each step of it ended, see :data:`PAINT_STEPS`), ``view_bytes`` (tiles read for
  the county view, plus the colours), ``reruns_after_pan`` (messages the page sends the
  server while the map is dragged: 0 means the browser draws the new view alone),
  ``repaint_after_setting_s`` (the colours of a changed setting arrive -> drawn),
  ``setting_to_repaint_s`` (the click -> drawn, the server's rerun included) and
  ``app_peak_memory_mb`` (the server process's peak resident memory).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import _support
import numpy as np

from geo.analysis import Analysis
from geo.profile import load_profile
from geo.tiles import CITY_LAYER, OTHER_LAYER
from layers.compose import category_counts, data_view, map_content
from layers.map import MapFrame, assemble_map
from layers.parcel_tiles import TileLayer, TileSource, paint_codes
from layers.parcels import to_draw_frame
from layers.static_files import to_json
from layers.style import category_keys
from layers.view import DrawGeometry, select_view, view_bounds

REPO = _support.ROOT
CHROMIUM = _support.CHROMIUM
CHROMIUM_ARGS = [  # WebGL by SwiftShader, for the map's tiles
    "--headless",
    "--no-sandbox",
    "--use-gl=angle",
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
# The steps of a first paint the report shows, as each one ends (medians of the warm loads).
PAINT_STEPS = {
    "socket_open": "… Streamlit's page loaded, websocket open",
    "map_message": "… the script's message with the map arrived",
    "map_frame": "… Streamlit's frontend attached the map's frame",
    "libraries": "… Leaflet, MapLibre, PMTiles loaded in the frame",
}
Add = Callable[[str, float | None, str, float | None, str], None]


def county_map_html(analysis: Analysis) -> tuple[int, int]:
    """Bytes of the app's county map HTML (tiles layer and colours) and of the colours."""
    categories = category_keys(analysis.parcels).to_numpy()
    center, zoom = data_view(analysis.parcels)
    none = analysis.parcels.iloc[:0]
    frame = to_draw_frame(none, analysis.zone.landmark.landmark.name, full_cards=False)
    content = map_content(analysis, ("bench", "", False), frame, counts=category_counts(categories))
    content.paint = paint_codes(categories, content.counts)
    tiles = TileLayer(TileSource("/app/static/tiles/bench.pmtiles", CITY_LAYER, OTHER_LAYER))
    view = MapFrame.around(analysis, load_profile(), (center, zoom), tiles=tiles)
    html = assemble_map(content, view).whole().get_root().render()
    return len(html.encode("utf-8")), len(to_json(content.paint).encode("utf-8"))


def most_features_per_view(analysis: Analysis, seed: int, views: int = 200) -> int:
    """The most parcels sent for any of ``views`` random views at zooms 10 to 19."""
    draw = DrawGeometry.build(analysis.parcels)
    categories = category_keys(analysis.parcels).to_numpy()
    rng = np.random.default_rng(seed)
    valid = draw.geoms[np.asarray([g is not None for g in draw.geoms])]
    centers = [g.centroid for g in rng.choice(valid, size=min(views, len(valid)))]
    most = 0
    for point in centers:
        zoom = float(rng.integers(10, 20))
        chosen = select_view(draw, categories, view_bounds((point.y, point.x), zoom), zoom)
        most = max(most, len(chosen.positions))
    return most


def data_view_from_file(parquet: Path) -> tuple[tuple[float, float], int]:
    """The app's start view of a served file."""
    from geo.profile import load_profile
    from geo.sources import read_parcels

    return data_view(read_parcels(parquet, load_profile()))


def serve(
    parquet: Path, log: Path, script: Path = REPO / "app.py"
) -> tuple[subprocess.Popen[bytes], str]:
    """``streamlit run SCRIPT`` (the app unless told) serving ``parquet``, from the checkout
    (its ``.streamlit/config.toml``; its packages importable from a script elsewhere); the
    server and its URL once it answers."""
    port = _support.free_port()
    env = {**os.environ, "CIVICMAP_SOURCE": str(parquet), "PYTHONPATH": str(REPO)}
    command = [
        sys.executable, "-m", "streamlit", "run", str(script),
        "--server.port", str(port), "--server.address", "127.0.0.1",
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    server = subprocess.Popen(
        command, cwd=REPO, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as answer:
                if answer.read() == b"ok":
                    return server, url
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise RuntimeError(f"streamlit did not start; see {log}")


DRAWN_JS = "() => !!document.querySelector('.leaflet-container[data-cm-tiles=drawn]')"
STAMP_JS = "() => document.querySelector('.leaflet-container').dataset.cmPainted || ''"
PAINT_MS_JS = "() => document.querySelector('.leaflet-container').dataset.cmPaintMs"


def _drawn_frame(page: Any, start: float) -> tuple[Any, float]:
    """The map's frame once its tiles are drawn, and the seconds since ``start``."""
    deadline = start + 600
    while time.perf_counter() < deadline:
        for frame in page.frames:
            try:
                if frame is not page.main_frame and frame.evaluate(DRAWN_JS):
                    return frame, time.perf_counter() - start
            except Exception:  # a frame that went away while we looked
                continue
        page.wait_for_timeout(20)  # (lets Playwright take in new frames)
    raise RuntimeError("the map never drew its tiles")


TILE_BYTES_JS = """
() => performance.getEntriesByType('resource')
  .filter((e) => e.name.includes('.pmtiles'))
  .reduce((sum, e) => sum + e.encodedBodySize, 0)
"""


# The map script's own marks (ms since its frame's start) and that start, from the page's.
MARKS_JS = """
() => {
  const marks = document.querySelector('.leaflet-container').dataset;
  return [Number(marks.cmAtLibrary), performance.timeOrigin];
}
"""
BIG_MESSAGE = 50_000  # bytes: the script's message that carries the map


@dataclass(frozen=True)
class PaintSteps:
    """When each step of one page load ended, in seconds from the start of the load."""

    socket_open: float  # Streamlit's page has run and opened its websocket
    map_message: float  # the script's message with the map has arrived
    map_frame: float  # Streamlit's frontend has attached the map's frame
    libraries: float  # Leaflet, MapLibre and the PMTiles reader are loaded in the frame
    drawn: float  # the county view is drawn from the tiles


class _StepWatch:
    """The first time each page event happened, in seconds since ``start``."""

    def __init__(self, page: Any, start: float) -> None:
        self.start, self.seen = start, dict[str, float]()
        page.on("websocket", self._socket)
        page.on("frameattached", lambda frame: self._note("map_frame"))

    def _note(self, step: str) -> None:
        self.seen.setdefault(step, time.perf_counter() - self.start)

    def _socket(self, ws: Any) -> None:
        self._note("socket_open")
        ws.on("framereceived", self._message)

    def _message(self, payload: str | bytes) -> None:
        if len(payload) > BIG_MESSAGE:
            self._note("map_message")

    def steps(self, page: Any, frame: Any, drawn: float) -> PaintSteps:
        """The steps, the frame's own mark of its libraries placed on the page's clock."""
        library_ms, frame_origin = frame.evaluate(MARKS_JS)
        page_origin = float(page.evaluate("() => performance.timeOrigin"))
        libraries = (frame_origin - page_origin + library_ms) / 1000
        seen = self.seen
        return PaintSteps(
            seen.get("socket_open", float("nan")),
            seen.get("map_message", float("nan")),
            seen.get("map_frame", float("nan")),
            libraries,
            drawn,
        )


def open_drawn(browser: Any, url: str) -> tuple[Any, Any, PaintSteps, int]:
    """A page opened until its tiles are drawn: page, map frame, its steps, tile bytes read."""
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    start = time.perf_counter()
    watch = _StepWatch(page, start)
    page.goto(url)
    frame, seconds = _drawn_frame(page, start)
    return page, frame, watch.steps(page, frame, seconds), int(frame.evaluate(TILE_BYTES_JS))


def _settle(page: Any) -> None:
    app = page.locator('[data-testid="stApp"]')
    for _ in range(600):
        if app.get_attribute("data-test-script-state") == "notRunning":
            return
        page.wait_for_timeout(50)


def _pan_messages(page: Any) -> int:
    """Messages the page sends the server while the map is dragged, and a second after."""
    sent: list[int] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(1)))
    box = page.locator("iframe").first.bounding_box()
    page.mouse.move(box["x"] + 300, box["y"] + 320)
    page.mouse.down()
    page.mouse.move(box["x"] + 120, box["y"] + 220, steps=10)
    page.mouse.up()
    page.wait_for_timeout(1_000)
    return len(sent)


def _repaint(page: Any, frame: Any) -> tuple[float, float]:
    """(colours arrived -> drawn, as the page timed it; click -> drawn) for a new scope."""
    before = frame.evaluate(STAMP_JS)
    click = time.perf_counter()
    page.get_by_text("Only city lots and garages").click()
    while time.perf_counter() - click < 120:
        if frame.evaluate(STAMP_JS) not in ("", before):
            done = time.perf_counter()
            return float(frame.evaluate(PAINT_MS_JS)) / 1000, done - click
        page.wait_for_timeout(10)
    raise RuntimeError("the map never repainted")


def _click_to_card(page: Any, apn: str) -> float:
    """Seconds from a click on a parcel to its card: the parcel is found first (the map then
    centres on it), its card closed, and the middle of the map clicked."""
    box = page.locator('[data-testid="stTextInput"] input').first
    box.fill(apn)
    box.press("Enter")
    card = page.get_by_text(f"APN {apn}").first
    card.wait_for(state="visible", timeout=120_000)
    _settle(page)
    page.get_by_text("✕").first.click()
    card.wait_for(state="hidden", timeout=120_000)
    _settle(page)
    page.wait_for_timeout(1_500)  # the map has moved to the parcel and drawn it
    frame = page.locator("iframe").first.bounding_box()
    start = time.perf_counter()
    page.mouse.click(frame["x"] + frame["width"] / 2, frame["y"] + frame["height"] / 2)
    card.wait_for(state="visible", timeout=120_000)
    return time.perf_counter() - start


def median_steps(loads: list[PaintSteps]) -> PaintSteps:
    """Each step's median over several loads."""
    names = PaintSteps.__dataclass_fields__
    return PaintSteps(**{n: float(np.median([getattr(s, n) for s in loads])) for n in names})


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


@dataclass(frozen=True)
class BrowserFigures:
    """What Chromium measured of the app serving the county."""

    first_paint_cold_s: float
    first_paint_s: float
    steps: PaintSteps  # the median of each step of the warm loads
    tile_bytes: int
    pan_messages: int
    repaint_s: float
    setting_to_repaint_s: float
    click_to_card_s: float
    peak_memory_mb: float


def browser_figures(parquet: Path, workdir: Path, apn: str) -> BrowserFigures:
    """Open the app serving the county in Debian's Chromium, with WebGL, and time it."""
    from playwright.sync_api import sync_playwright

    server, url = serve(parquet, workdir / "streamlit.log")
    try:
        with sync_playwright() as play:
            browser = play.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page, _, cold, _ = open_drawn(browser, url)
            page.close()
            warm, tile_bytes = [], []
            for _ in range(3):
                page, frame, steps, read = open_drawn(browser, url)
                warm.append(steps)
                tile_bytes.append(read)
                page.close()
            page, frame, _, _ = open_drawn(browser, url)
            _settle(page)
            pans = _pan_messages(page)
            repaint, whole = _repaint(page, frame)
            page.close()
            page, _, _, _ = open_drawn(browser, url)
            _settle(page)
            card = _click_to_card(page, apn)
            browser.close()
        return BrowserFigures(
            cold.drawn,
            float(np.median([steps.drawn for steps in warm])),
            median_steps(warm),
            int(np.median(tile_bytes)),
            pans,
            repaint,
            whole,
            card,
            _peak_rss_mb(server.pid),
        )
    finally:
        server.terminate()
        server.wait(timeout=30)


def measure(analysis: Analysis, parquet: Path, explore_bytes: float, seed: int, add: Add) -> None:
    """Add every map figure to the report.

    Parameters
    ----------
    analysis : Analysis
    parquet : Path
        The ingested GeoParquet (served to the app).
    explore_bytes : float
        The ``explore()`` baseline.
    seed : int
    add : callable
        ``add(name, value, unit, target, detail)``.
    """
    size, paint = county_map_html(analysis)
    add("map_payload_bytes", size, "bytes", 2_000_000, "county map HTML: tiles layer, colours")
    add(
        "map_payload_vs_explore",
        size / explore_bytes if explore_bytes else None,
        "x",
        1 / 50,
        "county map ÷ explore() of all parcels (≤ 0.02 is ≥ 50× smaller)",
    )
    add("paint_bytes", paint, "bytes", None, "the colours of one setting (ids per category)")
    most = most_features_per_view(analysis, seed)
    add("features_per_view_max", most, "features", 5_000, "fallback without tiles, z10-19")
    covered = analysis.parcels.index[analysis.parcels["verdict"] == "covered"]
    apn = str(analysis.parcels.loc[covered[len(covered) // 2], "apn"])
    seen = browser_figures(parquet, parquet.parent, apn)
    add("first_paint_cold_s", seen.first_paint_cold_s, "s", None, "first load, caches empty")
    add("first_paint_s", seen.first_paint_s, "s", 2.5, "page load to tiles drawn, median of 3")
    for step, detail in PAINT_STEPS.items():
        add(f"first_paint_{step}_s", getattr(seen.steps, step), "s", None, detail)
    view = seen.tile_bytes + paint
    add("view_bytes", view, "bytes", 1_500_000, "county view: tiles read + colours")
    add("reruns_after_pan", seen.pan_messages, "messages", 0, "page -> server while dragging")
    add("repaint_after_setting_s", seen.repaint_s, "s", 0.5, "colours arrive -> drawn")
    add("setting_to_repaint_s", seen.setting_to_repaint_s, "s", 1.0, "click -> drawn, rerun too")
    add("click_to_card_s", seen.click_to_card_s, "s", 0.5, "a click on a parcel -> its card")
    add("app_peak_memory_mb", seen.peak_memory_mb, "MB", 3_000, "VmHWM of the streamlit process")
