"""Where a county's first map paint goes: the app, the same map alone, the static site.

One county (the synthetic one of ``--n`` parcels, or ``--source FILE``) is ingested, then
opened in Debian's Chromium (WebGL by SwiftShader) three ways, each loaded once cold and
``--loads`` times warm, a fresh browser context each time:

- ``app_paint_s``: the app (``streamlit run app.py``) until its tiles are drawn, and when
  each step of that ended (``app_<step>_s``, as ``bench/map_figures.py`` measures them);
- ``map_alone_paint_s``: the same map built by the same panel, alone in a Streamlit page
  (``bench/map_alone.py``): what the page around the map costs is the difference;
- ``site_paint_s``: the published static site of the same data, served by
  ``civicmap serve``, until its map has loaded and painted (no Python at view time).

Prints figure lines like ``bench/run.py``; no target: the first paint's target is in
``bench/run.py``. Needs ``make setup`` (Chromium, the vendored map libraries).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import _support
import crowd
import map_figures
import site_load

ROOT = _support.ROOT
SITE_READY_JS = "() => document.body.dataset.ready === 'yes'"


def ingest(source: Path, out: Path) -> None:
    """``civicmap ingest SOURCE --out OUT`` (with its tiles) in a child process."""
    command = [sys.executable, "-m", "geo", "ingest", str(source), "--out", str(out)]
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def app_loads(browser: Any, url: str, loads: int) -> list[map_figures.PaintSteps]:
    """One cold and ``loads`` warm loads of a Streamlit page with the map; the warm ones."""
    steps = []
    for _ in range(loads + 1):
        page, _, seen, _ = map_figures.open_drawn(browser, url)
        page.close()
        steps.append(seen)
    return steps[1:]


def site_loads(browser: Any, url: str, loads: int) -> list[float]:
    """Seconds from the start of a load of the site to its painted map, warm loads."""
    seconds = []
    for _ in range(loads + 1):
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        start = time.perf_counter()
        page.goto(url)
        page.wait_for_function(SITE_READY_JS, timeout=120_000, polling=20)
        seconds.append(time.perf_counter() - start)
        page.close()
    return seconds[1:]


def map_alone_script(folder: Path) -> Path:
    """``bench/map_alone.py`` beside a link to the app's ``static/`` (Streamlit serves the
    folder next to the script it runs)."""
    (folder / "static").symlink_to(ROOT / "static", target_is_directory=True)
    return Path(shutil.copy(ROOT / "bench" / "map_alone.py", folder / "map_alone.py"))


def measure(parquet: Path, work: Path, loads: int) -> list[str]:
    """Every figure line of the three ways of opening the county."""
    from playwright.sync_api import sync_playwright

    site = work / "site"
    site_load.publish(parquet, site)
    lines = []
    with sync_playwright() as play:
        browser = play.chromium.launch(
            executable_path=map_figures.CHROMIUM, args=map_figures.CHROMIUM_ARGS
        )
        server, url = map_figures.serve(parquet, work / "app.log")
        try:
            app = map_figures.median_steps(app_loads(browser, url, loads))
        finally:
            _support.stop_process(server, 30)
        lines.append(crowd.figure("app_paint_s", app.drawn, "s", "the app, page load -> drawn"))
        for step, detail in map_figures.PAINT_STEPS.items():
            lines.append(crowd.figure(f"app_{step}_s", getattr(app, step), "s", detail))
        server, url = map_figures.serve(parquet, work / "alone.log", map_alone_script(work))
        try:
            alone = map_figures.median_steps(app_loads(browser, url, loads))
        finally:
            _support.stop_process(server, 30)
        detail = "the same map alone in a Streamlit page"
        lines.append(crowd.figure("map_alone_paint_s", alone.drawn, "s", detail))
        port = _support.free_port()
        server_proc = site_load.start_site_server(site, port, work / "site.log")
        try:
            site_load.wait_serving(port, server_proc)
            seconds = site_loads(browser, f"http://{_support.LOOPBACK}:{port}/", loads)
        finally:
            site_load.stop(server_proc)
        browser.close()
    detail = "the published static site, load -> painted"
    lines.append(crowd.figure("site_paint_s", statistics.median(seconds), "s", detail))
    return lines


def build_parser() -> argparse.ArgumentParser:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    _support.add_county_options(parser)
    parser.add_argument("--loads", type=int, default=3, help="warm loads of each page")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Ingest the county, open it three ways, print the figures."""
    args = build_parser().parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    with (
        _support.county(args) as source,
        tempfile.TemporaryDirectory(dir=args.workdir, prefix="paint-") as folder,
    ):
        work = Path(folder)
        parquet = work / "county.parquet"
        ingest(source, parquet)
        for line in measure(parquet, work, args.loads):
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
