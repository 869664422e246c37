"""The free speech zone, landmarks and street names as Folium layers.

Without a basemap the map must still read, so landmarks carry permanent labels and the
street centrelines (when the data has them) are drawn and named.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import folium
import geopandas as gpd
import numpy as np
import shapely
from markupsafe import Markup

from geo.i18n import Translate
from layers.elements import FileScript, esc
from layers.parcels import ENGLISH
from layers.static_files import js_call, to_json
from layers.style import LANDMARK_COLOUR, ZONE_COLOUR
from layers.templating import macros
from layers.view import on_grid

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
    shape["geometry"] = on_grid(np.asarray(shape.geometry.values), 1e-6)
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
    labels = TextLabels()
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
        labels.add(
            (lat, lon),
            str(macros("labels.html").landmark(name, left)),
            (160, 36),
            (168, 18) if left else (-8, 18),
            "cm-landmark-icon",
        )
    labels.add_to(group)  # after the dots, so labels draw above them
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
    labels = TextLabels()
    labels.add_to(group)
    for name, line in zip(lines["name"], lines.geometry, strict=True):
        angle = _screen_angle(line)
        for i in range(every):
            point = line.interpolate((i + 0.5) / every, normalized=True)
            style = f"transform:rotate({angle:.1f}deg)"
            text_label(labels, (point.y, point.x), esc(name), 90, style)
    return group


class TextLabels(FileScript):
    """Many small text-only map labels drawn by one script loop: not clickable, not Tab stops.

    One Folium ``Marker`` per label costs a template and several elements each on every
    rerun; a map with a hundred street names then takes longer to build than its parcels.
    Add it to a layer (a ``FeatureGroup``) and :meth:`add` labels to it.
    """

    def __init__(self) -> None:
        super().__init__()
        self._name = "TextLabels"
        self.rows: list[list[object]] = []

    def add(
        self,
        location: tuple[float, float],
        html: str,
        size: tuple[int, int],
        anchor: tuple[int, int],
        class_name: str = "cm-street-icon",
    ) -> TextLabels:
        """Add one label.

        Parameters
        ----------
        location : (float, float)
            Latitude and longitude.
        html : str
            The label's markup, its text already escaped.
        size, anchor : (int, int)
            Box size in pixels, and the box point placed at ``location``.
        class_name : str
            CSS class of the icon box.

        Returns
        -------
        TextLabels
            Itself, to chain.
        """
        lat, lon = location
        self.rows.append([round(lat, 6), round(lon, 6), html, class_name, size, anchor])
        return self

    def labels_json(self) -> str:
        """The labels as a JSON array that is safe inside a ``<script>`` element."""
        return to_json(self.rows)

    def script_text(self) -> str:
        """``labels.js`` and its call with the labels."""
        parent = self.parent_name()
        return js_call("labels.js", "cmTextLabels", (parent,), (self.labels_json(),))


def text_label(labels: TextLabels, location: tuple[float, float], text: str, width: int,
               style: str = "") -> TextLabels:  # fmt: skip
    """Add a small map label (street name, ring distance) to ``labels``.

    Parameters
    ----------
    labels : TextLabels
        Where the label goes.
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
    TextLabels
    """
    html = str(macros("labels.html").street(Markup(text), style))
    return labels.add(location, html, (width, 16), (width // 2, 8))
