"""Finding parcels: by APN in any spelling, by street address, by a point on the map.

A :class:`ParcelIndex` is built once per dataset (a dict of APN keys, a dict of normalised
addresses and an STRtree) and answers each look-up without scanning the table. Look-ups
run offline against the loaded parcels: no geocoder, nothing sent anywhere.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS, Transformer

from geo.normalize import apn_keys, normalize_address

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


class ParcelIndex:
    """Look-up structures over one parcel table.

    Parameters
    ----------
    parcels : geopandas.GeoDataFrame
        Canonical parcels with ``apn`` and ``address`` columns and a CRS.
    """

    def __init__(self, parcels: gpd.GeoDataFrame) -> None:
        self.crs = parcels.crs
        self._apn: dict[str, list[int]] = defaultdict(list)
        for pos, apn in enumerate(parcels["apn"].to_numpy()):
            for key in apn_keys(apn):
                self._apn[key].append(pos)
        self._address: dict[str, list[int]] = defaultdict(list)
        for pos, address in enumerate(parcels["address"].map(normalize_address).to_numpy()):
            if address:
                self._address[address].append(pos)
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
            if key in self._apn:
                return Match(query, tuple(self._apn[key]))
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
        if key in self._address:
            return Match(query, tuple(self._address[key]))
        close = difflib.get_close_matches(key, self._address.keys(), n=suggest, cutoff=0.75)
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
