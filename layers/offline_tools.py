"""The offline map's own tools: search by address or APN, the list of places, the opening view.

Everything runs in the page (``static/app/offline.js``): what a person types never leaves
the phone. The page opens on the free speech zone at a zoom where labels can be read.
"""

from __future__ import annotations

import folium
import geopandas as gpd
import pandas as pd
import shapely
from branca.element import Figure

from geo.analysis import Analysis
from geo.i18n import Translate
from layers.elements import FileScript, RawText
from layers.organize import people, place_name
from layers.parcels import ENGLISH
from layers.static_files import inline_style, js_call, to_json

OPEN_MAX_ZOOM = 17  # never closer than this when the page opens


class OfflineTools(FileScript):
    """The search box and the list of places (``offline.js``).

    Parameters
    ----------
    data : dict
        ``index``, ``places`` and ``words`` (see ``offline.js``).
    """

    def __init__(self, data: dict[str, object]) -> None:
        super().__init__()
        self._name = "OfflineTools"
        self.data = data

    def script_text(self) -> str:
        """``offline.js`` and its call for the map."""
        return js_call("offline.js", "cmOfflineTools", (self.parent_name(),), (to_json(self.data),))


def search_index(rows: gpd.GeoDataFrame) -> list[list[object]]:
    """Each parcel's APN, address and a point inside it (lat, lon), for the page's search."""
    shown = rows[~rows.geometry.isna() & ~rows.geometry.is_empty]
    points = gpd.GeoSeries(shapely.point_on_surface(shown.geometry.values), crs=shown.crs)
    if points.crs is not None:
        points = points.to_crs("EPSG:4326")
    address = shown["address"].astype(object).where(shown["address"].notna(), "")
    return [
        [str(apn), str(addr), round(float(p.y), 6), round(float(p.x), 6)]
        for apn, addr, p in zip(shown["apn"], address, points, strict=True)
    ]


def place_index(places: gpd.GeoDataFrame, t: Translate = ENGLISH) -> list[list[object]]:
    """Each place's name, its capacity (loose · dense · packed) and a point inside it."""
    if "kind" in places:  # the streets are listed whole; their block faces would crowd a phone
        places = places[places["kind"] != "block_face"]
    if places.empty:
        return []
    points = gpd.GeoSeries(shapely.point_on_surface(places.geometry.values), crs=places.crs)
    points = points.to_crs("EPSG:4326")
    out: list[list[object]] = []
    for record, point in zip(
        places.drop(columns="geometry").to_dict("records"), points, strict=True
    ):
        row = {str(k): v for k, v in record.items()}
        capacity = " · ".join(people(row[f"capacity_{k}"], t) for k in ("loose", "dense", "packed"))
        out.append(
            [place_name(row, t), capacity, round(float(point.y), 6), round(float(point.x), 6)]
        )
    return out


def offline_tools(
    fmap: folium.Map, rows: pd.DataFrame, places: gpd.GeoDataFrame, t: Translate = ENGLISH
) -> folium.Map:
    """Add the search box and the list of places to an offline map.

    Parameters
    ----------
    fmap : folium.Map
    rows : geopandas.GeoDataFrame
        The parcels in the page.
    places : geopandas.GeoDataFrame
        Output of :func:`geo.spaces.assembly_places`.
    t : callable
        Translator.

    Returns
    -------
    folium.Map
    """
    words = {
        key: t(f"offline.{key}") for key in ("search", "find", "not_found", "places", "people")
    }
    data: dict[str, object] = {
        "index": search_index(gpd.GeoDataFrame(rows, geometry="geometry")),
        "places": place_index(places, t),
        "words": words,
    }
    OfflineTools(data).add_to(fmap)
    root = fmap.get_root()
    assert isinstance(root, Figure)
    root.header.add_child(RawText(inline_style("offline.css")))
    return fmap


def open_on_zone(fmap: folium.Map, analysis: Analysis) -> folium.Map:
    """Open the map on the free speech zone's outline, no closer than a readable zoom."""
    zone = analysis.zone
    shape = zone.outline if zone.outline is not None else zone.geometry
    if shape is None or shape.is_empty:
        return fmap
    west, south, east, north = gpd.GeoSeries([shape], crs=zone.crs).to_crs(4326).total_bounds
    fmap.fit_bounds(
        [[float(south), float(west)], [float(north), float(east)]],  # type: ignore[list-item]
        max_zoom=OPEN_MAX_ZOOM,
    )
    return fmap
