"""Print the benchmark figures of the ``geo`` library on a synthetic county-scale file.

Run ``python bench/run.py [--n 500000] [--workdir DIR] [--seed 1] [--keep] [--full-batch]``.

The synthetic parcel file (``bench/synth.py``) is generated in ``DIR/synth-n<N>-seed<S>/``
(``DIR`` defaults to ``bench/out/``, which git ignores), or reused when an earlier ``--keep``
run left it there; the ingested GeoParquet goes to ``DIR/run-n<N>-seed<S>/``. Without
``--keep`` the files this run created are removed at the end. Every ratio is measured in the same
run as its baseline, the bare ``pyogrio.read_dataframe(..., use_arrow=True)`` of the same
zip, and the runs are interleaved (bare read, ingest, reopen, classify, then again), so that
on a noisy machine the ratio holds even when absolute times drift. Small timings are
repeated and the median is taken; big ones are run 1-3 times. The batch check is first
timed on 1,000 APNs; while 10,000 would take over 10 s it is extrapolated (and says so)
unless ``--full-batch`` is given.

One line per figure::

    figure_name: value unit (target: <= X)  [ok|MISSED]  # details

Lines without a target are informational. The last line is ``N figures, M within target``
(N counts the figures that have a target). The exit status is 0 even when a target is
missed (this is a report, not a test) and non-zero when a step fails.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gc
import importlib.util
import io
import math
import os
import platform
import resource
import shutil
import statistics
import sys
import time
import traceback
import types
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import _support  # noqa: E402
import geopandas as gpd
import map_figures  # noqa: E402  (beside this script)
import numpy as np
import pandas as pd
import pyogrio
import shapely
import synth  # noqa: E402  (bench/ is not a package)
import tile_figures  # noqa: E402  (beside this script)
from pyproj import Transformer

from geo import cli  # noqa: E402
from geo.analysis import Analysis, analyse, check_table  # noqa: E402
from geo.classify import classify  # noqa: E402
from geo.lookup import Match, ParcelIndex  # noqa: E402
from geo.profile import Profile, load_profile  # noqa: E402
from geo.schema import CANONICAL  # noqa: E402
from geo.sources import read_parcels  # noqa: E402

T = TypeVar("T")

DEFAULT_WORKDIR = _support.DEFAULT_WORKDIR
BIG = 100_000  # from this many parcels on, big steps run at most 3 times
LOOKUPS = 1_000
APN_MISSES = (
    "999-9999-999-9999",
    "9999999999",
    "99999999999999",
    "999 9999 998 0000",
    "9999999997",
)
ADDRESS_MISSES = ("1 NOWHERE ST", "99999 ALDER AVE", "650 CAPITOL MAL", "12 ELM STREET", "7 OAK CT")
BATCH = 10_000
PROBE = 1_000  # the batch check is first timed on this many APNs
EXTRAPOLATE_OVER_S = 10.0  # ...and extrapolated when the full batch would take longer
EXPLORE_LIMIT = 50_000


# --- figures ----------------------------------------------------------------------------------


@dataclass
class Figure:
    """One printed figure.

    Attributes
    ----------
    name : str
        Stable name (tests look for it).
    value : float or None
        None when not measured (a hook not filled in yet).
    unit : str
        ``x`` for a ratio, ``s``, ``ms``, ``bytes``, ``MB``.
    target : float or None
        Upper bound; None for an informational figure.
    detail : str
        What was measured, printed after ``#``.
    """

    name: str
    value: float | None
    unit: str
    target: float | None = None
    detail: str = ""

    @property
    def ok(self) -> bool | None:
        """Whether the value meets the target (None without a target or a value)."""
        if self.target is None or self.value is None:
            return None
        return self.value <= self.target

    def line(self) -> str:
        """The figure as one line of the report."""
        if self.value is None:
            text = f"{self.name}: not measured"
        else:
            text = f"{self.name}: {_number(self.value)} {self.unit}"
        if self.target is not None:
            text += f" (target: <= {_number(self.target)})  [{'ok' if self.ok else 'MISSED'}]"
        elif self.value is not None:
            text += " (info)"
        return f"{text}  # {self.detail}" if self.detail else text


def _number(value: float) -> str:
    if value == int(value) and abs(value) >= 1000:
        return f"{int(value)}"
    if abs(value) >= 100:
        return f"{value:.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    if abs(value) >= 0.1:
        return f"{value:.2f}"
    return f"{value:.3g}"


@dataclass
class Report:
    """The figures printed so far."""

    figures: list[Figure] = field(default_factory=list)

    def add(self, figure: Figure) -> Figure:
        """Record a figure and print its line at once."""
        self.figures.append(figure)
        print(figure.line(), flush=True)
        return figure

    def summary(self) -> str:
        """``N figures, M within target`` (N counts figures with a target and a value)."""
        judged = [f for f in self.figures if f.ok is not None]
        met = sum(1 for f in judged if f.ok)
        info = sum(1 for f in self.figures if f.target is None and f.value is not None)
        return f"{len(judged)} figures, {met} within target ({info} informational)"


# --- timing -----------------------------------------------------------------------------------


def repeat_median(fn: Callable[[], Any], most: int, budget_s: float) -> tuple[float, int]:
    """Median time of ``fn`` over at most ``most`` runs, stopping once ``budget_s`` is spent.

    Parameters
    ----------
    fn : callable
    most : int
        Largest number of runs (at least one run is made).
    budget_s : float
        Stop repeating once the runs so far took this long.

    Returns
    -------
    (float, int)
        Median seconds and the number of runs.
    """
    times: list[float] = []
    while len(times) < most and (not times or sum(times) < budget_s):
        seconds, _ = _support.timed(fn)
        times.append(seconds)
    return statistics.median(times), len(times)


def per_call_ms(fn: Callable[[Any], Any], args: Sequence[Any]) -> list[float]:
    """Time ``fn(arg)`` for each argument separately, in milliseconds.

    Parameters
    ----------
    fn : callable
    args : sequence

    Returns
    -------
    list of float
    """
    gc.collect()
    out = []
    clock = time.perf_counter_ns
    for arg in args:
        start = clock()
        fn(arg)
        out.append((clock() - start) / 1e6)
    return out


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports KiB)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 if sys.platform != "darwin" else peak / 1024**2


# --- the synthetic source -----------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """The synthetic parcel file of this run."""

    zip_path: Path
    gdal_path: str
    generated: bool  # made by this run (so removed at the end unless --keep)
    seconds: float


def prepare_source(workdir: Path, n: int, seed: int) -> Source:
    """Reuse ``workdir/synth-n<n>-seed<seed>/county_synth.zip`` or generate it.

    Parameters
    ----------
    workdir : Path
    n : int
    seed : int

    Returns
    -------
    Source
    """
    folder = workdir / f"synth-n{n}-seed{seed}"
    zip_path = folder / synth.ZIP_NAME
    if zip_path.exists():
        return Source(zip_path, synth.gdal_path(zip_path), False, 0.0)
    seconds, _ = _support.timed(lambda: synth.generate(n, folder, seed))
    return Source(zip_path, synth.gdal_path(zip_path), True, seconds)


def bare_read(source: Source) -> gpd.GeoDataFrame:
    """The baseline: GDAL's Arrow read of the zip with nothing else.

    Parameters
    ----------
    source : Source

    Returns
    -------
    geopandas.GeoDataFrame
    """
    return pyogrio.read_dataframe(source.gdal_path, use_arrow=True)


def run_ingest(source: Source, out: Path) -> None:
    """``civicmap ingest SRC --out OUT --quiet`` in this process (its summary is discarded).

    Raises
    ------
    RuntimeError
        When the command does not exit with status 0.
    """
    with contextlib.redirect_stdout(io.StringIO()):
        args = ["ingest", str(source.zip_path), "--out", str(out), "--quiet", "--no-tiles"]
        status = cli.main(args)  # the tiles are timed apart (bench/tile_figures.py)
    if status != 0:
        raise RuntimeError(f"civicmap ingest exited with status {status}")


# --- map figures: hooks for the lead ------------------------------------------------------------
#
# HOOKS TO FILL IN. Each returns a number, or None while it is not written yet (the report then
# says "not measured" and the figure is not counted). A hook that returns a number is judged
# against the target given in MAP_HOOKS below (None: informational).


def explore_baseline_bytes(
    parcels: gpd.GeoDataFrame, limit: int = EXPLORE_LIMIT, seed: int = 1
) -> tuple[float, bool]:
    """HTML size of ``GeoDataFrame.explore()``: the naive map the app must beat.

    Up to ``limit`` rows the whole frame is rendered; above it a random subset of ``limit``
    rows is rendered and the size scaled linearly to all rows (rendering the whole county
    would take minutes and gigabytes).

    Parameters
    ----------
    parcels : geopandas.GeoDataFrame
        The parcels as the map would show them.
    limit : int
        Largest number of rows rendered.
    seed : int
        Seed of the subset.

    Returns
    -------
    (float, bool)
        Bytes of the rendered page, and whether it was scaled from a subset.
    """
    with _explore_imports():
        if len(parcels) <= limit:
            return float(len(parcels.explore().get_root().render())), False
        rows = np.random.default_rng(seed).choice(len(parcels), size=limit, replace=False)
        subset = parcels.iloc[np.sort(rows)]
        size = len(subset.explore().get_root().render())
    return size * len(parcels) / limit, True


@contextlib.contextmanager
def _explore_imports() -> Iterator[None]:
    """Let ``explore()`` run without matplotlib and mapclassify installed.

    ``GeoDataFrame.explore()`` imports both before anything else, but without a ``column``
    to colour by it never uses them, and neither is a dependency of this project. While the
    context is open, a missing one is stood in for by an empty module (any use of it would
    fail loudly with an AttributeError); the real packages are used when installed.
    """
    stubs: dict[str, types.ModuleType] = {}
    if importlib.util.find_spec("matplotlib") is None:
        for name in ("matplotlib", "matplotlib.pyplot", "matplotlib.colors"):
            stubs[name] = types.ModuleType(name)
        stubs["matplotlib"].pyplot = stubs["matplotlib.pyplot"]  # type: ignore[attr-defined]
        stubs["matplotlib"].colors = stubs["matplotlib.colors"]  # type: ignore[attr-defined]
        stubs["matplotlib"].colormaps = types.ModuleType("colormaps")  # type: ignore[attr-defined]
    if importlib.util.find_spec("mapclassify") is None:
        stubs["mapclassify"] = types.ModuleType("mapclassify")
        stubs["mapclassify"].classify = None  # type: ignore[attr-defined]
    saved = {name: sys.modules.get(name) for name in stubs}
    sys.modules.update(stubs)
    try:
        yield
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module


# --- queries --------------------------------------------------------------------------------------


def apn_spellings(apns: Sequence[str]) -> list[str]:
    """The APNs in turn as dashed, digits only and 10 digits (book-page-parcel).

    Parameters
    ----------
    apns : sequence of str
        Dashed 14-digit APNs (``006-0102-001-0000``).

    Returns
    -------
    list of str
    """
    out = []
    for i, apn in enumerate(apns):
        digits = apn.replace("-", "")
        out.append((apn, digits, digits[:10])[i % 3])
    return out


def points_inside(geoms: np.ndarray, crs: Any) -> tuple[np.ndarray, np.ndarray]:
    """A point inside each geometry, as (lat, lon) in WGS 84.

    Parameters
    ----------
    geoms : numpy.ndarray of shapely geometries
    crs : pyproj CRS or str
        The geometries' CRS.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Latitudes and longitudes.
    """
    inner = shapely.point_on_surface(geoms)
    to_lonlat = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    lon, lat = to_lonlat.transform(shapely.get_x(inner), shapely.get_y(inner))
    return np.asarray(lat), np.asarray(lon)


# --- the run ------------------------------------------------------------------------------------


def measure(args: argparse.Namespace, report: Report) -> None:
    """Generate or reuse the source and print every figure.

    Parameters
    ----------
    args : argparse.Namespace
        ``n``, ``workdir``, ``seed``, ``keep``, ``full_batch``.
    report : Report
    """
    n, seed = args.n, args.seed
    big = n >= BIG
    rng = np.random.default_rng(seed)
    profile = load_profile()
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    source = prepare_source(workdir, n, seed)
    scratch = workdir / f"run-n{n}-seed{seed}"  # the ingested GeoParquet (kept with --keep)
    scratch.mkdir(exist_ok=True)
    made = f"generated in {source.seconds:.1f} s" if source.generated else "reused"
    print(
        f"# source: {source.zip_path} ({source.zip_path.stat().st_size / 1e6:.1f} MB, "
        f"{n:,} parcels, seed {seed}, {made})"
    )
    print(
        f"# python {platform.python_version()}, pandas {pd.__version__}, geopandas "
        f"{gpd.__version__}, shapely {shapely.__version__}, pyogrio {pyogrio.__version__}, "
        f"GDAL {pyogrio.__gdal_version_string__}, {os.cpu_count()} cores",
        flush=True,
    )
    try:
        parcels = measure_reading(source, scratch / "ingest.parquet", profile, big, report)
        seconds, analysis = _support.timed(lambda: analyse(parcels, profile))
        report.add(Figure("analyse_s", seconds, "s", detail="analyse(loaded parcels), 1 run"))
        seconds, index = _support.timed(lambda: ParcelIndex(analysis.parcels))
        report.add(
            Figure("index_build_s", seconds, "s", detail="ParcelIndex(analysis.parcels), 1 run")
        )
        measure_lookups(analysis, index, rng, report)
        measure_batch(analysis, index, rng, big, args.full_batch, report)
        measure_map(analysis, scratch / "ingest.parquet", seed, report)
        bare_s = next(f.value for f in report.figures if f.name == "bare_read_s")
        tile_figures.measure(
            analysis,
            profile,
            scratch / "ingest.parquet",
            float(bare_s or 0) or 1.0,
            lambda *figure: report.add(Figure(*figure)),
        )
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)
            if source.generated:
                shutil.rmtree(source.zip_path.parent, ignore_errors=True)


def measure_reading(
    source: Source, out: Path, profile: Profile, big: bool, report: Report
) -> gpd.GeoDataFrame:
    """Figures 1-3: ingest, reopen and classify, each against the bare read.

    The steps run in rounds (bare read, ingest, reopen, classify; 3 rounds for a big file,
    5 otherwise) after one warm-up read, and each figure is a ratio of medians.

    Parameters
    ----------
    source : Source
    out : Path
        The GeoParquet that ingest writes.
    profile : Profile
    big : bool
        Whether the file is big (fewer rounds).
    report : Report

    Returns
    -------
    geopandas.GeoDataFrame
        The canonical parcels as reopened from the ingested file (what the app loads).
    """
    policy = profile.policy_version()
    _support.timed(lambda: bare_read(source))  # warm-up: page cache, GDAL and import costs
    rounds = 3 if big else 5
    bare: list[float] = []
    ingest: list[float] = []
    reopen: list[float] = []
    klass: list[float] = []
    explained: list[float] = []
    parcels: gpd.GeoDataFrame | None = None
    for _ in range(rounds):
        bare.append(_support.timed(lambda: bare_read(source))[0])
        ingest.append(_support.timed(lambda: run_ingest(source, out))[0])
        seconds, opened = _support.timed(lambda: read_parcels(out, profile))
        reopen.append(seconds)
        loaded = opened[[*CANONICAL, "geometry"]]  # classify's input: the canonical columns
        loaded.attrs = dict(opened.attrs)
        del opened
        # what the app does on load: every verdict; reasons are written for the rows shown
        klass.append(_support.timed(functools.partial(classify, loaded, policy, reasons=False))[0])
        explained.append(_support.timed(functools.partial(classify, loaded, policy))[0])
        parcels = loaded
    assert parcels is not None
    base = statistics.median(bare)
    report.add(
        Figure(
            "bare_read_s",
            base,
            "s",
            detail=f"pyogrio.read_dataframe(/vsizip/..., use_arrow=True), median of {rounds}",
        )
    )
    for name, times, target, what in (
        ("ingest_ratio", ingest, 1.5, "civicmap ingest (in-process)"),
        ("reopen_ratio", reopen, 0.25, "read_parcels(ingested .parquet)"),
        ("classify_ratio", klass, 0.3, "classify(loaded parcels, default policy), verdicts"),
        ("classify_reasons_ratio", explained, None, "the same with every parcel's reasons"),
    ):
        value = statistics.median(times)
        report.add(
            Figure(
                name,
                value / base,
                "x",
                target,
                f"{what} {value:.2f} s / bare read {base:.2f} s, medians of {rounds}",
            )
        )
    return parcels


def measure_lookups(
    analysis: Analysis, index: ParcelIndex, rng: np.random.Generator, report: Report
) -> None:
    """Figure 4: median time of one APN look-up and of one point look-up.

    Parameters
    ----------
    analysis : Analysis
    index : ParcelIndex
        Built over ``analysis.parcels``.
    rng : numpy.random.Generator
    report : Report
    """
    table = analysis.parcels
    chosen = rng.choice(len(table), size=LOOKUPS, replace=len(table) < LOOKUPS)
    queries = apn_spellings(table["apn"].to_numpy()[chosen].tolist())
    found: list[Match] = []
    times = per_call_ms(lambda q: found.append(index.find(q)), queries)
    wrong = sum(int(p) not in m.positions for p, m in zip(chosen, found, strict=True))
    report.add(
        Figure(
            "apn_lookup_median_ms",
            statistics.median(times),
            "ms",
            1.0,
            f"index.find() of {LOOKUPS:,} APNs (dashed / digits / 10 digits), "
            f"p95 {np.percentile(times, 95):.3f} ms, {wrong} not matched",
        )
    )
    chosen = rng.choice(len(table), size=LOOKUPS, replace=len(table) < LOOKUPS)
    lat, lon = points_inside(table.geometry.values[chosen], table.crs)
    found.clear()
    times = per_call_ms(lambda i: found.append(index.at_point(lat[i], lon[i])), range(LOOKUPS))
    wrong = sum(int(p) not in m.positions for p, m in zip(chosen, found, strict=True))
    point_figure = Figure(
        "point_lookup_median_ms",
        statistics.median(times),
        "ms",
        1.0,
        f"index.at_point() of {LOOKUPS:,} points inside parcels (lat/lon), "
        f"p95 {np.percentile(times, 95):.3f} ms, {wrong} not matched",
    )
    report.add(point_figure)
    for name, misses, what in (
        ("apn_miss_lookup_ms", APN_MISSES, "APNs"),
        ("address_miss_lookup_ms", ADDRESS_MISSES, "addresses"),
    ):
        found.clear()
        times = per_call_ms(lambda q: found.append(index.find(q)), misses)
        hits = sum(m.found for m in found)
        report.add(
            Figure(
                name,
                statistics.median(times),
                "ms",
                detail=f"index.find() of {len(misses)} {what} in no parcel (a typo), median"
                + (f"; {hits} unexpectedly found" if hits else ""),
            )
        )


def measure_batch(
    analysis: Analysis,
    index: ParcelIndex,
    rng: np.random.Generator,
    big: bool,
    full_batch: bool,
    report: Report,
) -> None:
    """Figure 5: ``check_table`` of 10,000 APNs in mixed spellings.

    The first 1,000 are timed alone; when that projects past ``EXTRAPOLATE_OVER_S`` the
    figure is the projection (and says so) unless ``full_batch`` is set.

    Parameters
    ----------
    analysis : Analysis
    index : ParcelIndex
    rng : numpy.random.Generator
    big : bool
        Whether the file is big (fewer repeats).
    full_batch : bool
        Always time all 10,000.
    report : Report
    """
    table = analysis.parcels
    chosen = rng.choice(len(table), size=BATCH, replace=len(table) < BATCH)
    batch = apn_spellings(table["apn"].to_numpy()[chosen].tolist())
    first, checked = _support.timed(lambda: check_table(analysis, index, batch[:PROBE]))
    extrapolated = first * BATCH / PROBE > EXTRAPOLATE_OVER_S and not full_batch
    if extrapolated:
        seconds = first * BATCH / PROBE
        how = (
            f"EXTRAPOLATED x{BATCH // PROBE} from {PROBE:,} APNs ({first:.2f} s) as it would "
            f"take over {EXTRAPOLATE_OVER_S:g} s; --full-batch times all {BATCH:,}"
        )
    else:
        result: list[pd.DataFrame] = []
        seconds, runs_made = repeat_median(
            lambda: result.append(check_table(analysis, index, batch)), 3 if big else 5, 5.0
        )
        checked = result[-1]
        how = f"median of {runs_made}"
    missing = int((checked["verdict"] == "not found").sum())
    report.add(
        Figure(
            "batch_check_10k_s",
            seconds,
            "s",
            1.0,
            f"check_table() of {BATCH:,} APNs; {len(checked):,} rows ({missing} not found) "
            f"for the last {'probe' if extrapolated else 'run'}; {how}",
        )
    )


def measure_map(analysis: Analysis, parquet: Path, seed: int, report: Report) -> None:
    """Figure 6: the ``explore()`` baseline, then what the app sends and how it behaves.

    Parameters
    ----------
    analysis : Analysis
    parquet : Path
        The ingested GeoParquet, served to the app for the browser figures.
    seed : int
        Seed of the ``explore()`` subset and of the random views.
    report : Report
    """
    seconds, (size, scaled) = _support.timed(
        lambda: explore_baseline_bytes(analysis.parcels, seed=seed)
    )
    rows = len(analysis.parcels)
    how = f"scaled from a {EXPLORE_LIMIT:,}-row subset" if scaled else f"all {rows:,} rows"
    report.add(
        Figure(
            "explore_baseline_bytes",
            size,
            "bytes",
            detail=f"len(explore().get_root().render()) of the classified parcels, {how}, "
            f"{seconds:.1f} s",
        )
    )

    def add(name: str, value: float | None, unit: str, target: float | None, detail: str) -> None:
        report.add(Figure(name, value, unit, target, detail))

    map_figures.measure(analysis, parquet, size, seed, add)


def build_parser() -> argparse.ArgumentParser:
    """The command line of ``bench/run.py``.

    Returns
    -------
    argparse.ArgumentParser
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=500_000, help="parcels in the synthetic file")
    parser.add_argument(
        "--workdir",
        type=Path,
        default=DEFAULT_WORKDIR,
        help=f"where the synthetic file and scratch outputs go (default: {DEFAULT_WORKDIR})",
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic file")
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the files this run wrote (a later run then reuses the synthetic file)",
    )
    parser.add_argument(
        "--full-batch",
        action="store_true",
        help="time check_table() on all 10,000 APNs even when it is slow (no extrapolation)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print the report.

    Parameters
    ----------
    argv : sequence of str, optional

    Returns
    -------
    int
        0 when every step ran (targets missed or not), 1 when a step failed.
    """
    args = build_parser().parse_args(argv)
    if args.n < 1:
        print("error: --n must be at least 1", file=sys.stderr)
        return 2
    report = Report()
    start = time.perf_counter()
    try:
        measure(args, report)
    except Exception:
        traceback.print_exc()
        print("error: the benchmark stopped at a failing step", file=sys.stderr)
        return 1
    report.add(Figure("peak_rss_mb", peak_rss_mb(), "MB", detail="this benchmark process"))
    print(f"# total {math.ceil(time.perf_counter() - start)} s")
    print(report.summary())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
