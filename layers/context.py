"""Context layers on the map: council districts and city limits, as outlines with their
own names as tooltips (clicks go through to the parcels)."""

from __future__ import annotations

import folium
import geopandas as gpd

from geo.context import LABEL
from layers.elements import esc

CONTEXT_STYLE = {
    "council_districts": {"color": "#6a3d9a", "weight": 2, "dashArray": "6 4", "fill": False},
    "city_limits": {"color": "#333333", "weight": 3, "fill": False},
}


def context_legend(kind: str, name: str) -> tuple[str, str, str]:
    """The legend row of a context layer: its name, colour and border style."""
    style = CONTEXT_STYLE.get(kind, CONTEXT_STYLE["city_limits"])
    return name, str(style["color"]), "dashed" if style.get("dashArray") else "solid"


def context_layer(shapes: gpd.GeoDataFrame, kind: str, name: str) -> folium.FeatureGroup:
    """One context layer as a feature group named ``name`` (the shapes in EPSG:4326)."""
    group = folium.FeatureGroup(name=name, show=True)
    frame = shapes[[LABEL, "geometry"]].to_crs(4326).copy()
    frame[LABEL] = [str(esc(value)) for value in frame[LABEL]]
    style = CONTEXT_STYLE.get(kind, CONTEXT_STYLE["city_limits"])
    folium.GeoJson(
        frame.to_json(drop_id=True),
        style_function=lambda _feature: style,
        tooltip=folium.GeoJsonTooltip(fields=[LABEL], labels=False),
        interactive=True,
    ).add_to(group)
    return group
