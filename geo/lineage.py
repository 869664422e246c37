"""Splits and merges between two fetches of a parcel layer, found from the parcels' shapes.

A county that splits a parcel retires its number and gives the parts new ones (or keeps the
number for one part); a merge does the reverse. Matched by number alone, a split reads as
one parcel removed and two unrelated parcels added. Here the shapes decide:

- a **split**: an old parcel (gone, or still there with another shape) whose old shape holds
  two or more new parcels, each lying within it (:data:`WITHIN` of its area), that together
  cover it (:data:`WITHIN` of its area);
- a **merge**: a new parcel (new, or one whose shape grew) whose shape holds two or more old
  parcels, each lying within it, that together cover it.

Only the parcels that appeared, went away or changed shape are looked at, through an STRtree
of the new side's shapes, so a county's monthly update costs little.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

WITHIN = 0.9  # share of an area that counts as lying within, and as covering


@dataclass(frozen=True)
class Lineage:
    """Which candidate parcels split or merged (positions into the arrays given).

    Attributes
    ----------
    splits : list of (int, list of int)
        An old parcel and the new parcels it was split into.
    merges : list of (list of int, int)
        The old parcels and the new parcel they were merged into.
    """

    splits: list[tuple[int, list[int]]]
    merges: list[tuple[list[int], int]]


def find_lineage(old: np.ndarray, new: np.ndarray, within: float = WITHIN) -> Lineage:
    """Splits and merges among old and new shapes (same CRS).

    Parameters
    ----------
    old : numpy.ndarray
        The old shapes of parcels that went away or changed shape.
    new : numpy.ndarray
        The new shapes of parcels that appeared or changed shape.
    within : float
        The share of an area that counts as lying within another, and as covering it.

    Returns
    -------
    Lineage
        Each new parcel belongs to at most one event (merges are taken first).
    """
    old_ok, new_ok = _usable(old), _usable(new)
    if not old_ok.any() or not new_ok.any():
        return Lineage([], [])
    old_shapes, new_shapes = _shapes(old), _shapes(new)
    tree = shapely.STRtree(new_shapes)
    o, n = tree.query(old_shapes, predicate="intersects")
    keep = old_ok[o] & new_ok[n]
    o, n = o[keep], n[keep]
    if not len(o):
        return Lineage([], [])
    shared = shapely.area(shapely.intersection(old_shapes[o], new_shapes[n]))
    old_area, new_area = shapely.area(old_shapes), shapely.area(new_shapes)
    merges = _groups(n, o, shared, shared >= within * old_area[o], new_area, within)
    taken_new = {target for target, _ in merges}
    taken_old = {part for _, parts in merges for part in parts}
    splits = []
    for source, parts in _groups(o, n, shared, shared >= within * new_area[n], old_area, within):
        if source not in taken_old and not taken_new.intersection(parts):
            splits.append((source, parts))
    return Lineage(splits, [(parts, target) for target, parts in merges])


def _usable(shapes: np.ndarray) -> np.ndarray:
    """Which shapes can be measured (present, not empty, with an area)."""
    shapes = np.asarray(shapes, dtype=object)
    ok = ~(shapely.is_missing(shapes) | shapely.is_empty(shapes))
    ok[ok] = shapely.area(shapes[ok]) > 0
    return ok


def _shapes(shapes: np.ndarray) -> np.ndarray:
    """The shapes with missing and empty ones replaced by an empty polygon."""
    out = np.asarray(shapes, dtype=object).copy()
    bad = shapely.is_missing(out) | shapely.is_empty(out)
    out[bad] = shapely.Polygon()
    return out


def _groups(
    whole: np.ndarray,
    part: np.ndarray,
    shared: np.ndarray,
    lies_within: np.ndarray,
    whole_area: np.ndarray,
    within: float,
) -> list[tuple[int, list[int]]]:
    """Wholes holding two or more parts that lie within them and together cover them."""
    whole, part, shared = whole[lies_within], part[lies_within], shared[lies_within]
    if not len(whole):
        return []
    size = len(whole_area)
    count = np.bincount(whole, minlength=size)
    covered = np.bincount(whole, weights=shared, minlength=size)
    chosen = np.flatnonzero((count >= 2) & (covered >= within * whole_area))
    order = np.argsort(whole, kind="stable")
    whole, part = whole[order], part[order]
    starts = np.searchsorted(whole, chosen)
    ends = np.searchsorted(whole, chosen, side="right")
    return [
        (int(w), [int(p) for p in part[s:e]]) for w, s, e in zip(chosen, starts, ends, strict=True)
    ]
