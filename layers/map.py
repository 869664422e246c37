"""Putting the layers together into one Folium map that loads nothing from elsewhere."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import folium
import geopandas as gpd
from branca.element import Figure

from geo.i18n import Translate
from layers.assets import STATIC_URL, use_local_assets
from layers.legend import (
    HideLabelsBelowZoom,
    HtmlControl,
    KeepPageStill,
    legend_html,
    map_css,
    source_html,
)
from layers.overlays import landmarks_layer, streets_layer, zone_layer
from layers.parcels import ENGLISH, parcels_layer, selection_layer


@dataclass
class MapContent:
    """What goes on the map.

    Attributes
    ----------
    parcels : geopandas.GeoDataFrame
        Output of :func:`layers.parcels.to_draw_frame`.
    zone : geopandas.GeoDataFrame
        One-row zone frame.
    zone_label : tuple of (str, float, float)
        Landmark name, zone area in m², zone distance in m.
    landmarks : sequence of (name, note, lat, lon, label side)
    streets : geopandas.GeoDataFrame, optional
        Street centrelines with names.
    selected : geopandas.GeoDataFrame, optional
        Draw frame of the selected parcel(s).
    counts : dict
        Category key to parcel count, for the legend.
    source : tuple of (str, str, bool)
        Data name, date, and whether it is the illustrative sample.
    """

    parcels: gpd.GeoDataFrame
    zone: gpd.GeoDataFrame
    zone_label: tuple[str, float, float]
    landmarks: Sequence[tuple[str, str, float, float, str]]
    streets: gpd.GeoDataFrame | None = None
    selected: gpd.GeoDataFrame | None = None
    counts: dict[str, int] = field(default_factory=dict)
    source: tuple[str, str, bool] = ("", "", False)


def build_base_map(
    content: MapContent,
    center: tuple[float, float],
    zoom: int,
    basemap: bool = False,
    asset_url: str = STATIC_URL,
    t: Translate = ENGLISH,
) -> folium.Map:
    """The map without its parcels: zone, landmarks, street names, legend, data line.

    The app adds parcels as feature groups that change with the view, so the base map
    (and the browser's copy of it) stays the same while the user pans.

    Parameters
    ----------
    content : MapContent
        What to draw (``parcels`` and ``selected`` are not used here).
    center : (float, float)
        Latitude and longitude the map opens on.
    zoom : int
        Zoom it opens at.
    basemap : bool
        Add third-party street tiles (off by default: no request leaves the app).
    asset_url : str
        Where the vendored JS/CSS are served.
    t : callable
        Translator for every word on the map.

    Returns
    -------
    folium.Map
    """
    fmap = folium.Map(
        location=center,
        zoom_start=zoom,
        tiles=None,
        control_scale=True,
        max_zoom=20,
    )
    root = fmap.get_root()
    assert isinstance(root, Figure)
    root.header.add_child(map_css())
    if basemap:
        folium.TileLayer("OpenStreetMap", name=t("layers.basemap"), max_zoom=20).add_to(fmap)
    if content.streets is not None:
        streets_layer(content.streets, name=t("layers.streets")).add_to(fmap)
    name, area, distance = content.zone_label
    zone_layer(content.zone, name, area, distance, t).add_to(fmap)
    landmarks_layer(content.landmarks, name=t("layers.landmarks")).add_to(fmap)
    HideLabelsBelowZoom(15).add_to(fmap)
    HtmlControl(legend_html(content.counts, t), "topright", "cm-legend").add_to(fmap)
    KeepPageStill().add_to(fmap)
    HtmlControl(source_html(*content.source, t), "bottomleft", "cm-source").add_to(fmap)
    return use_local_assets(fmap, asset_url)


def parcel_groups(content: MapContent, t: Translate = ENGLISH) -> list[folium.FeatureGroup]:
    """The parcels and the selection outline, as feature groups.

    Parameters
    ----------
    content : MapContent
    t : callable
        Translator (layer names).

    Returns
    -------
    list of folium.FeatureGroup
    """
    groups = [parcels_layer(content.parcels, name=t("layers.parcels"), t=t)]
    if content.selected is not None and not content.selected.empty:
        groups.append(selection_layer(content.selected, name=t("layers.selected")))
    return groups


def build_map(
    content: MapContent,
    center: tuple[float, float],
    zoom: int,
    basemap: bool = False,
    asset_url: str = STATIC_URL,
    t: Translate = ENGLISH,
) -> folium.Map:
    """The whole map in one piece (for exports and tests): base map, parcels, layer control.

    Parameters
    ----------
    content, center, zoom, basemap, asset_url, t
        As for :func:`build_base_map`.

    Returns
    -------
    folium.Map
    """
    fmap = build_base_map(content, center, zoom, basemap, asset_url, t)
    for group in parcel_groups(content, t):
        group.add_to(fmap)
    folium.LayerControl(collapsed=True).add_to(fmap)
    return fmap
