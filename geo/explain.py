"""Reasons in the reader's language: the policy core's codes made into sentences.

Every verdict carries three reasons: what the owner field said, what the land-use field
said, and the clause of the policy that decided it. They are written from the catalogs
(``data/i18n``), once per combination of codes, and travel as a list per parcel, so an
owner name containing ``"; "`` never splits a reason.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geo.i18n import Translate, translator
from geo.normalize import text_array
from geo.policy import SITE_KINDS, Clause, OwnerFinding, SiteKind
from geo.profile import Profile

NAME = "\0"  # where the owner's name goes in a sentence
_UNNAMED = (OwnerFinding.BLANK, OwnerFinding.LISTED)


def owner_reason(finding: OwnerFinding, field: str, agencies_count: bool, t: Translate) -> str:
    """The owner's reason, with :data:`NAME` where the owner's name goes."""
    label = " ".join(w for w in (t("reason.field.owner"), field) if w)
    key = f"reason.owner.{finding.key}"
    if finding is OwnerFinding.CITY_AGENCY:
        key += ".counts" if agencies_count else ".not_counted"
    elif finding is OwnerFinding.UNKNOWN:
        key = "reason.owner.partial"
    return t(key, field=label, name=NAME)


def site_reason(code: str, kind: SiteKind, field: str, t: Translate) -> str:
    """The land use's reason: its code and the kind of site the profile says it is."""
    label = " ".join(w for w in (t("reason.field.land_use"), field) if w)
    key = "reason.site.blank" if not code else f"reason.site.{kind.key}"
    return t(key, field=label, code=code)


def clause_reason(clause: Clause, t: Translate) -> str:
    """The clause's reason: which part of the policy decided, and how."""
    return t(f"reason.clause.{clause.key}", clause=t("clause.part1"))


def owner_named(finding: OwnerFinding) -> bool:
    """Whether the owner's reason names the owner (not for a blank owner or a listed APN)."""
    return finding not in _UNNAMED


def owner_template(
    finding: OwnerFinding, field: str, agencies_count: bool, t: Translate
) -> tuple[str, str]:
    """The owner's reason cut where the owner's name goes: (before, after)."""
    head, _, tail = owner_reason(finding, field, agencies_count, t).partition(NAME)
    return head, tail


def code_reason(
    codes: Sequence[object], site: np.ndarray, code: int, field: str, t: Translate
) -> str:
    """The land use's reason for the ``code``-th distinct land-use code of a table."""
    kind = SITE_KINDS[int(site[code])] if len(site) else SiteKind.OTHER
    return site_reason(str(codes[code]) if len(codes) else "", kind, field, t)


def reason_combinations(
    finding: np.ndarray, land_use: pa.DictionaryArray, site: np.ndarray, clause: np.ndarray
) -> tuple[np.ndarray, list[tuple[OwnerFinding, int, Clause]]]:
    """Each row's combination of reasons, and the distinct combinations.

    Returns
    -------
    (numpy.ndarray, list)
        Per row, an index into the list; the list holds (owner finding, index of the
        land-use code in ``land_use.dictionary``, clause), one per combination present.
    """
    lu = land_use.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    n_site, n_clause = max(len(site), 1), len(Clause)
    combo = (finding.astype(np.int64) * n_site + lu) * n_clause + clause.astype(np.int64)
    rows, combos = pd.factorize(combo, sort=False)
    out = []
    for value in np.asarray(combos, dtype=np.int64):
        rest, c = divmod(int(value), n_clause)
        k, code = divmod(rest, n_site)
        out.append((OwnerFinding(k), code, Clause(c)))
    return np.asarray(rows), out


def reason_lists(
    owner: pd.Series,
    finding: np.ndarray,
    land_use: pa.DictionaryArray,
    site: np.ndarray,
    clause: np.ndarray,
    fields: tuple[str, str],
    agencies_count: bool,
    t: Translate | None = None,
) -> pa.ListArray:
    """Every row's three reasons (owner, land use, clause) as a list.

    Parameters
    ----------
    owner
        Owner names as the source gives them.
    finding
        Each row's :class:`OwnerFinding`.
    land_use
        The land-use codes, dictionary-encoded.
    site
        Index into :data:`SITE_KINDS` of each distinct land-use code.
    clause
        Each row's :class:`Clause`.
    fields
        The source's owner and land-use field names (``""`` when unknown).
    agencies_count
        Whether city agencies count as the city under the version.
    t
        The reader's catalog (English when omitted).
    """
    t = t or translator("en")
    rows, combos = reason_combinations(finding, land_use, site, clause)
    codes = land_use.dictionary.to_pylist()
    heads, tails, sites, clauses = [], [], [], []
    for found, code, c in combos:
        head, tail = owner_template(found, fields[0], agencies_count, t)
        heads.append(head)
        tails.append(tail)
        sites.append(code_reason(codes, site, code, fields[1], t))
        clauses.append(clause_reason(c, t))
    index = pa.array(rows.astype(np.int32))

    def spread(texts: list[str]) -> pa.Array:
        return pa.DictionaryArray.from_arrays(index, texts or [""]).cast(pa.string())

    name = text_array(owner)
    unnamed = np.isin(finding, [int(f) for f in _UNNAMED])
    if unnamed.any():
        name = pc.if_else(pa.array(unnamed), pa.scalar("", pa.string()), name)
    first = pc.binary_join_element_wise(spread(heads), name, spread(tails), "")
    return _interleave((first, spread(sites), spread(clauses)))


def _interleave(columns: Sequence[pa.Array]) -> pa.ListArray:
    """Row i's list is ``[columns[0][i], columns[1][i], ...]``."""
    n, width = len(columns[0]), len(columns)
    values = pa.concat_arrays([pa.array(c, pa.string()) for c in columns])
    order = (np.arange(width)[None, :] * n + np.arange(n)[:, None]).ravel()
    offsets = pa.array(np.arange(0, n * width + 1, width, dtype=np.int32))
    return pa.ListArray.from_arrays(offsets, values.take(pa.array(order)))


def reason_list(value: object) -> list[str]:
    """One parcel's reasons as a list, whether they come as a list or as one text."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, float) and np.isnan(value):
        return []
    return [str(v) for v in value]  # type: ignore[attr-defined]


def joined(value: object, sep: str = "; ") -> str:
    """One parcel's reasons as one line (CSV, terminals)."""
    return sep.join(reason_list(value))


_VALUE_KEYS = {
    "verdict": "verdict.{}",
    "owner_class": "owner_class.{}",
    "site_kind": "site_kind.{}",
}


def localized_table(table: pd.DataFrame, t: Translate) -> pd.DataFrame:
    """A result table for people: headers and machine words in the reader's language."""
    out = table.copy()
    for column, pattern in _VALUE_KEYS.items():
        if column in out:
            out[column] = [_word(t, pattern, v) for v in out[column]]
    out.columns = [_word(t, "column.{}", c) for c in out.columns]
    return out


def _word(t: Translate, pattern: str, value: object) -> str:
    """A machine word's text in the reader's language (the word itself when none)."""
    word = str(value)
    key = pattern.format(word.replace(" ", "_") if pattern != "verdict.{}" else word)
    text = t(key)
    return word if text == key else text


def land_use_text(profile: Profile, row: Mapping[Any, Any], lang: str, t: Translate) -> str:
    """A parcel's land-use code with its label in the reader's language (the file's own
    label when the profile has none)."""
    code = str(row.get("land_use") or "")
    label = profile.land_use_label(code, lang) or str(row.get("land_use_label") or "")
    return f"{code or t('card.blank')} {label}".strip()


def zone_word(row: Mapping[Any, Any], t: Translate) -> str:
    """Whether a parcel is in the free speech zone: yes, no, or no but it borders it."""
    if bool(row.get("in_free_speech_zone", False)):
        return t("card.yes")
    if bool(row.get("borders_free_speech_zone", False)):
        return t("card.borders_zone")
    return t("card.no")
