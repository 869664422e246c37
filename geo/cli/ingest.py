"""``civicmap ingest``: validate, classify and write GeoParquet (and its vector tiles)."""

from __future__ import annotations

import argparse
import sys

from geo.cli.command import Command
from geo.cli.options import add_source_options, policy_from_args
from geo.cli.source import quiet_or_bar
from geo.ingest import format_summary, ingest, summary
from geo.profile import load_profile
from geo.safe_text import terminal_safe
from geo.schema import parse_field_overrides
from geo.tiles import ensure_tiles


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """SRC, the terms, ``--out`` and ``--no-tiles``."""
    add_source_options(parser)
    parser.add_argument("--out", required=True, metavar="FILE.parquet")
    parser.add_argument(
        "--no-tiles", action="store_true", help="skip the vector tiles cached beside the file"
    )


def run(args: argparse.Namespace) -> int:
    """Read, check and classify SRC, write it as GeoParquet, print a summary."""
    profile = load_profile(args.profile)
    classified = ingest(
        args.src,
        profile,
        args.out,
        policy_from_args(profile, args),
        field_overrides=parse_field_overrides(args.field),
        crs=args.crs,
        progress=quiet_or_bar(args),
        layer=getattr(args, "layer", None),
    )
    lines = format_summary(summary(classified)).splitlines()
    sys.stdout.write("".join(terminal_safe(line) + "\n" for line in lines))
    if not args.no_tiles:
        tiles = ensure_tiles(classified, args.out, quiet_or_bar(args, "tiles"))
        sys.stdout.write(f"tiles: {terminal_safe(str(tiles))}\n")
    sys.stdout.write(f"wrote: {args.out}\n")
    return 0


COMMAND = Command("ingest", "validate, classify and write GeoParquet", add_arguments, run)
