"""Parcels as a Folium layer: styled by category, with escaped tooltips and popups.

Every text value that came from a data file is HTML-escaped here, before it becomes a
GeoJSON property: Folium puts property values into the page as raw HTML.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.explain import reason_list
from geo.i18n import Translate, translator
from geo.privacy import private_view
from layers.elements import FileScript, as_text, esc, js_safe, script_safe
from layers.static_files import js_call, to_json
from layers.style import BY_KEY, HIGHLIGHT_COLOUR, category_keys, leaflet_style
from layers.templating import render
from layers.view import for_screen, on_grid, simplified

DRAW_CRS = "EPSG:4326"
ENGLISH = translator("en")
COORD_GRID = 1e-6  # degrees: about 0.1 m, finer than any screen shows a parcel


def _esc_series(values: pd.Series) -> pd.Series:
    text = values.astype(object).where(values.notna(), "").astype(str)
    return text.map(lambda v: js_safe(html.escape(v, quote=True))).astype(object)


@lru_cache(maxsize=16)
def _card_words(t: Translate, landmark_name: str) -> dict[str, str]:
    """The words every card of one map shares (looked up once, not once a card)."""
    keys = ("no_address", "owner", "blank", "land_use", "in_zone", "yes", "no", "why")
    words = {key: t(f"card.{key}") for key in keys}
    words["borders"] = t("card.borders_zone")
    return {**words, "distance": t("card.distance", landmark=landmark_name)}


def popup_html(
    row: Mapping[str, Any], landmark_name: str, t: Translate = ENGLISH, as_of: str = ""
) -> str:
    """The answer card shown when a parcel is clicked, built only from escaped parts.

    Parameters
    ----------
    row : mapping
        One analysed parcel (``apn, address, owner, owner_class, land_use, land_use_label,
        verdict, reasons, in_free_speech_zone, distance_to_landmark_m``).
    landmark_name : str
        The zone's landmark, for the distance line.
    t : callable
        Translator for the card's words.
    as_of : str
        The card's line saying the data's as-of date (none when empty).

    Returns
    -------
    str
        HTML.
    """
    dist = row.get("distance_to_landmark_m")
    label = as_text(row["land_use_label"])
    owner_class = as_text(t(f"owner_class.{row['owner_class']}") if row["owner_class"] else "")
    return render(
        "parcel_card.html",
        words=_card_words(t, landmark_name),
        verdict=t(f"verdict.{row['verdict']}"),
        address=as_text(row["address"]),
        apn=as_text(row["apn"]),
        owner=owner_words(as_text(row["owner"]), owner_class, t),
        owner_class=owner_class,
        land_use=as_text(row["land_use"]) + (f" ({label})" if label else ""),
        in_zone=bool(row.get("in_free_speech_zone", False)),
        borders=bool(row.get("borders_free_speech_zone", False)),
        distance="" if dist is None or pd.isna(dist) else f"{float(dist):,.0f} m",
        reasons=reason_list(row["reasons"]),
        as_of=as_of,
    )


def owner_words(owner: str, owner_class: str, t: Translate) -> str:
    """The owner as a card names it: "name not shown" for a private owner kept private."""
    return t("card.name_hidden") if owner and owner == owner_class else owner


def to_draw_frame(
    analysed: gpd.GeoDataFrame,
    landmark_name: str,
    geoms: np.ndarray | None = None,
    zoom: float | None = None,
    t: Translate = ENGLISH,
    full_cards: bool = True,
    owner_names: bool = False,
    screen: bool = False,
    as_of: str = "",
) -> gpd.GeoDataFrame:
    """Parcels ready to draw: EPSG:4326, rounded coordinates, escaped text properties.

    Parameters
    ----------
    analysed : geopandas.GeoDataFrame
        Output of :func:`geo.analysis.analyse` (any subset of its rows).
    landmark_name : str
        The zone's landmark, named in the popup.
    geoms : numpy.ndarray, optional
        The same rows' shapes already in EPSG:4326 (saves a reprojection).
    zoom : float, optional
        Simplify the shapes for this zoom (see :func:`layers.view.simplified`).
    t : callable
        Translator for the words in tooltips and popups.
    full_cards : bool
        Put each parcel's whole answer (reasons included) in its popup, as an offline
        map needs; False leaves ``popup`` empty and the browser shows a light popup.
    owner_names : bool
        Name private owners in the cards (by default they read as their class).
    screen : bool
        Without ``zoom``, simplify below a pixel at any zoom
        (:func:`layers.view.for_screen`), for shapes drawn on every rerun.
    as_of : str
        A line saying the data's as-of date, on every whole card (``full_cards``).

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``apn, address, verdict, category, tooltip, popup, geometry``.
    """
    if geoms is None:
        series = analysed.geometry
        if series.crs is not None and series.crs != DRAW_CRS:
            series = series.to_crs(DRAW_CRS)
        geoms = np.asarray(series.values, dtype=object)
    keep = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    frame, geoms = analysed[keep], geoms[keep]
    if zoom is not None and len(geoms):
        lat = float(np.mean(shapely.bounds(geoms)[:, [1, 3]]))
        geoms = simplified(geoms, zoom, lat)
    elif screen:
        geoms = for_screen(geoms)
    else:
        geoms = on_grid(geoms, COORD_GRID)
    category = category_keys(frame)
    verdict_words = frame["verdict"].map(lambda v: t(f"verdict.{v}")).astype(object)
    address = _esc_series(frame["address"])
    tooltip = address.where(address != "", "APN " + _esc_series(frame["apn"]))
    if full_cards:
        plain = pd.DataFrame(frame.drop(columns="geometry"))
        records = private_view(plain, owner_names, t).to_dict("records")
        popups = [
            popup_html({str(k): v for k, v in row.items()}, landmark_name, t, as_of)
            for row in records
        ]
    else:
        popups = [""] * len(frame)
    return gpd.GeoDataFrame(
        {
            "apn": _esc_series(frame["apn"]).to_numpy(),
            "address": address.to_numpy(),
            "verdict": _esc_series(verdict_words).to_numpy(),
            "category": category.to_numpy(),
            "tooltip": (tooltip + " · " + _esc_series(verdict_words)).to_numpy(),
            "popup": popups,
        },
        geometry=geoms,
        crs=DRAW_CRS,
    )


def parcels_layer(
    draw_frame: gpd.GeoDataFrame,
    name: str = "Parcels",
    show: bool = True,
    t: Translate = ENGLISH,
) -> folium.FeatureGroup:
    """A feature group of parcels styled by category, with tooltip and popup.

    Each feature carries only its escaped address, APN, verdict words and category; the
    tooltip and the light popup are put together in the browser from those, so the page
    does not repeat the card's markup for every parcel. A full card (``popup``) is sent
    only when the draw frame has one (offline maps).

    Parameters
    ----------
    draw_frame : geopandas.GeoDataFrame
        Output of :func:`to_draw_frame`.
    name : str
        Name in the layer control.
    show : bool
        Whether the layer is on when the map opens.
    t : callable
        Translator for the popup's own words.

    Returns
    -------
    folium.FeatureGroup
    """
    group = folium.FeatureGroup(name=name, show=show)
    if draw_frame.empty:
        return group
    keys = list(BY_KEY)
    styles = [leaflet_style(BY_KEY[key]) for key in keys]
    verdicts = dict(zip(draw_frame["category"], draw_frame["verdict"], strict=True))
    words = {
        "no_address": esc(t("card.no_address")),
        "why": esc(t("card.why_panel")),
        "verdicts": [verdicts.get(key, "") for key in keys],
    }
    rows = compact_rows(
        draw_frame.geometry.values,
        draw_frame["category"].map(keys.index),
        draw_frame[["address", "apn", "popup"]],
    )
    ParcelGeoJson(rows, styles, words).add_to(group)
    return group


def compact_rows(geoms: Any, categories: pd.Series, texts: pd.DataFrame) -> str:
    """Parcels as a compact JSON array for :class:`ParcelGeoJson`, built in bulk.

    Each row is ``[category index, text..., multi, coordinates]``: a third of the bytes
    of the same parcels as GeoJSON features, which the browser then reads and draws
    faster. Shapely writes the coordinates of every shape in one vectorized call
    (shortest float text).

    Parameters
    ----------
    geoms : array-like of shapely polygons or multipolygons
        In EPSG:4326, none missing.
    categories : pandas.Series of int
        Index of each parcel's category in the layer's style list.
    texts : pandas.DataFrame
        Text columns (already HTML-escaped), in the order the browser reads them.

    Returns
    -------
    str
        A JSON array.
    """
    shapes = shapely.to_geojson(np.asarray(geoms, dtype=object))
    columns = [texts[c].tolist() for c in texts.columns]
    rows = [
        "["
        + ",".join([str(int(category)), *(json.dumps(str(v)) for v in values)])
        + ("," + ("1" if shape.startswith(_MULTI) else "0") + ",")
        + shape[shape.index(_COORDINATES) + len(_COORDINATES) : -1]
        + "]"
        for shape, category, *values in zip(shapes, categories.tolist(), *columns, strict=True)
    ]
    return "[" + ",".join(rows) + "]"


_MULTI = '{"type":"MultiPolygon"'
_COORDINATES = '"coordinates":'


class ParcelGeoJson(FileScript):
    """Parcels as one Leaflet GeoJSON layer, styled in the browser by their category.

    Folium's ``GeoJson`` calls a Python style function per feature and writes the result
    into the page feature by feature; here the few category styles are sent once, and the
    parcels travel as compact rows (see :func:`compact_rows`) that ``static/app/parcel_layer.js``
    turns into GeoJSON features with properties ``c`` (category), ``a`` (address), ``n``
    (APN), ``p`` (full card, or ``""``), each with its tooltip and popup. Hovering a parcel
    outlines it.

    Parameters
    ----------
    rows : str
        Output of :func:`compact_rows` with texts address, APN and popup.
    styles : list of dict
        Leaflet path style of each category index.
    words : mapping
        The popup's own words, already escaped: ``no_address``, ``why`` and ``verdicts``
        (the verdict words of each category index).
    """

    def __init__(self, rows: str, styles: list[dict[str, Any]], words: Mapping[str, Any]) -> None:
        super().__init__()
        self._name = "GeoJson"  # so the page names it geo_json_..., as Folium would
        self.rows = script_safe(rows)
        self.options = {
            "styles": styles,
            "highlight": {"weight": 4, "color": HIGHLIGHT_COLOUR},
            "words": dict(words),
        }

    def script_text(self) -> str:
        """The layer's script: ``parcel_layer.js`` and its call with the rows and options."""
        parent = self.parent_name()
        data = (to_json(self.options), self.rows)
        return js_call("parcel_layer.js", "cmParcelLayer", (parent,), data, result=self.get_name())


SELECTION_STYLE = {"color": HIGHLIGHT_COLOUR, "weight": 5, "fillOpacity": 0, "dashArray": None}


def selection_script(draw_frame: gpd.GeoDataFrame, variable: str, map_name: str) -> str:
    """The selection outline as a script that adds it to the map ``map_name`` (the app's
    map sends it on its own each run, beside the base map rendered once).

    Parameters
    ----------
    draw_frame : geopandas.GeoDataFrame
        Output of :func:`to_draw_frame` for the selected rows.
    variable : str
        The JavaScript variable that keeps the layer.
    map_name : str
        The JavaScript name of the map.

    Returns
    -------
    str
        JavaScript (``static/app/selection.js`` and its call).
    """
    shapes = draw_frame[["apn", "geometry"]].to_json(drop_id=True)
    return js_call(
        "selection.js", "cmSelection", (map_name,), (shapes, to_json(SELECTION_STYLE)), variable
    )


def selection_layer(
    draw_frame: gpd.GeoDataFrame, name: str = "Selected parcel"
) -> folium.FeatureGroup:
    """An outline around the selected parcel(s), drawn above everything else.

    Parameters
    ----------
    draw_frame : geopandas.GeoDataFrame
        Output of :func:`to_draw_frame` for the selected rows.

    Returns
    -------
    folium.FeatureGroup
    """
    group = folium.FeatureGroup(name=name, show=True)
    if not draw_frame.empty:
        folium.GeoJson(
            draw_frame[["apn", "geometry"]].to_json(drop_id=True),
            style_function=lambda f: SELECTION_STYLE,
            interactive=False,
        ).add_to(group)
    return group
