"""``civicmap fetch``: download a parcel layer from an ArcGIS REST map service to GeoParquet."""

from __future__ import annotations

import argparse
import sys
from urllib.parse import urlsplit

from geo.cli.command import Command
from geo.cli.history_fetch import after_history_fetch
from geo.cli.options import add_city_list_option, add_owner_options, policy_from_args
from geo.errors import InputError
from geo.fetch import FetchProgress, default_url, fetch_layer
from geo.fetch.protocol import RetryPolicy
from geo.history import DEFAULT_KEEP, file_incoming, incoming_path, prepare
from geo.ingest import format_summary, summary
from geo.profile import load_profile
from geo.schema import parse_field_overrides


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The layer, the filter, the output, the terms, and how to page and retry."""
    parser.add_argument("--url", help="the layer (default: the profile's [source] url)")
    parser.add_argument("--where", help="SQL filter on the layer (default: the profile's, or 1=1)")
    parser.add_argument("--out", metavar="FILE.parquet", help="the file to write (or --history)")
    parser.add_argument(
        "--history",
        metavar="DIR",
        help="keep each fetch as a dated snapshot in DIR and print what changed since the last",
    )
    parser.add_argument(
        "--keep", type=int, default=DEFAULT_KEEP, metavar="N", help="snapshots --history keeps"
    )
    parser.add_argument("--profile", help="jurisdiction profile (default: Sacramento)")
    parser.add_argument("--policy", help="policy version from the profile (default: its own)")
    parser.add_argument("--scope", choices=("all", "lots_and_garages"))
    add_owner_options(parser)
    parser.add_argument("--field", action="append", default=[], metavar="CANONICAL=SOURCE")
    add_city_list_option(parser)
    parser.add_argument(
        "--format",
        choices=("json", "geojson"),
        default="json",
        dest="fmt",
        help="page format: Esri JSON in the profile's CRS, or GeoJSON (EPSG:4326)",
    )
    parser.add_argument(
        "--page-size", type=int, metavar="N", help="features a page (default: maxRecordCount)"
    )
    parser.add_argument("--timeout", type=float, default=60.0, metavar="SECONDS")
    parser.add_argument("--retries", type=int, default=5, metavar="N", help="tries a request")
    parser.add_argument(
        "--backoff", type=float, default=1.0, metavar="SECONDS", help="first wait, then doubled"
    )
    parser.add_argument("--keep-pages", action="store_true", help="keep OUT.pages/ afterwards")
    parser.add_argument("--quiet", action="store_true", help="no progress line")


def fetch_progress_line(state: FetchProgress) -> str:
    """One line saying where a download stands: pages, parcels, rate, time left."""
    left = state.remaining_s
    eta = "" if left is None else f" · {int(left // 60)}:{int(left % 60):02d} left"
    return (
        f"page {state.pages:,}/{state.pages_total:,} · {state.parcels:,}/{state.parcels_total:,}"
        f" parcels · {state.rate:,.0f}/s{eta}"
    )


class _Progress:
    """Where the download stands: one redrawn line on a terminal, a line a tenth in a log."""

    def __init__(self, quiet: bool) -> None:
        self.tty = sys.stderr.isatty() and not quiet
        self.quiet = quiet
        self.tenth = -1

    def show(self, state: FetchProgress) -> None:
        """Draw or log the state."""
        if self.tty:
            sys.stderr.write(f"\rfetching: {fetch_progress_line(state)}\033[K")
            sys.stderr.flush()
        elif not self.quiet:
            tenth = 10 * state.parcels // max(1, state.parcels_total)
            if tenth > self.tenth:
                self.tenth = tenth
                print(f"fetching: {fetch_progress_line(state)}", file=sys.stderr, flush=True)

    def say(self, message: str) -> None:
        """A note on its own line."""
        print(("\n" if self.tty else "") + message, file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    """Page through the layer, check, classify and write it; say what was fetched."""
    profile = load_profile(args.profile)
    policy = policy_from_args(profile, args)
    if not args.out and not args.history:
        raise InputError.keyed("error.fetch.no_out")
    if args.history:  # a finished fetch a kill left unfiled is filed first
        file_incoming(prepare(args.history))
    out = incoming_path(args.history) if args.history else args.out
    url = args.url or default_url(profile)
    where = args.where or str(profile.source.get("where") or "1=1")
    whose = "the given --url" if args.url else "the profile's [source]"
    host = urlsplit(url).netloc or url
    print(f"contacting {host} ({whose}): {url}", file=sys.stderr, flush=True)
    shown = _Progress(args.quiet)
    retry = RetryPolicy(max(1, args.retries), max(0.0, args.backoff), 30.0, args.timeout)
    try:
        result = fetch_layer(
            url, profile, out, where=where, policy=policy, fmt=args.fmt,
            page_size=args.page_size, retry=retry, progress=shown.show, notify=shown.say,
            field_overrides=parse_field_overrides(args.field), keep_pages=args.keep_pages,
        )  # fmt: skip
    except KeyboardInterrupt:
        shown.say(f"interrupted: the pages fetched so far are kept in {out}.pages; "
                  "run the same command again to resume")  # fmt: skip
        return 130
    if shown.tty:
        sys.stderr.write("\n")
    info = result.parcels.attrs["fetch"]
    sys.stdout.write(format_summary(summary(result.parcels)))
    kept = f" ({result.kept_pages} kept from an earlier run)" if result.kept_pages else ""
    print(f"fetched: {info['features']:,} features in {result.pages:,} pages{kept}; "
          f"the server counts {result.count_end:,}")  # fmt: skip
    print(f"layer: {info['layer']}, last edited {info['last_edit_date'] or '(not said)'}")
    for note in result.notes:
        print(f"note: {note}")
    if args.history:
        return after_history_fetch(args, result.path, profile, policy)
    print(f"wrote: {args.out}")
    return 0


COMMAND = Command(
    "fetch",
    "download a parcel layer from an ArcGIS REST map service to GeoParquet",
    add_arguments,
    run,
)
