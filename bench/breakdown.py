"""Where the time goes: ingest, classify, analyse, the index and the batch check, by stage.

Run ``python bench/breakdown.py [--n 500000] [--workdir DIR] [--seed 1] [--queries 1000]``
after ``bench/run.py --keep`` (it reuses the same synthetic file, or generates it).

The stages are timed by wrapping the functions the library calls (``geo.reading.read_batches``,
``geo.classify._reasons``, ...) for the length of one call, so the library runs its own
code unchanged. Only coarse functions are wrapped (never one called per row), so the wrappers
cost nothing measurable; what no wrapped function covers is printed as "rest". This is a
diagnostic: when ``geo`` renames a private function, its line says "(not found)".
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import io
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import _support  # noqa: E402
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import run  # noqa: E402  (bench/ is not a package)
import shapely
from pandas.core.indexing import _iLocIndexer

import geo.analysis  # noqa: E402
import geo.classify  # noqa: E402
import geo.cli.ingest  # noqa: E402
import geo.ingest  # noqa: E402
import geo.lookup  # noqa: E402
import geo.reading  # noqa: E402
import geo.schema  # noqa: E402
import geo.sources  # noqa: E402
from geo.lookup import ParcelIndex  # noqa: E402
from geo.profile import load_profile  # noqa: E402
from geo.schema import CANONICAL  # noqa: E402
from geo.sources import read_parcels  # noqa: E402

# (label, module or class, attribute); a label "a > b" is stage b inside stage a.
INGEST = (
    ("read_parcels", geo.ingest, "read_parcels"),
    ("read_parcels > locate_layer (zip checks, inflate)", geo.reading, "locate_layer"),
    ("read_parcels > read_info", geo.reading.pyogrio, "read_info"),
    (
        "read_parcels > read_batches (GDAL Arrow, WKB decoded alongside)",
        geo.reading,
        "read_batches",
    ),
    ("read_parcels > read_batches > _decode (second thread, overlaps)", geo.reading, "_decode"),
    ("read_parcels > check_crs", geo.sources, "check_crs"),
    ("read_parcels > check_geometry_types", geo.sources, "check_geometry_types"),
    ("read_parcels > to_canonical (map fields)", geo.sources, "to_canonical"),
    ("read_parcels > to_canonical > text_column", geo.schema, "text_column"),
    ("read_parcels > _report", geo.sources, "_report"),
    ("classify", geo.classify, "classify"),
    ("write_geoparquet", geo.ingest, "write_geoparquet"),
    ("write_geoparquet > pq.write_table", pq, "write_table"),
    ("summary", geo.cli.ingest, "summary"),
)
CLASSIFY = (
    ("_owner_codes", geo.classify, "_owner_codes"),
    ("_owner_codes > normalize_owner_array", geo.classify, "normalize_owner_array"),
    ("_owner_codes > _classify_distinct", geo.classify, "_classify_distinct"),
    ("_listed (city APN list)", geo.classify, "_listed"),
    ("_site_kind_table", geo.classify, "_site_kind_table"),
    ("_clause_codes (np.select)", geo.classify, "_clause_codes"),
    ("_reasons (one text per combination, joined in Arrow)", geo.classify, "_reasons"),
)
ANALYSE = (
    ("locate_landmarks", geo.analysis, "locate_landmarks"),
    ("locate_landmarks > locate_landmark", geo.analysis, "locate_landmark"),
    ("free_speech_zone", geo.analysis, "free_speech_zone"),
    ("classify", geo.analysis, "classify"),
    ("in_zone", geo.analysis, "in_zone"),
    ("distance_m", geo.analysis, "distance_m"),
)
INDEX = (
    ("normalize_apn_series", geo.lookup, "normalize_apn_series"),
    ("normalize_address_series", geo.lookup, "normalize_address_series"),
    ("_KeyTable (key to positions)", geo.lookup, "_KeyTable"),
    ("shapely.STRtree", shapely, "STRtree"),
    ("Transformer.from_crs", geo.lookup.index.Transformer, "from_crs"),
)
CHECK = (
    ("index.find", ParcelIndex, "find"),
    ("DataFrame.iloc[...] (a take of every column)", _iLocIndexer, "__getitem__"),
    ("DataFrame.assign (a copy)", pd.DataFrame, "assign"),
    ("_check_frame (one small frame per query)", geo.analysis, "_check_frame"),
    ("pd.concat", geo.analysis.pd, "concat"),
)


@dataclass
class Stages:
    """Total seconds and calls per stage label."""

    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    calls: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    missing: list[str] = field(default_factory=list)

    @contextlib.contextmanager
    def watch(self, targets: Sequence[tuple[str, Any, str]]) -> Iterator[None]:
        """Wrap each target with a timer while the context is open.

        Parameters
        ----------
        targets : sequence of (label, owner, attribute)
        """
        saved = []
        for label, owner, name in targets:
            original = getattr(owner, name, None)
            if original is None:
                self.missing.append(label)
                continue
            saved.append((owner, name, original))
            setattr(owner, name, self._timer(label, original))
        try:
            yield
        finally:
            for owner, name, original in reversed(saved):
                setattr(owner, name, original)

    def _timer(self, label: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds[label] += time.perf_counter() - start
                self.calls[label] += 1

        return timed

    def print(self, title: str, total: float, order: Sequence[tuple[str, Any, str]]) -> None:
        """Print the stages as a tree with their share of the total.

        Parameters
        ----------
        title : str
        total : float
            Seconds of the whole step.
        order : sequence of (label, owner, attribute)
            The stages, in the order to print them.
        """
        print(f"{title}: {total:.2f} s")
        tops = 0.0
        for label, _, _ in order:
            depth = label.count(" > ")
            name = label.split(" > ")[-1]
            if label in self.missing:
                print(f"  {'  ' * depth}{name}: (not found)")
                continue
            seconds, calls = self.seconds.get(label, 0.0), self.calls.get(label, 0)
            tops += seconds if depth == 0 else 0.0
            times = f" ({calls} calls)" if calls > 1 else ""
            share = 100 * seconds / max(total, 1e-9)
            print(f"  {'  ' * depth}{name}: {seconds:.2f} s, {share:.0f} %{times}")
        print(f"  (rest: {total - tops:.2f} s, {100 * (total - tops) / max(total, 1e-9):.0f} %)")


def main(argv: Sequence[str] | None = None) -> int:
    """Print the stage breakdowns.

    Parameters
    ----------
    argv : sequence of str, optional

    Returns
    -------
    int
        Exit status.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=500_000)
    parser.add_argument("--workdir", type=Path, default=run.DEFAULT_WORKDIR)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--queries", type=int, default=1_000, help="APNs for check_table")
    args = parser.parse_args(argv)
    profile = load_profile()
    source = run.prepare_source(args.workdir, args.n, args.seed)
    out = args.workdir / "breakdown.parquet"
    print(f"# source: {source.zip_path} ({args.n:,} parcels)")
    run.bare_read(source)  # warm-up
    seconds, _ = _support.timed(lambda: run.bare_read(source))
    print(f"bare read (baseline): {seconds:.2f} s")

    stages = Stages()
    with stages.watch(INGEST + CLASSIFY):
        seconds, _ = _support.timed(lambda: run.run_ingest(source, out))
    stages.print("civicmap ingest", seconds, INGEST)
    classify_total = stages.seconds.get("classify", 0.0)
    stages.print("  classify inside ingest (columns read from the zip)", classify_total, CLASSIFY)

    seconds, opened = _support.timed(lambda: read_parcels(out, profile))
    print(f"reopen read_parcels(.parquet): {seconds:.2f} s")
    parcels = opened[[*CANONICAL, "geometry"]]
    parcels.attrs = dict(opened.attrs)
    del opened
    stages = Stages()
    policy = profile.policy_version()
    with stages.watch(CLASSIFY):
        seconds, _ = _support.timed(lambda: geo.classify.classify(parcels, policy))
    stages.print("classify (parcels reopened from GeoParquet)", seconds, CLASSIFY)
    owners = parcels["owner"]
    print(
        f"  owners: {owners.nunique():,} distinct names in {len(owners):,} rows; "
        f"land uses: {parcels['land_use'].nunique()} codes"
    )

    stages = Stages()
    with stages.watch(ANALYSE):
        seconds, analysis = _support.timed(lambda: geo.analysis.analyse(parcels, profile))
    stages.print("analyse", seconds, ANALYSE)

    stages = Stages()
    with stages.watch(INDEX):
        seconds, index = _support.timed(lambda: ParcelIndex(analysis.parcels))
    stages.print("ParcelIndex build", seconds, INDEX)

    rng = np.random.default_rng(args.seed)
    chosen = rng.choice(len(parcels), size=args.queries, replace=len(parcels) < args.queries)
    queries = run.apn_spellings(parcels["apn"].to_numpy()[chosen].tolist())
    stages = Stages()
    with stages.watch(CHECK), contextlib.redirect_stderr(io.StringIO()):
        seconds, _ = _support.timed(lambda: geo.analysis.check_table(analysis, index, queries))
    stages.print(f"check_table of {args.queries:,} APNs", seconds, CHECK)
    per = 1000 * seconds / args.queries
    print(f"  = {per:.2f} ms per APN, so 10,000 APNs take about {per * 10:.0f} s")
    out.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
