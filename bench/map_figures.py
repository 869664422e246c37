"""Map figures for ``bench/run.py``: what the browser receives, and how the app behaves.

- ``map_payload_bytes``: the HTML of the app's default view (base map and the parcels of
  that view), as the app builds it; and its ratio to ``GeoDataFrame.explore()``.
- ``features_per_view_max``: the most parcels sent for any of many random views, zooms 10-19.
- ``rerun_after_pan_s``: one rerun of the app (Streamlit ``AppTest``) after the map reports
  a pan at street zoom, with the county served by ``CIVICMAP_SOURCE``.
- ``first_paint_s`` / ``app_peak_memory_mb``: ``streamlit run`` serving the county, Debian's
  Chromium (Playwright) opening the page until the parcels are drawn; the server process's
  peak resident memory.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import numpy as np

from geo.analysis import Analysis
from geo.profile import load_profile
from layers.compose import data_view, map_content
from layers.map import MapFrame, assemble_map
from layers.parcels import to_draw_frame
from layers.style import category_keys
from layers.view import DrawGeometry, select_view, view_bounds

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
Add = Callable[[str, float | None, str, float | None, str], None]


def default_view_html(analysis: Analysis) -> tuple[int, int]:
    """Bytes of the default view's map HTML and the number of parcels in it."""
    draw = DrawGeometry.build(analysis.parcels)
    categories = category_keys(analysis.parcels).to_numpy()
    center, zoom = data_view(analysis.parcels)
    chosen = select_view(draw, categories, view_bounds(center, zoom), zoom)
    rows = analysis.parcels.iloc[chosen.positions]
    name = analysis.zone.landmark.landmark.name
    frame = to_draw_frame(rows, name, draw.geoms[chosen.positions], zoom, full_cards=False)
    content = map_content(analysis, ("bench", "", False), frame)
    view = MapFrame.around(analysis, load_profile(), (center, zoom))  # as the app frames it
    html = assemble_map(content, view).whole().get_root().render()
    return len(html.encode("utf-8")), len(chosen.positions)


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


def rerun_after_pan(parquet: Path) -> float:
    """Seconds of one app rerun after a pan at street zoom, the county served from a file."""
    from streamlit.testing.v1 import AppTest

    os.environ["CIVICMAP_SOURCE"] = str(parquet)
    try:
        at = AppTest.from_file(str(REPO / "app.py"), default_timeout=600)
        at.run()
        if at.exception:
            raise RuntimeError(f"the app failed: {at.exception[0].value}")
        (lat, lon), _ = data_view_from_file(parquet)
        times = []
        for step in range(3):
            d = 0.002 * (step + 1)
            at.session_state["map"] = {
                "bounds": {
                    "_southWest": {"lat": lat - 0.004 + d, "lng": lon - 0.008 + d},
                    "_northEast": {"lat": lat + 0.004 + d, "lng": lon + 0.008 + d},
                },
                "zoom": 17,
            }
            start = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - start)
        return float(np.median(times))
    finally:
        os.environ.pop("CIVICMAP_SOURCE", None)


def data_view_from_file(parquet: Path) -> tuple[tuple[float, float], int]:
    """The app's start view of a served file."""
    from geo.profile import load_profile
    from geo.sources import read_parcels

    return data_view(read_parcels(parquet, load_profile()))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _serve(parquet: Path, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    env = {**os.environ, "CIVICMAP_SOURCE": str(parquet)}
    command = [
        sys.executable, "-m", "streamlit", "run", str(REPO / "app.py"),
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


def _paint_seconds(browser: object, url: str) -> float:
    page = browser.new_page(viewport={"width": 1366, "height": 900})  # type: ignore[attr-defined]
    start = time.perf_counter()
    page.goto(url)
    deadline = start + 600
    while time.perf_counter() < deadline:
        for frame in page.frames:
            try:
                if frame.query_selector(".leaflet-container path.leaflet-interactive"):
                    seconds = time.perf_counter() - start
                    page.close()
                    return seconds
            except Exception:  # a frame that went away while we looked
                continue
        time.sleep(0.05)
    page.close()
    raise RuntimeError("the map never drew its parcels")


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def browser_figures(parquet: Path, workdir: Path) -> tuple[float, float, float]:
    """(first paint cold, first paint warm, app peak memory MB) in Debian's Chromium."""
    from playwright.sync_api import sync_playwright

    server, url = _serve(parquet, workdir / "streamlit.log")
    try:
        with sync_playwright() as play:
            browser = play.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            cold = _paint_seconds(browser, url)
            warm = float(np.median([_paint_seconds(browser, url) for _ in range(3)]))
            browser.close()
        return cold, warm, _peak_rss_mb(server.pid)
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
    size, shown = default_view_html(analysis)
    add("map_payload_bytes", size, "bytes", 2_000_000, f"default view HTML, {shown:,} parcels")
    add(
        "map_payload_vs_explore",
        size / explore_bytes if explore_bytes else None,
        "x",
        1 / 50,
        "default view ÷ explore() of all parcels (≤ 0.02 is ≥ 50× smaller)",
    )
    most = most_features_per_view(analysis, seed)
    add("features_per_view_max", most, "features", 5_000, "most sent for 200 random views, z10-19")
    add("rerun_after_pan_s", rerun_after_pan(parquet), "s", 1.0, "AppTest rerun, median of 3 pans")
    cold, warm, memory = browser_figures(parquet, parquet.parent)
    add("first_paint_cold_s", cold, "s", None, "first page load, server caches empty")
    add("first_paint_s", warm, "s", 3.0, "page load to parcels drawn, Chromium, median of 3")
    add("app_peak_memory_mb", memory, "MB", 3_000, "VmHWM of the streamlit process")
