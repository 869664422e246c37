"""How long ``civicmap changes`` takes on a county-sized pair, against the bare read of one.

Builds a synthetic county (``bench/synth.py``, ``--n`` parcels), ingests it (the first
fetch), and makes a second file from it as a month of edits would (``month_of_edits``:
owners sold, land uses changed, parcels retired and created, some split in two, shapes
redrawn), both canonical GeoParquet as ``civicmap fetch`` writes them. Then, in rounds,
times the bare read of one file (``geopandas.read_parquet``, every column) and the whole
``civicmap changes OLD NEW --format csv`` run (reading both, comparing, deciding the
verdicts, writing the CSV), and prints the medians and their ratio. THE DATA IS FICTIONAL.

One line per figure, as ``bench/run.py`` prints them::

    changes_ratio: 0.95 x (target: <= 1.5)  [ok]  # ...

Run ``python bench/changes_figures.py [--n 500000] [--workdir DIR] [--rounds 3] [--keep]``.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import shutil
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parent.parent)]
import synth  # noqa: E402  (bench/ is not a package)

from geo.cli import main as civicmap  # noqa: E402
from geo.ingest import classify_and_write, ingest  # noqa: E402
from geo.profile import Profile, load_profile  # noqa: E402
from geo.sources import read_parcels  # noqa: E402

DEFAULT_WORKDIR = Path(__file__).resolve().parent / "out"  # ignored by git
TARGET_RATIO = 1.5
# shares of the county a month of edits touches
SOLD, USE_CHANGED, RETIRED, CREATED, SPLIT, REDRAWN = 0.01, 0.005, 0.001, 0.001, 0.0005, 0.001


def month_of_edits(parcels: gpd.GeoDataFrame, seed: int = 2) -> gpd.GeoDataFrame:
    """The canonical parcels after a month of edits (a copy, same attrs)."""
    rng = np.random.default_rng(seed)
    n = len(parcels)
    out = parcels.copy()
    order = rng.permutation(n)
    cuts = np.cumsum([int(n * s) for s in (SOLD, USE_CHANGED, RETIRED, SPLIT, REDRAWN)])
    sold, use, retired, split, redrawn = np.split(order[: cuts[-1]], cuts[:-1])
    out.loc[out.index[sold], "owner"] = "NEW OWNER " + pd.Series(sold).astype(str).to_numpy()
    out.loc[out.index[use], "land_use"] = "C1"
    geoms = np.asarray(out.geometry.values, dtype=object)
    geoms[redrawn] = shapely.buffer(geoms[redrawn], 3.0, join_style="mitre")
    out = out.set_geometry(gpd.GeoSeries(geoms, index=out.index, crs=parcels.crs))
    halves = _halves(out.iloc[split])
    created = out.iloc[order[cuts[-1] : cuts[-1] + int(n * CREATED)]].copy()
    created["apn"] = [f"999-{i // 1000:04d}-{i % 1000:03d}-0000" for i in range(len(created))]
    created = created.set_geometry(created.geometry.translate(0, -200_000))
    kept = out.drop(index=out.index[np.concatenate([retired, split])])
    frame = pd.concat([kept, halves, created], ignore_index=True)
    result = gpd.GeoDataFrame(frame, geometry="geometry", crs=parcels.crs)
    result.attrs = dict(parcels.attrs)
    return result


def _halves(whole: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Each parcel cut in two along its bounding box's middle, under new numbers."""
    bounds = shapely.bounds(np.asarray(whole.geometry.values))
    mid = (bounds[:, 0] + bounds[:, 2]) / 2
    parts = []
    for side, (lo, hi) in enumerate(((bounds[:, 0], mid), (mid, bounds[:, 2]))):
        boxes = shapely.box(lo, bounds[:, 1], hi, bounds[:, 3])
        half = whole.copy()
        half["apn"] = [f"998-{i:07d}-{side}" for i in range(len(whole))]
        geoms = shapely.intersection(np.asarray(whole.geometry.values), boxes)
        parts.append(half.set_geometry(gpd.GeoSeries(geoms, index=whole.index, crs=whole.crs)))
    return pd.concat(parts, ignore_index=True)


def prepare_pair(n: int, seed: int, workdir: Path, profile: Profile) -> tuple[Path, Path]:
    """The two GeoParquet files (made once per size and seed, then reused)."""
    folder = workdir / f"changes-n{n}-seed{seed}"
    old, new = folder / "old.parquet", folder / "new.parquet"
    if old.exists() and new.exists():
        return old, new
    source = workdir / f"synth-n{n}-seed{seed}" / synth.ZIP_NAME
    if not source.exists():
        synth.generate(n, source.parent, seed)
    folder.mkdir(parents=True, exist_ok=True)
    ingest(source, profile, old)
    classify_and_write(month_of_edits(read_parcels(old, profile)), profile, new)
    return old, new


def timed(fn: Callable[[], object]) -> float:
    """Seconds one call takes."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def run_changes(old: Path, new: Path) -> str:
    """``civicmap changes OLD NEW --format csv``, its output kept in memory."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = civicmap(["changes", str(old), str(new), "--format", "csv"])
    if status != 0:
        raise RuntimeError(err.getvalue())
    return err.getvalue().strip()


def line(name: str, value: float, unit: str, detail: str, target: float | None = None) -> None:
    """One figure, as ``bench/run.py`` prints them."""
    text = f"{name}: {value:.3g} {unit}"
    if target is not None:
        text += f" (target: <= {target:g})  [{'ok' if value <= target else 'MISSED'}]"
    else:
        text += " (info)"
    print(f"{text}  # {detail}", flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Build the pair, time the bare read and ``changes`` in rounds, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=500_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR)
    parser.add_argument("--keep", action="store_true", help="keep the files for the next run")
    args = parser.parse_args(argv)
    profile = load_profile()
    start = time.perf_counter()
    old, new = prepare_pair(args.n, args.seed, args.workdir, profile)
    print(f"pair ready in {time.perf_counter() - start:.1f} s: {old} and {new}", flush=True)
    timed(lambda: gpd.read_parquet(old))  # warm-up: page cache and imports
    summary = run_changes(old, new)
    bare, changes = [], []
    for _ in range(max(1, args.rounds)):
        bare.append(timed(lambda: gpd.read_parquet(old)))
        changes.append(timed(lambda: run_changes(old, new)))
    bare_s, changes_s = statistics.median(bare), statistics.median(changes)
    rounds = f"medians of {len(bare)} rounds"
    line("changes_bare_read_s", bare_s, "s", f"geopandas.read_parquet of one file, {rounds}")
    line("changes_s", changes_s, "s", f"civicmap changes OLD NEW --format csv, {rounds}")
    detail = f"{args.n:,} against {args.n:,} parcels: {summary}"
    line("changes_ratio", changes_s / bare_s, "x", detail, TARGET_RATIO)
    if not args.keep:
        shutil.rmtree(old.parent, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
