"""Tables of keys to parcel rows, built once per dataset without a Python loop per row:
APNs in every spelling, addresses split into house numbers and streets, public owners."""

from __future__ import annotations

from collections.abc import Iterable

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
from geo.policy import PUBLIC_OWNERS

NUMBER_STREET = r"^(?P<number>[0-9]{1,9})[A-Z]? (?P<street>.+)$"
# Owners that may be found by name: public bodies only, never a private person's name.
PUBLIC_OWNER_CLASSES = tuple(c.value for c in PUBLIC_OWNERS)
MIN_PARTIAL_WORD = 3  # a partial name search needs a word this long ("Moss", not "of")


def words_match(asked: Iterable[str], words: frozenset[str]) -> bool:
    """Every asked word is one of ``words`` (or, when long enough, begins one)."""
    return all(
        a in words or (len(a) >= MIN_PARTIAL_WORD and any(w.startswith(a) for w in words))
        for a in asked
    )


def owner_key(name: str) -> str:
    """An owner's name as its sorted words: ``SACRAMENTO CITY OF`` = ``CITY OF SACRAMENTO``."""
    return " ".join(sorted(normalize_owner(name).split()))


class KeyTable:
    """Keys to row positions, many rows a key allowed, built without a Python loop per row.

    Parameters
    ----------
    keys : numpy.ndarray
        One key per entry (blank keys are left out).
    positions : numpy.ndarray
        The row position of each entry.
    """

    def __init__(self, keys: np.ndarray, positions: np.ndarray) -> None:
        keep = pd.Series(keys, dtype=object).to_numpy(dtype=str) != ""
        codes, uniques = pd.factorize(keys[keep], sort=False)
        self._code = pd.Index(uniques, dtype=object)
        order = np.argsort(codes, kind="stable")
        self._positions = positions[keep][order]
        self._starts = np.concatenate([[0], np.cumsum(np.bincount(codes, minlength=len(uniques)))])
        self._by_first_word: dict[str, list[str]] = {}
        self._uniques = uniques

    def get(self, key: str) -> tuple[int, ...]:
        """The row positions of a key (empty when absent)."""
        return tuple(int(p) for p in np.sort(self.positions_of(key)))

    def positions_of(self, key: str) -> np.ndarray:
        """The row positions of a key as an array, in no particular order."""
        try:
            code = int(self._code.get_loc(key))  # type: ignore[arg-type]  # keys are unique
        except KeyError:
            return np.empty(0, dtype=np.int64)
        return self._positions[self._starts[code] : self._starts[code + 1]]

    def keys(self) -> list[str]:
        """Every distinct key."""
        return [str(k) for k in self._uniques]

    def count(self, key: str) -> int:
        """How many rows a key has."""
        return len(self.positions_of(key))

    def near(self, key: str) -> list[str]:
        """Keys sharing the key's first word (a house number): candidates for suggestions."""
        if not self._by_first_word:
            firsts = pd.Series(self._uniques).str.split(" ", n=1).str[0]
            for word, group in pd.Series(self._uniques).groupby(firsts.to_numpy()):
                self._by_first_word[str(word)] = group.tolist()
        first = key.split(" ", 1)[0] if key else ""
        small = self._code.tolist() if len(self._code) <= 50_000 else []
        return self._by_first_word.get(first, []) or small


def other_spelling(
    values: pd.Series, keys: np.ndarray, where: np.ndarray, spelled: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Keys of a second parcel-number field (and their 10/14-digit forms) with their row
    positions, leaving out those the row's own APN already gives."""
    other = normalize_apn_series(values).to_numpy(dtype=object)
    positions = np.arange(len(other))
    found, other_spelled = apn_alternates(other)
    candidates = np.concatenate([other, other_spelled])
    rows = np.concatenate([positions, positions[found]])
    primary_spelled = np.full(len(keys), "", dtype=object)
    primary_spelled[where] = spelled
    new = (candidates != keys[rows]) & (candidates != primary_spelled[rows]) & (candidates != "")
    return candidates[new], rows[new]


def split_addresses(addresses: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """House numbers (-1 when none) and street names of normalised addresses, vectorised."""
    arr = pa.array(addresses, type=pa.string(), from_pandas=True)
    parts = pc.extract_regex(pc.fill_null(arr, ""), NUMBER_STREET)
    numbers = pc.fill_null(pc.cast(pc.struct_field(parts, "number"), pa.int64()), -1)
    streets = pc.fill_null(pc.struct_field(parts, "street"), "")
    return (
        numbers.to_numpy(zero_copy_only=False).astype(np.int64),
        np.asarray(streets.to_numpy(zero_copy_only=False), dtype=object),
    )


def public_owners(
    owners: pd.Series, owner_classes: pd.Series | None
) -> tuple[KeyTable, dict[str, str]]:
    """Public owners' rows by name (words sorted), and the commonest spelling of each."""
    if owner_classes is None or not len(owners):
        empty = np.empty(0, dtype=object)
        return KeyTable(empty, np.empty(0, dtype=np.int64)), {}
    where = np.flatnonzero(np.asarray(owner_classes.isin(PUBLIC_OWNER_CLASSES), dtype=bool))
    names = normalize_owner_series(owners.iloc[where]).reset_index(drop=True)
    codes, uniques = pd.factorize(names)
    unique_keys = np.array([" ".join(sorted(str(u).split())) for u in uniques], dtype=object)
    keys = unique_keys[codes] if len(codes) else np.empty(0, dtype=object)
    spelled: dict[str, str] = {}
    by_use = np.argsort(-np.bincount(codes, minlength=len(uniques)), kind="stable")
    for code in by_use:  # the commonest spelling of each name comes first
        if unique_keys[code]:
            spelled.setdefault(str(unique_keys[code]), str(uniques[code]))
    return KeyTable(keys, where), spelled
