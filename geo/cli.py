"""The ``civicmap`` command line.

``civicmap check SRC [--apn APN]... [--apn-file FILE] [--format csv|json|table]`` prints one
row per matched parcel. Every command that reads a source takes ``--profile`` and the
overrides of the profile's terms. Bad input ends with status 2 and one ``error:`` line.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import NoReturn

import geopandas as gpd
import pandas as pd

from geo._arcgis import RetryPolicy
from geo.analysis import Analysis, analyse, check_table, compare_policies
from geo.atomic import check_writable, write_text
from geo.classify import classify
from geo.errors import InputError
from geo.explain import localized_table
from geo.export import flat
from geo.fetch import FetchProgress, default_url, fetch_layer
from geo.i18n import LANGUAGES, translator
from geo.ingest import (
    field_values,
    format_summary,
    ingest,
    land_use_values,
    read_city_list,
    summary,
)
from geo.lists import combined, read_query_file
from geo.lookup import ParcelIndex
from geo.policy.terms import PolicyOverrides, apply_overrides
from geo.privacy import names_state
from geo.profile import Policy, Profile, load_profile
from geo.provenance import Provenance, provenance, source_of
from geo.safe_text import neutralise_formulas, terminal_safe, terminal_safe_table
from geo.sources import parse_field_overrides, read_parcels
from geo.spaces import SPACE_COLUMNS, assembly_places
from geo.tiles import build_tiles, city_mask, ensure_tiles

EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 128 + signal.SIGINT  # 130, as a shell reports Ctrl-C


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
    parser.add_argument("--layer", help="the layer to read when the file holds several")
    parser.add_argument(
        "--zone-distance", type=float, metavar="METRES", help="free speech zone distance"
    )
    parser.add_argument(
        "--city-list",
        metavar="FILE",
        help="a city property list (CSV of APNs, or a layer): these parcels are city-owned",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    _lang_option(parser)


def _lang_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--lang", default="en", choices=tuple(LANGUAGES), help="language of reasons and tables"
    )


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


def build_parser(
    more: Callable[[argparse._SubParsersAction], None] | None = None,
) -> argparse.ArgumentParser:
    """The argument parser of ``civicmap`` (exposed for tests and docs).

    Parameters
    ----------
    more
        Adds further commands (the map commands, which need Folium, live in ``layers``).

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
    check.add_argument(
        "--apn",
        action="append",
        default=[],
        help="an APN, address or name (landmark, public owner, street)",
    )
    check.add_argument("--address", action="append", default=[], help="a street address")
    check.add_argument(
        "--apn-file",
        help="a list of APNs or addresses: one a line, CSV, TSV or .xlsx (any usual encoding)",
    )
    check.add_argument("--format", choices=("csv", "json", "table"), default="table")
    check.add_argument(
        "--owner-names",
        action="store_true",
        help="show private owners' names (by default a private owner reads as its class; "
        "public owners are always named)",
    )
    ingest = commands.add_parser("ingest", help="validate, classify and write GeoParquet")
    _source_options(ingest)
    ingest.add_argument("--out", required=True, metavar="FILE.parquet")
    ingest.add_argument(
        "--no-tiles", action="store_true", help="skip the vector tiles cached beside the file"
    )
    tiles = commands.add_parser("tiles", help="vector tiles (PMTiles) of every parcel")
    _source_options(tiles)
    tiles.add_argument("--out", required=True, metavar="FILE.pmtiles")
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
    _fetch_parser(commands)
    values = commands.add_parser("values", help="distinct values of a field, with counts")
    values.add_argument("src", metavar="SRC")
    values.add_argument("field", metavar="FIELD", help="e.g. LANDUSE, NAME or land_use")
    values.add_argument("--profile")
    values.add_argument("--format", choices=("csv", "table"), default="table")
    _lang_option(values)
    if more is not None:
        more(commands)
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
    overrides = PolicyOverrides(
        scope=args.scope or None,
        city_owners=tuple(args.city_owner) if args.city_owner else None,
        parking_lot=tuple(args.lot_use) if args.lot_use else None,
        parking_garage=tuple(args.garage_use) if args.garage_use else None,
        open_space=tuple(args.open_space_use) if getattr(args, "open_space_use", None) else None,
        city_apns=read_city_list(args.city_list, profile) if args.city_list else None,
    )
    return apply_overrides(profile, version if version is not None else args.policy, overrides)


def read_queries(path: str) -> list[str]:
    """The queries of a list file (see :func:`geo.lists.read_query_file`), without the rest.

    Parameters
    ----------
    path : str

    Returns
    -------
    list of str
        Non-blank queries in file order.
    """
    return read_query_file(path).queries


def _listed_queries(args: argparse.Namespace) -> tuple[list[str], pd.DataFrame | None]:
    """The queries of ``--apn``, ``--address`` and ``--apn-file``, and the list's other columns.

    How the file was read (format, encoding, column) is said on stderr unless ``--quiet``.
    """
    queries = list(args.apn) + list(args.address)
    if not args.apn_file:
        return queries, None
    listed = read_query_file(args.apn_file)
    if not args.quiet:
        print(f"note: {listed.describe(Path(args.apn_file).name)}", file=sys.stderr)
    if not listed.queries:
        raise InputError.keyed("error.cli.nothing_to_check", name=Path(args.apn_file).name)
    return combined(queries, listed)


def _render(table: pd.DataFrame, fmt: str, lang: str = "en") -> str:
    """A result table as CSV, JSON (machine words, reasons as lists) or a text table in
    the reader's language."""
    if fmt == "csv":
        return neutralise_formulas(flat(table), strip=True).to_csv(index=False, lineterminator="\n")
    if fmt == "json":
        records = [
            {k: _plain(v) for k, v in row.items()} for row in table.to_dict(orient="records")
        ]
        return json.dumps(records, indent=2, ensure_ascii=False) + "\n"
    shown = localized_table(flat(table), translator(lang))
    with pd.option_context("display.max_colwidth", 80, "display.width", 200):
        return terminal_safe_table(shown).to_string(index=False) + "\n"


def _plain(value: object) -> object:
    """A cell as JSON takes it: lists stay lists, missing values become null."""
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    if hasattr(value, "tolist") and not isinstance(value, str):
        return _plain(value.tolist())  # type: ignore[union-attr]
    if isinstance(value, float) and value != value:
        return None
    if hasattr(value, "item"):
        return value.item()  # type: ignore[union-attr]
    return value


def _read(args: argparse.Namespace, profile: Profile) -> gpd.GeoDataFrame:
    show = None if args.quiet or not sys.stderr.isatty() else progress_bar()
    overrides = parse_field_overrides(args.field)
    layer = getattr(args, "layer", None)
    return read_parcels(args.src, profile, overrides, crs=args.crs, progress=show, layer=layer)


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
    queries, extra = _listed_queries(args)  # a bad list fails before the long read
    profile, analysis = _analyse(args)
    index = ParcelIndex(analysis.parcels, profile.landmarks, profile.place)
    index = index.with_owner_classes(analysis.parcels["owner_class"])
    names = bool(args.owner_names) or profile.site.owner_names
    t = translator(args.lang)
    table = check_table(analysis, index, queries or None, extra, t, names)
    if not args.quiet:
        print(f"note: {t('export.owner_names.' + names_state(names))}", file=sys.stderr)
    sys.stdout.write(_render(_cite(args, profile, analysis, table), args.format, args.lang))
    return 0


def cited(args: argparse.Namespace, profile: Profile, analysis: Analysis) -> Provenance:
    """Which policy, terms, data and time this command's answers rest on."""
    source = source_of(profile, args.src, analysis.parcels.attrs)
    return provenance(profile, analysis.policy, analysis.zone.distance_m, source)


def _cite(
    args: argparse.Namespace, profile: Profile, analysis: Analysis, table: pd.DataFrame
) -> pd.DataFrame:
    """CSV and JSON rows name their policy and data in columns; a text table stays short."""
    if args.format == "table":
        return table
    return cited(args, profile, analysis).stamped(table)


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
        layer=getattr(args, "layer", None),
    )
    lines = format_summary(summary(classified)).splitlines()
    sys.stdout.write("".join(terminal_safe(line) + "\n" for line in lines))
    if not args.no_tiles:
        shown = None if args.quiet or not sys.stderr.isatty() else progress_bar("tiles")
        tiles = ensure_tiles(classified, args.out, shown)
        sys.stdout.write(f"tiles: {terminal_safe(str(tiles))}\n")
    sys.stdout.write(f"wrote: {args.out}\n")
    return 0


def run_tiles(args: argparse.Namespace) -> int:
    """Run ``civicmap tiles``: the PMTiles archive of every parcel, alone."""
    out = Path(args.out)
    if out.suffix.lower() != ".pmtiles":  # before the long read
        raise InputError.keyed("error.out_pmtiles", name=out.name)
    check_writable(out)
    profile = load_profile(args.profile)
    policy = policy_from_args(profile, args)
    parcels = classify(_read(args, profile), policy, reasons=False)
    shown = None if args.quiet or not sys.stderr.isatty() else progress_bar("tiles")
    build_tiles(parcels, out, shown)
    layers = int(city_mask(parcels).sum())
    print(
        f"wrote: {out} ({out.stat().st_size / 1e6:,.1f} MB, {len(parcels):,} parcels, "
        f"{layers:,} in the city layer)"
    )
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
    sys.stdout.write(_render(table, args.format, args.lang))
    return 0


def run_diff(args: argparse.Namespace) -> int:
    """Run ``civicmap diff``: parcels whose verdict changes between two policy versions."""
    if len(args.policy) != 2:
        raise InputError.keyed("error.cli.diff_two")
    profile = load_profile(args.profile)
    first, second = (policy_from_args(profile, args, v) for v in args.policy)
    parcels = _read(args, profile)
    table = compare_policies(parcels, first, second, translator(args.lang))
    sys.stdout.write(_render(table, args.format, args.lang))
    if args.format == "table":
        sys.stdout.write(f"{len(table):,} parcels change verdict\n")
    return 0


def run_spaces(args: argparse.Namespace) -> int:
    """Run ``civicmap spaces``: places to assemble with area, capacity, distance and rules."""
    profile, analysis = _analyse(args)
    places = assembly_places(analysis, profile.assembly, profile.rules, args.within, args.lang)
    table = pd.DataFrame({c: places[c] for c in SPACE_COLUMNS})
    sys.stdout.write(_render(_cite(args, profile, analysis, table), args.format, args.lang))
    return 0


def run_zone(args: argparse.Namespace) -> int:
    """Run ``civicmap zone``: the free speech zone as GeoJSON (EPSG:4326)."""
    out = check_writable(args.out)
    _, analysis = _analyse(args)
    zone = analysis.zone
    write_text(out, zone.to_frame().to_crs("EPSG:4326").to_json(drop_id=True))
    print(f"area: {zone.area_m2:,.0f} m² · perimeter: {zone.perimeter_m:,.0f} m · wrote: {out}")
    print(
        f"public space only: {zone.right_of_way_m2:,.0f} m² of streets and sidewalks, "
        f"{max(zone.area_m2 - zone.right_of_way_m2, 0.0):,.0f} m² of designated parcels "
        f"(outline {zone.outline_m2:,.0f} m²)"
    )
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "check": run_check,
    "ingest": run_ingest,
    "tiles": run_tiles,
    "values": run_values,
    "diff": run_diff,
    "spaces": run_spaces,
    "zone": run_zone,
    "fetch": run_fetch,
}


def main(
    argv: Sequence[str] | None = None,
    parser: argparse.ArgumentParser | None = None,
    commands: Mapping[str, Callable[[argparse.Namespace], int]] = COMMANDS,
) -> int:
    """Entry point of ``python -m geo`` (the library's commands; ``civicmap`` adds maps).

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments (default: the process's).
    parser, commands
        The parser and the commands to run (default: the library's own).

    Returns
    -------
    int
        0 on success, 2 on bad input, 130 (143) when interrupted by SIGINT (SIGTERM).
    """
    received: list[int] = []
    previous = signal.getsignal(signal.SIGTERM)

    def on_terminate(signum: int, _frame: object) -> None:
        received.append(signum)
        raise KeyboardInterrupt  # unwinds like Ctrl-C: partial files are removed

    try:
        signal.signal(signal.SIGTERM, on_terminate)
    except ValueError:  # not the main thread (an embedding program): keep its handler
        previous = None
    args: argparse.Namespace | None = None
    try:
        args = (parser or build_parser()).parse_args(argv)
        return commands[args.command](args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 128 + received[0] if received else EXIT_INTERRUPTED
    except InputError as exc:
        said = exc.for_cli(translator(str(getattr(args, "lang", "en"))))
        print(f"error: {terminal_safe(said)}", file=sys.stderr)  # one line, inert
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        return 0
    except Exception as exc:  # never a traceback for the user
        detail = terminal_safe(f"{type(exc).__name__}: {exc}")
        print(f"error: unexpected failure ({detail})", file=sys.stderr)
        return 1
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
