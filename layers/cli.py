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
from geo.i18n import translator
from geo.privacy import names_state
from geo.vendor import read_vendor_files
from layers.standalone import standalone_html


def add_map_commands(commands: argparse._SubParsersAction) -> None:
    """Add ``map`` to the library's commands."""
    fullmap = commands.add_parser("map", help="a self-contained HTML map that works offline")
    cli._source_options(fullmap)
    fullmap.add_argument("--out", required=True, metavar="FILE.html")
    fullmap.add_argument(
        "--owner-names", action="store_true", help="name private owners in the popups"
    )


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
    names = bool(args.owner_names) or profile.site.owner_names
    html = standalone_html(analysis, profile, files, source, streets, args.lang, names)
    write_text(out, html)
    held = translator(args.lang)(f"export.owner_names.{names_state(names)}")
    print(f"wrote: {out} ({len(html.encode()) / 1024:,.0f} KB, works offline). {held}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``civicmap`` and ``python -m layers``."""
    parser = cli.build_parser(add_map_commands)
    return cli.main(argv, parser, {**cli.COMMANDS, "map": run_map})


if __name__ == "__main__":
    sys.exit(main())
