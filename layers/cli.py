"""The ``civicmap`` command line: the library's commands plus those that draw maps.

The library (``geo``) never imports Folium; the commands that need it (``map``) are
added here, where both may be imported.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import pyogrio

from geo import cli
from geo.atomic import check_writable, write_text
from geo.errors import InputError
from geo.vendor import read_vendor_files
from layers.publish import publish_site
from layers.standalone import standalone_html


def add_map_commands(commands: argparse._SubParsersAction) -> None:
    """Add ``map`` to the library's commands."""
    fullmap = commands.add_parser("map", help="a self-contained HTML map that works offline")
    cli._source_options(fullmap)
    fullmap.add_argument("--out", required=True, metavar="FILE.html")
    site = commands.add_parser("publish", help="the map as a static site (no Python to view it)")
    cli._source_options(site)
    site.add_argument("--out", required=True, metavar="DIR")


def run_map(args: argparse.Namespace) -> int:
    """Run ``civicmap map``: one self-contained HTML file that works offline."""
    out = check_writable(args.out)  # before the long read
    profile, analysis = cli._analyse(args)
    streets_path = profile.streets_path()
    is_sample = profile.sample_path() == Path(args.src).resolve()
    streets = None
    if is_sample and streets_path is not None and streets_path.exists():
        streets = pyogrio.read_dataframe(streets_path)
    attrs = analysis.parcels.attrs
    date = str(profile.sample.get("date", "")) if is_sample else str(attrs.get("source_date", ""))
    source = (
        str(attrs.get("source_name", "")),
        date,
        is_sample and bool(profile.sample.get("illustrative")),
    )
    files = read_vendor_files()
    html = standalone_html(analysis, profile, files, source, streets, args.lang)
    write_text(out, html)
    print(f"wrote: {out} ({len(html.encode()) / 1024:,.0f} KB, works offline)")
    return 0


def run_publish(args: argparse.Namespace) -> int:
    """Run ``civicmap publish``: index.html, the tiles and the data, for any static host."""
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out.name}: give a folder for the site")
    check_writable(out / "index.html" if out.is_dir() else out)  # before the long read
    profile, analysis = cli._analyse(args)
    show = None if args.quiet or not sys.stderr.isatty() else cli.progress_bar("tiles")
    index = publish_site(analysis, profile, out, show)
    size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    print(f"wrote: {index} ({size / 1e6:,.1f} MB in {out}; serve it with range requests)")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``civicmap`` and ``python -m layers``."""
    parser = cli.build_parser(add_map_commands)
    return cli.main(argv, parser, {**cli.COMMANDS, "map": run_map, "publish": run_publish})


if __name__ == "__main__":
    sys.exit(main())
