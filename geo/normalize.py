"""Normalising what people type and what files say: owner names, APNs, addresses.

Each function has a scalar form (for one query) and, where the whole table needs it, a
vectorized form over a pandas Series that gives the same result for every value.
"""

from __future__ import annotations

import re

import pandas as pd

_NON_WORD = re.compile(r"[^0-9A-Z]+")
_APN_CHARS = re.compile(r"[^0-9A-Z]")

STREET_TYPES = {
    "STREET": "ST",
    "STR": "ST",
    "AVENUE": "AVE",
    "AV": "AVE",
    "BOULEVARD": "BLVD",
    "CIRCLE": "CIR",
    "COURT": "CT",
    "DRIVE": "DR",
    "LANE": "LN",
    "PLACE": "PL",
    "ROAD": "RD",
    "WAY": "WAY",
    "PARKWAY": "PKWY",
    "TERRACE": "TER",
    "ALLEY": "ALY",
}
ORDINALS = {
    "FIRST": "1ST",
    "SECOND": "2ND",
    "THIRD": "3RD",
    "FOURTH": "4TH",
    "FIFTH": "5TH",
    "SIXTH": "6TH",
    "SEVENTH": "7TH",
    "EIGHTH": "8TH",
    "NINTH": "9TH",
    "TENTH": "10TH",
}
_CITY_TAIL = re.compile(r"\s+(SACRAMENTO|SAC)(\s+CA(LIFORNIA)?)?(\s+\d{5}(\s*\d{4})?)?$")
_STATE_ZIP_TAIL = re.compile(r"\s+CA(LIFORNIA)?(\s+\d{5}(\s*\d{4})?)?$|\s+\d{5}(\s*\d{4})?$")


def normalize_owner(name: object) -> str:
    """Upper-case an owner name and reduce punctuation and spacing to single spaces.

    Parameters
    ----------
    name : object
        An owner name as a file gives it (``None`` and NaN become ``""``).

    Returns
    -------
    str
        E.g. ``"Sacramento, City of"`` becomes ``"SACRAMENTO CITY OF"``.
    """
    if name is None or (isinstance(name, float) and name != name):
        return ""
    return _NON_WORD.sub(" ", str(name).upper()).strip()


def normalize_owner_series(names: pd.Series) -> pd.Series:
    """Vectorized :func:`normalize_owner` (works on the distinct values only).

    Parameters
    ----------
    names : pandas.Series
        Owner names.

    Returns
    -------
    pandas.Series
        Normalised names, same index, ``""`` for missing values.
    """
    codes, uniques = pd.factorize(names.fillna("").astype(str), sort=False)
    normalized = (
        pd.Series(uniques, dtype=object)
        .str.upper()
        .str.replace(_NON_WORD.pattern, " ", regex=True)
        .str.strip()
    )
    values = normalized.to_numpy(dtype=object)
    return pd.Series(values[codes] if len(values) else [""] * len(names), index=names.index)


def normalize_apn(apn: object) -> str:
    """Strip an APN to its letters and digits, upper-cased.

    ``"007-0111-017-0000"``, ``"007 0111 017 0000"`` and ``"00701110170000"`` all give
    ``"00701110170000"``.

    Parameters
    ----------
    apn : object
        An APN as typed or as a file gives it.

    Returns
    -------
    str
    """
    if apn is None or (isinstance(apn, float) and apn != apn):
        return ""
    return _APN_CHARS.sub("", str(apn).upper())


def apn_keys(apn: object) -> list[str]:
    """Every spelling under which a parcel's APN should be found.

    A 14-digit county parcel number ending in ``0000`` is also found by its 10-digit
    book-page-parcel form, and a 10-digit APN by its 14-digit form.

    Parameters
    ----------
    apn : object
        An APN in any spelling.

    Returns
    -------
    list of str
        Normalised keys, the exact one first (empty when the APN is blank).
    """
    key = normalize_apn(apn)
    if not key:
        return []
    keys = [key]
    if key.isdigit() and len(key) == 14 and key.endswith("0000"):
        keys.append(key[:10])
    elif key.isdigit() and len(key) == 10:
        keys.append(key + "0000")
    return keys


def normalize_address(address: object) -> str:
    """Normalise a street address for matching.

    Upper-cases, drops punctuation, abbreviates street types (``STREET`` to ``ST``),
    turns spelled ordinals into numbers (``NINTH`` to ``9TH``) and drops a trailing
    ", Sacramento, CA 95814".

    Parameters
    ----------
    address : object
        An address as typed or as a file gives it.

    Returns
    -------
    str
        E.g. ``"1201 I Street, Sacramento"`` becomes ``"1201 I ST"``.
    """
    if address is None or (isinstance(address, float) and address != address):
        return ""
    text = _NON_WORD.sub(" ", str(address).upper()).strip()
    text = _CITY_TAIL.sub("", text)
    text = _STATE_ZIP_TAIL.sub("", text)
    words = [ORDINALS.get(w, w) for w in text.split()]
    if len(words) > 1:
        words[-1] = STREET_TYPES.get(words[-1], words[-1])
    return " ".join(words)
