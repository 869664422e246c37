"""The index that finds parcels: by APN in any spelling, by address, by name, by a point.

A :class:`ParcelIndex` is built once per dataset (a dict of APN keys, a dict of normalised
addresses, the parcels of each street, the profile's landmarks, the public owners' names and
an STRtree) and answers each look-up without scanning the table. A query that finds nothing
comes back with :class:`Suggestion` objects a page can offer as links: the closest house
numbers on the same street first, then landmarks, public owners and streets by name.
Look-ups run offline against the loaded parcels: no geocoder, nothing sent anywhere.
"""

from __future__ import annotations

import copy
import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS, Transformer

from geo.lookup.keys import (
    MIN_PARTIAL_WORD,
    NUMBER_STREET,
    KeyTable,
    other_spelling,
    owner_key,
    public_owners,
    split_addresses,
    words_match,
)
from geo.lookup.matches import Match, Suggestion
from geo.normalize import (
    NO_PLACE,
    STREET_TYPES,
    PlaceWords,
    apn_alternates,
    apn_keys,
    normalize_address,
    normalize_address_series,
    normalize_apn_series,
    normalize_owner,
)
from geo.profile import Landmark

_APN_LIKE = re.compile(r"^[\d\s\-.]+$")
_STREET_TYPES = frozenset(STREET_TYPES.values())
MIN_UNPADDED_APN = 7  # digits of a 10-digit APN whose leading zeros a spreadsheet dropped


@dataclass(frozen=True)
class _Place:
    """A profile landmark with its parcels and the words its names are made of."""

    landmark: Landmark
    keys: frozenset[str]
    words: frozenset[str]
    positions: tuple[int, ...]


class ParcelIndex:
    """Look-up structures over one parcel table.

    Parameters
    ----------
    parcels : geopandas.GeoDataFrame
        Canonical parcels with ``apn`` and ``address`` columns and a CRS; with an
        ``owner_class`` column (classified parcels) public owners are found by name.
    landmarks : sequence of Landmark
        The profile's landmarks, found by their names and labels.
    """

    def __init__(
        self,
        parcels: gpd.GeoDataFrame,
        landmarks: Sequence[Landmark] = (),
        place: PlaceWords = NO_PLACE,
    ) -> None:
        self.crs = parcels.crs
        self._place_words = place
        keys = normalize_apn_series(parcels["apn"]).to_numpy(dtype=object)
        positions = np.arange(len(keys))
        where, spelled = apn_alternates(keys)
        all_keys = [keys, spelled]
        all_positions = [positions, positions[where]]
        if "apn_alt" in parcels:  # the source's other spelling of the parcel number
            other_keys, other_positions = other_spelling(parcels["apn_alt"], keys, where, spelled)
            all_keys.append(other_keys)
            all_positions.append(other_positions)
        self._apn = KeyTable(np.concatenate(all_keys), np.concatenate(all_positions))
        addresses = normalize_address_series(parcels["address"], place).to_numpy(dtype=object)
        self._addresses = addresses
        self._address = KeyTable(addresses, positions)
        self._streets: tuple[np.ndarray, KeyTable] | None = None  # built when first needed
        self._street_names: list[str] | None = None
        self._owners = parcels["owner"] if "owner" in parcels else pd.Series(dtype=object)
        classes = parcels.get("owner_class")
        self._owner, self._owner_names = public_owners(self._owners, classes)
        self._geoms = parcels.geometry.values
        self._tree = shapely.STRtree(self._geoms)
        self._to_source = (
            Transformer.from_crs("EPSG:4326", CRS.from_user_input(self.crs), always_xy=True)
            if self.crs is not None
            else None
        )
        self._places = tuple(p for p in map(self._place, landmarks) if p.positions)

    @property
    def _numbers(self) -> np.ndarray:
        """The house number of each parcel (-1 when it has none)."""
        return self._street_index()[0]

    @property
    def _street(self) -> KeyTable:
        """Each street's parcels."""
        return self._street_index()[1]

    def _street_index(self) -> tuple[np.ndarray, KeyTable]:
        """House numbers and streets, built at the first search by name or miss (not on load)."""
        if self._streets is None:
            numbers, streets = split_addresses(self._addresses)
            self._streets = numbers, KeyTable(streets, np.arange(len(streets)))
        return self._streets

    def _place(self, landmark: Landmark) -> _Place:
        """A landmark with its parcels: by its address, else by its point."""
        wanted = normalize_address(landmark.address, self._place_words) if landmark.address else ""
        found = self._address.get(wanted) if wanted else ()
        if not found and landmark.point is not None:
            found = self.at_point(*landmark.point).positions
        names = [landmark.name, landmark.label, landmark.id]
        keys = frozenset(k for k in map(normalize_owner, names) if k)
        words = frozenset(w for k in keys for w in k.split())
        return _Place(landmark, keys, words, found)

    def with_owner_classes(self, owner_classes: pd.Series) -> ParcelIndex:
        """The same index with public owners found by name, as classified under a policy.

        Which owners are public depends on the policy's names for the city, so an app that
        caches the index per dataset adds the classes per setting (cheap: only public rows
        are read).

        Parameters
        ----------
        owner_classes : pandas.Series
            ``owner_class`` of every parcel, in the index's row order.

        Returns
        -------
        ParcelIndex
            A shallow copy sharing every other structure.
        """
        out = copy.copy(self)
        out._owner, out._owner_names = public_owners(self._owners, owner_classes)
        return out

    def by_apn(self, query: str) -> Match:
        """Parcels whose APN matches ``query`` in any spelling (dashes, spaces, 10/14 digits).

        A number of 7 to 9 digits is also tried with its leading zeros put back
        (``60710001`` is ``0060710001``), as a spreadsheet stores an APN typed as a number.

        Parameters
        ----------
        query : str

        Returns
        -------
        Match
        """
        keys = apn_keys(query)
        if keys and keys[0].isdigit() and MIN_UNPADDED_APN <= len(keys[0]) < 10:
            keys += apn_keys(keys[0].zfill(10))  # a spreadsheet dropped its leading zeros
        for key in keys:
            found = self._apn.get(key)
            if found:
                return Match(query, found, via="apn")
        return Match(query, ())

    def by_address(self, query: str, suggest: int = 5) -> Match:
        """Parcels at a street address; close addresses when none matches exactly.

        Parameters
        ----------
        query : str
            E.g. ``"1201 I Street, Sacramento"``.
        suggest : int
            How many close addresses to offer when there is no exact one: the closest
            house numbers on the same street first, then similar spellings.

        Returns
        -------
        Match
        """
        key = normalize_address(query, self._place_words)
        found = self._address.get(key)
        if found:
            return Match(query, found, via="address")
        return Match(query, (), self._close_addresses(key, suggest))

    def by_name(self, query: str) -> Match:
        """Parcels of a landmark, a public owner or a street named by ``query``.

        An exact name (a landmark's name or label, a public owner's name in any word
        order, a street) comes first; then a landmark or public owner whose name holds
        every word asked, when only one does. Private owners are never found by name.

        Parameters
        ----------
        query : str
            E.g. ``"City Hall"``, ``"CITY OF SACRAMENTO"``, ``"I St"``, ``"Moss"``.

        Returns
        -------
        Match
            Not found (and without options) when no name matches.
        """
        name = normalize_owner(query)
        place = next((p for p in self._places if name in p.keys), None)
        if place is not None:
            return self._place_match(query, place)
        owner = owner_key(query)
        if owner and self._owner.count(owner):
            return self._owner_match(query, owner)
        street = normalize_address(query, self._place_words)
        if street and self._street.count(street):
            return self._street_match(query, street)
        places, owners = self._partial_places(name), self._partial_owners(name)
        if len(places) == 1 and not owners:
            return self._place_match(query, places[0])
        if len(owners) == 1 and not places:
            return self._owner_match(query, owners[0])
        return Match(query, ())

    def find(self, query: str, suggest: int = 5) -> Match:
        """Look up an APN, an address or a name, whichever ``query`` is.

        Parameters
        ----------
        query : str
        suggest : int
            How many close addresses to offer when nothing matches.

        Returns
        -------
        Match
            When nothing matches, its options are close addresses (nearest house
            numbers on the same street first), then landmarks, public owners and streets
            whose names hold the words asked.
        """
        query = query.strip()
        if not query:
            return Match(query, ())
        match = self.by_apn(query)
        if match.found or _APN_LIKE.match(query):
            return match if match.found else Match(query, ())
        for look_up in (self.by_address, self.by_name):
            match = look_up(query)
            if match.found:
                return match
        return Match(query, (), self.suggest(query, suggest))

    def suggest(self, query: str, limit: int = 5) -> tuple[Suggestion, ...]:
        """What to offer for a query that finds nothing, most likely first.

        Parameters
        ----------
        query : str
        limit : int
            At most this many of each kind (addresses, landmarks, owners, streets).

        Returns
        -------
        tuple of Suggestion
        """
        name = normalize_owner(query)
        out = list(self._close_addresses(normalize_address(query, self._place_words), limit))
        for place in self._partial_places(name)[:limit]:
            title, count = place.landmark.name, len(place.positions)
            out.append(Suggestion(title, title, "landmark", count))
        for key in self._partial_owners(name)[:limit]:
            label = self._owner_names[key]
            out.append(Suggestion(label, label, "owner", self._owner.count(key)))
        if not re.match(r"^\d", name):
            for street in self._close_streets(normalize_address(query, self._place_words), limit):
                out.append(Suggestion(street, street, "street", self._street.count(street)))
        first = {s.query: s for s in reversed(out)}  # the first offer of each query
        return tuple(first[q] for q in dict.fromkeys(s.query for s in out))

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
        found = tuple(int(i) for i in np.sort(hits))
        return Match(f"{lat:.6f}, {lon:.6f}", found, via="point" if found else "")

    # ------------------------------------------------------------------ helpers

    def _place_match(self, query: str, place: _Place) -> Match:
        return Match(query, place.positions, via="landmark", name=place.landmark.name)

    def _owner_match(self, query: str, key: str) -> Match:
        found = tuple(int(p) for p in np.sort(self._owner.positions_of(key)))
        return Match(query, found, via="owner", name=self._owner_names[key])

    def _street_match(self, query: str, street: str) -> Match:
        """A street's parcels in house-number order."""
        where = self._street.positions_of(street)
        order = np.lexsort((where, self._numbers[where]))
        return Match(query, tuple(int(p) for p in where[order]), via="street", name=street)

    def _partial_places(self, name: str) -> list[_Place]:
        asked = name.split()
        if not any(len(w) >= MIN_PARTIAL_WORD for w in asked):
            return []
        return [p for p in self._places if words_match(asked, p.words)]

    def _partial_owners(self, name: str) -> list[str]:
        """Public owners whose names hold every word asked, most parcels first."""
        asked = name.split()
        if not any(len(w) >= MIN_PARTIAL_WORD for w in asked):
            return []
        hits = [k for k in self._owner_names if words_match(asked, frozenset(k.split()))]
        return sorted(hits, key=lambda k: (-self._owner.count(k), k))

    def _close_addresses(self, key: str, limit: int) -> tuple[Suggestion, ...]:
        """The closest house numbers on the street (or the likeliest street), then spellings."""
        if not key or limit <= 0:
            return ()
        parts = re.match(NUMBER_STREET, key)
        near: list[str] = []
        if parts is not None:
            number, street = int(parts["number"]), parts["street"]
            streets = [street] if self._street.count(street) else self._close_streets(street, 1)
            for name in streets:
                near += self._nearest_numbers(number, name, limit)
        close = difflib.get_close_matches(key, self._address.near(key), n=limit, cutoff=0.75)
        chosen = list(dict.fromkeys(near + close))[:limit]
        return tuple(Suggestion(a, a, "address", self._address.count(a)) for a in chosen)

    def _nearest_numbers(self, number: int, street: str, limit: int) -> list[str]:
        """Addresses on a street by distance of their house number to ``number``."""
        where = self._street.positions_of(street)
        numbers = self._numbers[where]
        order = np.lexsort((numbers, np.abs(numbers - number)))
        addresses = self._addresses[where[order]]
        return list(dict.fromkeys(addresses.tolist()))[:limit]

    def _close_streets(self, street: str, limit: int) -> list[str]:
        """Street names spelled like ``street`` (and beginning with the same character)."""
        if not street or limit <= 0:
            return []
        if self._street_names is None:
            self._street_names = self._street.keys()
        same_start = [s for s in self._street_names if s[:1] == street[:1]]
        name, _, kind = street.rpartition(" ")
        if name and kind in _STREET_TYPES:  # "ELM ST": an ELM, not an E, of the same type
            named = {s[: -len(kind) - 1]: s for s in same_start if s.endswith(f" {kind}")}
            close = difflib.get_close_matches(name, list(named), n=limit, cutoff=0.7)
            return [named[c] for c in close]
        return difflib.get_close_matches(street, same_start, n=limit, cutoff=0.7)
