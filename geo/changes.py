"""What changed between two fetches of a parcel layer, and which verdicts flipped.

:mod:`geo.parcel_diff` finds the changed parcels (owner, land use, shape, added, removed,
split, merged); here the policy core decides each one's verdict before and after, through
:func:`geo.classify.classify`, for the changed parcels only, and the table is ordered with
the verdict flips first. Codes only: :func:`changes_text_table` puts a table in the
reader's words.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from geo.classify import classify
from geo.explain import localized_table, reason_list
from geo.export import flat
from geo.i18n import Translate, translator
from geo.normalize import normalize_owner_array
from geo.parcel_diff import SHAPE_TOLERANCE, ChangeKind, Diff, diff_snapshots
from geo.privacy import names_state, private_view, shown_owner
from geo.profile import Policy
from geo.snapshot import Snapshot

JOIN = "; "  # between the values of several parcels merged into one
KIND_ORDER = tuple(ChangeKind)

CHANGE_COLUMNS = (
    "apn",
    "address",
    "change",
    "related_apns",
    "owner_before",
    "owner_after",
    "land_use_before",
    "land_use_after",
    "verdict_before",
    "verdict_after",
    "reasons",
)


@dataclass(frozen=True)
class Changes:
    """The changed parcels between two fetches.

    Attributes
    ----------
    table : pandas.DataFrame
        :data:`CHANGE_COLUMNS`, one row per changed parcel, verdict flips first; machine
        words (``change`` joins :class:`ChangeKind` words with ``", "``; ``reasons`` is a list).
    flipped : numpy.ndarray
        Per row, whether the verdict before differs from the verdict after.
    counts : dict
        Rows per :class:`ChangeKind` word (a row may count under several).
    before, after : dict
        The two files' ``attrs`` (their source names, dates and fetch records).
    duplicates : int
        Rows left out because their APN was blank or came twice in a file.
    """

    table: pd.DataFrame
    flipped: np.ndarray
    counts: dict[str, int]
    before: dict[str, Any] = field(default_factory=dict)
    after: dict[str, Any] = field(default_factory=dict)
    duplicates: int = 0

    @property
    def flips(self) -> int:
        """How many verdicts flipped."""
        return int(self.flipped.sum())


def compare_snapshots(
    old: Snapshot,
    new: Snapshot,
    policy: Policy,
    t: Translate | None = None,
    owner_names: bool = False,
    tolerance: float = SHAPE_TOLERANCE,
) -> Changes:
    """The parcels that changed between two files of the same layer, with their verdicts.

    Parameters
    ----------
    old, new : Snapshot
        The earlier and the later file (:func:`geo.snapshot.read_snapshot`).
    policy : Policy
        The terms both files are decided under.
    t : Translate, optional
        The reader's catalog for the reasons (English when omitted).
    owner_names : bool
        Keep private owners' names (by default they read as their class).
    tolerance : float
        The share of a parcel's area that must differ for its shape to count as changed.

    Returns
    -------
    Changes
    """
    diff = diff_snapshots(old, new, tolerance)
    return decide_changes(old, new, diff, policy, t or translator("en"), owner_names)


def _side(
    snap: Snapshot, rows: list[int], policy: Policy, t: Translate, names: bool, reasons: bool
) -> dict[int, dict[str, Any]]:
    """Each row's shown owner, land use, verdict (and address, reasons) under the policy."""
    if not rows:
        return {}
    positions = np.asarray(sorted(set(rows)), dtype=np.int64)
    frame = snap.frame(positions)
    decided = classify(frame, policy, reasons=reasons, t=t)
    if reasons:
        decided = private_view(decided, names, t)
        shown = decided["owner"]
    else:
        shown = shown_owner(decided["owner"], decided["owner_class"], names, t)
    columns = {
        "owner": shown.astype(str).tolist(),
        "owner_key": frame["owner"].astype(str).tolist(),
        "land_use": frame["land_use"].astype(str).tolist(),
        "verdict": decided["verdict"].astype(str).tolist(),
        "address": frame["address"].astype(str).tolist(),
        "reasons": [reason_list(r) for r in decided["reasons"]] if reasons else [[]] * len(frame),
    }
    return {
        int(pos): {key: values[k] for key, values in columns.items()}
        for k, pos in enumerate(positions)
    }


def decide_changes(
    old: Snapshot,
    new: Snapshot,
    diff: Diff,
    policy: Policy,
    t: Translate,
    names: bool = False,
) -> Changes:
    """The changes table of a diff under a policy: values before and after, verdicts, order.

    Parameters
    ----------
    old, new : Snapshot
    diff : Diff
        From :func:`diff_snapshots` of the same two files.
    policy : Policy
    t : Translate
        The reader's catalog for the reasons.
    names : bool
        Keep private owners' names.

    Returns
    -------
    Changes
    """
    rows = [replace(r, kinds=set(r.kinds)) for r in diff.rows]  # a diff serves many policies
    before = _side(old, [o for r in rows for o in r.olds], policy, t, names, reasons=False)
    after = _side(new, [r.new for r in rows if r.new >= 0], policy, t, names, reasons=True)
    records, flipped = [], []
    for row in rows:
        was = [before[o] for o in row.olds]
        now = after.get(row.new)
        if now is not None and len(was) > 0 and row.kinds & {ChangeKind.SPLIT, ChangeKind.MERGED}:
            row.kinds |= _value_kinds(was, now)
        verdicts = _distinct(w["verdict"] for w in was)
        flip = now is not None and bool(verdicts) and any(v != now["verdict"] for v in verdicts)
        flipped.append(flip)
        records.append(
            {
                "apn": row.apn,
                "address": now["address"]
                if now and now["address"]
                else (was[0]["address"] if was else ""),
                "change": ", ".join(k.value for k in KIND_ORDER if k in row.kinds),
                "related_apns": JOIN.join(row.related),
                "owner_before": JOIN.join(_distinct(w["owner"] for w in was)),
                "owner_after": now["owner"] if now else "",
                "land_use_before": JOIN.join(_distinct(w["land_use"] for w in was)),
                "land_use_after": now["land_use"] if now else "",
                "verdict_before": JOIN.join(verdicts),
                "verdict_after": now["verdict"] if now else "",
                "reasons": now["reasons"] if now else [],
                "_order": min(KIND_ORDER.index(k) for k in row.kinds),
            }
        )
    table = pd.DataFrame(records, columns=[*CHANGE_COLUMNS, "_order"])
    table["_flip"] = flipped
    table = table.sort_values(
        ["_flip", "_order", "apn"], ascending=[False, True, True], kind="stable"
    )
    mask = table["_flip"].to_numpy(dtype=bool)
    table = table[list(CHANGE_COLUMNS)].reset_index(drop=True)
    table.attrs = {"owner_names": names_state(names)}
    counts = {
        k.value: int(table["change"].str.contains(k.value, regex=False).sum()) for k in KIND_ORDER
    }
    return Changes(table, mask, counts, dict(old.attrs), dict(new.attrs), diff.dropped)


def _value_kinds(was: list[dict[str, Any]], now: dict[str, Any]) -> set[ChangeKind]:
    """Owner and land-use changes of a split or merged parcel against the parcels it came from."""
    out = set()
    owners = normalize_owner_array(pa.array([w["owner_key"] for w in was] + [now["owner_key"]]))
    keys = owners.to_pylist()
    if any(k != keys[-1] for k in keys[:-1]):
        out.add(ChangeKind.OWNER)
    if any(w["land_use"] != now["land_use"] for w in was):
        out.add(ChangeKind.LAND_USE)
    return out


def _distinct(values: Any) -> list[str]:
    """The values in order, each once, blanks left out."""
    return [v for v in dict.fromkeys(str(x) for x in values) if v]


def changes_text_table(table: pd.DataFrame, t: Translate) -> pd.DataFrame:
    """A changes table for people: change and verdict words and headers in their language."""
    out = flat(table)
    out["change"] = [
        ", ".join(t(f"change.{ChangeKind(w).key}") for w in str(v).split(", ") if w)
        for v in out["change"]
    ]
    for column in ("verdict_before", "verdict_after"):
        out[column] = [
            JOIN.join(t(f"verdict.{w}") for w in str(v).split(JOIN) if w) for v in out[column]
        ]
    return localized_table(out, t)
