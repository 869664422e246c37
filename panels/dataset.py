"""The parcels on the map and where they came from (the app's one dataset a session)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd

from geo.provenance import date_basis


@dataclass(frozen=True)
class Dataset:
    """The parcels on the map and where they came from."""

    key: str
    parcels: gpd.GeoDataFrame
    name: str
    date: str
    illustrative: bool
    history: Path | None = None  # the folder of earlier fetches of the same layer, if any

    @property
    def source(self) -> tuple[str, str, bool]:
        """(name, date, illustrative): what maps, cards and sheets say about the data."""
        return self.name, self.date, self.illustrative

    @property
    def date_basis(self) -> str:
        """What :attr:`date` is: the layer's last edit, the fetch, the file or the sample."""
        return date_basis(self.parcels.attrs, self.key.startswith("sample:")).value
