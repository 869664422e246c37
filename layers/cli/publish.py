"""``civicmap publish``: the map as a static site (no Python runs to view it).

With ``--history DIR`` (the folder ``civicmap fetch --history`` keeps) the site also lists
what changed between the folder's two newest snapshots, and SRC may be left out: the newest
snapshot is published.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from geo.atomic import check_writable
from geo.cli.command import Command
from geo.cli.options import add_source_options
from geo.cli.source import analyse_source, cited, quiet_or_bar
from geo.errors import InputError
from geo.history import snapshots
from geo.provenance import source_of
from layers.publish import publish_site


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """SRC, the terms, ``--out DIR`` and ``--history DIR``."""
    add_source_options(
        parser, src_help="parcel file (zip shapefile, gpkg, ...); with --history, by default "
        "its newest snapshot",
    )  # fmt: skip
    parser.add_argument("--out", required=True, metavar="DIR")
    parser.add_argument(
        "--history",
        metavar="DIR",
        help="a folder of `civicmap fetch --history`: list what changed between its two "
        "newest snapshots (SRC should be the newest)",
    )


def source_file(args: argparse.Namespace) -> str:
    """SRC as given, or the newest snapshot of ``--history``."""
    if args.src:
        return str(args.src)
    if not args.history:
        raise InputError("give SRC (a parcel file), or --history DIR to publish its newest fetch")
    found = snapshots(args.history)
    if not found:
        raise InputError(f"--history {args.history}: no snapshot there (civicmap fetch --history)")
    return str(found[-1])


def run(args: argparse.Namespace) -> int:
    """Write index.html, the tiles and the data, for any static host."""
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out.name}: give a folder for the site")
    args.src = source_file(args)
    check_writable(out / "index.html" if out.is_dir() else out)  # before the long read
    profile, analysis = analyse_source(args)
    stamp = cited(args, profile, analysis)
    source = source_of(profile, args.src, analysis.parcels.attrs)
    index = publish_site(
        analysis, profile, out, quiet_or_bar(args, "tiles"), stamp, source, args.history
    )
    size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    print(f"wrote: {index} ({size / 1e6:,.1f} MB in {out}; serve it with range requests)")
    if args.history:
        print(changes_line(out))
    return 0


def changes_line(out: Path) -> str:
    """What the site lists as changed since the previous fetch (from its ``site.json``)."""
    changes = json.loads((out / "data" / "site.json").read_text("utf-8")).get("changes")
    if not changes:
        return "changes: none to list yet (the history holds one snapshot)"
    flips = ", ".join(f"{v} {n}" for v, n in changes["flips"].items())
    return (
        f"changes: {changes['parcels']} parcels changed between the data as of "
        f"{changes['before']} and {changes['after']} (verdicts flipped: {flips})"
    )


COMMAND = Command("publish", "the map as a static site (no Python to view it)", add_arguments, run)
