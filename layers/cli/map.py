"""``civicmap map``: one self-contained HTML map that works offline."""

from __future__ import annotations

import argparse
from pathlib import Path

import pyogrio

from geo.atomic import check_writable, write_text
from geo.cli.command import Command
from geo.cli.options import add_source_options
from geo.cli.source import analyse_source
from geo.i18n import translator
from geo.privacy import names_state
from geo.provenance import basis_of, source_of
from geo.vendor import read_vendor_files
from layers.standalone import standalone_html


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """SRC, the terms, ``--out`` and ``--owner-names``."""
    add_source_options(parser)
    parser.add_argument("--out", required=True, metavar="FILE.html")
    parser.add_argument(
        "--owner-names", action="store_true", help="name private owners in the popups"
    )


def run(args: argparse.Namespace) -> int:
    """Write the map, and say its size and whether it names private owners."""
    out = check_writable(args.out)  # before the long read
    profile, analysis = analyse_source(args)
    streets_path = profile.streets_path()
    is_sample = profile.sample_path() == Path(args.src).resolve()
    streets = None
    if is_sample and streets_path is not None and streets_path.exists():
        streets = pyogrio.read_dataframe(streets_path)
    source = source_of(profile, args.src, analysis.parcels.attrs)
    names = bool(args.owner_names) or profile.site.owner_names
    basis = basis_of(profile, args.src, analysis.parcels.attrs)
    html = standalone_html(
        analysis, profile, read_vendor_files(), source, streets, args.lang, names, basis=basis
    )
    write_text(out, html)
    held = translator(args.lang)(f"export.owner_names.{names_state(names)}")
    print(f"wrote: {out} ({len(html.encode()) / 1024:,.0f} KB, works offline). {held}")
    return 0


COMMAND = Command("map", "a self-contained HTML map that works offline", add_arguments, run)
