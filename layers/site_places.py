"""The published site's organizers' part: the zone explained and the places to assemble.

The places are the app's (:func:`geo.spaces.assembly_places`, within the profile's walking
distance); their names, capacities, how each capacity was counted and the rules with their
citations are written by the same functions the app's plan tab and handouts use
(:mod:`layers.organize`), once in each language. ``data/places.json`` holds them;
``data/places.geojson`` the outlines to draw (a block face is part of the streets, drawn
whole, so it is listed and not drawn, as in the app).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import numpy as np
import shapely

from geo.analysis import Analysis
from geo.i18n import LANGUAGES, Translate, translator
from geo.profile import Profile, Rule
from geo.spaces import KIND_FACE, assembly_places
from layers.organize import capacity_basis, people, place_name
from layers.view import for_screen


def zone_words(analysis: Analysis, t: Translate) -> str:
    """What the zone is, in one language: its reach, and that it is the public space in it."""
    zone = analysis.zone
    return t(
        "site.zone_about",
        distance=f"{zone.distance_m:,.0f}",
        landmark=zone.landmark.landmark.name,
        area=f"{zone.outline_m2:,.0f}",
        row=f"{zone.right_of_way_m2:,.0f}",
        city=f"{max(zone.area_m2 - zone.right_of_way_m2, 0):,.0f}",
    )


def place_words(
    row: Mapping[str, Any], rules: list[Rule], lang: str, t: Translate
) -> dict[str, object]:
    """One place's words in one language, as the app's handout says them."""
    return {
        "name": place_name(row, t),
        "basis": capacity_basis(row, t=t),
        "loose": people(row["capacity_loose"], t),
        "dense": people(row["capacity_dense"], t),
        "packed": people(row["capacity_packed"], t),
        "rules": [[r.text("title", lang), r.citation, r.text("summary", lang)] for r in rules],
    }


def site_places(analysis: Analysis, profile: Profile) -> tuple[dict[str, object], str]:
    """The places as the site lists them, and the outlines to draw (GeoJSON text).

    Returns
    -------
    (dict, str)
        ``{"within_m", "zone": {lang: text}, "places": [...]}``, each place with its
        ``id`` (its position in the list, also the outline's ``id``), ``kind``, a point
        (``lon``, ``lat``), ``area_m2``, ``area_ft2``, ``distance_m``, ``in_zone`` and
        ``words`` in each language; and the outlines as a FeatureCollection.
    """
    spec = profile.assembly
    places = assembly_places(analysis, spec, profile.rules)
    found = places.attrs.get("rules", {})
    shapes = places.geometry.to_crs("EPSG:4326")
    points = shapely.point_on_surface(np.asarray(shapes.values, dtype=object))
    records = places.drop(columns="geometry").to_dict("records")
    listed = []
    for i, row in enumerate(records):
        row = {str(k): v for k, v in row.items()}
        rules = list(found.get(str(row["place_id"]), []))
        listed.append(
            {
                "id": i,
                "kind": str(row["kind"]),
                "lon": round(float(points[i].x), 6),
                "lat": round(float(points[i].y), 6),
                "area_m2": f"{float(row['area_m2']):,.0f}",
                "area_ft2": f"{int(row['area_ft2']):,}",
                "distance_m": f"{float(row['distance_m']):,.0f}",
                "in_zone": bool(row["in_free_speech_zone"]),
                "words": {
                    lang: place_words(row, rules, lang, translator(lang)) for lang in LANGUAGES
                },
            }
        )
    drawn = np.asarray(places["kind"].astype(str) != KIND_FACE)
    outlines = gpd.GeoDataFrame(
        {"id": np.flatnonzero(drawn)},
        geometry=for_screen(np.asarray(shapes.values, dtype=object)[drawn]),
        crs="EPSG:4326",
    )
    data: dict[str, object] = {
        "within_m": f"{spec.within_m:,.0f}",
        "zone": {lang: zone_words(analysis, translator(lang)) for lang in LANGUAGES},
        "places": listed,
    }
    return data, str(outlines.to_json(drop_id=True))
