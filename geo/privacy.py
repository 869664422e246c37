"""Private people stay private: a private owner is shown by its class, not by name.

Public owners (city, city agencies, county, state, federal, other public bodies) are always
named: who holds public land is public business. A private person's name is not needed to
answer "is this parcel covered?", so unless names are turned on (a profile's
``[site] owner_names``, the app's switch, the command line's ``--owner-names``) every card,
table, popup, export and offline map shows such an owner as its class ("private owner").
This module is the one place that rule lives.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo.explain import reason_list
from geo.i18n import Translate, translator
from geo.policy import OwnerClass

HIDDEN_CLASSES = (OwnerClass.PRIVATE.value,)
NAMES_SHOWN = "shown"
NAMES_HIDDEN = "hidden"


def private_rows(owner_class: pd.Series) -> np.ndarray:
    """Which rows' owners are private people or firms (their names are hidden by default)."""
    return np.asarray(owner_class.astype(str).isin(HIDDEN_CLASSES).to_numpy(), dtype=bool)


def shown_owner(
    owner: pd.Series, owner_class: pd.Series, names_on: bool, t: Translate | None = None
) -> pd.Series:
    """The owner as the public view shows it: the name, or for a private owner its class.

    Parameters
    ----------
    owner
        Owner names as the source gives them.
    owner_class
        Each row's :class:`geo.policy.OwnerClass` word.
    names_on
        Show private owners' names too.
    t
        The reader's catalog, for the class's words (English when omitted).

    Returns
    -------
    pandas.Series
        Same index as ``owner``.
    """
    if names_on:
        return owner
    t = t or translator("en")
    hidden = private_rows(owner_class)
    if not hidden.any():
        return owner
    out = owner.astype(object).copy()
    out[hidden] = t(f"owner_class.{OwnerClass.PRIVATE.value}")
    return out


def names_state(names_on: bool) -> str:
    """The word an export carries to say which owner names it holds."""
    return NAMES_SHOWN if names_on else NAMES_HIDDEN


def private_view(rows: pd.DataFrame, names_on: bool, t: Translate | None = None) -> pd.DataFrame:
    """Rows with private owners' names replaced by their class, in ``owner`` and reasons.

    Parameters
    ----------
    rows
        Analysed parcels (``owner``, ``owner_class``, optionally ``reasons``).
    names_on
        Keep every name (the rows come back unchanged).
    t
        The reader's catalog.

    Returns
    -------
    pandas.DataFrame
        A copy (or ``rows`` itself when nothing changes), same index and ``attrs``, with
        ``attrs["owner_names"]`` saying ``shown`` or ``hidden``.
    """
    if names_on or "owner" not in rows or "owner_class" not in rows:
        out = rows.copy() if "owner" in rows else rows
        out.attrs = {**rows.attrs, "owner_names": names_state(True)}
        return out
    hidden = private_rows(rows["owner_class"])
    out = rows.copy()
    out.attrs = {**rows.attrs, "owner_names": names_state(False)}
    if not hidden.any():
        return out
    word = (t or translator("en"))(f"owner_class.{OwnerClass.PRIVATE.value}")
    names = rows["owner"].astype(str).to_numpy()
    if "reasons" in rows:
        reasons = list(rows["reasons"])
        for i in np.flatnonzero(hidden):
            reasons[i] = _without_name(reasons[i], names[i], word)
        out["reasons"] = pd.Series(reasons, index=rows.index, dtype=object)
    out["owner"] = shown_owner(rows["owner"], rows["owner_class"], False, t)
    return out


def _without_name(reasons: object, name: str, word: str) -> list[str]:
    """One parcel's reasons with its owner's name replaced by the class's word."""
    listed = reason_list(reasons)
    if not name.strip():
        return listed
    return [r.replace(name, word) for r in listed]
