"""Helpers for the unit tests: tiny hand-made parcels in EPSG:2226 whose answers are visible."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

REPO = Path(__file__).resolve().parents[2]
SAMPLE_ZIP = REPO / "data" / "sacramento" / "sample" / "downtown_sample.zip"
# A spot in downtown Sacramento in EPSG:2226 (US survey feet), near the sample's parcels.
X0, Y0 = 6_710_000.0, 1_970_000.0
FEET = 0.3048006096012192  # metres in one US survey foot (1200/3937)

Row = tuple[str, str, str, str, BaseGeometry]


def square(col: float, row: float = 0, size: float = 100.0) -> BaseGeometry:
    """A ``size`` ft square whose lower-left corner is (X0 + col*size, Y0 + row*size)."""
    x = X0 + col * size
    y = Y0 + row * size
    return shapely.box(x, y, x + size, y + size)


def make_frame(rows: Sequence[Row], crs: str | None = "EPSG:2226") -> gpd.GeoDataFrame:
    """Canonical parcels from ``(apn, address, owner, land_use, geometry)`` rows."""
    return gpd.GeoDataFrame(
        {
            "apn": pd.Series([r[0] for r in rows], dtype=object),
            "address": pd.Series([r[1] for r in rows], dtype=object),
            "owner": pd.Series([r[2] for r in rows], dtype=object),
            "land_use": pd.Series([r[3] for r in rows], dtype=object),
            "land_use_label": ["" for _ in rows],
        },
        geometry=[r[4] for r in rows],
        crs=crs,
    )
