"""``civicmap diff``: the parcels whose verdict differs between two policy versions."""

from __future__ import annotations

import argparse
import sys

from geo.analysis import compare_policies
from geo.cli.command import Command
from geo.cli.options import add_format_option, add_source_options, policy_from_args
from geo.cli.output import render
from geo.cli.source import read_source
from geo.errors import InputError
from geo.i18n import translator
from geo.profile import load_profile


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """SRC, the terms with ``--policy`` twice, and the format."""
    add_source_options(parser, versions=2)
    add_format_option(parser)


def run(args: argparse.Namespace) -> int:
    """Print the parcels that change verdict, and how many (in a text table)."""
    if len(args.policy) != 2:
        raise InputError.keyed("error.cli.diff_two")
    profile = load_profile(args.profile)
    first, second = (policy_from_args(profile, args, v) for v in args.policy)
    table = compare_policies(read_source(args, profile), first, second, translator(args.lang))
    sys.stdout.write(render(table, args.format, args.lang))
    if args.format == "table":
        sys.stdout.write(f"{len(table):,} parcels change verdict\n")
    return 0


COMMAND = Command("diff", "parcels whose verdict differs between versions", add_arguments, run)
