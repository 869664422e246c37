"""``civicmap spaces``: city-owned places to assemble near the landmark."""

from __future__ import annotations

import argparse
import sys

import pandas as pd

from geo.cli.command import Command
from geo.cli.options import add_format_option, add_source_options
from geo.cli.output import render, stamped
from geo.cli.source import analyse_source, cited
from geo.spaces import SPACE_COLUMNS, assembly_places


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """SRC, the terms, ``--within METRES`` and the format."""
    add_source_options(parser)
    parser.add_argument("--within", type=float, metavar="METRES", help="walking distance")
    add_format_option(parser)


def run(args: argparse.Namespace) -> int:
    """Print each place with its area, capacity, distance and rules."""
    profile, analysis = analyse_source(args)
    places = assembly_places(analysis, profile.assembly, profile.rules, args.within, args.lang)
    table = pd.DataFrame({c: places[c] for c in SPACE_COLUMNS})
    table = stamped(table, args.format, cited(args, profile, analysis))
    sys.stdout.write(render(table, args.format, args.lang))
    return 0


COMMAND = Command("spaces", "city-owned places to assemble near the landmark", add_arguments, run)
