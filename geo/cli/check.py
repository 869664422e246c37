"""``civicmap check``: the verdict and reasons for parcels (every parcel when none is asked)."""

from __future__ import annotations

import argparse
import sys

from geo.analysis import check_table
from geo.cli.command import Command
from geo.cli.options import (
    add_format_option,
    add_owner_names_option,
    add_query_options,
    add_source_options,
)
from geo.cli.output import render, stamped
from geo.cli.queries import listed_queries
from geo.cli.source import analyse_source, cited
from geo.i18n import translator
from geo.lookup import ParcelIndex
from geo.privacy import names_state


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """SRC, the terms, the queries, the format and ``--owner-names``."""
    add_source_options(parser)
    add_query_options(parser)
    add_format_option(parser)
    add_owner_names_option(parser)


def run(args: argparse.Namespace) -> int:
    """Print one row per matched parcel; a query that matches nothing is ``not found``."""
    queries, extra = listed_queries(args)  # a bad list fails before the long read
    profile, analysis = analyse_source(args)
    index = ParcelIndex(analysis.parcels, profile.landmarks, profile.place)
    index = index.with_owner_classes(analysis.parcels["owner_class"])
    names = bool(args.owner_names) or profile.site.owner_names
    t = translator(args.lang)
    table = check_table(analysis, index, queries or None, extra, t, names)
    if not args.quiet:
        print(f"note: {t('export.owner_names.' + names_state(names))}", file=sys.stderr)
    table = stamped(table, args.format, cited(args, profile, analysis))
    sys.stdout.write(render(table, args.format, args.lang))
    return 0


COMMAND = Command("check", "verdict and reasons for parcels", add_arguments, run)
