"""``civicmap values``: the distinct values of a field, with counts."""

from __future__ import annotations

import argparse
import sys

from geo.cli.command import Command
from geo.cli.options import add_format_option, add_lang_option, add_owner_names_option
from geo.cli.output import render
from geo.i18n import translator
from geo.ingest import field_values, land_use_values, owner_values
from geo.privacy import names_state
from geo.profile import load_profile


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """SRC, FIELD, ``--profile``, ``--format csv|table``, ``--lang`` and ``--owner-names``."""
    parser.add_argument("src", metavar="SRC")
    parser.add_argument("field", metavar="FIELD", help="e.g. LANDUSE, NAME or land_use")
    parser.add_argument("--profile")
    add_format_option(parser, "csv", "table")
    add_lang_option(parser)
    add_owner_names_option(parser)


def run(args: argparse.Namespace) -> int:
    """Land-use codes come with their descriptions and kinds, owners with their classes
    (private ones unnamed unless asked), any other field with counts."""
    profile = load_profile(args.profile)
    codes = land_use_values(args.src, args.field, profile)
    if codes is not None:
        sys.stdout.write(render(codes, args.format))
        return 0
    names = bool(args.owner_names) or profile.site.owner_names
    t = translator(args.lang)
    owners = owner_values(args.src, args.field, profile, names, t)
    if owners is not None:
        print(f"note: {t('export.owner_names.' + names_state(names))}", file=sys.stderr)
        sys.stdout.write(render(owners, args.format, args.lang))
        return 0
    counts = field_values(args.src, args.field, profile)
    table = counts.rename_axis("value").reset_index(name="parcels")
    sys.stdout.write(render(table, args.format, args.lang))
    return 0


COMMAND = Command("values", "distinct values of a field, with counts", add_arguments, run)
