"""Land-use codes as patterns: which kind of site each distinct land-use code stands for.

A profile (or the command line) lists, for each site kind, entries that are either a code
(``P1``), a code prefix ending in ``*`` (``BFH*`` matches ``BFH00A``, ``BFH00B``,
``BFH0MA``), or a land-use description (``PARKING LOT``, also with a trailing ``*``) that
is matched against the source's description field when it has one. Entries compare after
upper-casing and collapsing spaces.

When several entries match one code, the most specific wins: an exact code, then the
longest code prefix, then an exact description, then the longest description prefix; a
tie goes to the kind listed first (parking lot before parking garage before open space
before building).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

WILDCARD = "*"


def normalize_code(text: object) -> str:
    """Upper-case a land-use code or description and collapse its spacing.

    Parameters
    ----------
    text : object
        A code, a description or a profile entry (``None`` becomes ``""``).

    Returns
    -------
    str
    """
    return " ".join(str(text if text is not None else "").upper().split())


def _strength(entry: str, code: str, description: str) -> tuple[int, int] | None:
    """How specifically one normalised entry matches a code (higher is more specific)."""
    if entry.endswith(WILDCARD):
        prefix = entry[:-1].rstrip()
        if not prefix:
            return None  # a lone "*" would claim every code: never meant
        if code.startswith(prefix):
            return (2, len(prefix))
        if description.startswith(prefix):
            return (0, len(prefix))
        return None
    if entry == code:
        return (3, len(entry))
    if description and entry == description:
        return (1, len(entry))
    return None


def site_kind_of_codes(
    codes: Sequence[object],
    listed: Mapping[Any, Sequence[str]],
    descriptions: Sequence[object] | None = None,
    default: str = "other",
) -> list[str]:
    """The site kind of each distinct land-use code.

    Parameters
    ----------
    codes : sequence
        Distinct land-use codes as the source gives them.
    listed : mapping
        Site kind to its entries (codes, ``PREFIX*`` patterns, descriptions), in order of
        precedence for ties.
    descriptions : sequence, optional
        The description of each code (same length as ``codes``; ``""`` when none).
    default : str
        The kind of a code no entry matches.

    Returns
    -------
    list of str
        One kind per code, in the order of ``codes``.
    """
    entries = [
        (rank, kind, normalize_code(entry))
        for rank, (kind, values) in enumerate(listed.items())
        for entry in values
        if normalize_code(entry)
    ]
    labels = list(descriptions) if descriptions is not None else [""] * len(codes)
    kinds = []
    for code, label in zip(codes, labels, strict=True):
        key, text = normalize_code(code), normalize_code(label)
        best: tuple[int, int, int] | None = None
        best_kind = default
        for rank, kind, entry in entries:
            strength = _strength(entry, key, text) if key or text else None
            if strength is not None and (best is None or (*strength, -rank) > best):
                best, best_kind = (*strength, -rank), kind
        kinds.append(best_kind)
    return kinds


def matches_any(
    codes: pd.Series, entries: Sequence[str], descriptions: pd.Series | None = None
) -> np.ndarray:
    """Whether each row's land use matches one of the entries (codes, ``PREFIX*``,
    descriptions), decided once per distinct code.

    Parameters
    ----------
    codes : pandas.Series
        The land-use code of every row.
    entries : sequence of str
    descriptions : pandas.Series, optional
        The description of every row's land use (same index).

    Returns
    -------
    numpy.ndarray
        Booleans, one per row.
    """
    frame = pd.DataFrame({"code": codes.fillna("").astype(str).to_numpy()})
    frame["label"] = (
        descriptions.fillna("").astype(str).to_numpy() if descriptions is not None else ""
    )
    if frame.empty or not entries:
        return np.zeros(len(frame), dtype=bool)
    rows = frame.groupby(["code", "label"], sort=False).ngroup().to_numpy()
    pairs = frame.drop_duplicates()  # the groups, in the same order of first appearance
    kinds = site_kind_of_codes(
        pairs["code"].tolist(), {"match": entries}, pairs["label"].tolist(), default=""
    )
    return (np.asarray(kinds, dtype=object) == "match")[rows]


def codes_of_kind(
    codes: Sequence[object],
    listed: Mapping[Any, Sequence[str]],
    kind: str,
    descriptions: Sequence[object] | None = None,
) -> list[str]:
    """The distinct codes of a source that the entries give one site kind (``BFH*`` to
    ``BFH00A, BFH00B, BFH0MA``), e.g. to pre-select them in a list of the data's codes.

    Parameters
    ----------
    codes : sequence
        Distinct land-use codes of the data.
    listed : mapping
        Site kind to entries, as for :func:`site_kind_of_codes`.
    kind : str
        The site kind wanted (``"parking lot"``).
    descriptions : sequence, optional
        The description of each code.

    Returns
    -------
    list of str
        The codes, in the order given.
    """
    kinds = site_kind_of_codes(codes, listed, descriptions)
    return [str(c) for c, k in zip(codes, kinds, strict=True) if k == kind]


def code_table(
    codes: pd.Series,
    descriptions: pd.Series | None = None,
    listed: Mapping[Any, Sequence[str]] | None = None,
) -> pd.DataFrame:
    """Each distinct land-use code with its description, parcel count and site kind.

    Parameters
    ----------
    codes : pandas.Series
        The land-use code of every parcel.
    descriptions : pandas.Series, optional
        The description of every parcel's land use (same index).
    listed : mapping, optional
        Site kind to entries, as for :func:`site_kind_of_codes`; without it there is no
        ``site_kind`` column.

    Returns
    -------
    pandas.DataFrame
        Columns ``value, description, parcels`` (and ``site_kind``), most parcels first;
        a code with several descriptions is listed once per description.
    """
    frame = pd.DataFrame(
        {
            "value": codes.fillna("").astype(str).str.strip().to_numpy(),
            "description": (
                descriptions.fillna("").astype(str).str.strip().to_numpy()
                if descriptions is not None
                else ""
            ),
        }
    )
    table = (
        frame.groupby(["value", "description"], sort=False)
        .size()
        .rename("parcels")
        .reset_index()
        .sort_values(["parcels", "value"], ascending=[False, True], kind="stable")
        .reset_index(drop=True)
    )
    if listed is not None:
        table["site_kind"] = site_kind_of_codes(
            table["value"].tolist(), listed, table["description"].tolist()
        )
    table["value"] = table["value"].replace("", "(blank)")
    return table
