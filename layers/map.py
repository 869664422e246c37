"""Putting the layers together into one Folium map that loads nothing from elsewhere."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import folium
import geopandas as gpd
from branca.element import Figure
from shapely.geometry.base import BaseGeometry

from geo.analysis import Analysis
from geo.i18n import Translate
from geo.profile import Profile
from layers.assets import STATIC_URL, use_local_assets
from layers.legend import (
    HideLabelsBelowZoom,
    HtmlControl,
    KeepPageStill,
    legend_html,
    map_css,
    source_html,
)
from layers.organize import locate_control, organizer_tools, places_layer, rings_layer
from layers.overlays import landmarks_layer, streets_layer, zone_layer
from layers.parcel_tiles import ParcelTiles, TileLayer, tile_paint_group
from layers.parcels import ENGLISH, parcels_layer, selection_layer
from layers.tools import FoldTools


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
    # legend rows of the context layers drawn: name, colour, border style
    context: Sequence[tuple[str, str, str]] = ()
    # parcels drawn from tiles instead: the ids of each category (layers.parcel_tiles)
    paint: dict[str, object] | None = None


def build_base_map(
    content: MapContent,
    center: tuple[float, float],
    zoom: int,
    basemap: bool = False,
    asset_url: str = STATIC_URL,
    t: Translate = ENGLISH,
    tiles: TileLayer | None = None,
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
    tiles : TileLayer, optional
        Draw the parcels from vector tiles in the browser (their colours and the legend's
        counts then come with the parcel groups, see :func:`parcel_groups`).

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
    if tiles is not None:
        ParcelTiles(tiles.source, asset_url, tiles.show_others, t).add_to(fmap)
    zone_layer(content.zone, name, area, distance, t).add_to(fmap)
    landmarks_layer(content.landmarks, name=t("layers.landmarks")).add_to(fmap)
    HideLabelsBelowZoom(15).add_to(fmap)
    counts = None if tiles is not None else content.counts  # filled in by the paint
    legend = legend_html(counts, t, content.context)  # and the context layers drawn
    HtmlControl(legend, "topright", "cm-legend").add_to(fmap)
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
    if content.paint is not None:
        groups = [tile_paint_group(content.paint, t("layers.parcels"))]
    else:
        groups = [parcels_layer(content.parcels, name=t("layers.parcels"), t=t)]
    if content.selected is not None and not content.selected.empty:
        groups.append(selection_layer(content.selected, name=t("layers.selected")))
    return groups


@dataclass(frozen=True)
class MapFrame:
    """Where a map opens and what surrounds its parcels (the same for the app, the offline
    map and the benchmark).

    Attributes
    ----------
    center : (float, float)
        Latitude and longitude the map opens on.
    zoom : int
    basemap : bool
        Third-party street tiles (off by default: no request leaves the app).
    rings : (geometry, crs, radii), optional
        The landmark's shape, its CRS and the walking-distance rings' radii in metres.
    places : geopandas.GeoDataFrame, optional
        Places to assemble (:func:`geo.spaces.assembly_places`).
    tiles : TileLayer, optional
        Draw the parcels from vector tiles in the browser.
    """

    center: tuple[float, float]
    zoom: int
    basemap: bool = False
    rings: tuple[BaseGeometry, Any, Sequence[float]] | None = None
    places: gpd.GeoDataFrame | None = None
    tiles: TileLayer | None = None

    @classmethod
    def around(
        cls,
        analysis: Analysis,
        profile: Profile,
        view: tuple[tuple[float, float], int],
        basemap: bool = False,
        places: gpd.GeoDataFrame | None = None,
        tiles: TileLayer | None = None,
    ) -> MapFrame:
        """The frame of an analysis: its zone's landmark ringed at the profile's distances."""
        zone = analysis.zone
        rings = (zone.landmark.geometry, zone.crs, tuple(profile.assembly.rings_m))
        return cls(view[0], int(view[1]), basemap, rings, places, tiles)


@dataclass
class AssembledMap:
    """A map in two parts: the base map, and the feature groups that change with the view
    (the app sends them separately so the browser keeps the base map while panning)."""

    base: folium.Map
    groups: list[folium.FeatureGroup]
    rings: folium.FeatureGroup | None = None

    def whole(self) -> folium.Map:
        """Everything on one map with a layer control (offline map, exports, benchmark)."""
        for group in self.groups:
            group.add_to(self.base)
        folium.LayerControl(collapsed=True).add_to(self.base)
        return self.base


def assemble_map(
    content: MapContent, frame: MapFrame, t: Translate = ENGLISH, asset_url: str = STATIC_URL
) -> AssembledMap:
    """The one map builder: base map, rings, drawing, measuring and locate tools, parcels,
    selection and places, every asset served by the app itself.

    Parameters
    ----------
    content : MapContent
        What to draw.
    frame : MapFrame
        Where it opens and what surrounds the parcels.
    t : callable
        Translator for every word on the map.
    asset_url : str
        Where the vendored JS/CSS are served.

    Returns
    -------
    AssembledMap
    """
    fmap = build_base_map(
        content, frame.center, frame.zoom, frame.basemap, asset_url, t, frame.tiles
    )
    rings = None
    if frame.rings is not None:
        rings = rings_layer(*frame.rings, t)
        rings.add_to(fmap)
    organizer_tools(fmap, t)
    locate_control(fmap, t)
    FoldTools(t).add_to(fmap)  # on a phone, drawing and measuring behind one button
    use_local_assets(fmap, asset_url)
    groups = parcel_groups(content, t)
    if frame.places is not None:
        groups.append(places_layer(frame.places, t))
    return AssembledMap(fmap, groups, rings)
