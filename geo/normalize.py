"""Normalising what people type and what files say: owner names, APNs, addresses.

Each function has a scalar form (for one query) and, where the whole table needs it, a
vectorized form over a pandas Series that gives the same result for every value.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

_NON_WORD = re.compile(r"[\W_]+")
_MARKS = re.compile(r"[\u0300-\u036f]")
_APN_CHARS = re.compile(r"[^0-9A-Z]")
OWNER_PATTERN = r"[^A-Z0-9]+"  # what normalize_owner makes one space, for upper-case ASCII
OWNER_CLEAN = r"^[A-Z0-9]+( [A-Z0-9]+)*$"  # an upper-cased name already in normal form

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
    "ELEVENTH": "11TH",
    "TWELFTH": "12TH",
    "THIRTEENTH": "13TH",
    "FOURTEENTH": "14TH",
    "FIFTEENTH": "15TH",
    "SIXTEENTH": "16TH",
    "SEVENTEENTH": "17TH",
    "EIGHTEENTH": "18TH",
    "NINETEENTH": "19TH",
    "TWENTIETH": "20TH",
    "THIRTIETH": "30TH",
}
_TENS = {"TWENTY": 20, "THIRTY": 30}
_UNITS = {"FIRST": 1, "SECOND": 2, "THIRD": 3, "FOURTH": 4, "FIFTH": 5, "SIXTH": 6,
          "SEVENTH": 7, "EIGHTH": 8, "NINTH": 9}  # fmt: skip
_SUFFIX = {1: "ST", 2: "ND", 3: "RD"}
_ZIP = r"\d{5}(\s*\d{4})?"


@dataclass(frozen=True)
class PlaceWords:
    """The words an address may end with when typed with its place (from the profile).

    Attributes
    ----------
    cities : tuple of str
        The city's names and abbreviations (``SACRAMENTO``, ``SAC``).
    states : tuple of str
        The state's (``CA``, ``CALIFORNIA``).
    """

    cities: tuple[str, ...] = ()
    states: tuple[str, ...] = ()


NO_PLACE = PlaceWords()


def _alternatives(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in sorted({_fold(w) for w in words if w.strip()}, key=len))


@lru_cache(maxsize=16)
def _tails(place: PlaceWords) -> tuple[re.Pattern[str], re.Pattern[str] | None, str]:
    """The state-and-ZIP tail, the city tail and the regex of risky endings for a place."""
    states, cities = _alternatives(place.states), _alternatives(place.cities)
    state = rf"(\s+({states}))?" if states else ""
    state_zip = rf"\s+({states})(\s+{_ZIP})?$|\s+{_ZIP}$" if states else rf"\s+{_ZIP}$"
    city = re.compile(rf"\s+({cities}){state}(\s+{_ZIP})?$") if cities else None
    words = "|".join(w for w in (cities, states) if w)
    risky = rf"( ({words})| [0-9]{{5}}( ?[0-9]{{4}})?)$" if words else r" [0-9]{5}( ?[0-9]{4})?$"
    return re.compile(state_zip), city, risky


def _missing(value: object) -> bool:
    try:
        return value is None or bool(pd.isna(value))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return False


def _fold(text: str) -> str:
    """Upper-case and strip accents: ``Peña`` becomes ``PENA``."""
    return _MARKS.sub("", unicodedata.normalize("NFKD", text)).upper()


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
    if _missing(name):
        return ""
    return _NON_WORD.sub(" ", _fold(str(name))).strip()


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
    encoded = pc.dictionary_encode(text_array(names))
    values = pc.take(normalize_owner_array(encoded.dictionary), encoded.indices)
    return pd.Series(values.to_numpy(zero_copy_only=False), index=names.index, dtype=object)


def text_array(values: pd.Series) -> pa.Array:
    """Values as one Arrow string array, missing values as ``""``.

    Parameters
    ----------
    values : pandas.Series
        Text (or anything else, which is stringified as ``str`` does).

    Returns
    -------
    pyarrow.StringArray
        Same length and order as ``values``; no nulls.
    """
    try:
        arr = pa.array(values, type=pa.string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # numbers among the text: one by one
        text = values.astype(object).where(values.notna(), "").astype(str)
        arr = pa.array(text.to_numpy(dtype=object), type=pa.string())
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return pc.fill_null(arr, "")


def ascii_fast(
    arr: pa.Array,
    pattern: str,
    replacement: str,
    scalar: Callable[[str], str],
    clean: str,
) -> pa.Array:
    """Upper-case and replace ``pattern`` in Arrow's C++ kernels for ASCII strings, and call
    the scalar normaliser for the rest (accents to fold), so the result is always exactly
    ``scalar``'s.

    Parameters
    ----------
    arr : pyarrow.StringArray
        Text without nulls (see :func:`text_array`).
    pattern, replacement : str
        What the scalar normaliser replaces, after upper-casing, for ASCII text.
    scalar : callable
        The scalar normaliser.
    clean : str
        A regex that upper-cased text already in normal form matches whole; such text
        skips the (slower) replacement.

    Returns
    -------
    pyarrow.StringArray
    """
    upper = pc.utf8_upper(arr)
    todo = pc.invert(pc.match_substring_regex(upper, clean))
    fixed = pc.utf8_trim_whitespace(
        pc.replace_substring_regex(pc.filter(upper, todo), pattern, replacement)
    )
    fast = pc.replace_with_mask(upper, todo, fixed)
    others = pc.invert(pc.string_is_ascii(arr))
    folded = [scalar(v) for v in pc.filter(arr, others).to_pylist()]
    return pc.replace_with_mask(fast, others, pa.array(folded, type=pa.string()))


def normalize_owner_array(names: pa.Array) -> pa.Array:
    """:func:`normalize_owner` of every value of an Arrow string array (without nulls).

    Parameters
    ----------
    names : pyarrow.StringArray

    Returns
    -------
    pyarrow.StringArray
    """
    return ascii_fast(names, OWNER_PATTERN, " ", normalize_owner, OWNER_CLEAN)


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
    if _missing(apn):
        return ""
    return _APN_CHARS.sub("", _fold(str(apn)))


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


def _ordinals(words: list[str]) -> list[str]:
    """Spelled ordinals to numbers: ``NINTH`` to ``9TH``, ``TWENTY FIRST`` to ``21ST``."""
    out: list[str] = []
    for word in words:
        if out and out[-1] in _TENS and word in _UNITS:
            number = _TENS[out.pop()] + _UNITS[word]
            out.append(f"{number}{_SUFFIX.get(number % 10, 'TH')}")
        else:
            out.append(ORDINALS.get(word, word))
    return out


def normalize_address(address: object, place: PlaceWords = NO_PLACE) -> str:
    """Normalise a street address for matching.

    Upper-cases, drops punctuation, abbreviates street types (``STREET`` to ``ST``),
    turns spelled ordinals into numbers (``NINTH`` to ``9TH``) and drops a trailing ZIP
    code and, given the profile's place words, a trailing ", Sacramento, CA".

    Parameters
    ----------
    address : object
        An address as typed or as a file gives it.
    place : PlaceWords
        The jurisdiction's city and state words (none: only a ZIP code is dropped).

    Returns
    -------
    str
        E.g. ``"1201 I Street, Sacramento"`` becomes ``"1201 I ST"``.
    """
    if _missing(address):
        return ""
    text = _NON_WORD.sub(" ", _fold(str(address))).strip()
    state_zip, city, _ = _tails(place)
    for tail, keep in ((state_zip, 2), (city, 3), (state_zip, 2)):
        if tail is None:
            continue
        shorter = tail.sub("", text)
        if len(shorter.split()) >= keep:  # "100 W SACRAMENTO" keeps its street name
            text = shorter
    words = _ordinals(text.split())
    if len(words) > 1:
        words[-1] = STREET_TYPES.get(words[-1], words[-1])
    return " ".join(words)


_CLEAN = r"^[0-9A-Z]+( [0-9A-Z]+)*$"
_SPELLED = "|".join(sorted({*ORDINALS, *_TENS, *_UNITS}))
_CHANGES = "|".join(k for k, v in STREET_TYPES.items() if k != v)
_ALWAYS_RISKY = rf"\b({_SPELLED})\b| ({_CHANGES})$"


def normalize_address_series(values: pd.Series, place: PlaceWords = NO_PLACE) -> pd.Series:
    """Vectorized :func:`normalize_address`, exactly equal to it for every value.

    An address already in normal form (upper-case ASCII words, no city or ZIP tail, no
    spelled ordinal, no long street type) is its own normal form; Arrow's regex kernels
    find those, and only the rest go through the scalar function.

    Parameters
    ----------
    values : pandas.Series
        Addresses.

    Returns
    -------
    pandas.Series
        Normalised addresses, same index.
    """
    arr = text_array(values)
    text = np.asarray(arr.to_numpy(zero_copy_only=False), dtype=object)
    if len(text) == 0:
        return pd.Series([], index=values.index, dtype=object)
    clean = pc.match_substring_regex(arr, _CLEAN).to_numpy(zero_copy_only=False)
    risky_tail = _tails(place)[2]
    risky = pc.match_substring_regex(arr, f"{risky_tail}|{_ALWAYS_RISKY}")
    out = text.copy()
    for i in np.flatnonzero(~clean | risky.to_numpy(zero_copy_only=False)):
        out[i] = normalize_address(text[i], place)
    return pd.Series(out, index=values.index)


def normalize_apn_series(values: pd.Series) -> pd.Series:
    """Vectorized :func:`normalize_apn` (ASCII in Arrow's kernels, the rest one by one).

    Parameters
    ----------
    values : pandas.Series
        APNs.

    Returns
    -------
    pandas.Series
    """
    keys = ascii_fast(text_array(values), r"[^0-9A-Z]+", "", normalize_apn, r"^[0-9A-Z]*$")
    return pd.Series(keys.to_numpy(zero_copy_only=False), index=values.index, dtype=object)


def apn_alternates(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The second spelling of every normalised APN that has one (as :func:`apn_keys`).

    A 14-digit parcel number ending in ``0000`` is also its first 10 digits; a 10-digit APN
    is also itself followed by ``0000``.

    Parameters
    ----------
    keys : numpy.ndarray
        Normalised APNs.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        The positions in ``keys`` that have a second spelling, and those spellings.
    """
    series = pd.Series(keys, dtype=object).astype(str)
    digits = series.str.fullmatch(r"[0-9]+").to_numpy(dtype=bool)
    lengths = series.str.len().to_numpy()
    long_form = digits & (lengths == 14) & series.str.endswith("0000").to_numpy()
    short_form = digits & (lengths == 10)
    where = np.concatenate([np.flatnonzero(long_form), np.flatnonzero(short_form)])
    spelled = np.concatenate(
        [series[long_form].str[:10].to_numpy(dtype=object),
         (series[short_form] + "0000").to_numpy(dtype=object)]
    )  # fmt: skip
    return where, spelled
