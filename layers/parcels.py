"""Parcels as a Folium layer: styled by category, with escaped tooltips and popups.

Every text value that came from a data file is HTML-escaped here, before it becomes a
GeoJSON property: Folium puts property values into the page as raw HTML.
"""

from __future__ import annotations

import html

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from layers.style import BY_KEY, HIGHLIGHT_COLOUR, VERDICT_WORDS, category_keys, leaflet_style

DRAW_CRS = "EPSG:4326"
COORD_GRID = 1e-6  # degrees: about 0.1 m, finer than any screen shows a parcel


def esc(value: object) -> str:
    """HTML-escape any value (``None``/NaN become ``""``).

    Parameters
    ----------
    value : object

    Returns
    -------
    str
    """
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return html.escape(str(value), quote=True)


def _esc_series(values: pd.Series) -> pd.Series:
    text = values.astype(object).where(values.notna(), "").astype(str)
    return text.map(lambda v: html.escape(v, quote=True)).astype(object)


def popup_html(row: pd.Series, landmark_name: str) -> str:
    """The answer card shown when a parcel is clicked, built only from escaped parts.

    Parameters
    ----------
    row : pandas.Series
        One analysed parcel (``apn, address, owner, owner_class, land_use, land_use_label,
        verdict, reasons, in_free_speech_zone, distance_to_landmark_m``).
    landmark_name : str
        The zone's landmark, for the distance line.

    Returns
    -------
    str
        HTML.
    """
    reasons = "".join(f"<li>{esc(r)}</li>" for r in str(row["reasons"]).split("; ") if r)
    zone = "yes" if bool(row.get("in_free_speech_zone", False)) else "no"
    dist = row.get("distance_to_landmark_m")
    dist_text = "" if dist is None or pd.isna(dist) else f"{float(dist):,.0f} m"
    land = esc(row["land_use"]) + (
        f" ({esc(row['land_use_label'])})" if row["land_use_label"] else ""
    )
    return (
        '<div class="cm-card">'
        f'<div class="cm-verdict">{esc(VERDICT_WORDS.get(row["verdict"], row["verdict"]))}</div>'
        f"<div><b>{esc(row['address']) or 'No address'}</b></div>"
        f"<div>APN {esc(row['apn'])}</div>"
        f"<div>Owner: {esc(row['owner']) or '(blank)'} ({esc(row['owner_class'])})</div>"
        f"<div>Land use: {land or '(blank)'}</div>"
        f"<div>In the proposed free speech zone: {zone}</div>"
        f"<div>Distance from {esc(landmark_name)}: {dist_text}</div>"
        f'<div class="cm-why">Why:<ul>{reasons}</ul></div>'
        "</div>"
    )


def to_draw_frame(analysed: gpd.GeoDataFrame, landmark_name: str) -> gpd.GeoDataFrame:
    """Parcels ready to draw: EPSG:4326, rounded coordinates, escaped text properties.

    Parameters
    ----------
    analysed : geopandas.GeoDataFrame
        Output of :func:`geo.analysis.analyse` (any subset of its rows).
    landmark_name : str
        The zone's landmark, named in the popup.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``apn, address, verdict, category, tooltip, popup, geometry``.
    """
    frame = analysed[~analysed.geometry.isna() & ~analysed.geometry.is_empty]
    if frame.crs is not None and frame.crs != DRAW_CRS:
        frame = frame.to_crs(DRAW_CRS)
    category = category_keys(frame)
    verdict_words = frame["verdict"].map(VERDICT_WORDS).fillna(frame["verdict"])
    address = _esc_series(frame["address"])
    tooltip = address.where(address != "", "APN " + _esc_series(frame["apn"]))
    return gpd.GeoDataFrame(
        {
            "apn": _esc_series(frame["apn"]),
            "address": address,
            "verdict": _esc_series(verdict_words),
            "category": category,
            "tooltip": tooltip + " · " + _esc_series(verdict_words),
            "popup": [popup_html(row, landmark_name) for _, row in frame.iterrows()],
        },
        geometry=shapely.set_precision(frame.geometry.values, COORD_GRID),
        crs=DRAW_CRS,
    )


def parcels_layer(
    draw_frame: gpd.GeoDataFrame, name: str = "Parcels", show: bool = True
) -> folium.FeatureGroup:
    """A feature group of parcels styled by category, with tooltip and popup.

    Parameters
    ----------
    draw_frame : geopandas.GeoDataFrame
        Output of :func:`to_draw_frame`.
    name : str
        Name in the layer control.
    show : bool
        Whether the layer is on when the map opens.

    Returns
    -------
    folium.FeatureGroup
    """
    group = folium.FeatureGroup(name=name, show=show)
    if draw_frame.empty:
        return group
    styles = {key: leaflet_style(cat) for key, cat in BY_KEY.items()}
    folium.GeoJson(
        draw_frame.to_json(drop_id=True),
        name=name,
        style_function=lambda f: styles[f["properties"]["category"]],
        highlight_function=lambda f: {"weight": 4, "color": HIGHLIGHT_COLOUR},
        tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False, sticky=False),
        popup=folium.GeoJsonPopup(fields=["popup"], labels=False, max_width=320),
        popup_keep_highlighted=True,
        zoom_on_click=False,
    ).add_to(group)
    return group


def selection_layer(draw_frame: gpd.GeoDataFrame) -> folium.FeatureGroup:
    """An outline around the selected parcel(s), drawn above everything else.

    Parameters
    ----------
    draw_frame : geopandas.GeoDataFrame
        Output of :func:`to_draw_frame` for the selected rows.

    Returns
    -------
    folium.FeatureGroup
    """
    group = folium.FeatureGroup(name="Selected parcel", show=True)
    if not draw_frame.empty:
        folium.GeoJson(
            draw_frame[["apn", "geometry"]].to_json(drop_id=True),
            style_function=lambda f: {
                "color": HIGHLIGHT_COLOUR,
                "weight": 5,
                "fillOpacity": 0,
                "dashArray": None,
            },
            interactive=False,
        ).add_to(group)
    return group
