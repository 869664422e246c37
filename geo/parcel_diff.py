"""Which parcels changed between two files of a parcel layer, matched by APN.

A matched parcel changed when its owner (compared as owner names are: case, spacing and
punctuation ignored), its land use (code or description) or its shape (more than
:data:`SHAPE_TOLERANCE` of its area) differs; an APN only in the old file was removed, one
only in the new file was added; splits and merges are found from the shapes
(:mod:`geo.lineage`). The work is done in Arrow on the whole tables (hash look-ups of the
APNs, column equality); shapes are decoded only where their bytes differ or a parcel
appeared or went away. No policy is needed here: :mod:`geo.changes` decides the verdicts.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import shapely

from geo.lineage import Lineage, find_lineage
from geo.normalize import normalize_owner_array
from geo.snapshot import GEOMETRY, Snapshot

SHAPE_TOLERANCE = 0.01  # share of a parcel's area that must differ for a changed shape


class ChangeKind(StrEnum):
    """How a parcel changed between two fetches (the machine words of ``change``)."""

    SPLIT = "split"
    MERGED = "merged"
    ADDED = "added"
    REMOVED = "removed"
    OWNER = "owner"
    LAND_USE = "land use"
    SHAPE = "shape"

    @property
    def key(self) -> str:
        """The catalog key's last part (``land_use``)."""
        return self.value.replace(" ", "_")


@dataclass
class DiffRow:
    """One changed parcel: its new row (-1: removed), its old rows, kinds and related APNs."""

    apn: str
    new: int
    olds: tuple[int, ...]
    kinds: set[ChangeKind]
    related: tuple[str, ...] = ()


@dataclass(frozen=True)
class Diff:
    """Which parcels changed and how, before any policy decides them.

    Attributes
    ----------
    rows : list
        One entry per changed parcel (its rows in the two files, kinds, related APNs).
    dropped : int
        Rows left out because their APN was blank or came twice in a file.
    """

    rows: list[DiffRow]
    dropped: int


def diff_snapshots(old: Snapshot, new: Snapshot, tolerance: float = SHAPE_TOLERANCE) -> Diff:
    """The changed parcels between two files, matched by APN (no policy needed)."""
    match = match_apns(old.column("apn"), new.column("apn"))
    kinds = _matched_kinds(old, new, match.old, match.new, tolerance)
    rows = _event_rows(old, new, match.old, match.new, kinds, match.removed, match.added)
    return Diff(rows, match.dropped)


@dataclass(frozen=True)
class Match:
    """Rows of two files matched by APN (positions), and those in one file only."""

    old: np.ndarray
    new: np.ndarray
    removed: np.ndarray
    added: np.ndarray
    dropped: int  # blank APNs, and every occurrence of an APN after its first in a file


def match_apns(old: pa.Array, new: pa.Array) -> Match:
    """Match two APN columns: one hash of the old APNs, probed with the new ones (and with
    the old ones too, for their repeats, unless they are in strictly increasing order).

    A blank APN matches nothing; an APN that comes twice in a file is matched (or listed)
    by its first row only.
    """
    n_old = len(old)
    ordered = n_old < 2 or not pc.any(pc.less_equal(old[1:], old[:-1])).as_py()
    probe = new if ordered else pa.concat_arrays([old, new])  # sorted: each APN once
    probed = pc.index_in(probe, value_set=old)
    first = np.asarray(pc.fill_null(probed, -1).to_numpy(zero_copy_only=False), dtype=np.int64)
    old_blank = np.asarray(pc.equal(old, "").to_numpy(zero_copy_only=False), dtype=bool)
    new_blank = np.asarray(pc.equal(new, "").to_numpy(zero_copy_only=False), dtype=bool)
    own = np.arange(n_old) if ordered else first[:n_old]
    old_ok = (own == np.arange(n_old)) & ~old_blank
    found = first[len(probe) - len(new) :]
    candidates = np.flatnonzero((found >= 0) & ~new_blank)
    takes = np.full(n_old, -1, dtype=np.int64)
    takes[found[candidates][::-1]] = candidates[::-1]  # each old row's first new row
    matched_new = candidates[takes[found[candidates]] == candidates]
    matched_old = found[matched_new]
    unmatched = np.flatnonzero((found < 0) & ~new_blank)
    added = unmatched[_firsts(new.take(pa.array(unmatched, pa.int64())))]
    seen = np.zeros(n_old, dtype=bool)
    seen[matched_old] = True
    removed = np.flatnonzero(old_ok & ~seen)
    dropped = n_old - int(old_ok.sum()) + len(new) - len(matched_new) - len(added)
    return Match(matched_old, matched_new, removed, added, dropped)


def _firsts(apn: pa.Array) -> np.ndarray:
    """Which values of a (small) column are the first of their kind."""
    first = pc.index_in(apn, value_set=apn).to_numpy(zero_copy_only=False)
    return np.asarray(first == np.arange(len(apn)), dtype=bool)


MAX_RUNS = 5000  # beyond this many runs of rows in step, matched rows are gathered instead


def in_step(a: np.ndarray, b: np.ndarray) -> list[tuple[int, int, int]] | None:
    """The matched rows as runs that go up one by one in both files (``start_a``,
    ``start_b``, length), or None when there are too many to compare run by run.

    Two fetches of a layer list most parcels in the same order, so their matched rows come
    in a few long runs, which are compared in place (slices) instead of gathered.
    """
    if not len(a):
        return []
    breaks = np.flatnonzero((np.diff(a) != 1) | (np.diff(b) != 1)) + 1
    if len(breaks) >= MAX_RUNS:
        return None
    starts = np.concatenate([[0], breaks])
    lengths = np.diff(np.concatenate([starts, [len(a)]]))
    return [(int(a[s]), int(b[s]), int(n)) for s, n in zip(starts, lengths, strict=True)]


def _differs(
    old: Snapshot,
    new: Snapshot,
    column: str,
    a: np.ndarray,
    b: np.ndarray,
    runs: list[tuple[int, int, int]] | None,
) -> np.ndarray:
    """Where a column's value differs between matched rows (compared in Arrow)."""
    before, after = old.column(column), new.column(column)
    if runs is None:
        pairs = [(before.take(pa.array(a, pa.int64())), after.take(pa.array(b, pa.int64())))]
    else:
        pairs = [(before.slice(i, n), after.slice(j, n)) for i, j, n in runs]
    parts = [pc.not_equal(x, y).to_numpy(zero_copy_only=False) for x, y in pairs]
    return np.concatenate(parts).astype(bool) if parts else np.zeros(0, dtype=bool)


def _matched_kinds(
    old: Snapshot, new: Snapshot, a: np.ndarray, b: np.ndarray, tolerance: float
) -> dict[ChangeKind, np.ndarray]:
    """For each matched pair, whether its owner, land use and shape changed."""
    runs = in_step(a, b)
    owner = _differs(old, new, "owner", a, b, runs)
    if owner.any():  # the same name spelt with other case or commas is the same owner
        at = np.flatnonzero(owner)
        before = normalize_owner_array(old.column("owner").take(pa.array(a[at])).cast(pa.string()))
        after = normalize_owner_array(new.column("owner").take(pa.array(b[at])).cast(pa.string()))
        owner[at] = pc.not_equal(before, after).to_numpy(zero_copy_only=False)
    land_use = _differs(old, new, "land_use", a, b, runs)
    land_use |= _differs(old, new, "land_use_label", a, b, runs)
    same_crs = old.crs is not None and new.crs is not None and old.crs == new.crs
    shape = _differs(old, new, GEOMETRY, a, b, runs) if same_crs else np.ones(len(a), bool)
    at = np.flatnonzero(shape)
    if len(at):
        shape[at] = reshaped(old.shapes(a[at], new.crs), new.shapes(b[at]), tolerance)
    return {ChangeKind.OWNER: owner, ChangeKind.LAND_USE: land_use, ChangeKind.SHAPE: shape}


def reshaped(
    before: np.ndarray, after: np.ndarray, tolerance: float = SHAPE_TOLERANCE
) -> np.ndarray:
    """Whether each pair of shapes differs by more than ``tolerance`` of the larger area.

    Parameters
    ----------
    before, after : numpy.ndarray
        Shapes in one CRS, pairwise.
    tolerance : float

    Returns
    -------
    numpy.ndarray
        A missing or empty shape differs from a present one, and not from another missing one.
    """
    none_a = shapely.is_missing(before) | shapely.is_empty(before)
    none_b = shapely.is_missing(after) | shapely.is_empty(after)
    out = none_a != none_b
    both = ~none_a & ~none_b
    if both.any():
        a, b = before[both], after[both]
        apart = shapely.area(shapely.symmetric_difference(a, b))
        out[both] = apart > tolerance * np.maximum(shapely.area(a), shapely.area(b))
    return out


def _event_rows(
    old: Snapshot,
    new: Snapshot,
    matched_old: np.ndarray,
    matched_new: np.ndarray,
    kinds: dict[ChangeKind, np.ndarray],
    removed: np.ndarray,
    added: np.ndarray,
) -> list[DiffRow]:
    """Every changed parcel: splits and merges first, then changed, removed and added ones."""
    shape = kinds[ChangeKind.SHAPE]
    source_old = np.concatenate([removed, matched_old[shape]])
    target_new = np.concatenate([added, matched_new[shape]])
    lineage = find_lineage(old.shapes(source_old, new.crs), new.shapes(target_new))
    rows = _lineage_rows(old, new, lineage, source_old, target_new)
    in_events = {r.new for r in rows}
    gone = {o for r in rows for o in r.olds}
    code = np.zeros(len(matched_new), dtype=np.int64)  # one bit a kind: 8 sets of kinds
    for bit, mask in enumerate(kinds.values()):
        code |= mask.astype(np.int64) << bit
    sets = [frozenset(k for bit, k in enumerate(kinds) if c >> bit & 1) for c in range(8)]
    changed = np.flatnonzero(code)
    names = _names(new, matched_new[changed])
    for i, name, c in zip(changed.tolist(), names, code[changed].tolist(), strict=True):
        if int(matched_new[i]) not in in_events:
            rows.append(DiffRow(name, int(matched_new[i]), (int(matched_old[i]),), set(sets[c])))
    for r, name in zip(removed, _names(old, removed), strict=True):
        if int(r) not in gone:
            rows.append(DiffRow(name, -1, (int(r),), {ChangeKind.REMOVED}))
    for r, name in zip(added, _names(new, added), strict=True):
        if int(r) not in in_events:
            rows.append(DiffRow(name, int(r), (), {ChangeKind.ADDED}))
    return rows


def _names(snap: Snapshot, rows: np.ndarray) -> list[str]:
    """The APNs of these rows."""
    return [str(v) for v in snap.column("apn").take(pa.array(rows, pa.int64())).to_pylist()]


def _lineage_rows(
    old: Snapshot, new: Snapshot, lineage: Lineage, source_old: np.ndarray, target_new: np.ndarray
) -> list[DiffRow]:
    """One row per new parcel of a split (its parent related) and per merged parcel."""
    rows: list[DiffRow] = []
    for source, parts in lineage.splits:
        whole = int(source_old[source])
        parent = _names(old, np.asarray([whole]))[0]
        kids = _names(new, target_new[parts])
        for p, name in zip(parts, kids, strict=True):
            related = tuple(n for n in kids if n != name) if name == parent else (parent,)
            rows.append(DiffRow(name, int(target_new[p]), (whole,), {ChangeKind.SPLIT}, related))
    for parts, target in lineage.merges:
        name = _names(new, np.asarray([target_new[target]]))[0]
        olds = [int(source_old[p]) for p in parts]
        pairs = sorted(
            zip(_names(old, np.asarray(olds)), olds, strict=True), key=lambda x: x[0] != name
        )
        related = tuple(n for n, _ in pairs if n != name)
        merged = tuple(r for _, r in pairs)
        rows.append(DiffRow(name, int(target_new[target]), merged, {ChangeKind.MERGED}, related))
    return rows
