"""Smoke run of the benchmark: ``bench/run.py --n 6000`` ends well and prints every figure.

Only that the steps run and the report has its shape; no timing is asserted (the figures
of a 6,000-parcel file say nothing about the county; it is just above the size from which
the app draws parcels from tiles, so the browser figures are those of the tiles map).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIGURES = (
    "bare_read_s",
    "ingest_ratio",
    "reopen_ratio",
    "classify_ratio",
    "analyse_s",
    "index_build_s",
    "apn_lookup_median_ms",
    "point_lookup_median_ms",
    "apn_miss_lookup_ms",
    "address_miss_lookup_ms",
    "batch_check_10k_s",
    "explore_baseline_bytes",
    "map_payload_bytes",
    "map_payload_vs_explore",
    "features_per_view_max",
    "paint_bytes",
    "first_paint_cold_s",
    "first_paint_s",
    "first_paint_socket_open_s",
    "first_paint_map_message_s",
    "first_paint_map_frame_s",
    "first_paint_libraries_s",
    "view_bytes",
    "reruns_after_pan",
    "repaint_after_setting_s",
    "setting_to_repaint_s",
    "click_to_card_s",
    "app_peak_memory_mb",
    "tile_build_ratio",
    "tile_reopen_ratio",
    "tile_build_peak_memory_mb",
    "offline_map_mb",
    "peak_rss_mb",
)
NUMBER = r"[0-9]+(?:\.[0-9]+)?(?:e[-+]?[0-9]+)?"


def run_bench(args: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
    """A bench script run as ``make bench`` runs it, its output captured."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        # the checkout's own packages first, whatever copy the environment has installed
        env={
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        },
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_bench_run_small(tmp_path: Path) -> None:
    """The benchmark on 6,000 synthetic parcels exits 0 and prints each figure with a number."""
    done = run_bench(["bench/run.py", "--n", "6000", "--workdir", str(tmp_path)], 180)
    assert done.returncode == 0, done.stdout + done.stderr
    for name in FIGURES:
        line = re.search(rf"^{name}: ({NUMBER}) \S+", done.stdout, re.MULTILINE)
        assert line, f"{name} missing from:\n{done.stdout}"
    assert re.search(r"^\d+ figures, \d+ within target", done.stdout, re.MULTILINE)
    assert list(tmp_path.iterdir()) == []  # without --keep the run leaves nothing behind


PAINT_FIGURES = (
    "app_paint_s",
    "app_socket_open_s",
    "app_map_message_s",
    "app_map_frame_s",
    "app_libraries_s",
    "map_alone_paint_s",
    "site_paint_s",
)


def test_paint_floor_small(tmp_path: Path) -> None:
    """``bench/paint_floor.py`` on 6,000 parcels opens the app, the map alone and the static
    site in Chromium and prints each figure; it leaves nothing behind."""
    script = ["bench/paint_floor.py", "--n", "6000", "--loads", "1"]
    done = run_bench([*script, "--workdir", str(tmp_path)], 300)
    assert done.returncode == 0, done.stdout + done.stderr
    for name in PAINT_FIGURES:
        line = re.search(rf"^{name}: ({NUMBER}) s", done.stdout, re.MULTILINE)
        assert line, f"{name} missing from:\n{done.stdout}"
    assert list(tmp_path.iterdir()) == []
