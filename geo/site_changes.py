"""The published site's piece of a history: the data's as-of date and what changed since the
previous fetch, under every policy version, as one JSON-able dict.

The site's card says "as of <date>" and lists the parcels changed since the fetch before,
verdict flips first, for whichever version the reader picks; the browser only shows what
this wrote (it decides nothing). Private owners' names are never in it.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from geo.changes import JOIN, decide_changes
from geo.history import latest_pair, snapshots
from geo.i18n import translator
from geo.parcel_diff import diff_snapshots
from geo.policy.terms import Policy
from geo.profile import Profile
from geo.provenance import date_basis
from geo.snapshot import Snapshot, read_snapshot

FIELDS = ("apn", "address", "change", "related_apns", "land_use_before", "land_use_after")


def site_changes(
    folder: str | Path,
    profile: Profile,
    limit: int | None = None,
    policies: Mapping[str, Policy] | None = None,
) -> dict[str, Any]:
    """The as-of date of a history's newest snapshot and its changes since the one before.

    Parameters
    ----------
    folder : str or Path
        A history folder (``civicmap fetch --history``).
    profile : Profile
        Its policy versions decide the verdicts before and after.
    limit : int, optional
        List at most this many parcels (the flips come first); all when None.
    policies : mapping, optional
        Each version's terms, by version key (the profile's own when omitted; the site
        passes the ones its cards were decided under, the command line's overrides kept).

    Returns
    -------
    dict
        ``as_of`` and ``as_of_basis`` (the newest data's date and what it is),
        ``previous_as_of``, ``default_version``, ``counts`` (parcels per change kind) and
        ``changed_since_previous``: one dict per parcel with ``apn``, ``address``, ``change``
        and ``related_apns`` (lists), ``land_use_before``, ``land_use_after``, ``verdicts``
        (version to ``[before, after]``) and ``flipped`` (the versions whose verdict
        flipped); ``order``: per version, the positions of those parcels in the order
        :func:`geo.changes.decide_changes` lists them under it (its flips first). Empty
        lists and a null ``previous_as_of`` with fewer than two snapshots.
    """
    found = snapshots(folder)
    if not found:
        return {"as_of": None, "as_of_basis": None, "previous_as_of": None,
                "default_version": profile.default_policy, "counts": {},
                "changed_since_previous": [], "order": {}}  # fmt: skip
    if len(found) < 2:
        newest = read_snapshot(found[-1], profile)
        return _frame(newest.attrs, None, profile, {}, [], {})
    old_path, new_path = latest_pair(folder)
    old, new = read_snapshot(old_path, profile), read_snapshot(new_path, profile)
    terms = policies or {key: profile.policy_version(key) for key in profile.policies}
    rows, counts, listed = _decided(old, new, terms)
    default = profile.default_policy
    ordered = sorted(rows.values(), key=lambda r: (default not in r["flipped"], not r["flipped"]))
    kept = ordered[:limit]
    at = {row["apn"]: i for i, row in enumerate(kept)}
    order = {v: [at[apn] for apn in apns if apn in at] for v, apns in listed.items()}
    return _frame(new.attrs, old.attrs, profile, counts, kept, order)


def _decided(
    old: Snapshot, new: Snapshot, terms: Mapping[str, Policy]
) -> tuple[dict[str, dict[str, Any]], dict[str, int], dict[str, list[str]]]:
    """The changed parcels by APN with every version's verdicts, the counts per kind, and
    each version's APNs in the order :func:`decide_changes` lists them."""
    diff = diff_snapshots(old, new)
    t = translator("en")
    rows: dict[str, dict[str, Any]] = {}
    counts: dict[str, int] = {}
    listed: dict[str, list[str]] = {}
    for version, policy in terms.items():
        changes = decide_changes(old, new, diff, policy, t)
        counts = counts or changes.counts
        listed[version] = [str(apn) for apn in changes.table["apn"]]
        for record, flipped in zip(changes.table.to_dict("records"), changes.flipped, strict=True):
            row = rows.setdefault(str(record["apn"]), _row(record))
            row["verdicts"][version] = [record["verdict_before"], record["verdict_after"]]
            if flipped:
                row["flipped"].append(version)
    return rows, counts, listed


def _row(record: Mapping[Any, Any]) -> dict[str, Any]:
    """One changed parcel, its verdicts filled in per version afterwards."""
    out: dict[str, Any] = {k: str(record[k]) for k in FIELDS}
    out["change"] = [w for w in out["change"].split(", ") if w]
    out["related_apns"] = [a for a in out["related_apns"].split(JOIN) if a]
    return {**out, "verdicts": {}, "flipped": []}


def _frame(
    after: dict[str, Any],
    before: dict[str, Any] | None,
    profile: Profile,
    counts: dict[str, int],
    rows: list[dict[str, Any]],
    order: dict[str, list[int]],
) -> dict[str, Any]:
    """The piece's dates, default version, counts, rows and each version's order."""
    return {
        "as_of": str(after.get("source_date", "")) or None,
        "as_of_basis": date_basis(after).value,
        "previous_as_of": (str(before.get("source_date", "")) or None) if before else None,
        "default_version": profile.default_policy,
        "counts": counts,
        "changed_since_previous": rows,
        "order": order,
    }
