"""Finding parcels: by APN in any spelling, by street address, by a point on the map.

A :class:`ParcelIndex` is built once per dataset (a dict of APN keys, a dict of normalised
addresses and an STRtree) and answers each look-up without scanning the table. Look-ups
run offline against the loaded parcels: no geocoder, nothing sent anywhere.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS, Transformer

from geo.normalize import (
    apn_alternates,
    apn_keys,
    normalize_address,
    normalize_address_series,
    normalize_apn_series,
)

_APN_LIKE = re.compile(r"^[\d\s\-.]+$")


@dataclass(frozen=True)
class Match:
    """The answer to one query.

    Attributes
    ----------
    query : str
        What was asked.
    positions : tuple of int
        Row positions (``iloc``) of the matching parcels; empty when none matched.
    suggestions : tuple of str
        Close addresses when nothing matched exactly.
    """

    query: str
    positions: tuple[int, ...]
    suggestions: tuple[str, ...] = ()

    @property
    def found(self) -> bool:
        """Whether any parcel matched."""
        return bool(self.positions)


class _KeyTable:
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
        try:
            code = int(self._code.get_loc(key))  # type: ignore[arg-type]  # keys are unique
        except KeyError:
            return ()
        start, end = self._starts[code], self._starts[code + 1]
        return tuple(int(p) for p in np.sort(self._positions[start:end]))

    def near(self, key: str) -> list[str]:
        """Keys sharing the key's first word (a house number): candidates for suggestions."""
        if not self._by_first_word:
            firsts = pd.Series(self._uniques).str.split(" ", n=1).str[0]
            for word, group in pd.Series(self._uniques).groupby(firsts.to_numpy()):
                self._by_first_word[str(word)] = group.tolist()
        first = key.split(" ", 1)[0] if key else ""
        small = self._code.tolist() if len(self._code) <= 50_000 else []
        return self._by_first_word.get(first, []) or small


def _other_spelling(
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


class ParcelIndex:
    """Look-up structures over one parcel table.

    Parameters
    ----------
    parcels : geopandas.GeoDataFrame
        Canonical parcels with ``apn`` and ``address`` columns and a CRS.
    """

    def __init__(self, parcels: gpd.GeoDataFrame) -> None:
        self.crs = parcels.crs
        keys = normalize_apn_series(parcels["apn"]).to_numpy(dtype=object)
        positions = np.arange(len(keys))
        where, spelled = apn_alternates(keys)
        all_keys = [keys, spelled]
        all_positions = [positions, positions[where]]
        if "apn_alt" in parcels:  # the source's other spelling of the parcel number
            other_keys, other_positions = _other_spelling(parcels["apn_alt"], keys, where, spelled)
            all_keys.append(other_keys)
            all_positions.append(other_positions)
        self._apn = _KeyTable(np.concatenate(all_keys), np.concatenate(all_positions))
        addresses = normalize_address_series(parcels["address"]).to_numpy(dtype=object)
        self._address = _KeyTable(addresses, positions)
        self._geoms = parcels.geometry.values
        self._tree = shapely.STRtree(self._geoms)
        self._to_source = (
            Transformer.from_crs("EPSG:4326", CRS.from_user_input(self.crs), always_xy=True)
            if self.crs is not None
            else None
        )

    def by_apn(self, query: str) -> Match:
        """Parcels whose APN matches ``query`` in any spelling (dashes, spaces, 10/14 digits).

        Parameters
        ----------
        query : str

        Returns
        -------
        Match
        """
        for key in apn_keys(query):
            found = self._apn.get(key)
            if found:
                return Match(query, found)
        return Match(query, ())

    def by_address(self, query: str, suggest: int = 5) -> Match:
        """Parcels at a street address; close addresses when none matches exactly.

        Parameters
        ----------
        query : str
            E.g. ``"1201 I Street, Sacramento"``.
        suggest : int
            How many close matches to offer when there is no exact one.

        Returns
        -------
        Match
        """
        key = normalize_address(query)
        found = self._address.get(key)
        if found:
            return Match(query, found)
        close = difflib.get_close_matches(key, self._address.near(key), n=suggest, cutoff=0.75)
        return Match(query, (), tuple(close))

    def find(self, query: str) -> Match:
        """Look up an APN or an address, whichever ``query`` looks like.

        Parameters
        ----------
        query : str

        Returns
        -------
        Match
        """
        query = query.strip()
        if _APN_LIKE.match(query):
            match = self.by_apn(query)
            if match.found:
                return match
        match = self.by_apn(query)
        return match if match.found else self.by_address(query)

    def at_point(self, lat: float, lon: float) -> Match:
        """Parcels containing a point given in latitude and longitude.

        Parameters
        ----------
        lat, lon : float
            WGS 84 degrees (what the map reports for a click).

        Returns
        -------
        Match
        """
        if self._to_source is None:
            return Match(f"{lat:.6f}, {lon:.6f}", ())
        x, y = self._to_source.transform(lon, lat)
        hits = self._tree.query(shapely.Point(x, y), predicate="intersects")
        return Match(f"{lat:.6f}, {lon:.6f}", tuple(int(i) for i in np.sort(hits)))
