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

import re
from collections.abc import Mapping

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geo.landuse import site_kind_of_codes
from geo.normalize import (
    apn_alternates,
    normalize_apn_series,
    normalize_owner,
    normalize_owner_array,
    text_array,
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


_LABELS = np.asarray(list(OWNER_LABELS.values()), dtype=object)
_CODE = {key: i for i, key in enumerate(OWNER_LABELS)}
_PUBLIC = ("county", "state", "federal", "other_public")


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
    codes, partial, _ = _owner_codes(owners, policy)
    return (
        pd.Series(_LABELS[codes], index=owners.index, dtype=object),
        pd.Series(partial, index=owners.index, dtype=bool),
    )


def _owner_codes(owners: pd.Series, policy: Policy) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per row: the owner class (an index into ``OWNER_LABELS``), whether the name holds a
    city name among other words, and whether it is blank. Each distinct name is decided
    once, in Arrow's kernels, and the answer spread to its rows."""
    encoded = pc.dictionary_encode(text_array(owners))
    names = normalize_owner_array(encoded.dictionary)
    codes, partial = _classify_distinct(names, policy)
    blank = pc.equal(names, "").to_numpy(zero_copy_only=False)
    rows = encoded.indices.to_numpy(zero_copy_only=False)
    return codes[rows], partial[rows], blank[rows]


def _names(policy: Policy, cls: str) -> list[str]:
    return [n for n in (normalize_owner(v) for v in policy.owners.get(cls, ())) if n]


def _classify_distinct(names: pa.Array, policy: Policy) -> tuple[np.ndarray, np.ndarray]:
    """Owner class codes and the partial-city-name flag of distinct normalised names."""

    def mask(arr: pa.Array) -> np.ndarray:
        return np.asarray(arr.to_numpy(zero_copy_only=False), dtype=bool)

    codes = np.full(len(names), _CODE["private"], dtype=np.int8)
    assigned = mask(pc.equal(names, ""))
    codes[assigned] = _CODE["unknown"]
    for cls in ("city", "city_agency", *_PUBLIC):  # exact names first
        wanted = pa.array(_names(policy, cls), type=pa.string())
        hit = ~assigned & mask(pc.is_in(names, value_set=wanted))
        codes[hit], assigned = _CODE[cls], assigned | hit
    partial = np.zeros(len(names), dtype=bool)
    city = _names(policy, "city") + _names(policy, "city_agency")
    if city:  # one of them as whole words, in one pass
        words = "|".join(re.escape(n) for n in city)
        partial = mask(pc.match_substring_regex(names, f"(^| )({words})( |$)"))
    partial &= ~assigned  # "COUNTY OF SACRAMENTO AND CITY OF SACRAMENTO": review, not county
    codes[partial], assigned = _CODE["unknown"], assigned | partial
    for cls in _PUBLIC:  # then "STATE OF CALIFORNIA DEPT OF ..." by its first words
        for prefix in _names(policy, cls):
            hit = ~assigned & mask(pc.starts_with(names, prefix + " "))
            codes[hit], assigned = _CODE[cls], assigned | hit
    return codes, partial


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
    codes, kinds = _site_kind_table(land_use, policy)
    rows = codes.indices.to_numpy(zero_copy_only=False)
    return pd.Series(kinds[rows], index=land_use.index, dtype=object)


def _site_kind_table(
    land_use: pd.Series, policy: Policy, labels: pd.Series | None = None
) -> tuple[pa.DictionaryArray, np.ndarray]:
    """The land-use codes dictionary-encoded, and the site kind of each distinct code.

    Codes may be patterns (``BFH*``) or descriptions (matched against ``labels``): see
    :mod:`geo.landuse`.
    """
    encoded = pc.dictionary_encode(text_array(land_use))
    # land-use patterns (geo.landuse): one description per distinct code, the first seen
    rows = encoded.indices.to_numpy(zero_copy_only=False)
    codes = encoded.dictionary.to_pylist()
    described = None
    if labels is not None and len(codes):
        seen = pd.Series(rows).drop_duplicates()  # hashed: each code's first row
        first = np.empty(len(codes), dtype=np.int64)
        first[seen.to_numpy()] = seen.index.to_numpy()
        described = text_array(labels).take(pa.array(first)).to_pylist()
    listed = {
        PARKING_LOT: policy.parking_lot,
        PARKING_GARAGE: policy.parking_garage,
        OPEN_SPACE: policy.open_space,
        BUILDING: policy.building,
    }
    kinds = site_kind_of_codes(codes, listed, described, default=OTHER)
    return encoded, np.asarray(kinds or [OTHER], dtype=object)


def _listed(apns: pd.Series, city_apns: frozenset[str]) -> pd.Series:
    if not city_apns:
        return pd.Series(False, index=apns.index)
    keys = normalize_apn_series(apns).to_numpy(dtype=object)
    listed = pd.Series(keys).isin(city_apns).to_numpy() & (keys != "")  # hashed, not sorted
    where, spelled = apn_alternates(keys)
    listed[where[pd.Series(spelled, dtype=object).isin(city_apns).to_numpy()]] = True
    return pd.Series(listed, index=apns.index)


OWNER_KINDS = (*OWNER_LABELS.values(), "partial", "blank", "listed")


def _reasons(
    owner: pd.Series,
    which: np.ndarray,
    land_use: pa.DictionaryArray,
    site: np.ndarray,
    clause: np.ndarray,
    fields: tuple[str, str],
    policy: Policy,
) -> pa.Array:
    """Every row's reasons: the owner sentence (with the name), the land-use sentence and
    the clause, joined by ``"; "``.

    All but the owner's name depends on three small codes (the kind of owner sentence, the
    land-use code, the clause), so the text before and after the name is written once per
    combination and the rows are joined in one Arrow kernel call.

    Parameters
    ----------
    owner : pandas.Series
        Owner names as the source gives them.
    which : numpy.ndarray
        Index of each row's owner sentence in ``OWNER_KINDS``.
    land_use : pyarrow.DictionaryArray
        The land-use codes, dictionary-encoded.
    site : numpy.ndarray
        The site kind of each distinct land-use code.
    clause : numpy.ndarray
        Index of each row's clause in ``CLAUSE_TEXTS``.
    fields : (str, str)
        The source's owner and land-use field names (``""`` when unknown).
    policy : Policy
    """
    owner_field, lu_field = fields
    lu = land_use.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    combo = (which.astype(np.int64) * len(site) + lu) * len(CLAUSE_TEXTS) + clause
    rows, combos = pd.factorize(combo, sort=False)
    name = f"owner {owner_field}" if owner_field else "owner"
    lu_name = f"land use {lu_field}" if lu_field else "land use"
    lu_codes = land_use.dictionary.to_pylist()
    before, after = [], []
    for value in np.asarray(combos, dtype=np.int64):
        rest, c = divmod(int(value), len(CLAUSE_TEXTS))
        k, code = divmod(rest, len(site))
        head, tail = _owner_parts(name, OWNER_KINDS[k], policy)
        site_text = _site_sentence(lu_name, lu_codes[code] if lu_codes else "", site[code])
        before.append(head)
        after.append(f"{tail}; {site_text}; {CLAUSE_TEXTS[c]}")
    indices = pa.array(rows.astype(np.int32))
    head_text = pa.DictionaryArray.from_arrays(indices, before or [""]).cast(pa.string())
    tail_text = pa.DictionaryArray.from_arrays(indices, after or [""]).cast(pa.string())
    value = text_array(owner)
    unnamed = np.isin(which, [OWNER_KINDS.index("blank"), OWNER_KINDS.index("listed")])
    if unnamed.any():
        value = pc.if_else(pa.array(unnamed), pa.scalar("", pa.string()), value)
    return pc.binary_join_element_wise(head_text, value, tail_text, "")


def _owner_parts(name: str, kind: str, policy: Policy) -> tuple[str, str]:
    """The owner sentence of a kind, split where the owner's name goes."""
    if kind == "listed":
        return "APN is on the city property list", ""
    before, _, after = (name + _owner_sentence("\0", kind, policy)).partition("\0")
    return before, after


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


def _clause_codes(verdict: np.ndarray, parking: np.ndarray, city: np.ndarray) -> np.ndarray:
    """Index of each row's clause in ``CLAUSE_TEXTS``; ``verdict`` indexes ``VERDICTS``."""
    covered, review, not_covered = (verdict == VERDICTS.index(v) for v in VERDICTS)
    conditions = [covered & parking, covered, review, city & not_covered]
    return np.select(conditions, [1, 2, 3, 4], default=0).astype(np.int64)


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
    reasons : bool
        Also write each parcel's ``reasons`` (False decides the verdicts only; see
        :meth:`geo.analysis.Analysis.explained` for reasons of chosen rows).

    Returns
    -------
    geopandas.GeoDataFrame
        A copy with ``owner_class``, ``site_kind``, ``covered``, ``verdict`` and (unless
        ``reasons`` is False) ``reasons``.
    """
    fields = dict(source_fields or parcels.attrs.get("source_fields", {}))
    owner_field, lu_field = fields.get("owner", ""), fields.get("land_use", "")
    out = parcels.copy()
    codes, partial, blank = _owner_codes(out["owner"], policy)
    listed = _listed(out["apn"], policy.city_apns).to_numpy(dtype=bool)
    codes = np.where(listed, _CODE["city"], codes)
    land_use, site = _site_kind_table(out["land_use"], policy, out.get("land_use_label"))
    kind = site[land_use.indices.to_numpy(zero_copy_only=False)]

    parking = np.isin(kind, [PARKING_LOT, PARKING_GARAGE])
    is_city = codes == _CODE["city"]
    agency = codes == _CODE["city_agency"]
    counts_as_city = is_city | (agency & policy.include_city_agencies)
    in_scope = parking | (policy.scope == "all")
    covered = counts_as_city & in_scope
    review = (codes == _CODE["unknown"]) & in_scope
    verdict = np.where(covered, 0, np.where(review, 1, 2))

    out["owner_class"] = _LABELS[codes]
    out["site_kind"] = kind
    out["covered"] = covered
    out["verdict"] = np.asarray(VERDICTS, dtype=object)[verdict]
    if reasons:
        which = np.where(partial, OWNER_KINDS.index("partial"), codes)
        which = np.where(blank, OWNER_KINDS.index("blank"), which)
        which = np.where(listed, OWNER_KINDS.index("listed"), which)
        clause = _clause_codes(verdict, parking, counts_as_city)
        joined = _reasons(
            out["owner"], which, land_use, site, clause, (owner_field, lu_field), policy
        )
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
