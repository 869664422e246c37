"""What changed between two fetches of a parcel layer, and which verdicts flipped.

:mod:`geo.parcel_diff` finds the changed parcels (owner, land use, shape, added, removed,
split, merged); here the policy core decides each one's verdict before and after, through
:func:`geo.classify.classify`, for the changed parcels only, and the table is ordered with
the verdict flips first. Codes only: :func:`changes_text_table` puts a table in the
reader's words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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
from geo.policy.terms import Policy
from geo.privacy import names_state, private_view, shown_owner
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


@dataclass(frozen=True)
class _Side:
    """The changed parcels of one file, decided: one entry per row position, in order."""

    positions: np.ndarray
    owner: np.ndarray  # as shown (a private owner by its class, unless names are on)
    owner_key: np.ndarray  # the owner's normalised name, for comparing
    land_use: np.ndarray
    verdict: np.ndarray
    address: np.ndarray
    reasons: list[list[str]]

    def at(self, rows: np.ndarray, column: str) -> np.ndarray:
        """A column's values for these rows (``""`` where a row is -1)."""
        out = np.full(len(rows), "", dtype=object)
        have = rows >= 0
        values = getattr(self, column)
        out[have] = values[np.searchsorted(self.positions, rows[have])]
        return out

    def reasons_at(self, rows: np.ndarray) -> list[list[str]]:
        """The reasons of these rows (none where a row is -1)."""
        where = np.searchsorted(self.positions, np.maximum(rows, 0))
        return [self.reasons[w] if r >= 0 else [] for r, w in zip(rows, where, strict=True)]


def _side(
    snap: Snapshot, rows: np.ndarray, policy: Policy, t: Translate, names: bool, reasons: bool
) -> _Side:
    """The shown owner, land use, verdict, address (and reasons) of these rows."""
    positions = np.unique(rows[rows >= 0])
    frame = snap.frame(positions)
    decided = classify(frame, policy, reasons=reasons, t=t)
    if reasons:
        decided = private_view(decided, names, t)
        shown = decided["owner"]
    else:
        shown = shown_owner(decided["owner"], decided["owner_class"], names, t)
    keys = normalize_owner_array(pa.array(frame["owner"].astype(str), pa.string()))

    def values(column: pd.Series | pa.Array) -> np.ndarray:
        if isinstance(column, pa.Array):
            return np.asarray(column.to_numpy(zero_copy_only=False), dtype=object)
        return np.asarray(column.astype(str).to_numpy(), dtype=object)

    said = [reason_list(r) for r in decided["reasons"]] if reasons else []
    return _Side(
        positions, values(shown), values(keys), values(frame["land_use"]),
        values(decided["verdict"]), values(frame["address"]), said,
    )  # fmt: skip


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
    rows = diff.rows
    first = np.asarray([r.olds[0] if r.olds else -1 for r in rows], dtype=np.int64)
    now = np.asarray([r.new for r in rows], dtype=np.int64)
    olds = np.asarray([o for r in rows for o in r.olds], dtype=np.int64)
    before = _side(old, olds, policy, t, names, reasons=False)
    after = _side(new, now, policy, t, names, reasons=True)
    columns = {
        "apn": np.asarray([r.apn for r in rows], dtype=object),
        "address": np.where(now >= 0, after.at(now, "address"), before.at(first, "address")),
        "related_apns": np.asarray([JOIN.join(r.related) for r in rows], dtype=object),
        **{f"{c}_before": before.at(first, c) for c in ("owner", "land_use", "verdict")},
        **{f"{c}_after": after.at(now, c) for c in ("owner", "land_use", "verdict")},
    }
    kinds = [set(r.kinds) for r in rows]  # a diff serves many policies: its rows stay as they are
    event = np.asarray([bool(r.kinds & _EVENTS) for r in rows], dtype=bool) & (now >= 0)
    for kind, column in ((ChangeKind.OWNER, "owner_key"), (ChangeKind.LAND_USE, "land_use")):
        differs = event & (before.at(first, column) != after.at(now, column))
        for at in np.flatnonzero(differs):
            kinds[at].add(kind)
    flipped = _flips(columns["verdict_before"], columns["verdict_after"]) & (first >= 0)
    for i in [k for k, r in enumerate(rows) if len(r.olds) > 1]:  # a merge: every part
        was = np.asarray(rows[i].olds, dtype=np.int64)
        kinds[i] |= _value_kinds(before, was, after, now[i : i + 1])
        for column in ("owner", "land_use", "verdict"):
            columns[f"{column}_before"][i] = JOIN.join(_distinct(before.at(was, column)))
        flipped[i] = bool(set(before.at(was, "verdict")) - {columns["verdict_after"][i]})
    columns["change"] = np.asarray(
        [", ".join(k.value for k in KIND_ORDER if k in ks) for ks in kinds], dtype=object
    )
    order = np.asarray([min(KIND_ORDER.index(k) for k in ks) for ks in kinds], dtype=np.int64)
    sort = np.lexsort((columns["apn"], order, ~flipped))
    reasons = after.reasons_at(now[sort])
    table = pd.DataFrame({c: columns[c][sort] for c in CHANGE_COLUMNS if c != "reasons"})
    table["reasons"] = pd.Series(reasons, dtype=object)
    table.attrs = {"owner_names": names_state(names)}
    counts = {k.value: sum(k in ks for ks in kinds) for k in KIND_ORDER}
    return Changes(table, flipped[sort], counts, dict(old.attrs), dict(new.attrs), diff.dropped)


_EVENTS = {ChangeKind.SPLIT, ChangeKind.MERGED}


def _flips(before: np.ndarray, after: np.ndarray) -> np.ndarray:
    """Where a verdict before and after are both there and differ."""
    return np.asarray((before != after) & (before != "") & (after != ""), dtype=bool)


def _value_kinds(before: _Side, was: np.ndarray, after: _Side, now: np.ndarray) -> set[ChangeKind]:
    """Owner and land-use changes of a split or merged parcel against the parcels it came from."""
    out = set()
    if set(before.at(was, "owner_key")) != set(after.at(now, "owner_key")):
        out.add(ChangeKind.OWNER)
    if set(before.at(was, "land_use")) != set(after.at(now, "land_use")):
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
