"""Every cached loader of the app: files read, tables analysed and indexes built once.

Arguments whose names start with ``_`` are not hashed by Streamlit; the ``*_key`` strings
before them say what they depend on (the dataset, the settings, the view).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import streamlit as st

from geo.analysis import Analysis, analyse, compare_policies, locate_landmarks
from geo.changes import Changes, compare_snapshots
from geo.i18n import translator
from geo.ingest import read_city_list, summary
from geo.lookup import ParcelIndex
from geo.policy.terms import Policy
from geo.profile import Profile, load_profile
from geo.schema import parse_field_overrides
from geo.snapshot import read_snapshot
from geo.sources import read_parcels
from geo.spaces import assembly_places
from geo.zone import LocatedLandmark
from layers.compose import category_counts, data_view
from layers.parcel_tiles import paint_codes
from layers.parcels import to_draw_frame
from layers.style import category_keys
from layers.view import DrawGeometry, ViewSelection, select_view
from layers.view_state import Bounds
from panels.map_render import RenderedMap
from panels.tile_files import serve_tiles
from panels.uploads import read_upload, upload_folder


@st.cache_resource(show_spinner=False)
def get_profile(path: str) -> Profile:
    return load_profile(path or None)


@st.cache_resource(show_spinner=False)
def get_parcels(path: str, _profile: Profile, name: str) -> gpd.GeoDataFrame:
    return read_parcels(path, _profile, display_name=name)


@st.cache_resource(show_spinner=False, max_entries=2)
def get_upload(
    data_key: str,
    _data: bytes,
    name: str,
    _profile: Profile,
    crs: str,
    fields: str,
    _t: Any,
    layer: str = "",
) -> gpd.GeoDataFrame:
    bar = st.progress(0.0, text=_t("data.reading", name=name))

    def show(done: int, total: int) -> None:
        share = min(done / total, 1.0) if total > 0 else 0.0
        bar.progress(share, text=_t("data.reading_count", name=name, count=f"{done:,}"))

    try:
        overrides = parse_field_overrides([f for f in fields.split("|") if f])
        return read_upload(_data, name, _profile, overrides, crs or None, show, layer or None)
    finally:
        bar.empty()


@st.cache_resource(show_spinner=False, max_entries=2)
def get_city_list(data_key: str, _data: bytes, name: str, _profile: Profile) -> frozenset[str]:
    with upload_folder() as folder:
        path = Path(folder) / f"list{Path(name).suffix.lower()}"
        path.write_bytes(_data)
        return read_city_list(path, _profile)


@st.cache_resource(show_spinner=False)
def get_streets(path: str) -> gpd.GeoDataFrame | None:
    return pyogrio.read_dataframe(path) if path and Path(path).exists() else None


@st.cache_resource(show_spinner=False, max_entries=4)
def get_landmarks(
    data_key: str, _parcels: gpd.GeoDataFrame, _profile: Profile
) -> tuple[LocatedLandmark, ...]:
    return locate_landmarks(_parcels, _profile)


@st.cache_resource(show_spinner=False, max_entries=8)
def get_analysis(
    data_key: str,
    settings_key: str,
    _parcels: gpd.GeoDataFrame,
    _profile: Profile,
    _policy: Policy,
    _distance: float,
    _landmarks: tuple[LocatedLandmark, ...],
) -> Analysis:
    spec = replace(_profile.zone, distance_m=_distance)
    return analyse(_parcels, _profile, _policy, spec, _landmarks)


@st.cache_resource(show_spinner=False, max_entries=8)
def get_categories(data_key: str, settings_key: str, _analysis: Analysis) -> np.ndarray:
    return category_keys(_analysis.parcels).to_numpy(dtype=object)


@st.cache_resource(show_spinner=False, max_entries=8)
def get_counts(data_key: str, settings_key: str, _categories: np.ndarray) -> dict[str, int]:
    """The legend's count of parcels per category (counted once per setting)."""
    return category_counts(_categories)


@st.cache_resource(show_spinner=False, max_entries=8)
def get_summary(data_key: str, settings_key: str, _analysis: Analysis) -> dict[str, Any]:
    """What was read and decided, and how many parcels lie in the zone (counted once)."""
    info = summary(_analysis.parcels)
    info["in_zone"] = int(_analysis.parcels["in_free_speech_zone"].sum())
    return info


@st.cache_resource(show_spinner=False, max_entries=4)
def get_draw_geometry(data_key: str, _parcels: gpd.GeoDataFrame) -> DrawGeometry:
    return DrawGeometry.build(_parcels)


@st.cache_resource(show_spinner=False, max_entries=16)
def get_view_parcels(
    data_key: str,
    settings_key: str,
    lang: str,
    bounds: Bounds,
    zoom: float,
    show_not_covered: bool,
    _analysis: Analysis,
    _draw: DrawGeometry,
    _categories: np.ndarray,
) -> tuple[gpd.GeoDataFrame, ViewSelection]:
    """The parcels to draw for one view, ready to draw (shared by every session that opens
    the same view, such as the start view)."""
    chosen = select_view(_draw, _categories, bounds, zoom, show_not_covered)
    landmark = _analysis.zone.landmark.landmark.name
    rows = _analysis.parcels.iloc[chosen.positions]
    geoms = _draw.geoms[chosen.positions]
    frame = to_draw_frame(rows, landmark, geoms, zoom, translator(lang), full_cards=False)
    return frame, chosen


@st.cache_resource(show_spinner=False, max_entries=4)
def get_view(data_key: str, _parcels: gpd.GeoDataFrame) -> tuple[tuple[float, float], int]:
    return data_view(_parcels)


@st.cache_resource(show_spinner=False, max_entries=8)
def get_places(
    data_key: str, settings_key: str, _analysis: Analysis, _profile: Profile, within: float
) -> gpd.GeoDataFrame:
    return assembly_places(_analysis, _profile.assembly, _profile.rules, within)


@st.cache_resource(show_spinner=False, max_entries=4)
def get_index(data_key: str, _parcels: gpd.GeoDataFrame, _profile: Profile) -> ParcelIndex:
    return ParcelIndex(_parcels, _profile.landmarks, _profile.place)


@st.cache_resource(show_spinner=False, max_entries=8)
def get_owner_index(
    data_key: str, settings_key: str, _index: ParcelIndex, _analysis: Analysis
) -> ParcelIndex:
    """The dataset's index that also finds public owners by name, under these settings."""
    return _index.with_owner_classes(_analysis.parcels["owner_class"])


@st.cache_resource(show_spinner=False, max_entries=4)
def get_comparison(
    data_key: str,
    first: str,
    second: str,
    _parcels: gpd.GeoDataFrame,
    _profile: Profile,
    lang: str = "en",
) -> pd.DataFrame:
    return compare_policies(
        _parcels,
        _profile.policy_version(first),
        _profile.policy_version(second),
        translator(lang),
    )


@st.cache_resource(show_spinner=False, max_entries=4)
def get_changes(
    pair_key: str,
    settings_key: str,
    lang: str,
    owner_names: bool,
    _old: str,
    _new: str,
    _profile: Profile,
    _policy: Policy,
) -> Changes:
    """What changed between a history's two newest fetches, under one set of settings (the
    files' names and dates make ``pair_key``; computed once, shared by every session)."""
    old, new = read_snapshot(_old, _profile), read_snapshot(_new, _profile)
    return compare_snapshots(old, new, _policy, translator(lang), owner_names)


@st.cache_resource(show_spinner=False, max_entries=8)
def get_paint(
    data_key: str, settings_key: str, _categories: np.ndarray, _counts: dict[str, int]
) -> dict[str, object]:
    """The tiles map's colours for one set of settings (shared by every session)."""
    return paint_codes(_categories, _counts)


@st.cache_resource(show_spinner=False, max_entries=4)
def get_tiles(data_key: str, _parcels: gpd.GeoDataFrame, _profile: Profile) -> str:
    """The URL of the dataset's vector tiles (built once per dataset, shared by sessions)."""
    return serve_tiles(data_key, _parcels, _profile)


@st.cache_resource(show_spinner=False, max_entries=16)
def get_rendered_map(
    signature: tuple[object, ...], _build: Callable[[], tuple[RenderedMap, ViewSelection]]
) -> tuple[RenderedMap, ViewSelection]:
    """The map of one set of inputs, rendered once and shared by every session showing it
    (``signature``: everything the map depends on; ``_build`` renders it)."""
    return _build()


@st.cache_resource(show_spinner=False, max_entries=256)
def get_explained(
    data_key: str,
    settings_key: str,
    lang: str,
    owner_names: bool,
    positions: tuple[int, ...],
    _analysis: Analysis,
) -> pd.DataFrame:
    """Some parcels' rows with their reasons in a language (the card and the outline of
    one run, and every session asking for the same parcels, share them)."""
    rows = _analysis.parcels.iloc[list(positions)]
    return _analysis.explained(rows, translator(lang), owner_names)
