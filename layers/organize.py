"""Layers for organizers: places to assemble, distance rings, drawing and measuring tools."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import folium
import folium.plugins
import geopandas as gpd
import numpy as np
import pandas as pd
from branca.element import Figure
from pyproj import CRS
from shapely.geometry.base import BaseGeometry

from geo.i18n import Translate
from layers.elements import FileScript, RawText, esc
from layers.overlays import TextLabels, text_label
from layers.parcels import ENGLISH
from layers.static_files import inline_style, js_call, to_json
from layers.style import PLACE_COLOUR, PLACE_WEIGHT, RING_COLOUR, RING_DASH
from layers.templating import render
from layers.view import for_screen


def place_name(row: Mapping[str, Any], t: Translate = ENGLISH) -> str:
    """What a place is called: the zone's streets, its address, or its APN."""
    if row.get("kind") == "right_of_way":
        return t("places.street")
    if row.get("kind") == "block_face":
        return t("places.face", name=str(row.get("address") or "?"))
    return str(row.get("address") or "") or "APN " + str(row.get("apn"))


def people(value: Any, t: Translate = ENGLISH) -> str:
    """A number of people, or "not known" when the place has no capacity."""
    if value is None or pd.isna(value):
        return t("places.no_capacity")
    return f"{int(value):,}"


def capacity_basis(
    row: Mapping[str, Any], share: float | None = None, t: Translate = ENGLISH
) -> str:
    """How a place's capacity was counted, in the reader's language."""
    basis = str(row.get("capacity_basis") or "open_parcel")
    area = f"{float(row.get('open_area_m2') or 0):,.0f}"
    if basis == "right_of_way":
        total = float(row.get("area_m2") or 0)
        ratio = (
            share
            if share is not None
            else (float(row.get("open_area_m2") or 0) / total if total else 0)
        )
        return t("places.basis.right_of_way", share=f"{ratio * 100:.0f}", area=area)
    return t(f"places.basis.{basis}", area=area)


def place_popup(row: Mapping[str, Any], t: Translate = ENGLISH) -> str:
    """The card of one place to assemble (escaped)."""
    return render(
        "place_card.html",
        t=t,
        heading=place_name(row, t),
        area_m2=f"{float(row['area_m2']):,.0f}",
        area_ft2=f"{int(row['area_ft2']):,}",
        loose=people(row["capacity_loose"], t),
        dense=people(row["capacity_dense"], t),
        packed=people(row["capacity_packed"], t),
        basis=capacity_basis(row, t=t),
        distance=f"{float(row['distance_m']):,.0f}",
        rules=[r for r in str(row.get("rules", "")).split("; ") if r],
    )


def places_layer(places: gpd.GeoDataFrame, t: Translate = ENGLISH) -> folium.FeatureGroup:
    """City-owned places to assemble, outlined in green, each with its card.

    Parameters
    ----------
    places : geopandas.GeoDataFrame
        Output of :func:`geo.spaces.assembly_places`.
    t : callable
        Translator.

    Returns
    -------
    folium.FeatureGroup
    """
    group = folium.FeatureGroup(name=t("places.layer"), show=True)
    if "kind" in places:  # block faces are parts of the streets drawn whole: listed, not drawn
        places = places[places["kind"] != "block_face"]
    if places.empty:
        return group
    frame = places.to_crs("EPSG:4326")
    records = frame.drop(columns="geometry").to_dict("records")
    shown = gpd.GeoDataFrame(
        {
            "tooltip": [esc(place_name(r, t)) for r in records],
            "popup": [place_popup(r, t) for r in records],
        },
        geometry=for_screen(np.asarray(frame.geometry.values)),
        crs="EPSG:4326",
    )
    folium.GeoJson(
        shown.to_json(drop_id=True),
        style_function=lambda f: {
            "color": PLACE_COLOUR,
            "weight": PLACE_WEIGHT,
            "opacity": 0.95,
            "fill": False,  # only the outline catches clicks; the parcel keeps its own
        },
        tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False),
        popup=folium.GeoJsonPopup(fields=["popup"], labels=False, max_width=320),
    ).add_to(group)
    return group


def rings_layer(
    centre: BaseGeometry, crs: CRS, radii_m: Sequence[float], t: Translate = ENGLISH
) -> folium.FeatureGroup:
    """Distance rings around the landmark, drawn as true circles in the projected CRS.

    Parameters
    ----------
    centre : geometry
        The landmark (its parcel or point) in ``crs``.
    crs : pyproj.CRS
        The projected measuring CRS.
    radii_m : sequence of float
        Ring distances in metres.
    t : callable
        Translator.

    Returns
    -------
    folium.FeatureGroup
    """
    from geo.zone import metres_per_unit

    group = folium.FeatureGroup(name=t("places.rings"), show=True)
    point = centre.centroid
    unit = metres_per_unit(crs)
    labels = TextLabels()
    for radius in radii_m:
        ring = gpd.GeoSeries([point.buffer(radius / unit, quad_segs=32).exterior], crs=crs)
        line = ring.to_crs("EPSG:4326").iloc[0]
        folium.PolyLine(
            [(y, x) for x, y in line.coords],
            color=RING_COLOUR,
            weight=1.5,
            dash_array=RING_DASH,
            tooltip=esc(t("places.ring", distance=f"{radius:,.0f}")),
        ).add_to(group)
        top = line.coords[max(range(len(line.coords)), key=lambda i: line.coords[i][1])]
        text_label(labels, (top[1], top[0]), f"{radius:,.0f} m", 60)
    labels.add_to(group)
    return group


def draw_words(t: Translate) -> dict[str, Any]:
    """Leaflet.draw's words (its ``L.drawLocal``) from the catalog."""
    action = {"title": t("tools.draw.cancel_title"), "text": t("tools.draw.cancel")}
    return {
        "draw": {
            "toolbar": {
                "actions": action,
                "finish": {"title": t("tools.draw.finish_title"), "text": t("tools.draw.finish")},
                "undo": {"title": t("tools.draw.undo_title"), "text": t("tools.draw.undo")},
                "buttons": {
                    "polygon": t("tools.draw.polygon"),
                    "rectangle": t("tools.draw.rectangle"),
                    "circle": t("tools.draw.circle"),
                },
            },
            "handlers": {
                "circle": {
                    "tooltip": {"start": t("tools.draw.circle_start")},
                    "radius": t("tools.draw.radius"),
                },
                "polygon": {
                    "tooltip": {
                        "start": t("tools.draw.polygon_start"),
                        "cont": t("tools.draw.polygon_cont"),
                        "end": t("tools.draw.polygon_end"),
                    }
                },
                "rectangle": {"tooltip": {"start": t("tools.draw.rectangle_start")}},
                "simpleshape": {"tooltip": {"end": t("tools.draw.shape_end")}},
            },
        },
        "edit": {
            "toolbar": {
                "actions": {
                    "save": {"title": t("tools.draw.save_title"), "text": t("tools.draw.save")},
                    "cancel": action,
                    "clearAll": {
                        "title": t("tools.draw.clear_all_title"),
                        "text": t("tools.draw.clear_all"),
                    },
                },
                "buttons": {
                    "remove": t("tools.draw.remove"),
                    "removeDisabled": t("tools.draw.remove_none"),
                },
            },
            "handlers": {"remove": {"tooltip": {"text": t("tools.draw.remove_hint")}}},
        },
    }


MEASURE_WORDS = {
    "Measure distances and areas": "tools.measure.toggle",
    "Measure": "tools.measure.measure",
    "Create a new measurement": "tools.measure.start",
    "Start creating a measurement by adding points to the map": "tools.measure.hint",
    "Cancel": "tools.measure.cancel",
    "Finish measurement": "tools.measure.finish",
    "Last point": "tools.measure.last_point",
    "Path distance": "tools.measure.path",
    "Area": "tools.measure.area",
    "Center on this line": "tools.measure.center_line",
    "Center on this area": "tools.measure.center_area",
    "Center on this location": "tools.measure.center_point",
    "Delete": "tools.measure.delete",
    "Point location": "tools.measure.point_location",
    "Linear measurement": "tools.measure.linear",
    "Area measurement": "tools.measure.area_measurement",
}


class ToolWords(FileScript):
    """The drawing and measuring tools' words in the reader's language (add it first)."""

    def __init__(self, t: Translate = ENGLISH) -> None:
        super().__init__()
        self._name = "ToolWords"
        self.draw = draw_words(t)
        self.measure = {english: t(key) for english, key in MEASURE_WORDS.items()}

    def script_text(self) -> str:
        """``tool_words.js`` and its call for the map."""
        return js_call(
            "tool_words.js",
            "cmToolWords",
            (self.parent_name(),),
            (to_json(self.draw), to_json(self.measure)),
        )


class DrawingGuard(FileScript):
    """While a drawing tool is active, clicks draw and never select parcels (drawing.js)."""

    def __init__(self) -> None:
        super().__init__()
        self._name = "DrawingGuard"

    def script_text(self) -> str:
        """``drawing.js`` and its call for the map."""
        return js_call("drawing.js", "cmDrawingGuard", (self.parent_name(),))


def organizer_tools(fmap: folium.Map, t: Translate = ENGLISH) -> folium.Map:
    """Add a drawing tool (to test other zones) and a measuring tool.

    Parameters
    ----------
    fmap : folium.Map
    t : callable
        Translator of the tools' own words.

    Returns
    -------
    folium.Map
    """
    ToolWords(t).add_to(fmap)  # before the tools, which read their words when built
    folium.plugins.Draw(
        export=False,
        position="topleft",
        draw_options={
            "polyline": False,
            "circlemarker": False,
            "marker": False,
            "rectangle": {"showArea": True},
            "polygon": {"showArea": True, "allowIntersection": False},
            "circle": {"showRadius": True},
        },
        edit_options={"edit": False},
    ).add_to(fmap)
    DrawingGuard().add_to(fmap)
    root = fmap.get_root()
    assert isinstance(root, Figure)
    root.header.add_child(RawText(inline_style("drawing.css")))
    folium.plugins.MeasureControl(
        position="topleft",
        primary_length_unit="meters",
        secondary_length_unit="feet",
        primary_area_unit="sqmeters",
        secondary_area_unit="sqfeet",
    ).add_to(fmap)
    return fmap


def locate_control(fmap: folium.Map, t: Translate = ENGLISH) -> folium.Map:
    """ "Where am I?": Leaflet's locate control, which runs only in the browser.

    The position centres the map in the visitor's own browser; it is never sent to the
    server (the map reports only its view, never the located point) and never kept.

    Parameters
    ----------
    fmap : folium.Map
    t : callable
        Translator.

    Returns
    -------
    folium.Map
    """
    folium.plugins.LocateControl(
        position="topleft",
        flyTo=False,
        keepCurrentZoomLevel=False,
        showPopup=False,
        drawCircle=True,
        locateOptions={"enableHighAccuracy": False, "maxZoom": 17},
        strings={"title": t("locate.title")},
    ).add_to(fmap)
    return fmap
