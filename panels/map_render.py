"""The app's map rendered once and shared: what ``st_folium`` sends for a map, computed once
per (dataset, settings, language, layers) and sent again in every run with the session's own
view and selection.

Folium's rendering (every element's template compiled and rendered twice) was about half of
a run's script time, and it gave the same text to every session that opened the same map.
``st_folium`` is called once per map with its component replaced by a recorder; each run
then calls the component itself with the recorded arguments. The component's frontend adds
feature groups without reloading the map, so the selection is a small script sent each run.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import folium
import streamlit as st
import streamlit_folium
from streamlit_folium import st_folium

# The component as streamlit-folium declares it (kept before any recorder replaces it).
_SEND: Callable[..., Any] = streamlit_folium._component_func
_RECORDING = threading.Lock()
PER_RUN = ("center", "zoom", "on_change", "feature_group")  # never taken from the record


@dataclass(frozen=True)
class RenderedMap:
    """``st_folium``'s arguments for one map, without the view and the callback.

    Attributes
    ----------
    arguments : dict
        The component's arguments (script, html, header, links, defaults, the key...).
    groups : str
        The script of the feature groups drawn with the map (parcels, places, districts).
    group_count : int
        How many groups that script adds (the next one's number).
    """

    arguments: dict[str, Any]
    groups: str
    group_count: int


def render_map(
    fmap: folium.Map,
    groups: list[folium.FeatureGroup],
    key: str,
    height: int,
    returned_objects: list[str],
) -> RenderedMap:
    """Render a map and its groups as ``st_folium`` would, once."""
    recorded: dict[str, Any] = {}

    def record(**arguments: Any) -> Any:
        recorded.update(arguments)
        return arguments.get("default")

    with _RECORDING:  # one recording at a time: the recorder is set on the module
        streamlit_folium._component_func = record
        try:
            st_folium(
                fmap,
                key=key,
                height=height,
                use_container_width=True,
                returned_objects=returned_objects,
                feature_group_to_add=groups,
                layer_control=folium.LayerControl(collapsed=True),
            )
        finally:
            streamlit_folium._component_func = _SEND
    kept = {k: v for k, v in recorded.items() if k not in PER_RUN}
    return RenderedMap(kept, str(recorded.get("feature_group") or ""), len(groups))


def show_map(
    rendered: RenderedMap,
    key: str,
    center: tuple[float, float] | None = None,
    zoom: int | None = None,
    extra_groups: str = "",
) -> Any:
    """Send a rendered map with this run's view and any extra groups' script."""
    component_key = rendered.arguments["key"]

    def keep_report() -> None:
        st.session_state[key] = st.session_state.get(component_key, {})

    return _SEND(
        **rendered.arguments,
        center=center,
        zoom=zoom,
        feature_group=rendered.groups + extra_groups,
        on_change=keep_report,
    )


def group_variable(number: int) -> str:
    """The JavaScript name of the map's ``number``-th feature group (as the component names
    them, so it removes the group again before the next run's groups are added)."""
    return f"feature_group_feature_group_{number}"
