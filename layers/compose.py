"""From an analysis (geo) to what the map draws (layers)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from geo.analysis import Analysis
from geo.explain import land_use_text, reason_list, zone_word
from geo.i18n import Translate
from geo.profile import Profile, Rule
from geo.provenance import Provenance
from geo.street_names import streets_from_addresses
from geo.zone import LocatedLandmark, metres_per_unit
from layers.map import MapContent
from layers.organize import capacity_basis, people, place_name
from layers.parcels import ENGLISH, owner_words
from layers.record_link import record_facts
from layers.sheet import (
    Snippet,
    parcel_snippet,
    place_snippet,
    sheet_html,
    snippet_key,
    snippet_svg,
)
from layers.style import category_keys


def landmark_points(
    located: Sequence[LocatedLandmark], crs: object, t: Translate = ENGLISH
) -> list[tuple[str, str, float, float, str]]:
    """Landmarks as (name, note, lat, lon), each at a point inside its parcel.

    Parameters
    ----------
    located : sequence of LocatedLandmark
    crs : CRS-like
        The CRS their geometries are in.

    Returns
    -------
    list of tuple
        (label, note, lat, lon, label side)
    """
    if not located:
        return []
    points = shapely.point_on_surface([m.geometry for m in located])
    lonlat = gpd.GeoSeries(points, crs=crs).to_crs("EPSG:4326")
    out = []
    for mark, pt in zip(located, lonlat, strict=True):
        note = (
            "found by address in the data"
            if mark.found_by == "address"
            else (f"not found in the data; {mark.landmark.point_note or 'approximate'} location")
        )
        label = mark.landmark.label or mark.landmark.name
        side = mark.landmark.label_side
        out.append((label, f"{mark.landmark.name}: {note}", pt.y, pt.x, side))
    return out


def data_view(frame: gpd.GeoDataFrame) -> tuple[tuple[float, float], int]:
    """A centre (lat, lon) and zoom that show all of a parcel table.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        Parcels in any CRS.

    Returns
    -------
    ((float, float), int)
    """
    minx, miny, maxx, maxy = frame.geometry.total_bounds
    corners = gpd.GeoSeries(
        [shapely.Point(minx, miny), shapely.Point(maxx, maxy)], crs=frame.crs
    ).to_crs("EPSG:4326")
    (lon0, lat0), (lon1, lat1) = ((p.x, p.y) for p in corners)
    span = max(abs(lon1 - lon0), abs(lat1 - lat0) * 1.3, 1e-4)
    zoom = int(max(3, min(18, math.floor(math.log2(360 / span)) + 1)))
    return ((lat0 + lat1) / 2, (lon0 + lon1) / 2), zoom


def category_counts(keys: np.ndarray) -> dict[str, int]:
    """How many parcels fall in each category key (the legend's counts)."""
    return {str(k): int(v) for k, v in pd.Series(keys, dtype=object).value_counts().items()}


def map_content(
    analysis: Analysis,
    source: tuple[str, str, bool],
    draw_frame: gpd.GeoDataFrame,
    streets: gpd.GeoDataFrame | None = None,
    selected: gpd.GeoDataFrame | None = None,
    t: Translate = ENGLISH,
    counts: Mapping[str, int] | None = None,
) -> MapContent:
    """Everything the map needs from one analysis.

    Parameters
    ----------
    analysis : Analysis
    source : (str, str, bool)
        Data name, date, illustrative flag.
    draw_frame : geopandas.GeoDataFrame
        The parcels to draw (:func:`layers.parcels.to_draw_frame` of the view's rows).
    streets : geopandas.GeoDataFrame, optional
        Street centrelines.
    selected : geopandas.GeoDataFrame, optional
        Draw frame of the selected parcel(s).
    t : callable
        Translator.
    counts : mapping, optional
        The legend's count of parcels per category key, when the caller has them already
        (:func:`category_counts`; otherwise they are worked out here).

    Returns
    -------
    MapContent
    """
    landmark = analysis.zone.landmark.landmark.name
    if counts is None:
        counts = category_counts(category_keys(analysis.parcels).to_numpy(dtype=object))
    zone = analysis.zone
    return MapContent(
        parcels=draw_frame,
        zone=zone.to_frame(),
        zone_label=(landmark, zone.area_m2, zone.distance_m),
        landmarks=landmark_points(analysis.landmarks, zone.crs, t),
        streets=streets,
        selected=selected,
        counts=dict(counts),
        source=source,
    )


def parcel_sheet(
    analysis: Analysis,
    position: int,
    source: tuple[str, str, bool],
    link: str,
    t: Translate = ENGLISH,
    profile: Profile | None = None,
    lang: str = "en",
    owner_names: bool = False,
    cited: Provenance | None = None,
    district: str = "",
) -> str:
    """A printable one-page answer for one parcel.

    Parameters
    ----------
    analysis : Analysis
    position : int
        The parcel's row position.
    source : (str, str, bool)
        Data name, date, illustrative flag.
    link : str
        Its permalink.
    t : callable
        Translator.
    profile : Profile, optional
        For land-use labels in the reader's language.
    lang : str
        The reader's language.
    owner_names : bool
        Name a private owner (by default it reads as its class).
    cited : Provenance, optional
        The policy, terms, data and time the answer rests on.
    district : str
        The parcel's council district, as the profile's district layer names it (a row of
        the sheet when given).

    Returns
    -------
    str
        HTML.
    """
    parcels = analysis.parcels
    row = analysis.explained(parcels.iloc[[position]], t, owner_names).iloc[0]
    geoms = parcels.geometry
    if geoms.crs is not None and geoms.crs != analysis.zone.crs:
        geoms = geoms.to_crs(analysis.zone.crs)
    focus = geoms.iloc[position]
    snippet = ""
    if focus is not None and not focus.is_empty:
        near = geoms.sindex.query(focus.buffer(max(focus.length, 200.0)))
        keys = category_keys(parcels.iloc[near]).to_numpy()
        neighbours = list(zip(geoms.values[near], keys, strict=True))
        snippet = snippet_svg(parcel_snippet(focus, neighbours, analysis.zone.geometry))
    owner_class = t("owner_class." + row["owner_class"])
    facts = [
        ("APN", str(row["apn"])),
        (t("card.address"), str(row["address"]) or t("card.no_address")),
        (
            t("card.owner"),
            f"{owner_words(str(row['owner']), owner_class, t) or t('card.blank')} ({owner_class})",
        ),
        (t("card.land_use"), _land_use(row, profile, lang, t)),
        (t("card.in_zone"), zone_word(row.to_dict(), t)),
        (
            t("card.distance", landmark=analysis.zone.landmark.landmark.name),
            f"{float(row['distance_to_landmark_m']):,.0f} m",
        ),
    ]
    if district:
        facts.append((t("sheet.district"), district))
    facts += record_facts(profile, row["apn"], t)  # the county's own record, if linked
    return sheet_html(
        title=str(row["address"]) or f"APN {row['apn']}",
        verdict=t(f"verdict.{row['verdict']}"),
        facts=facts,
        reasons=reason_list(row["reasons"]),
        snippet=snippet,
        permalink=link,
        source=source,
        t=t,
        cited=_in_language(cited, profile, lang),
        lang=lang,
    )


def _in_language(cited: Provenance | None, profile: Profile | None, lang: str) -> Provenance | None:
    """The provenance with its policy's title in the reader's language."""
    if cited is None or profile is None or cited.policy_version not in profile.policies:
        return cited
    title = profile.policies[cited.policy_version].text("title", lang)
    return replace(cited, policy_title=title)


def _land_use(row: pd.Series, profile: Profile | None, lang: str, t: Translate) -> str:
    if profile is None:
        return f"{row['land_use']} {row['land_use_label']}".strip()
    return land_use_text(profile, row.to_dict(), lang, t)


def place_sheet(
    analysis: Analysis,
    place: Mapping[str, Any],
    geometry: BaseGeometry,
    rules: Sequence[Rule],
    source: tuple[str, str, bool],
    link: str,
    t: Translate = ENGLISH,
    streets: gpd.GeoDataFrame | None = None,
    lang: str = "en",
    cited: Provenance | None = None,
    profile: Profile | None = None,
) -> str:
    """A printable one-page handout for one place to assemble (``cited``: the policy, data
    and time it rests on; ``profile``: for the policy's title in the reader's language).

    Parameters
    ----------
    analysis : Analysis
    place : mapping
        A row of :func:`geo.spaces.assembly_places`.
    geometry : geometry
        The place's shape in the analysis's measuring CRS.
    rules : sequence of Rule
        The rules that apply there (with citations).
    source : (str, str, bool)
        Data name, date, illustrative flag.
    link : str
        Its permalink.
    t : callable
        Translator.
    streets : geopandas.GeoDataFrame, optional
        Street centrelines with a ``name`` column, drawn and named on the handout's map.
    lang : str
        The reader's language (rule texts and the page's ``lang``).

    Returns
    -------
    str
        HTML.
    """
    zone = analysis.zone
    street = place.get("kind") in ("right_of_way", "block_face")
    snippet = snippet_svg(
        handout_snippet(analysis, geometry, streets, t, margin=0.1 if street else 1.5),
        size=340,
        margin=0.1 if street else 1.5,
    )
    facts = [
        ("APN", str(place["apn"])) if not street else (t("places.layer"), t("places.street")),
        (t("places.area"), f"{float(place['area_m2']):,.0f} m² ({int(place['area_ft2']):,} ft²)"),
        (t("places.loose"), people(place["capacity_loose"], t)),
        (t("places.dense"), people(place["capacity_dense"], t)),
        (t("places.packed"), people(place["capacity_packed"], t)),
        (t("places.basis"), capacity_basis(place, t=t)),
        (
            t("card.distance", landmark=zone.landmark.landmark.name),
            f"{float(place['distance_m']):,.0f} m",
        ),
        (t("card.in_zone"), t("card.yes") if place["in_free_speech_zone"] else t("card.no")),
    ]
    reasons = [
        f"{r.text('title', lang)} ({r.citation}): {r.text('summary', lang)}" for r in rules
    ] or [t("places.no_rules")]
    return sheet_html(
        title=place_name(place, t),
        verdict=t("places.street_sheet_heading" if street else "places.sheet_heading"),
        facts=facts,
        reasons=[t("places.capacity_method"), *reasons],
        snippet=snippet,
        permalink=link,
        source=source,
        t=t,
        lang=lang,
        key=snippet_key(t),
        cited=_in_language(cited, profile, lang),
    )


def handout_snippet(
    analysis: Analysis,
    geometry: BaseGeometry,
    streets: gpd.GeoDataFrame | None,
    t: Translate = ENGLISH,
    margin: float = 1.5,
) -> Snippet:
    """The handout's map of a place: its neighbours, the zone, the landmark, named streets
    (the street layer given, else the streets of the parcels' addresses, along the
    right-of-way: :func:`geo.street_names.streets_from_addresses`)."""
    zone = analysis.zone
    crs = zone.crs
    minx, miny, maxx, maxy = geometry.bounds
    reach = max(maxx - minx, maxy - miny, 1.0) * (0.5 + margin)
    view = geometry.centroid.buffer(reach * 1.5)
    geoms = analysis.parcels.geometry
    if geoms.crs is not None and geoms.crs != crs:
        geoms = geoms.to_crs(crs)
    near = geoms.values[geoms.sindex.query(view)]
    lines: list[tuple[BaseGeometry, str]] = []
    if streets is None or not len(streets):  # no street layer: named from the addresses
        located = gpd.GeoDataFrame({"address": analysis.parcels["address"].to_numpy()},
                                   geometry=geoms.values, crs=crs)  # fmt: skip
        streets = streets_from_addresses(located, view)
    if len(streets):
        shown = streets.to_crs(crs) if streets.crs is not None else streets
        names = shown["name"] if "name" in shown else [""] * len(shown)
        lines = [
            (g, str(n or ""))
            for g, n in zip(shown.geometry.values, names, strict=True)
            if g is not None and g.intersects(view)
        ]
    landmark = zone.landmark.geometry
    return place_snippet(
        geometry, list(near), zone.geometry, landmark, lines, metres_per_unit(crs), t
    )
