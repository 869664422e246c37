"""Turning the kept pages into one layer: read through GDAL, CRS checked, duplicates
dropped, and the count held against the server's."""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
from pyproj import CRS

from geo.errors import InputError
from geo.fetch.pages import PageStore
from geo.fetch.protocol import ServiceError


def read_pages(store: PageStore, keys: list[str], sr: int) -> gpd.GeoDataFrame:
    """Every kept page through GDAL (Esri JSON or GeoJSON), in one frame in EPSG:``sr``."""
    expected = CRS.from_epsg(sr)
    frames = []
    for key in keys:
        if store.pages[key].features == 0:
            continue
        with warnings.catch_warnings():  # GDAL's notes on ESRI:102642 and the like
            warnings.simplefilter("ignore", RuntimeWarning)
            try:
                page = pyogrio.read_dataframe(
                    io.BytesIO(store.read(key)), FEATURE_SERVER_PAGING="NO", use_arrow=True
                )
            except Exception as exc:
                raise ServiceError.keyed(
                    "error.fetch.page_unreadable", page=key, problem=str(exc)
                ) from None
        if page.crs is None or not CRS.from_user_input(page.crs).equals(expected):
            raise ServiceError.keyed(
                "error.fetch.page_crs", page=key, crs=str(page.crs), asked=f"EPSG:{sr}"
            )
        frames.append(page.set_crs(expected, allow_override=True))
    if not frames:
        raise InputError.keyed("error.fetch.no_match")
    raw = pd.concat(frames, ignore_index=True)
    return gpd.GeoDataFrame(raw, geometry="geometry", crs=expected)


def drop_duplicates(raw: gpd.GeoDataFrame, oid: str) -> tuple[gpd.GeoDataFrame, int]:
    """Features that came twice (the layer changed while paging) kept once; how many."""
    if not oid or oid not in raw:
        return raw, 0
    twice = raw.duplicated(subset=[oid], keep="last")
    return raw.loc[~twice].reset_index(drop=True), int(twice.sum())


def check_count(
    held: int, count_start: int, count_end: int, changed: bool, folder: Path
) -> list[str]:
    """Sentences about the count; an error when it is off and the layer did not change."""
    if held == count_start == count_end:
        return []
    if not changed:
        raise ServiceError.keyed(
            "error.fetch.count_off",
            cli_key="error.fetch.count_off.cli",
            held=f"{held:,}",
            count=f"{count_end:,}",
            folder=str(folder),
        )
    note = (
        f"the layer changed during the download: the server counted {count_start:,} "
        f"features at the start and {count_end:,} at the end; the file holds {held:,}"
    )
    if held != count_end:
        note += " (run fetch again for a copy of one moment)"
    return [note]
