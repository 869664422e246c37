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
    old_ok, new_ok = _first_of_each(old.column("apn")), _first_of_each(new.column("apn"))
    old_rows = np.flatnonzero(old_ok)
    found = pc.index_in(new.column("apn"), value_set=old.column("apn").filter(pa.array(old_ok)))
    hit = new_ok & found.is_valid().to_numpy(zero_copy_only=False)
    matched_new = np.flatnonzero(hit)
    matched_old = old_rows[found.filter(pa.array(hit)).to_numpy(zero_copy_only=False)]
    seen = pc.is_in(old.column("apn"), value_set=new.column("apn").filter(pa.array(new_ok)))
    removed = np.flatnonzero(old_ok & ~seen.to_numpy(zero_copy_only=False))
    added = np.flatnonzero(new_ok & ~hit)
    kinds = _matched_kinds(old, new, matched_old, matched_new, tolerance)
    rows = _event_rows(old, new, matched_old, matched_new, kinds, removed, added)
    dropped = len(old) - len(old_rows) + len(new) - int(new_ok.sum())
    return Diff(rows, dropped)


def _first_of_each(apn: pa.Array) -> np.ndarray:
    """Which rows hold the first occurrence of a non-blank APN."""
    first = pc.index_in(apn, value_set=apn).to_numpy(zero_copy_only=False)
    blank = pc.equal(apn, "").to_numpy(zero_copy_only=False)
    return (first == np.arange(len(apn))) & ~blank


def _differs(old: Snapshot, new: Snapshot, column: str, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Where a column's value differs between matched rows (compared in Arrow)."""
    before = old.column(column).take(pa.array(a, pa.int64()))
    after = new.column(column).take(pa.array(b, pa.int64()))
    return np.asarray(pc.not_equal(before, after).to_numpy(zero_copy_only=False), dtype=bool)


def _matched_kinds(
    old: Snapshot, new: Snapshot, a: np.ndarray, b: np.ndarray, tolerance: float
) -> dict[ChangeKind, np.ndarray]:
    """For each matched pair, whether its owner, land use and shape changed."""
    owner = _differs(old, new, "owner", a, b)
    if owner.any():  # the same name spelt with other case or commas is the same owner
        at = np.flatnonzero(owner)
        before = normalize_owner_array(old.column("owner").take(pa.array(a[at])))
        after = normalize_owner_array(new.column("owner").take(pa.array(b[at])))
        owner[at] = pc.not_equal(before, after).to_numpy(zero_copy_only=False)
    land_use = _differs(old, new, "land_use", a, b) | _differs(old, new, "land_use_label", a, b)
    same_crs = old.crs is not None and new.crs is not None and old.crs == new.crs
    shape = _differs(old, new, GEOMETRY, a, b) if same_crs else np.ones(len(a), dtype=bool)
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
    changed = np.flatnonzero(np.logical_or.reduce(list(kinds.values())))
    names = _names(new, matched_new[changed])
    for i, name in zip(changed, names, strict=True):
        if int(matched_new[i]) not in in_events:
            what = {k for k, mask in kinds.items() if mask[i]}
            rows.append(DiffRow(name, int(matched_new[i]), (int(matched_old[i]),), what))
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
