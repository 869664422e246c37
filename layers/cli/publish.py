"""``civicmap publish``: the map as a static site (no Python runs to view it)."""

from __future__ import annotations

import argparse
from pathlib import Path

from geo.atomic import check_writable
from geo.cli.command import Command
from geo.cli.options import add_source_options
from geo.cli.source import analyse_source, cited, quiet_or_bar
from geo.errors import InputError
from geo.provenance import source_of
from layers.publish import publish_site


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """SRC, the terms and ``--out DIR``."""
    add_source_options(parser)
    parser.add_argument("--out", required=True, metavar="DIR")


def run(args: argparse.Namespace) -> int:
    """Write index.html, the tiles and the data, for any static host."""
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out.name}: give a folder for the site")
    check_writable(out / "index.html" if out.is_dir() else out)  # before the long read
    profile, analysis = analyse_source(args)
    stamp = cited(args, profile, analysis)
    source = source_of(profile, args.src, analysis.parcels.attrs)
    index = publish_site(analysis, profile, out, quiet_or_bar(args, "tiles"), stamp, source=source)
    size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    print(f"wrote: {index} ({size / 1e6:,.1f} MB in {out}; serve it with range requests)")
    return 0


COMMAND = Command("publish", "the map as a static site (no Python to view it)", add_arguments, run)
