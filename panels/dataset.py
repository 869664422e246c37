"""The parcels on the map and where they came from (the app's one dataset a session)."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd


@dataclass(frozen=True)
class Dataset:
    """The parcels on the map and where they came from."""

    key: str
    parcels: gpd.GeoDataFrame
    name: str
    date: str
    illustrative: bool

    @property
    def source(self) -> tuple[str, str, bool]:
        """(name, date, illustrative): what maps, cards and sheets say about the data."""
        return self.name, self.date, self.illustrative
