"""``civicmap fetch --history DIR``: file the fetch as a dated snapshot and say what changed.

The fetch itself wrote ``DIR/incoming.parquet`` (:mod:`geo.history`); here it is filed under
its dated name, copied to ``--out`` when one is given, compared with the snapshot before it
(the changed parcels, verdict flips first) and the oldest snapshots beyond ``--keep`` are
removed.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

from geo.changes import compare_snapshots
from geo.cli.changes import changes_output, summary_line
from geo.history import file_snapshot, place_copy, prune, snapshots
from geo.i18n import translator
from geo.policy.terms import Policy
from geo.profile import Profile
from geo.snapshot import read_snapshot

SHOWN_ROWS = 50  # a county's month of changes is listed whole by ``civicmap changes``


def after_history_fetch(
    args: argparse.Namespace, written: Path, profile: Profile, policy: Policy
) -> int:
    """File the fetch, copy it to ``--out``, list its changes, keep the newest snapshots."""
    folder = Path(args.history)
    before = snapshots(folder)
    filed = file_snapshot(folder, written)
    if args.out:
        place_copy(filed, Path(args.out))
        print(f"wrote: {args.out}")
    print(f"snapshot: {filed}")
    if before:
        report_changes(before[-1], filed, profile, policy, folder)
    else:
        print("changes: none to list yet (the first snapshot of this history)")
    removed = prune(folder, args.keep)
    kept = len(snapshots(folder))
    gone = f"; removed {len(removed)} older" if removed else ""
    print(f"history: {kept} snapshot{'s' if kept != 1 else ''} kept in {folder}{gone}")
    return 0


def report_changes(
    previous: Path, filed: Path, profile: Profile, policy: Policy, folder: Path
) -> None:
    """Print the parcels that changed since ``previous`` (the first rows) and the summary."""
    t = translator("en")
    old, new = read_snapshot(previous, profile), read_snapshot(filed, profile)
    changes = compare_snapshots(old, new, policy, t, profile.site.owner_names)
    print(f"changes since {previous.name}:")
    if len(changes.table):
        shown = replace(changes, table=changes.table.head(SHOWN_ROWS).drop(columns="reasons"))
        print(changes_output(shown, "table", "en", profile, policy, filed), end="")
        more = len(changes.table) - SHOWN_ROWS
        tail = f"{more:,} more and " if more > 0 else ""
        print(f"({tail}the reasons: civicmap changes {folder})")
    print(summary_line(changes, t))
