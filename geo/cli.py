"""The ``civicmap`` command line.

``civicmap check SRC [--apn APN]... [--apn-file FILE] [--format csv|json|table]`` prints one
row per matched parcel. Every command that reads a source takes ``--profile`` and the
overrides of the profile's terms. Bad input ends with status 2 and one ``error:`` line.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import NoReturn

import geopandas as gpd
import pandas as pd
import pyogrio

from geo._arcgis import RetryPolicy
from geo.analysis import Analysis, analyse, check_table, compare_policies
from geo.errors import InputError
from geo.fetch import FetchProgress, default_url, fetch_layer
from geo.ingest import (
    field_values,
    format_summary,
    ingest,
    land_use_values,
    read_city_list,
    summary,
)
from geo.lookup import ParcelIndex
from geo.profile import Policy, Profile, load_profile
from geo.sources import parse_field_overrides, read_parcels
from geo.spaces import SPACE_COLUMNS, assembly_places
from geo.vendor import read_vendor_files

EXIT_BAD_INPUT = 2


def _source_options(parser: argparse.ArgumentParser, versions: int = 1) -> None:
    parser.add_argument("src", metavar="SRC", help="parcel file (zip shapefile, gpkg, ...)")
    parser.add_argument("--profile", help="jurisdiction profile (default: Sacramento)")
    if versions == 1:
        parser.add_argument("--policy", help="policy version from the profile (default: its own)")
    else:
        parser.add_argument("--policy", action="append", required=True, help="a version (twice)")
    parser.add_argument(
        "--scope",
        choices=("all", "lots_and_garages"),
        help="which city property the staging ban covers",
    )
    parser.add_argument(
        "--city-owner",
        action="append",
        metavar="NAME",
        help="an owner name that counts as the city (repeatable; replaces the profile's)",
    )
    _land_use_options(parser)
    parser.add_argument(
        "--field",
        action="append",
        default=[],
        metavar="CANONICAL=SOURCE",
        help="map a source field: apn, owner, address, land_use (repeatable)",
    )
    parser.add_argument("--crs", help="CRS to assume when the file has none, e.g. EPSG:2226")
    parser.add_argument(
        "--zone-distance", type=float, metavar="METRES", help="free speech zone distance"
    )
    parser.add_argument(
        "--city-list",
        metavar="FILE",
        help="a city property list (CSV of APNs, or a layer): these parcels are city-owned",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def _land_use_options(parser: argparse.ArgumentParser) -> None:
    """``--lot-use``, ``--garage-use``, ``--open-space-use``: codes, ``PREFIX*`` or descriptions."""
    for flag, what in (
        ("--lot-use", "a parking lot"),
        ("--garage-use", "a parking garage"),
        ("--open-space-use", "open space (park, plaza)"),
    ):
        parser.add_argument(
            flag,
            action="append",
            metavar="CODE",
            help=f"land use of {what}: a code, a prefix ending in * (BFH*) or a description "
            "(repeatable; replaces the profile's)",
        )


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one ``error:`` line and exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"error: {message} (see: {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``civicmap`` (exposed for tests and docs).

    Returns
    -------
    argparse.ArgumentParser
    """
    parser = _Parser(
        prog="civicmap",
        description="Which parcels a city's staging-area proposal covers, and why.",
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    check = commands.add_parser("check", help="verdict and reasons for parcels")
    _source_options(check)
    check.add_argument("--apn", action="append", default=[], help="an APN or address")
    check.add_argument("--address", action="append", default=[], help="a street address")
    check.add_argument("--apn-file", help="a file of APNs or addresses, one a line, or a CSV")
    check.add_argument("--format", choices=("csv", "json", "table"), default="table")
    ingest = commands.add_parser("ingest", help="validate, classify and write GeoParquet")
    _source_options(ingest)
    ingest.add_argument("--out", required=True, metavar="FILE.parquet")
    diff = commands.add_parser("diff", help="parcels whose verdict differs between versions")
    _source_options(diff, versions=2)
    diff.add_argument("--format", choices=("csv", "json", "table"), default="table")
    spaces = commands.add_parser("spaces", help="city-owned places to assemble near the landmark")
    _source_options(spaces)
    spaces.add_argument("--within", type=float, metavar="METRES", help="walking distance")
    spaces.add_argument("--format", choices=("csv", "json", "table"), default="table")
    zone = commands.add_parser("zone", help="write the free speech zone as GeoJSON")
    _source_options(zone)
    zone.add_argument("--distance", type=float, metavar="METRES", dest="zone_distance")
    zone.add_argument("--out", required=True, metavar="zone.geojson")
    fullmap = commands.add_parser("map", help="a self-contained HTML map that works offline")
    _source_options(fullmap)
    fullmap.add_argument("--out", required=True, metavar="FILE.html")
    fullmap.add_argument("--lang", default="en", help="language: en, es or hmn")
    _fetch_parser(commands)
    values = commands.add_parser("values", help="distinct values of a field, with counts")
    values.add_argument("src", metavar="SRC")
    values.add_argument("field", metavar="FIELD", help="e.g. LANDUSE, NAME or land_use")
    values.add_argument("--profile")
    values.add_argument("--format", choices=("csv", "table"), default="table")
    return parser


def _fetch_parser(commands: argparse._SubParsersAction) -> None:
    """``civicmap fetch``: download a parcel layer from an ArcGIS REST map service."""
    fetch = commands.add_parser(
        "fetch", help="download a parcel layer from an ArcGIS REST map service to GeoParquet"
    )
    fetch.add_argument("--url", help="the layer (default: the profile's [source] url)")
    fetch.add_argument("--where", help="SQL filter on the layer (default: the profile's, or 1=1)")
    fetch.add_argument("--out", required=True, metavar="FILE.parquet")
    fetch.add_argument("--profile", help="jurisdiction profile (default: Sacramento)")
    fetch.add_argument("--policy", help="policy version from the profile (default: its own)")
    fetch.add_argument("--scope", choices=("all", "lots_and_garages"))
    fetch.add_argument("--city-owner", action="append", metavar="NAME")
    _land_use_options(fetch)
    fetch.add_argument("--field", action="append", default=[], metavar="CANONICAL=SOURCE")
    fetch.add_argument("--city-list", metavar="FILE")
    fetch.add_argument(
        "--format",
        choices=("json", "geojson"),
        default="json",
        dest="fmt",
        help="page format: Esri JSON in the profile's CRS, or GeoJSON (EPSG:4326)",
    )
    fetch.add_argument(
        "--page-size", type=int, metavar="N", help="features a page (default: maxRecordCount)"
    )
    fetch.add_argument("--timeout", type=float, default=60.0, metavar="SECONDS")
    fetch.add_argument("--retries", type=int, default=5, metavar="N", help="tries a request")
    fetch.add_argument(
        "--backoff", type=float, default=1.0, metavar="SECONDS", help="first wait, then doubled"
    )
    fetch.add_argument("--keep-pages", action="store_true", help="keep OUT.pages/ afterwards")
    fetch.add_argument("--quiet", action="store_true", help="no progress line")


def fetch_progress_line(state: FetchProgress) -> str:
    """One line saying where a download stands: pages, parcels, rate, time left.

    Parameters
    ----------
    state : FetchProgress

    Returns
    -------
    str
    """
    left = state.remaining_s
    eta = "" if left is None else f" · {int(left // 60)}:{int(left % 60):02d} left"
    return (
        f"page {state.pages:,}/{state.pages_total:,} · {state.parcels:,}/{state.parcels_total:,}"
        f" parcels · {state.rate:,.0f}/s{eta}"
    )


def run_fetch(args: argparse.Namespace) -> int:
    """Run ``civicmap fetch``: page through a map service layer, check, classify, write."""
    from urllib.parse import urlsplit

    profile = load_profile(args.profile)
    policy = policy_from_args(profile, args)
    url = args.url or default_url(profile)
    where = args.where or str(profile.source.get("where") or "1=1")
    whose = "the given --url" if args.url else "the profile's [source]"
    host = urlsplit(url).netloc or url
    print(f"contacting {host} ({whose}): {url}", file=sys.stderr, flush=True)
    tty = sys.stderr.isatty() and not args.quiet
    shown = [-1]  # off a terminal (a log): one line each tenth of the way

    def show(state: FetchProgress) -> None:
        if tty:
            sys.stderr.write(f"\rfetching: {fetch_progress_line(state)}\033[K")
            sys.stderr.flush()
        elif not args.quiet:
            tenth = 10 * state.parcels // max(1, state.parcels_total)
            if tenth > shown[0]:
                shown[0] = tenth
                print(f"fetching: {fetch_progress_line(state)}", file=sys.stderr, flush=True)

    def say(message: str) -> None:
        print(("\n" if tty else "") + message, file=sys.stderr, flush=True)

    retry = RetryPolicy(max(1, args.retries), max(0.0, args.backoff), 30.0, args.timeout)
    try:
        result = fetch_layer(
            url, profile, args.out, where=where, policy=policy, fmt=args.fmt,
            page_size=args.page_size, retry=retry, progress=show, notify=say,
            field_overrides=parse_field_overrides(args.field), keep_pages=args.keep_pages,
        )  # fmt: skip
    except KeyboardInterrupt:
        say(f"interrupted: the pages fetched so far are kept in {args.out}.pages; "
            "run the same command again to resume")  # fmt: skip
        return 130
    if tty:
        sys.stderr.write("\n")
    info = result.parcels.attrs["fetch"]
    sys.stdout.write(format_summary(summary(result.parcels)))
    kept = f" ({result.kept_pages} kept from an earlier run)" if result.kept_pages else ""
    print(f"fetched: {info['features']:,} features in {result.pages:,} pages{kept}; "
          f"the server counts {result.count_end:,}")  # fmt: skip
    print(f"layer: {info['layer']}, last edited {info['last_edit_date'] or '(not said)'}")
    for note in result.notes:
        print(f"note: {note}")
    print(f"wrote: {args.out}")
    return 0


def progress_bar(label: str = "reading") -> Callable[[int, int], None]:
    """A progress callback that redraws one line on stderr (only on a terminal).

    Parameters
    ----------
    label : str

    Returns
    -------
    callable
        ``progress(done, total)``.
    """

    def show(done: int, total: int) -> None:
        if total > 0:
            filled = int(30 * done / total)
            bar = "#" * filled + "-" * (30 - filled)
            sys.stderr.write(f"\r{label} [{bar}] {done:,}/{total:,}")
        else:
            sys.stderr.write(f"\r{label} {done:,}")
        if total > 0 and done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return show


def policy_from_args(
    profile: Profile, args: argparse.Namespace, version: str | None = None
) -> Policy:
    """The profile's policy version with the command line's overrides applied.

    Parameters
    ----------
    profile : Profile
    args : argparse.Namespace

    Returns
    -------
    Policy
    """
    policy = profile.policy_version(version if version is not None else args.policy)
    changes: dict[str, object] = {}
    if args.scope:
        changes["scope"] = args.scope
    if args.city_owner:
        changes["owners"] = {**policy.owners, "city": tuple(args.city_owner)}
    if args.lot_use:
        changes["parking_lot"] = tuple(args.lot_use)
    if args.garage_use:
        changes["parking_garage"] = tuple(args.garage_use)
    if getattr(args, "open_space_use", None):
        changes["open_space"] = tuple(args.open_space_use)
    if args.city_list:
        changes["city_apns"] = read_city_list(args.city_list, profile)
    return policy.with_changes(**changes) if changes else policy


def read_queries(path: str) -> list[str]:
    """Read APNs or addresses from a file: one a line, or a CSV with an apn/address column.

    Parameters
    ----------
    path : str

    Returns
    -------
    list of str
        Non-blank queries in file order.
    """
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return []
    header = [h.strip().lower() for h in next(csv.reader([lines[0]]))]
    columns = [header.index(h) for h in ("apn", "address", "query") if h in header]
    if not columns:
        return [line.strip() for line in lines]
    queries = []
    for row in csv.reader(io.StringIO("\n".join(lines[1:]))):
        cells = [row[i].strip() for i in columns if i < len(row) and row[i].strip()]
        if cells:
            queries.append(cells[0])  # the APN when given, else the address
    return queries


def _render(table: pd.DataFrame, fmt: str) -> str:
    if fmt == "csv":
        return table.to_csv(index=False, lineterminator="\n")
    if fmt == "json":
        records = json.loads(table.to_json(orient="records"))
        return json.dumps(records, indent=2, ensure_ascii=False) + "\n"
    with pd.option_context("display.max_colwidth", 80, "display.width", 200):
        return table.to_string(index=False) + "\n"


def _read(args: argparse.Namespace, profile: Profile) -> gpd.GeoDataFrame:
    show = None if args.quiet or not sys.stderr.isatty() else progress_bar()
    overrides = parse_field_overrides(args.field)
    return read_parcels(args.src, profile, overrides, crs=args.crs, progress=show)


def _analyse(args: argparse.Namespace) -> tuple[Profile, Analysis]:
    profile = load_profile(args.profile)
    policy = policy_from_args(profile, args)
    parcels = _read(args, profile)
    spec = profile.zone
    if args.zone_distance is not None:
        spec = replace(spec, distance_m=args.zone_distance)
    return profile, analyse(parcels, profile, policy, spec)


def run_check(args: argparse.Namespace) -> int:
    """Run ``civicmap check``."""
    _, analysis = _analyse(args)
    queries = list(args.apn) + list(args.address)
    if args.apn_file:
        queries += read_queries(args.apn_file)
    index = ParcelIndex(analysis.parcels)
    table = check_table(analysis, index, queries or None)
    sys.stdout.write(_render(table, args.format))
    return 0


def run_ingest(args: argparse.Namespace) -> int:
    """Run ``civicmap ingest``: validate, classify, write GeoParquet, print a summary."""
    profile = load_profile(args.profile)
    show = None if args.quiet or not sys.stderr.isatty() else progress_bar()
    classified = ingest(
        args.src,
        profile,
        args.out,
        policy_from_args(profile, args),
        field_overrides=parse_field_overrides(args.field),
        crs=args.crs,
        progress=show,
    )
    sys.stdout.write(format_summary(summary(classified)))
    sys.stdout.write(f"wrote: {args.out}\n")
    return 0


def run_values(args: argparse.Namespace) -> int:
    """Run ``civicmap values``: a field's distinct values with counts."""
    profile = load_profile(args.profile)
    codes = land_use_values(args.src, args.field, profile)  # with descriptions and kinds
    if codes is not None:
        sys.stdout.write(_render(codes, args.format))
        return 0
    counts = field_values(args.src, args.field, profile)
    table = counts.rename_axis("value").reset_index(name="parcels")
    sys.stdout.write(_render(table, args.format))
    return 0


def run_diff(args: argparse.Namespace) -> int:
    """Run ``civicmap diff``: parcels whose verdict changes between two policy versions."""
    if len(args.policy) != 2:
        raise InputError("diff compares two versions: give --policy A --policy B")
    profile = load_profile(args.profile)
    first, second = (policy_from_args(profile, args, v) for v in args.policy)
    parcels = _read(args, profile)
    table = compare_policies(parcels, first, second)
    sys.stdout.write(_render(table, args.format))
    if args.format == "table":
        sys.stdout.write(f"{len(table):,} parcels change verdict\n")
    return 0


def run_spaces(args: argparse.Namespace) -> int:
    """Run ``civicmap spaces``: places to assemble with area, capacity, distance and rules."""
    profile, analysis = _analyse(args)
    places = assembly_places(analysis, profile.assembly, profile.rules, args.within)
    table = pd.DataFrame({c: places[c] for c in SPACE_COLUMNS})
    sys.stdout.write(_render(table, args.format))
    return 0


def run_zone(args: argparse.Namespace) -> int:
    """Run ``civicmap zone``: the free speech zone as GeoJSON (EPSG:4326)."""
    _, analysis = _analyse(args)
    zone = analysis.zone
    out = Path(args.out)
    try:
        out.write_text(zone.to_frame().to_crs("EPSG:4326").to_json(drop_id=True), "utf-8")
    except OSError as exc:
        raise InputError(f"cannot write {out}: {exc.strerror}") from None
    print(f"area: {zone.area_m2:,.0f} m² · perimeter: {zone.perimeter_m:,.0f} m · wrote: {out}")
    return 0


def run_map(args: argparse.Namespace) -> int:
    """Run ``civicmap map``: one self-contained HTML file (loaded only here: it needs Folium)."""
    from importlib import import_module

    profile, analysis = _analyse(args)
    standalone = import_module("layers.standalone")
    files = read_vendor_files()
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
    html = standalone.standalone_html(analysis, profile, files, source, streets, args.lang)
    out = Path(args.out)
    try:
        out.write_text(html, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write {out}: {exc.strerror}") from None
    print(f"wrote: {out} ({len(html.encode()) / 1024:,.0f} KB, works offline)")
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "check": run_check,
    "ingest": run_ingest,
    "values": run_values,
    "diff": run_diff,
    "spaces": run_spaces,
    "zone": run_zone,
    "map": run_map,
    "fetch": run_fetch,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``civicmap`` and ``python -m geo``.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments (default: the process's).

    Returns
    -------
    int
        0 on success, 2 on bad input.
    """
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        return 0
    except Exception as exc:  # never a traceback for the user
        print(f"error: unexpected failure ({type(exc).__name__}: {exc})", file=sys.stderr)
        return 1
