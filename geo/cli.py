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
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from geo.analysis import analyse, check_table
from geo.errors import InputError
from geo.lookup import ParcelIndex
from geo.profile import Policy, Profile, load_profile
from geo.sources import parse_field_overrides, read_parcels

EXIT_BAD_INPUT = 2


def _source_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("src", metavar="SRC", help="parcel file (zip shapefile, gpkg, ...)")
    parser.add_argument("--profile", help="jurisdiction profile (default: Sacramento)")
    parser.add_argument("--policy", help="policy version from the profile (default: the profile's)")
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
    parser.add_argument(
        "--lot-use", action="append", metavar="CODE", help="land-use code of a parking lot"
    )
    parser.add_argument(
        "--garage-use", action="append", metavar="CODE", help="land-use code of a garage"
    )
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


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``civicmap`` (exposed for tests and docs).

    Returns
    -------
    argparse.ArgumentParser
    """
    parser = argparse.ArgumentParser(
        prog="civicmap",
        description="Which parcels a city's staging-area proposal covers, and why.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="verdict and reasons for parcels")
    _source_options(check)
    check.add_argument("--apn", action="append", default=[], help="an APN or address")
    check.add_argument("--address", action="append", default=[], help="a street address")
    check.add_argument("--apn-file", help="a file of APNs or addresses, one a line, or a CSV")
    check.add_argument("--format", choices=("csv", "json", "table"), default="table")
    return parser


def policy_from_args(profile: Profile, args: argparse.Namespace) -> Policy:
    """The profile's policy version with the command line's overrides applied.

    Parameters
    ----------
    profile : Profile
    args : argparse.Namespace

    Returns
    -------
    Policy
    """
    policy = profile.policy_version(args.policy)
    changes: dict[str, object] = {}
    if args.scope:
        changes["scope"] = args.scope
    if args.city_owner:
        changes["owners"] = {**policy.owners, "city": tuple(args.city_owner)}
    if args.lot_use:
        changes["parking_lot"] = tuple(args.lot_use)
    if args.garage_use:
        changes["parking_garage"] = tuple(args.garage_use)
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
    column = next((h for h in ("apn", "address", "query") if h in header), None)
    if column is None:
        return [line.strip() for line in lines]
    rows = csv.DictReader(io.StringIO("\n".join(lines)))
    rows.fieldnames = header
    return [row[column].strip() for row in rows if (row.get(column) or "").strip()]


def _render(table: pd.DataFrame, fmt: str) -> str:
    if fmt == "csv":
        return table.to_csv(index=False, lineterminator="\n")
    if fmt == "json":
        records = json.loads(table.to_json(orient="records"))
        return json.dumps(records, indent=2, ensure_ascii=False) + "\n"
    with pd.option_context("display.max_colwidth", 80, "display.width", 200):
        return table.to_string(index=False) + "\n"


def run_check(args: argparse.Namespace) -> int:
    """Run ``civicmap check``."""
    profile = load_profile(args.profile)
    parcels = read_parcels(args.src, profile, parse_field_overrides(args.field), crs=args.crs)
    spec = profile.zone
    if args.zone_distance is not None:
        from dataclasses import replace

        spec = replace(spec, distance_m=args.zone_distance)
    analysis = analyse(parcels, profile, policy_from_args(profile, args), spec)
    queries = list(args.apn) + list(args.address)
    if args.apn_file:
        queries += read_queries(args.apn_file)
    index = ParcelIndex(analysis.parcels)
    table = check_table(analysis, index, queries or None)
    sys.stdout.write(_render(table, args.format))
    return 0


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
        return {"check": run_check}[args.command](args)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        return 0
    except Exception as exc:  # never a traceback for the user
        print(f"error: unexpected failure ({type(exc).__name__}: {exc})", file=sys.stderr)
        return 1
