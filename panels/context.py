"""Council districts and city limits in the app: the sidebar's toggles and opt-in fetch,
the shapes for the map, and the card's council district."""

from __future__ import annotations

import folium
import geopandas as gpd
import pandas as pd
import streamlit as st

from geo.context import (
    LABEL,
    ON_MAP,
    ContextLayer,
    context_layers,
    fetch_context,
    label_at,
    read_context,
)
from geo.errors import InputError
from geo.i18n import Translate
from geo.profile import Profile
from geo.safe_text import md_escape
from layers.context import context_layer, context_legend
from panels.fetch import host_of
from panels.state import Key, session


@st.cache_resource(show_spinner=False, max_entries=4)
def get_context(
    kind: str, modified: str, _layer: ContextLayer, _profile: Profile
) -> gpd.GeoDataFrame | None:
    """One context layer's shapes (read again when its file changes)."""
    return read_context(_layer, _profile)


def file_stamp(layer: ContextLayer, profile: Profile) -> str:
    """What a layer's cached copy depends on: its file and when it was written."""
    path = layer.local_path(profile)
    return f"{path}:{path.stat().st_mtime_ns}" if path is not None and path.exists() else ""


def loaded_context(profile: Profile) -> dict[str, gpd.GeoDataFrame]:
    """The profile's context layers that are on this machine (a file, or a kept fetch)."""
    try:
        layers = context_layers(profile)
    except InputError:
        return {}
    shapes = {}
    for kind, layer in layers.items():
        stamp = file_stamp(layer, profile)
        if not stamp:
            continue
        try:
            frame = get_context(kind, stamp, layer, profile)
        except InputError:
            continue
        if frame is not None:
            shapes[kind] = frame
    return shapes


def context_section(profile: Profile, t: Translate) -> None:
    """Toggles for the context layers, and a fetch (said first whom it contacts) for those
    the profile names by URL and that are not here yet."""
    try:
        layers = context_layers(profile)
    except InputError as exc:
        st.sidebar.error(md_escape(exc.for_app(t)))
        return
    if not layers:
        return
    with st.sidebar.expander(t("context.header")):
        for kind, layer in layers.items():
            if kind in ON_MAP:
                st.checkbox(t(f"context.{kind}"), value=True, key=Key.context(kind))
            else:
                st.caption(t(f"context.{kind}"))
            if layer.file is None and layer.url:
                st.caption(t("context.notice", host=md_escape(host_of(layer.url))))
                if st.button(
                    t("context.fetch", layer=t(f"context.{kind}")), key=Key.context_fetch(kind)
                ):
                    fetch_one(layer, profile, t)


def fetch_one(layer: ContextLayer, profile: Profile, t: Translate) -> None:
    """Fetch one URL layer into the cache; say how it went."""
    try:
        with st.spinner(t("fetch.starting", host=md_escape(host_of(layer.url)))):
            fetch_context(layer, profile)
    except (InputError, OSError) as exc:
        problem = exc.for_app(t) if isinstance(exc, InputError) else str(exc)
        st.error(t("fetch.failed", problem=md_escape(problem)))
        return
    st.success(t("context.fetched", layer=t(f"context.{layer.kind}")))


def context_kinds(profile: Profile) -> list[str]:
    """The kinds of context layer on this machine (each may be switched on)."""
    return list(loaded_context(profile))


def context_groups(profile: Profile, t: Translate) -> list[folium.FeatureGroup]:
    """The context layers switched on, for the map."""
    return [
        context_layer(frame, kind, t(f"context.{kind}"))
        for kind, frame in loaded_context(profile).items()
        if kind in ON_MAP and session.context_shown(kind)
    ]


def context_legend_rows(profile: Profile, t: Translate) -> list[tuple[str, str, str]]:
    """The legend rows of the context layers the map draws."""
    return [
        context_legend(kind, t(f"context.{kind}"))
        for kind in loaded_context(profile)
        if kind in ON_MAP and session.context_shown(kind)
    ]


def district_names(profile: Profile, parcels: gpd.GeoDataFrame) -> pd.Series | None:
    """The council district of each parcel (from the layer's own fields); None without a
    district layer on this machine."""
    districts = loaded_context(profile).get("council_districts")
    if districts is None or parcels.empty:
        return None
    return label_at(parcels, districts)


def street_lines(profile: Profile) -> gpd.GeoDataFrame | None:
    """The profile's street centrelines with a ``name`` each, when they are on this machine."""
    streets = loaded_context(profile).get("streets")
    if streets is None:
        return None
    return streets[[LABEL, "geometry"]].rename(columns={LABEL: "name"})
