"""The options several commands share: the source, the policy's terms, the language."""

from __future__ import annotations

import argparse

from geo.i18n import LANGUAGES
from geo.ingest import read_city_list
from geo.policy.terms import Policy, PolicyOverrides, apply_overrides
from geo.profile import Profile

SCOPES = ("all", "lots_and_garages")


def add_source_options(
    parser: argparse.ArgumentParser, versions: int = 1, src_help: str | None = None
) -> None:
    """``SRC`` and every option that says how to read it and which terms to apply
    (``src_help``: SRC may be left out, and what is read then)."""
    if src_help is None:
        parser.add_argument("src", metavar="SRC", help="parcel file (zip shapefile, gpkg, ...)")
    else:
        parser.add_argument("src", metavar="SRC", nargs="?", help=src_help)
    parser.add_argument("--profile", help="jurisdiction profile (default: Sacramento)")
    if versions == 1:
        parser.add_argument("--policy", help="policy version from the profile (default: its own)")
    else:
        parser.add_argument("--policy", action="append", required=True, help="a version (twice)")
    parser.add_argument(
        "--scope", choices=SCOPES, help="which city property the staging ban covers"
    )
    add_owner_options(parser)
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
    add_city_list_option(parser)
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    add_lang_option(parser)


def add_owner_options(parser: argparse.ArgumentParser) -> None:
    """``--city-owner`` and the land-use options: the terms that decide who and what counts."""
    parser.add_argument(
        "--city-owner",
        action="append",
        metavar="NAME",
        help="an owner name that counts as the city (repeatable; replaces the profile's)",
    )
    add_land_use_options(parser)


def add_city_list_option(parser: argparse.ArgumentParser) -> None:
    """``--city-list``: a list of the city's parcels, for data without owner names."""
    parser.add_argument(
        "--city-list",
        metavar="FILE",
        help="a city property list (CSV of APNs, or a layer): these parcels are city-owned",
    )


def add_lang_option(parser: argparse.ArgumentParser) -> None:
    """``--lang``: the language of reasons and tables."""
    parser.add_argument(
        "--lang", default="en", choices=tuple(LANGUAGES), help="language of reasons and tables"
    )


def add_format_option(parser: argparse.ArgumentParser, *formats: str) -> None:
    """``--format``: how a result table is printed (default: a text table)."""
    parser.add_argument("--format", choices=formats or ("csv", "json", "table"), default="table")


def add_land_use_options(parser: argparse.ArgumentParser) -> None:
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


def add_query_options(parser: argparse.ArgumentParser) -> None:
    """``--apn``, ``--address`` and ``--apn-file``: the parcels asked about."""
    parser.add_argument(
        "--apn",
        action="append",
        default=[],
        help="an APN, address or name (landmark, public owner, street)",
    )
    parser.add_argument("--address", action="append", default=[], help="a street address")
    parser.add_argument(
        "--apn-file",
        help="a list of APNs or addresses: one a line, CSV, TSV or .xlsx (any usual encoding)",
    )


def add_owner_names_option(parser: argparse.ArgumentParser) -> None:
    """``--owner-names``: name private owners (public owners are always named)."""
    parser.add_argument(
        "--owner-names",
        action="store_true",
        help="show private owners' names (by default a private owner reads as its class; "
        "public owners are always named)",
    )


def policy_from_args(
    profile: Profile, args: argparse.Namespace, version: str | None = None
) -> Policy:
    """The profile's policy version (``version``, else ``--policy``) with the command line's
    overrides applied."""
    overrides = PolicyOverrides(
        scope=args.scope or None,
        city_owners=tuple(args.city_owner) if args.city_owner else None,
        parking_lot=tuple(args.lot_use) if args.lot_use else None,
        parking_garage=tuple(args.garage_use) if args.garage_use else None,
        open_space=tuple(args.open_space_use) if getattr(args, "open_space_use", None) else None,
        city_apns=read_city_list(args.city_list, profile) if args.city_list else None,
    )
    return apply_overrides(
        profile.policy_version(version if version is not None else args.policy), overrides
    )
