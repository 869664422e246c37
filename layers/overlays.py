"""The free speech zone, landmarks and street names as Folium layers.

Without a basemap the map must still read, so landmarks carry permanent labels and the
street centrelines (when the data has them) are drawn and named.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import folium
import geopandas as gpd
import shapely

from geo.i18n import Translate
from layers.parcels import ENGLISH, esc
from layers.style import LANDMARK_COLOUR, ZONE_COLOUR

DRAW_CRS = "EPSG:4326"


def zone_layer(
    zone: gpd.GeoDataFrame,
    landmark_name: str,
    area_m2: float,
    distance_m: float,
    t: Translate = ENGLISH,
) -> folium.FeatureGroup:
    """The proposed free speech zone, hatched-looking by its dashed green outline.

    Parameters
    ----------
    zone : geopandas.GeoDataFrame
        One-row frame of the zone polygon (any CRS).
    landmark_name : str
        What the zone surrounds.
    area_m2 : float
        Its area, for the tooltip.
    distance_m : float
        How far it reaches, for the tooltip.
    t : callable
        Translator.

    Returns
    -------
    folium.FeatureGroup
    """
    group = folium.FeatureGroup(name=t("legend.zone"), show=True)
    shape = zone[["geometry"]].to_crs(DRAW_CRS)
    shape["geometry"] = shapely.set_precision(shape.geometry.values, 1e-6)
    text = esc(
        t(
            "map.zone_tooltip",
            distance=f"{distance_m:,.0f}",
            landmark=landmark_name,
            hectares=f"{area_m2 / 10_000:,.2f}",
        )
    )
    folium.GeoJson(
        shape.to_json(drop_id=True),
        style_function=lambda f: {
            "color": ZONE_COLOUR,
            "weight": 3,
            "dashArray": "10 6",
            "fillColor": ZONE_COLOUR,
            "fillOpacity": 0.12,
        },
        tooltip=folium.Tooltip(text),
        interactive=False,  # clicks go through to the parcels under the zone
    ).add_to(group)
    return group


def landmarks_layer(
    points: Sequence[tuple[str, str, float, float, str]], name: str = "Landmarks"
) -> folium.FeatureGroup:
    """Landmarks as labelled dots.

    Parameters
    ----------
    points : sequence of (name, note, lat, lon, side)
        Name, a short note (e.g. "found by address") and which side of the dot the label
        goes (``"left"`` or ``"right"``) for each landmark.

    Returns
    -------
    folium.FeatureGroup
    """
    group = folium.FeatureGroup(name=name, show=True)
    for name, note, lat, lon, side in points:
        left = side == "left"
        folium.CircleMarker(
            location=(lat, lon),
            radius=6,
            color="#FFFFFF",
            weight=2,
            fill=True,
            fill_color=LANDMARK_COLOUR,
            fill_opacity=1.0,
            tooltip=esc(note) if note else esc(name),
        ).add_to(group)
        folium.Marker(
            location=(lat, lon),
            icon=folium.DivIcon(
                html=f'<div class="cm-landmark{" cm-left" if left else ""}">{esc(name)}</div>',
                icon_size=(160, 36),
                icon_anchor=(168, 18) if left else (-8, 18),
                class_name="cm-landmark-icon",
            ),
            interactive=False,
            keyboard=False,  # a label, not a Tab stop
        ).add_to(group)
    return group


def _screen_angle(line: shapely.LineString) -> float:
    """Clockwise rotation (CSS degrees) that lays text along a line, kept upright."""
    (x0, y0), (x1, y1) = line.coords[0], line.coords[-1]
    dx = (x1 - x0) * math.cos(math.radians((y0 + y1) / 2))
    degrees = -math.degrees(math.atan2(y1 - y0, dx))
    if degrees > 90:
        degrees -= 180
    elif degrees < -90:
        degrees += 180
    return degrees


def streets_layer(
    streets: gpd.GeoDataFrame, every: int = 3, name: str = "Street names"
) -> folium.FeatureGroup:
    """Street centrelines with their names, for reading the map without a basemap.

    Parameters
    ----------
    streets : geopandas.GeoDataFrame
        Lines with a ``name`` column.
    every : int
        Label each street at this many points along it (evenly spaced).

    Returns
    -------
    folium.FeatureGroup
    """
    group = folium.FeatureGroup(name=name, show=True)
    if streets.empty:
        return group
    lines = streets.to_crs(DRAW_CRS)
    folium.GeoJson(
        lines[["name", "geometry"]].to_json(drop_id=True),
        style_function=lambda f: {"color": "#9E9E9E", "weight": 1, "opacity": 0.7},
        interactive=False,
    ).add_to(group)
    for name, line in zip(lines["name"], lines.geometry, strict=True):
        angle = _screen_angle(line)
        for i in range(every):
            point = line.interpolate((i + 0.5) / every, normalized=True)
            style = f"transform:rotate({angle:.1f}deg)"
            text_label((point.y, point.x), esc(name), 90, style).add_to(group)
    return group


def text_label(
    location: tuple[float, float], text: str, width: int, style: str = ""
) -> folium.Marker:
    """A small map label (street name, ring distance): text only, not clickable, not a Tab
    stop.

    Parameters
    ----------
    location : (float, float)
        Latitude and longitude of the label's centre.
    text : str
        Already escaped text.
    width : int
        Label box width in pixels.
    style : str
        Extra inline CSS (e.g. a rotation).

    Returns
    -------
    folium.Marker
    """
    return folium.Marker(
        location=location,
        icon=folium.DivIcon(
            html=f'<div class="cm-street" style="{style}">{text}</div>',
            icon_size=(width, 16),
            icon_anchor=(width // 2, 8),
            class_name="cm-street-icon",
        ),
        interactive=False,
        keyboard=False,
    )
