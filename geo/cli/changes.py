"""``civicmap changes OLD NEW`` (or ``DIR``): the parcels that changed between two fetches.

One row per parcel whose owner, land use or shape changed, that appeared or went away, or
that was split or merged, with its verdict before and after under the terms given (the
verdict flips first), and a summary line on stderr. ``DIR`` is a history folder of
``civicmap fetch --history``: its two newest snapshots are compared.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from geo.changes import Changes, changes_text_table, compare_snapshots
from geo.cli.command import Command
from geo.cli.options import (
    add_city_list_option,
    add_format_option,
    add_lang_option,
    add_owner_names_option,
    add_owner_options,
    policy_from_args,
)
from geo.cli.output import render
from geo.errors import InputError
from geo.history import latest_pair
from geo.i18n import Translate, translator
from geo.policy.terms import Policy
from geo.profile import Profile, load_profile
from geo.provenance import basis_of, provenance, source_of
from geo.safe_text import terminal_safe_table
from geo.schema import parse_field_overrides
from geo.snapshot import read_snapshot

FEW_VALUES = ("change", "land_use_before", "land_use_after", "verdict_before", "verdict_after")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """OLD and NEW (or a history folder), the terms, the format and ``--owner-names``."""
    parser.add_argument("old", metavar="OLD|DIR", help="the earlier parcel file, or a history")
    parser.add_argument("new", metavar="NEW", nargs="?", help="the later parcel file")
    parser.add_argument("--profile", help="jurisdiction profile (default: Sacramento)")
    parser.add_argument("--policy", help="policy version from the profile (default: its own)")
    parser.add_argument("--scope", choices=("all", "lots_and_garages"))
    add_owner_options(parser)
    add_city_list_option(parser)
    parser.add_argument("--field", action="append", default=[], metavar="CANONICAL=SOURCE")
    parser.add_argument("--crs", help="CRS to assume when a file has none, e.g. EPSG:2226")
    parser.add_argument("--layer", help="the layer to read when a file holds several")
    add_format_option(parser)
    add_owner_names_option(parser)
    add_lang_option(parser)
    parser.add_argument("--quiet", action="store_true", help="no summary line on stderr")


def the_pair(old: str, new: str | None) -> tuple[Path, Path]:
    """The two files to compare: as given, or a history folder's two newest snapshots."""
    if new is None:
        if not Path(old).is_dir():
            raise InputError.keyed("error.changes.two_files", given=old)
        return latest_pair(old)
    return Path(old), Path(new)


def run(args: argparse.Namespace) -> int:
    """Print the changed parcels, and a summary line on stderr."""
    before, after = the_pair(args.old, args.new)
    profile = load_profile(args.profile)
    policy = policy_from_args(profile, args)
    t = translator(args.lang)
    fields = parse_field_overrides(args.field)
    old = read_snapshot(before, profile, fields, args.crs, args.layer)
    new = read_snapshot(after, profile, fields, args.crs, args.layer)
    names = bool(args.owner_names) or profile.site.owner_names
    changes = compare_snapshots(old, new, policy, t, names)
    sys.stdout.write(changes_output(changes, args.format, args.lang, profile, policy, after))
    if not args.quiet:
        print(summary_line(changes, t), file=sys.stderr)
    return 0


def changes_output(
    changes: Changes, fmt: str, lang: str, profile: Profile, policy: Policy, after: Path
) -> str:
    """The changes as CSV or JSON (machine words, with what they rest on) or a text table."""
    if fmt == "table":
        shown = changes_text_table(changes.table, translator(lang))
        with pd.option_context("display.max_colwidth", 60, "display.width", 250):
            return terminal_safe_table(shown).to_string(index=False) + "\n"
    source = source_of(profile, str(after), changes.after)
    basis = basis_of(profile, str(after), changes.after)
    cited = provenance(profile, policy, profile.zone.distance_m, source, basis=basis)
    table = cited.stamped(changes.table)
    table["data_date_before"] = str(changes.before.get("source_date", ""))
    for column in (*cited.as_dict(), "data_date_before", *FEW_VALUES):
        table[column] = table[column].astype("category")  # each value made safe once
    return render(table, fmt, lang)


def summary_line(changes: Changes, t: Translate) -> str:
    """How many parcels changed (by kind) and how many verdicts flipped, between which dates."""
    kinds = ", ".join(
        f"{t('change.' + k.replace(' ', '_'))} {n:,}" for k, n in changes.counts.items() if n
    )
    return t(
        "changes.summary",
        parcels=f"{len(changes.table):,}",
        kinds=kinds or "-",
        flipped=f"{changes.flips:,}",
        before=str(changes.before.get("source_date", "")) or "?",
        after=str(changes.after.get("source_date", "")) or "?",
    )


COMMAND = Command(
    "changes", "parcels that changed between two fetches, and the verdicts that flipped",
    add_arguments, run,
)  # fmt: skip
