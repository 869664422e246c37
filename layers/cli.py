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
from geo.analysis import Analysis
from geo.atomic import check_writable, write_text
from geo.errors import InputError
from geo.i18n import translator
from geo.lookup import ParcelIndex
from geo.permalink import absolute_link, cited_params, link_params
from geo.privacy import names_state
from geo.provenance import source_of
from geo.safe_text import terminal_safe
from geo.vendor import read_vendor_files
from layers.compose import parcel_sheet
from layers.publish import publish_site
from layers.standalone import standalone_html


def add_map_commands(commands: argparse._SubParsersAction) -> None:
    """Add ``map`` to the library's commands."""
    fullmap = commands.add_parser("map", help="a self-contained HTML map that works offline")
    cli._source_options(fullmap)
    fullmap.add_argument("--out", required=True, metavar="FILE.html")
    fullmap.add_argument(
        "--owner-names", action="store_true", help="name private owners in the popups"
    )


def add_sheet_command(commands: argparse._SubParsersAction) -> None:
    """Add ``sheet``: the printable one-page answer the app offers, for any parcels."""
    sheet = commands.add_parser("sheet", help="a printable one-page sheet for each parcel")
    cli._source_options(sheet)
    sheet.add_argument("--apn", action="append", default=[], help="an APN, address or name")
    sheet.add_argument("--address", action="append", default=[], help="a street address")
    sheet.add_argument("--apn-file", help="a list of APNs or addresses (any encoding or shape)")
    sheet.add_argument(
        "--base-url",
        default="",
        metavar="URL",
        help="where the app is served: the sheet's link and QR code open the parcel there",
    )
    sheet.add_argument(
        "--out", required=True, metavar="FILE.html|DIR", help="one sheet, or a folder for many"
    )
    sheet.add_argument("--owner-names", action="store_true", help="name private owners")


def run_sheet(args: argparse.Namespace) -> int:
    """Run ``civicmap sheet``: one printable page per parcel found."""
    queries, _ = cli._listed_queries(args)
    if not queries:
        raise InputError("give the parcels: --apn APN (repeatable) or --apn-file FILE")
    one_file = Path(args.out).suffix.lower() in (".html", ".htm")
    if not one_file:
        _make_folder(Path(args.out))
    check_writable(args.out if one_file else Path(args.out) / "sheet.html")  # before the read
    profile, analysis = cli._analyse(args)
    index = ParcelIndex(analysis.parcels, profile.landmarks, profile.place)
    index = index.with_owner_classes(analysis.parcels["owner_class"])
    positions = _found(index, queries)
    if one_file and len(positions) > 1:
        raise InputError(f"{len(positions)} parcels found: give --out a folder for one sheet each")
    t, stamp = translator(args.lang), cli.cited(args, profile, analysis)
    source = source_of(profile, args.src, analysis.parcels.attrs)
    for pos in positions:
        apn = str(analysis.parcels["apn"].iloc[pos])
        params = link_params(profile, analysis.policy, stamp_distance(analysis), args.lang, apn)
        link = absolute_link(args.base_url, cited_params(params, analysis.policy, args.lang))
        names = bool(args.owner_names) or profile.site.owner_names
        html = parcel_sheet(analysis, pos, source, link, t, profile, args.lang, names, cited=stamp)
        out = Path(args.out) if one_file else Path(args.out) / f"parcel-{_file_part(apn)}.html"
        write_text(out, html)
        print(f"wrote: {out}")
    return 0


def stamp_distance(analysis: Analysis) -> float:
    """The zone distance the analysis used, for the sheet's link."""
    return float(analysis.zone.distance_m)


def _found(index: ParcelIndex, queries: Sequence[str]) -> list[int]:
    """Row positions of every parcel the queries find; what is not found is said on stderr."""
    positions: list[int] = []
    for query in queries:
        match = index.find(query)
        if not match.found:
            tried = ", ".join(match.suggestions) or "none"
            print(f"not found: {terminal_safe(query)} (suggestions: {tried})", file=sys.stderr)
        positions.extend(p for p in match.positions if p not in positions)
    if not positions:
        raise InputError("no parcel matches what was asked")
    return positions


def _make_folder(folder: Path) -> None:
    """The sheets' folder, made when its parent exists (a missing parent is an error)."""
    if folder.is_dir() or not folder.parent.is_dir():
        return  # check_writable says what is wrong with a missing parent
    try:
        folder.mkdir()
    except OSError as exc:
        raise InputError(f"cannot make the folder {folder}: {exc.strerror}") from None


def _file_part(apn: str) -> str:
    """An APN as a safe part of a file name."""
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in apn) or "parcel"


def add_publish_command(commands: argparse._SubParsersAction) -> None:
    """Add ``publish``: the map as a static site."""
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
    source = source_of(profile, args.src, analysis.parcels.attrs)
    files = read_vendor_files()
    names = bool(args.owner_names) or profile.site.owner_names
    html = standalone_html(analysis, profile, files, source, streets, args.lang, names)
    write_text(out, html)
    held = translator(args.lang)(f"export.owner_names.{names_state(names)}")
    print(f"wrote: {out} ({len(html.encode()) / 1024:,.0f} KB, works offline). {held}")
    return 0


def run_publish(args: argparse.Namespace) -> int:
    """Run ``civicmap publish``: index.html, the tiles and the data, for any static host."""
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out.name}: give a folder for the site")
    check_writable(out / "index.html" if out.is_dir() else out)  # before the long read
    profile, analysis = cli._analyse(args)
    show = None if args.quiet or not sys.stderr.isatty() else cli.progress_bar("tiles")
    source = source_of(profile, args.src, analysis.parcels.attrs)
    index = publish_site(
        analysis, profile, out, show, cli.cited(args, profile, analysis), source=source
    )
    size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    print(f"wrote: {index} ({size / 1e6:,.1f} MB in {out}; serve it with range requests)")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``civicmap`` and ``python -m layers``."""
    parser = cli.build_parser(add_commands)
    commands = {**cli.COMMANDS, "map": run_map, "sheet": run_sheet, "publish": run_publish}
    return cli.main(argv, parser, commands)


def add_commands(commands: argparse._SubParsersAction) -> None:
    """The commands that draw: ``map``, ``sheet`` and ``publish``."""
    add_map_commands(commands)
    add_sheet_command(commands)
    add_publish_command(commands)


if __name__ == "__main__":
    sys.exit(main())
