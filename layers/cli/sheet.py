"""``civicmap sheet``: the printable one-page answer the app offers, for any parcels."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from geo.atomic import check_writable, write_text
from geo.cli.command import Command
from geo.cli.options import add_owner_names_option, add_source_options
from geo.cli.queries import listed_queries
from geo.cli.source import analyse_source, cited
from geo.context import council_districts_of
from geo.errors import InputError
from geo.i18n import translator
from geo.lookup import ParcelIndex
from geo.permalink import absolute_link, cited_params, link_params
from geo.provenance import source_of
from geo.safe_text import terminal_safe
from layers.compose import parcel_sheet


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """SRC, the terms, the parcels, ``--base-url``, ``--out`` and ``--owner-names``."""
    add_source_options(parser)
    parser.add_argument("--apn", action="append", default=[], help="an APN, address or name")
    parser.add_argument("--address", action="append", default=[], help="a street address")
    parser.add_argument("--apn-file", help="a list of APNs or addresses (any encoding or shape)")
    parser.add_argument(
        "--base-url",
        default="",
        metavar="URL",
        help="where the app is served: the sheet's link and QR code open the parcel there",
    )
    parser.add_argument(
        "--out", required=True, metavar="FILE.html|DIR", help="one sheet, or a folder for many"
    )
    add_owner_names_option(parser)


def run(args: argparse.Namespace) -> int:
    """Write one printable page per parcel found."""
    queries, _ = listed_queries(args)
    if not queries:
        raise InputError("give the parcels: --apn APN (repeatable) or --apn-file FILE")
    one_file = Path(args.out).suffix.lower() in (".html", ".htm")
    if not one_file:
        _make_folder(Path(args.out))
    check_writable(args.out if one_file else Path(args.out) / "sheet.html")  # before the read
    profile, analysis = analyse_source(args)
    index = ParcelIndex(analysis.parcels, profile.landmarks, profile.place)
    index = index.with_owner_classes(analysis.parcels["owner_class"])
    positions = _found(index, queries)
    if one_file and len(positions) > 1:
        raise InputError(f"{len(positions)} parcels found: give --out a folder for one sheet each")
    t, stamp = translator(args.lang), cited(args, profile, analysis)
    source = source_of(profile, args.src, analysis.parcels.attrs)
    names = bool(args.owner_names) or profile.site.owner_names
    distance = float(analysis.zone.distance_m)
    districts = council_districts_of(profile, analysis.parcels.iloc[positions])
    for k, pos in enumerate(positions):
        apn = str(analysis.parcels["apn"].iloc[pos])
        params = link_params(profile, analysis.policy, distance, args.lang, apn)
        link = absolute_link(args.base_url, cited_params(params, analysis.policy, args.lang))
        district = "" if districts is None else (str(districts.iloc[k]) or t("card.no_district"))
        html = parcel_sheet(
            analysis, pos, source, link, t, profile, args.lang, names, stamp, district
        )
        out = Path(args.out) if one_file else Path(args.out) / f"parcel-{_file_part(apn)}.html"
        write_text(out, html)
        print(f"wrote: {out}")
    return 0


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


COMMAND = Command("sheet", "a printable one-page sheet for each parcel", add_arguments, run)
