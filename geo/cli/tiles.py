"""``civicmap tiles``: the PMTiles archive of every parcel, alone."""

from __future__ import annotations

import argparse
from pathlib import Path

from geo.atomic import check_writable
from geo.classify import classify
from geo.cli.command import Command
from geo.cli.options import add_source_options, policy_from_args
from geo.cli.source import quiet_or_bar, read_source
from geo.errors import InputError
from geo.profile import load_profile
from geo.tiles import build_tiles, city_mask


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """SRC, the terms and ``--out FILE.pmtiles``."""
    add_source_options(parser)
    parser.add_argument("--out", required=True, metavar="FILE.pmtiles")


def run(args: argparse.Namespace) -> int:
    """Build the archive and say its size and how many parcels its city layer holds."""
    out = Path(args.out)
    if out.suffix.lower() != ".pmtiles":  # before the long read
        raise InputError.keyed("error.out_pmtiles", name=out.name)
    check_writable(out)
    profile = load_profile(args.profile)
    policy = policy_from_args(profile, args)
    parcels = classify(read_source(args, profile), policy, reasons=False)
    build_tiles(parcels, out, quiet_or_bar(args, "tiles"))
    layers = int(city_mask(parcels).sum())
    print(
        f"wrote: {out} ({out.stat().st_size / 1e6:,.1f} MB, {len(parcels):,} parcels, "
        f"{layers:,} in the city layer)"
    )
    return 0


COMMAND = Command("tiles", "vector tiles (PMTiles) of every parcel", add_arguments, run)
