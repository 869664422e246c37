"""The published site's "changed since the previous fetch", from a history folder.

:func:`geo.site_changes.site_changes` lists what changed between the history's two newest
snapshots and each policy version's verdict before and after (the policy core decides them,
under the terms the site's cards were decided under, through :mod:`geo.changes`). Here that
list becomes the site's pieces:

- ``data/changes/<digest>/changes.json``, read only when the reader opens the section: one
  entry per changed parcel in each column: ``apn``, ``address``, ``row`` (its id on this
  site; ``null`` for a parcel that is gone), ``lon`` and ``lat`` (a point inside it),
  ``change`` (indexes into :data:`KINDS`), ``related`` (the APNs it was split from or
  merged of), ``land_use`` (``[before, after]``), and per version ``verdicts``
  (``[before, after]``: an index into ``VERDICTS``, a list of them where merged parcels had
  several, ``null`` where the parcel was not in that data), ``order`` (the positions, that
  version's flips first) and ``flipped`` (the positions whose verdict flipped);
- the summary ``data/site.json`` holds (the two dates, the counts, the file, the kinds);
- each of the site's parcels' change kinds as bits, for its card ("changed since ...").

No owner is named in any of them: what changed says "owner", never who.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from geo.analysis import Analysis
from geo.changes import JOIN
from geo.history import snapshots
from geo.parcel_diff import ChangeKind
from geo.policy.codes import VERDICTS
from geo.profile import Profile
from geo.site_changes import site_changes
from layers.site_cards import version_policies
from layers.site_folders import compact_json, write_named_by_contents

KINDS = tuple(kind.key for kind in ChangeKind)  # the catalog's change.<kind>, by bit
FOLDER = "changes"
FILE = "changes.json"
_KIND_INDEX = {kind.value: i for i, kind in enumerate(ChangeKind)}
_VERDICT_INDEX = {v.value: i for i, v in enumerate(VERDICTS)}


@dataclass(frozen=True)
class SiteChanges:
    """The changes as the site shows them.

    Attributes
    ----------
    summary : dict
        For ``data/site.json``: ``before`` and ``after`` (the as-of dates), ``parcels``,
        ``flips`` (per version), ``kinds`` (:data:`KINDS`).
    columns : dict
        The changes file's contents (see the module's notes).
    kinds : numpy.ndarray
        Per parcel of the site (by row), a bit per :data:`KINDS` entry; 0 where unchanged.
    """

    summary: dict[str, Any]
    columns: dict[str, Any]
    kinds: np.ndarray


def site_history(
    folder: str | Path, analysis: Analysis, profile: Profile, points: np.ndarray
) -> SiteChanges | None:
    """What changed between the history's two newest snapshots, for the site (None with
    fewer than two); ``analysis`` is the site's parcels, ``points`` a (lon, lat) in each."""
    if len(snapshots(folder)) < 2:
        return None
    piece = site_changes(folder, profile, policies=version_policies(analysis, profile))
    rows = piece["changed_since_previous"]
    ids = parcel_ids(analysis.parcels["apn"], [r["apn"] for r in rows])
    kinds = np.zeros(len(analysis.parcels), dtype=np.int64)
    for row, at in zip(rows, ids, strict=True):
        if at is not None:
            kinds[at] |= sum(1 << _KIND_INDEX[k] for k in row["change"])
    versions = list(piece["order"])
    flipped = {v: [i for i, r in enumerate(rows) if v in r["flipped"]] for v in versions}
    columns = {
        "apn": [r["apn"] for r in rows],
        "address": [r["address"] for r in rows],
        "row": ids,
        "lon": [None if at is None else round(float(points[at][0]), 6) for at in ids],
        "lat": [None if at is None else round(float(points[at][1]), 6) for at in ids],
        "change": [[_KIND_INDEX[k] for k in r["change"]] for r in rows],
        "related": [r["related_apns"] for r in rows],
        "land_use": [[r["land_use_before"], r["land_use_after"]] for r in rows],
        "verdicts": {v: [[_verdict(x) for x in r["verdicts"][v]] for r in rows] for v in versions},
        "order": piece["order"],
        "flipped": flipped,
    }
    summary = {
        "before": piece["previous_as_of"] or "?",
        "after": piece["as_of"] or "?",
        "parcels": len(rows),
        "flips": {v: len(f) for v, f in flipped.items()},
        "kinds": list(KINDS),
    }
    return SiteChanges(summary, columns, kinds)


def parcel_ids(apns: pd.Series, wanted: list[str]) -> list[int | None]:
    """Each wanted APN's row among the site's parcels (its first), or None when absent."""
    first = pd.Series(np.arange(len(apns)), index=apns.fillna("").astype(str).to_numpy())
    first = first[~first.index.duplicated()]
    return [int(first[apn]) if apn in first.index else None for apn in wanted]


def _verdict(text: str) -> int | list[int] | None:
    """A verdict's index (a list of them for merged parcels', None where there was none)."""
    found = [_VERDICT_INDEX[w] for w in str(text).split(JOIN) if w]
    if not found:
        return None
    return found[0] if len(found) == 1 else found


def write_changes(data: Path, changes: SiteChanges) -> dict[str, Any]:
    """Write ``data/changes/<digest>/changes.json`` and return the summary with its path."""
    digest = write_named_by_contents(data / FOLDER, {FILE: compact_json(changes.columns)})
    return {**changes.summary, "file": f"data/{FOLDER}/{digest}/{FILE}"}
