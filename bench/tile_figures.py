"""Tile and offline-map figures for ``bench/run.py``.

- ``tile_build_ratio``: :func:`geo.tiles.ensure_tiles` with no cached archive (what
  ``civicmap ingest`` adds), over the bare pyogrio read.
- ``tile_build_peak_memory_mb``: ``civicmap tiles`` run as a child process: the larger of
  its own peak resident memory and tippecanoe's (from ``getrusage(RUSAGE_CHILDREN)``); for
  a small file (the smoke run), this process's peak or tippecanoe's, with no child.
- ``tile_reopen_ratio``: :func:`geo.tiles.ensure_tiles` when the archive is cached (the
  file's digest), over the bare read.
- ``offline_map_mb``: the offline map (``civicmap map``) of the whole county.
"""

from __future__ import annotations

import resource
import time
from collections.abc import Callable
from pathlib import Path

import _support

from geo.analysis import Analysis
from geo.profile import Profile
from geo.tiles import cached_tiles_path, city_mask, ensure_tiles
from geo.vendor import read_vendor_files
from layers.standalone import standalone_html

CHILD_FROM = 100_000  # parcels from which the peak is measured in a child process
Add = Callable[[str, float | None, str, float | None, str], None]


def tile_peak_memory_mb(parquet: Path, out: Path) -> float:
    """Peak resident memory (MB) of ``civicmap tiles`` in a child process."""
    return _support.command_peak(["tiles", str(parquet), "--out", str(out), "--quiet"])[1]


def measure(analysis: Analysis, profile: Profile, parquet: Path, bare_s: float, add: Add) -> None:
    """Add the tile and offline-map figures to the report.

    Parameters
    ----------
    analysis : Analysis
        The county analysed under the default policy (row order = the GeoParquet's).
    profile : Profile
    parquet : Path
        The ingested GeoParquet (written with ``--no-tiles``).
    bare_s : float
        The bare read's median seconds.
    add : callable
        ``add(name, value, unit, target, detail)``.
    """
    cached_tiles_path(parquet).unlink(missing_ok=True)
    start = time.perf_counter()
    archive = ensure_tiles(analysis.parcels, parquet)
    build = time.perf_counter() - start
    city = int(city_mask(analysis.parcels).sum())
    add(
        "tile_build_ratio",
        build / bare_s,
        "x",
        20.0,
        f"ensure_tiles() {build:.1f} s / bare read {bare_s:.2f} s; "
        f"{archive.stat().st_size / 1e6:.1f} MB, {city:,} parcels in the city layer",
    )
    start = time.perf_counter()
    ensure_tiles(analysis.parcels, parquet)
    reopen = time.perf_counter() - start
    add(
        "tile_reopen_ratio",
        reopen / bare_s,
        "x",
        0.1,
        f"ensure_tiles() with the archive cached {reopen:.3f} s (the file's digest)",
    )
    if len(analysis.parcels) >= CHILD_FROM:
        memory = tile_peak_memory_mb(parquet, parquet.with_name("bench.pmtiles"))
        how = "civicmap tiles in a child process: the larger of its own and tippecanoe's peak RSS"
    else:  # a small file: this process's peak (an upper bound) or tippecanoe's
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        memory = max(own, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
        how = "the larger of this process's and tippecanoe's peak RSS (small file)"
    add("tile_build_peak_memory_mb", memory, "MB", 3_000, how)
    source = ("county_synth.zip", "2026-11-25", True)
    start = time.perf_counter()
    html = standalone_html(analysis, profile, read_vendor_files(), source)
    seconds = time.perf_counter() - start
    add(
        "offline_map_mb",
        len(html.encode()) / 1e6,
        "MB",
        15.0,
        f"civicmap map of the county: every covered and needs-review parcel and all within "
        f"the walking distance, built in {seconds:.1f} s",
    )
