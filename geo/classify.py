"""The policy applied to parcels: one verdict per parcel, with the reasons that decided it.

Part 1 of the proposal bars immigration-enforcement staging on city property: city-owned
lots, garages and other city properties. This module reads the owner and land-use fields
into the policy core's codes (:mod:`geo.policy`), asks the core for each verdict, and adds

- ``owner_class``: :class:`geo.policy.OwnerClass` words (``city``, ``city_agency``, ...);
- ``site_kind``: :class:`geo.policy.SiteKind` words (``parking lot``, ...);
- ``verdict``: ``covered``, ``not covered`` or ``needs review`` (and ``covered`` as a bool);
- ``category``: how the map draws it (:class:`geo.policy.Category` keys);
- ``reasons`` (on request): three reasons per parcel, in the reader's language
  (:mod:`geo.explain`).

Owner names match the city's names exactly after normalising case, spacing and punctuation;
a name that merely contains one of them among other words is sent to review, never guessed.
Work is done once per distinct owner name and land-use code, then spread to the rows, so the
whole county classifies without a Python loop over parcels.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geo.explain import reason_lists
from geo.i18n import Translate
from geo.landuse import site_kind_of_codes
from geo.normalize import (
    apn_alternates,
    normalize_apn_series,
    normalize_owner,
    normalize_owner_array,
    text_array,
)
from geo.policy import (
    OWNER_CLASSES,
    SITE_KINDS,
    VERDICTS,
    Decision,
    OwnerClass,
    OwnerFinding,
    SiteKind,
    Verdict,
    decide,
)
from geo.policy.terms import Policy

_CODE = {cls: i for i, cls in enumerate(OWNER_CLASSES)}
_PUBLIC = (OwnerClass.COUNTY, OwnerClass.STATE, OwnerClass.FEDERAL, OwnerClass.OTHER_PUBLIC)
_CLASS_WORDS = np.asarray([c.value for c in OWNER_CLASSES], dtype=object)
_SITE_WORDS = np.asarray([k.value for k in SITE_KINDS], dtype=object)


def owner_classes(owners: pd.Series, policy: Policy) -> tuple[pd.Series, pd.Series]:
    """Classify owner names.

    Returns
    -------
    (pandas.Series, pandas.Series)
        The :class:`OwnerClass` word of each row, and a boolean Series that is True where
        the name contains one of the city's names among other words (why it is unknown).
    """
    codes, partial, _ = _owner_codes(owners, policy)
    return (
        pd.Series(_CLASS_WORDS[codes], index=owners.index, dtype=object),
        pd.Series(partial, index=owners.index, dtype=bool),
    )


def _owner_codes(owners: pd.Series, policy: Policy) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per row: the owner class (an index into ``OWNER_CLASSES``), whether the name holds a
    city name among other words, and whether it is blank. Each distinct name is decided
    once, in Arrow's kernels, and the answer spread to its rows."""
    encoded = pc.dictionary_encode(text_array(owners))
    names = normalize_owner_array(encoded.dictionary)
    codes, partial = _classify_distinct(names, policy)
    blank = pc.equal(names, "").to_numpy(zero_copy_only=False)
    rows = encoded.indices.to_numpy(zero_copy_only=False)
    return codes[rows], partial[rows], blank[rows]


def _names(policy: Policy, cls: OwnerClass) -> list[str]:
    return [n for n in (normalize_owner(v) for v in policy.owners.get(cls.value, ())) if n]


def _mask(arr: pa.Array) -> np.ndarray:
    return np.asarray(arr.to_numpy(zero_copy_only=False), dtype=bool)


def _classify_distinct(names: pa.Array, policy: Policy) -> tuple[np.ndarray, np.ndarray]:
    """Owner class codes and the partial-city-name flag of distinct normalised names."""
    codes = np.full(len(names), _CODE[OwnerClass.PRIVATE], dtype=np.int8)
    assigned = _mask(pc.equal(names, ""))
    codes[assigned] = _CODE[OwnerClass.UNKNOWN]
    for cls in (OwnerClass.CITY, OwnerClass.CITY_AGENCY, *_PUBLIC):  # exact names first
        wanted = pa.array(_names(policy, cls), type=pa.string())
        hit = ~assigned & _mask(pc.is_in(names, value_set=wanted))
        codes[hit], assigned = _CODE[cls], assigned | hit
    partial = np.zeros(len(names), dtype=bool)
    city = _names(policy, OwnerClass.CITY) + _names(policy, OwnerClass.CITY_AGENCY)
    if city:  # one of them as whole words, in one pass
        words = "|".join(re.escape(n) for n in city)
        partial = _mask(pc.match_substring_regex(names, f"(^| )({words})( |$)"))
    partial &= ~assigned  # "COUNTY OF SACRAMENTO AND CITY OF SACRAMENTO": review, not county
    codes[partial], assigned = _CODE[OwnerClass.UNKNOWN], assigned | partial
    for cls in _PUBLIC:  # then "STATE OF CALIFORNIA DEPT OF ..." by its first words
        for prefix in _names(policy, cls):
            hit = ~assigned & _mask(pc.starts_with(names, prefix + " "))
            codes[hit], assigned = _CODE[cls], assigned | hit
    return codes, partial


def site_kinds(land_use: pd.Series, policy: Policy) -> pd.Series:
    """The :class:`SiteKind` word of each land-use code."""
    encoded, kinds = _site_kind_table(land_use, policy)
    rows = encoded.indices.to_numpy(zero_copy_only=False)
    return pd.Series(_SITE_WORDS[kinds[rows]], index=land_use.index, dtype=object)


def _site_kind_table(
    land_use: pd.Series, policy: Policy, labels: pd.Series | None = None
) -> tuple[pa.DictionaryArray, np.ndarray]:
    """The land-use codes dictionary-encoded, and the site kind (an index into
    ``SITE_KINDS``) of each distinct code.

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
    kinds = site_kind_of_codes(codes, policy.site_entries(), described, default=SiteKind.OTHER)
    return encoded, np.asarray([SITE_KINDS.index(k) for k in kinds or [SiteKind.OTHER]], np.int8)


def _listed(apns: pd.Series, city_apns: frozenset[str]) -> np.ndarray:
    """Whether each APN is on the city's property list (in any of its spellings)."""
    if not city_apns:
        return np.zeros(len(apns), dtype=bool)
    keys = normalize_apn_series(apns).to_numpy(dtype=object)
    listed = pd.Series(keys).isin(city_apns).to_numpy() & (keys != "")  # hashed, not sorted
    where, spelled = apn_alternates(keys)
    listed[where[pd.Series(spelled, dtype=object).isin(city_apns).to_numpy()]] = True
    return listed


def _findings(
    codes: np.ndarray, partial: np.ndarray, blank: np.ndarray, listed: np.ndarray
) -> np.ndarray:
    """Each row's :class:`OwnerFinding` (owner classes share their first codes)."""
    which = np.where(partial, int(OwnerFinding.PARTIAL), codes)
    which = np.where(blank, int(OwnerFinding.BLANK), which)
    return np.where(listed, int(OwnerFinding.LISTED), which).astype(np.int8)


@dataclass(frozen=True)
class Decided:
    """The codes a parcel table is decided by, before any sentence (see :func:`decide_parcels`).

    Attributes
    ----------
    owner : numpy.ndarray
        Owner class codes (indices into ``OWNER_CLASSES``; listed parcels count as the city).
    finding : numpy.ndarray
        Each row's :class:`OwnerFinding` (what the owner's reason says).
    land_use : pyarrow.DictionaryArray
        The land-use codes, dictionary-encoded.
    site : numpy.ndarray
        The site kind (an index into ``SITE_KINDS``) of each distinct land-use code.
    decision : Decision
        The policy core's verdict, category and clause per row.
    """

    owner: np.ndarray
    finding: np.ndarray
    land_use: pa.DictionaryArray
    site: np.ndarray
    decision: Decision

    @property
    def kind(self) -> np.ndarray:
        """Each row's site kind (an index into ``SITE_KINDS``)."""
        return self.site[self.land_use.indices.to_numpy(zero_copy_only=False)]


def decide_parcels(parcels: pd.DataFrame, policy: Policy) -> Decided:
    """Read the owner and land-use fields into codes and ask the policy core for each verdict.

    Parameters
    ----------
    parcels
        Canonical parcels (``apn, owner, land_use`` at least).
    policy
        The terms of the policy version in force.
    """
    codes, partial, blank = _owner_codes(parcels["owner"], policy)
    listed = _listed(parcels["apn"], policy.city_apns)
    codes = np.where(listed, _CODE[OwnerClass.CITY], codes)
    land_use, site = _site_kind_table(parcels["land_use"], policy, parcels.get("land_use_label"))
    kind = site[land_use.indices.to_numpy(zero_copy_only=False)]
    decision = decide(codes, kind, policy.scope, policy.include_city_agencies)
    finding = _findings(codes, partial, blank, listed)
    return Decided(codes, finding, land_use, site, decision)


def classify(
    parcels: gpd.GeoDataFrame,
    policy: Policy,
    source_fields: Mapping[str, str] | None = None,
    reasons: bool = True,
    t: Translate | None = None,
) -> gpd.GeoDataFrame:
    """Decide, for every parcel, whether the staging-area prohibition covers it.

    Parameters
    ----------
    parcels
        Canonical parcels (``apn, owner, land_use`` at least).
    policy
        The terms of the policy version in force.
    source_fields
        Canonical column to source field, used to name fields in the reasons; defaults to
        ``parcels.attrs["source_fields"]``, then to the canonical names.
    reasons
        Also write each parcel's ``reasons`` (False decides the verdicts only; see
        :meth:`geo.analysis.Analysis.explained` for reasons of chosen rows).
    t
        The catalog the reasons are written from (English when omitted).

    Returns
    -------
    geopandas.GeoDataFrame
        A copy with ``owner_class``, ``site_kind``, ``covered``, ``verdict``, ``category``
        and (unless ``reasons`` is False) ``reasons``, a list of three sentences per row.
    """
    fields = dict(source_fields or parcels.attrs.get("source_fields", {}))
    out = parcels.copy()
    decided = decide_parcels(out, policy)
    decision = decided.decision
    out["owner_class"] = _CLASS_WORDS[decided.owner]
    out["site_kind"] = _SITE_WORDS[decided.kind]
    out["covered"] = decision.verdict == VERDICTS.index(Verdict.COVERED)
    out["verdict"] = decision.verdict_words()
    out["category"] = decision.category_words()
    if reasons:
        listing = reason_lists(
            out["owner"],
            decided.finding,
            decided.land_use,
            decided.site,
            decision.clause,
            source_field_names(fields),
            policy.include_city_agencies,
            t,
        )
        out["reasons"] = pd.Series(pd.arrays.ArrowExtensionArray(listing), index=out.index)
    return out


def source_field_names(fields: Mapping[str, str]) -> tuple[str, str]:
    """The source's owner and land-use field names the reasons name (``""`` when unknown)."""
    return fields.get("owner", ""), fields.get("land_use", "")


def verdict_counts(classified: pd.DataFrame) -> dict[str, int]:
    """Count parcels by verdict word, every verdict present (zero when none), in order."""
    counts = classified["verdict"].value_counts()
    return {v.value: int(counts.get(v.value, 0)) for v in VERDICTS}
