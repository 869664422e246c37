"""The policy rules: one verdict per parcel, with the reasons that decided it.

Part 1 of the proposal bars immigration-enforcement staging on city property: city-owned
lots, garages and other city properties. For every parcel this module decides

- ``owner_class``: city, city agency, county, state, federal, other public, private or
  unknown;
- ``site_kind``: parking lot, parking garage, building, open space or other;
- ``verdict``: ``covered``, ``not covered`` or ``needs review`` (and ``covered`` as a bool);
- ``reasons``: short sentences naming the field and value that decided it and the clause.

Owner names match the city's names exactly after normalising case, spacing and punctuation;
a name that merely contains one of them among other words is sent to review, never guessed.
Work is done once per distinct owner name and land-use code, then spread to the rows, so the
whole county classifies without a Python loop over parcels.
"""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geo.normalize import (
    apn_alternates,
    normalize_apn_series,
    normalize_owner,
    normalize_owner_series,
)
from geo.profile import Policy

COVERED = "covered"
NOT_COVERED = "not covered"
NEEDS_REVIEW = "needs review"
VERDICTS = (COVERED, NEEDS_REVIEW, NOT_COVERED)

PARKING_LOT = "parking lot"
PARKING_GARAGE = "parking garage"
BUILDING = "building"
OPEN_SPACE = "open space"
OTHER = "other"
SITE_KINDS = (PARKING_LOT, PARKING_GARAGE, BUILDING, OPEN_SPACE, OTHER)

OWNER_LABELS = {
    "city": "city",
    "city_agency": "city agency",
    "county": "county",
    "state": "state",
    "federal": "federal",
    "other_public": "other public",
    "private": "private",
    "unknown": "unknown",
}
_PUBLIC_WORDS = {
    "county": "the county",
    "state": "the state",
    "federal": "the federal government",
    "other_public": "another public body",
}
CLAUSE = "part 1 (no immigration-enforcement staging on city property)"


def owner_classes(owners: pd.Series, policy: Policy) -> tuple[pd.Series, pd.Series]:
    """Classify owner names.

    Parameters
    ----------
    owners : pandas.Series
        Owner names as the source gives them.
    policy : Policy
        The owner names of each class.

    Returns
    -------
    (pandas.Series, pandas.Series)
        The owner class label of each row (``"city"``, ``"city agency"``, ...,
        ``"unknown"``), and a boolean Series that is True where the name contains one of
        the city's names among other words (the reason it is ``"unknown"``).
    """
    norm = normalize_owner_series(owners)
    codes, uniques = pd.factorize(norm, sort=False)
    distinct = pd.Series(uniques, dtype=object)
    labels, partial = _classify_distinct(distinct, policy)
    return (
        pd.Series(labels.to_numpy()[codes], index=owners.index, dtype=object),
        pd.Series(partial.to_numpy()[codes], index=owners.index, dtype=bool),
    )


def _names(policy: Policy, cls: str) -> list[str]:
    return [n for n in (normalize_owner(v) for v in policy.owners.get(cls, ())) if n]


def _classify_distinct(names: pd.Series, policy: Policy) -> tuple[pd.Series, pd.Series]:
    arr = pa.array(names.to_numpy(dtype=object), type=pa.string())
    labels = np.full(len(names), "private", dtype=object)
    assigned = (names == "").to_numpy()
    labels[assigned] = "unknown"
    public = ("county", "state", "federal", "other_public")
    for cls in ("city", "city_agency", *public):  # exact names first
        hit = ~assigned & names.isin(_names(policy, cls)).to_numpy()
        labels[hit], assigned = OWNER_LABELS[cls], assigned | hit
    padded = pc.binary_join_element_wise(" ", arr, " ", "")
    partial = np.zeros(len(names), dtype=bool)
    for name in _names(policy, "city") + _names(policy, "city_agency"):
        partial |= pc.match_substring(padded, f" {name} ").to_numpy(zero_copy_only=False)
    partial &= ~assigned  # "COUNTY OF SACRAMENTO AND CITY OF SACRAMENTO": review, not county
    labels[partial], assigned = "unknown", assigned | partial
    for cls in public:  # then "STATE OF CALIFORNIA DEPT OF ..." by its first words
        for prefix in _names(policy, cls):
            hit = ~assigned & pc.starts_with(arr, prefix + " ").to_numpy(zero_copy_only=False)
            labels[hit], assigned = OWNER_LABELS[cls], assigned | hit
    return pd.Series(labels, index=names.index), pd.Series(partial, index=names.index)


def site_kinds(land_use: pd.Series, policy: Policy) -> pd.Series:
    """Name the kind of site each land-use code stands for.

    Parameters
    ----------
    land_use : pandas.Series
        Land-use codes.
    policy : Policy
        The codes of each site kind.

    Returns
    -------
    pandas.Series
        ``"parking lot"``, ``"parking garage"``, ``"building"``, ``"open space"`` or
        ``"other"``.
    """
    code = land_use.fillna("").astype(str).str.strip().str.upper()
    kinds = pd.Series(OTHER, index=land_use.index, dtype=object)
    for kind, codes in (
        (BUILDING, policy.building),
        (OPEN_SPACE, policy.open_space),
        (PARKING_GARAGE, policy.parking_garage),
        (PARKING_LOT, policy.parking_lot),
    ):
        kinds[code.isin([c.strip().upper() for c in codes])] = kind
    return kinds


def _listed(apns: pd.Series, city_apns: frozenset[str]) -> pd.Series:
    if not city_apns:
        return pd.Series(False, index=apns.index)
    keys = normalize_apn_series(apns).to_numpy(dtype=object)
    listed = pd.Series(keys).isin(city_apns).to_numpy() & (keys != "")  # hashed, not sorted
    where, spelled = apn_alternates(keys)
    listed[where[pd.Series(spelled, dtype=object).isin(city_apns).to_numpy()]] = True
    return pd.Series(listed, index=apns.index)


def _owner_reason(
    owner: pd.Series, cls: pd.Series, partial: pd.Series, field: str, policy: Policy
) -> pa.Array:
    """One sentence per row about the owner, joined in Arrow's C++ kernels."""
    kinds = np.where(partial.to_numpy(), "partial", cls.to_numpy(dtype=object))
    kinds = np.where(owner.fillna("").astype(str).to_numpy() == "", "blank", kinds)
    codes, distinct = pd.factorize(kinds, sort=False)
    # (before the name, after it): a blank owner's sentence has no name in it
    parts = [(_owner_sentence("\0", k, policy).split("\0") + [""])[:2] for k in distinct]
    head = pa.DictionaryArray.from_arrays(codes.astype("int32"), [p[0] for p in parts])
    tail = pa.DictionaryArray.from_arrays(codes.astype("int32"), [p[1] for p in parts])
    head, tail = head.cast(pa.string()), tail.cast(pa.string())
    value = pa.array(owner.fillna("").astype(str).to_numpy(dtype=object), type=pa.string())
    value = pc.if_else(pa.array(kinds == "blank"), pa.scalar("", pa.string()), value)
    name = f"owner {field}" if field else "owner"
    return pc.binary_join_element_wise(name, head, value, tail, "")


def _owner_sentence(value: str, kind: str, policy: Policy) -> str:
    """The sentence after "owner NAME" for one kind of owner; ``value`` marks the name."""
    said = f" = '{value}'"
    if kind == "blank":
        return " is blank: check who owns this parcel"
    if kind == "city":
        return f"{said} is one of the city's names"
    if kind == "city agency":
        counts = "count" if policy.include_city_agencies else "do not count"
        return f"{said} is a city agency (city agencies {counts} under this policy version)"
    if kind in ("partial", "unknown"):
        return (
            f"{said} contains a city name among other words: check whether the city owns it "
            "(joint owners, a successor agency)"
        )
    if kind == "private":
        return f"{said} is not a public owner named in the profile"
    word = next(w for k, w in _PUBLIC_WORDS.items() if OWNER_LABELS[k] == kind)
    return f"{said} is {word}, not the city"


def _site_reason(land_use: pd.Series, kind: pd.Series, field: str) -> pa.Array:
    codes_text = land_use.astype(object).where(land_use.notna(), "").astype(str)
    codes, uniques = pd.factorize(codes_text, sort=False)
    kind_of = dict(zip(codes_text.to_numpy(), kind.to_numpy(), strict=True)) if len(uniques) else {}
    name = f"land use {field}" if field else "land use"
    texts = np.asarray([_site_sentence(name, lu, kind_of[lu]) for lu in uniques], dtype=object)
    return pa.array(texts[codes] if len(texts) else [], type=pa.string())


def _site_sentence(name: str, code: str, kind: str) -> str:
    if not code:
        return f"{name} is blank"
    if kind == OTHER:
        return f"{name} = {code} (not a lot, garage, building or open space in the profile)"
    article = "" if kind == OPEN_SPACE else "a "
    return f"{name} = {code} is {article}{kind}"


CLAUSE_TEXTS = (
    f"not covered: {CLAUSE} applies only to city property",
    f"covered by {CLAUSE}: a city lot or garage may not be a staging area",
    f"covered by {CLAUSE}: other city property may not be a staging area",
    "needs review: the owner is unclear, so a person should check the title",
    "not covered: this policy version covers only city lots and garages",
)


def _clause_reason(verdict: np.ndarray, parking: np.ndarray, city: np.ndarray) -> pa.Array:
    conditions = [
        (verdict == COVERED) & parking,
        verdict == COVERED,
        verdict == NEEDS_REVIEW,
        city & (verdict == NOT_COVERED),
    ]
    codes = np.select(conditions, [1, 2, 3, 4], default=0).astype("int32")
    return pa.DictionaryArray.from_arrays(codes, list(CLAUSE_TEXTS)).cast(pa.string())


def classify(
    parcels: gpd.GeoDataFrame,
    policy: Policy,
    source_fields: Mapping[str, str] | None = None,
    reasons: bool = True,
) -> gpd.GeoDataFrame:
    """Decide, for every parcel, whether the staging-area prohibition covers it.

    Parameters
    ----------
    parcels : geopandas.GeoDataFrame
        Canonical parcels (``apn, owner, land_use`` at least).
    policy : Policy
        The terms of the policy version in force.
    source_fields : mapping, optional
        Canonical column to source field, used to name fields in the reasons; defaults to
        ``parcels.attrs["source_fields"]``, then to the canonical names.

    Returns
    -------
    geopandas.GeoDataFrame
        A copy with ``owner_class``, ``site_kind``, ``covered``, ``verdict`` and ``reasons``.
    """
    fields = dict(source_fields or parcels.attrs.get("source_fields", {}))
    owner_field, lu_field = fields.get("owner", ""), fields.get("land_use", "")
    out = parcels.copy()
    cls, partial = owner_classes(out["owner"], policy)
    listed = _listed(out["apn"], policy.city_apns)
    cls = cls.where(~listed, "city")
    kind = site_kinds(out["land_use"], policy)

    parking = kind.isin([PARKING_LOT, PARKING_GARAGE]).to_numpy()
    is_city = (cls == "city").to_numpy()
    counts_as_city = is_city | ((cls == "city agency").to_numpy() & policy.include_city_agencies)
    in_scope = parking | (policy.scope == "all")
    covered = counts_as_city & in_scope
    review = (cls == "unknown").to_numpy() & in_scope
    verdict = np.where(covered, COVERED, np.where(review, NEEDS_REVIEW, NOT_COVERED))

    out["owner_class"] = cls
    out["site_kind"] = kind
    out["covered"] = covered
    out["verdict"] = verdict.astype(object)
    if reasons:
        owner_reason = _owner_reason(out["owner"], cls, partial, owner_field, policy)
        listed_mask = pa.array(listed.to_numpy(dtype=bool))
        owner_reason = pc.if_else(listed_mask, "APN is on the city property list", owner_reason)
        site_reason = _site_reason(out["land_use"], kind, lu_field)
        clause = _clause_reason(verdict, parking, counts_as_city)
        joined = pc.binary_join_element_wise(owner_reason, site_reason, clause, "; ")
        out["reasons"] = pd.Series(pd.arrays.ArrowExtensionArray(joined), index=out.index)
    return out


def verdict_counts(classified: pd.DataFrame) -> dict[str, int]:
    """Count parcels by verdict, every verdict present (zero when none).

    Parameters
    ----------
    classified : pandas.DataFrame
        Output of :func:`classify`.

    Returns
    -------
    dict
        Verdict to count, in the order covered, needs review, not covered.
    """
    counts = classified["verdict"].value_counts()
    return {v: int(counts.get(v, 0)) for v in VERDICTS}
