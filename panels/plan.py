"""The plan tab, for organizers: the zone's size, a drawn alternative, places to assemble."""

from __future__ import annotations

from collections.abc import Callable

import geopandas as gpd
import pandas as pd
import streamlit as st

from geo import permalink
from geo.analysis import Analysis
from geo.drawn import feature_shape, shape_summary
from geo.export import csv_bytes
from geo.i18n import Translate
from geo.profile import Profile
from geo.safe_text import md_escape
from geo.spaces import place_geometry
from geo.vendor import read_vendor_files
from layers.compose import place_sheet
from layers.standalone import standalone_html
from panels.link import sheet_link
from panels.loaders import get_places, get_streets
from panels.page import Page
from panels.state import Key, session

DEFAULT_WITHIN_M = 800


def walk_distance() -> float:
    """How far from the landmark places to assemble are looked for, metres."""
    within = session.within
    return float(within if within is not None else DEFAULT_WITHIN_M)


def walk_places(page: Page) -> gpd.GeoDataFrame:
    """City-owned places to assemble within walking distance of the landmark."""
    return get_places(
        page.dataset.key, page.settings_key, page.analysis, page.profile, walk_distance()
    )


def offline_map(
    analysis: Analysis, profile: Profile, source: tuple[str, str, bool]
) -> Callable[[], bytes]:
    """The offline HTML map, built only when the user asks to download it."""
    streets = get_streets(str(profile.streets_path() or "")) if source[2] else None

    def build() -> bytes:
        html = standalone_html(analysis, profile, read_vendor_files(), source, streets)
        return html.encode("utf-8")

    return build


def plan_panel(page: Page) -> None:
    """For organizers: the zone's size, a drawn alternative, and places to assemble."""
    analysis, profile, t = page.analysis, page.profile, page.t
    zone = analysis.zone
    st.markdown(
        t(
            "plan.zone",
            distance=f"{zone.distance_m:,.0f}",
            landmark=md_escape(zone.landmark.landmark.name),
            area=f"{zone.area_m2:,.0f}",
            hectares=f"{zone.area_m2 / 10_000:,.2f}",
            perimeter=f"{zone.perimeter_m:,.0f}",
        )
    )
    drawn_zone(analysis, t)
    spec = profile.assembly
    if session.within is None:
        session.within = int(spec.within_m)
    st.slider(t("plan.within"), 100, int(spec.max_within_m), step=50, key=Key.WITHIN)
    st.markdown(t("places.capacity_method"))
    places = walk_places(page)
    if places.empty:
        st.info(t("plan.none"))
        return
    table = pd.DataFrame(places.drop(columns="geometry"))
    table.attrs = {}
    st.dataframe(table, hide_index=True, width="stretch")
    c1, c2 = st.columns(2)
    c1.download_button(
        t("table.csv"), csv_bytes(table), "places.csv", "text/csv", key=Key.PLACES_CSV
    )
    c2.download_button(
        t("plan.offline_map"),
        offline_map(analysis, profile, page.dataset.source),
        "civic-map.html",
        "text/html",
        key=Key.PLACES_MAP,
    )
    place_handout(page, places, table)


def place_handout(page: Page, places: gpd.GeoDataFrame, table: pd.DataFrame) -> None:
    """Pick a place: the rules that apply there, and a printable handout."""
    t, analysis = page.t, page.analysis
    labels = [
        f"{address or apn} ({distance:,.0f} m)"
        for address, apn, distance in zip(
            table["address"], table["apn"], table["distance_m"], strict=True
        )
    ]
    pick = st.selectbox(t("plan.pick"), range(len(labels)), format_func=labels.__getitem__)
    place = table.iloc[int(pick)]
    rules = places.attrs.get("rules", {}).get(str(place["apn"]), [])
    for rule in rules:
        title, summary = rule.text("title", page.lang), rule.text("summary", page.lang)
        st.markdown(f"- **{md_escape(title)}** ({md_escape(rule.citation)}): {md_escape(summary)}")
    geometry = place_geometry(places, int(pick), analysis.zone.crs)
    params = permalink.link_params(
        page.profile, page.policy, page.distance, page.lang, str(place["apn"])
    )
    link = sheet_link(params, page.policy, page.lang)
    source = page.dataset.source
    sheet = place_sheet(
        analysis, {str(k): v for k, v in place.items()}, geometry, rules, source, link, t
    )
    st.download_button(
        t("plan.handout"),
        sheet.encode("utf-8"),
        f"place-{place['apn']}.html",
        "text/html",
        key=Key.PLACE_SHEET,
    )


def drawn_zone(analysis: Analysis, t: Translate) -> None:
    """Area and perimeter of a zone the user drew on the map, and what lies in it."""
    drawings = session.map_report.get("all_drawings") or []
    if not drawings:
        st.caption(t("plan.draw_hint"))
        return
    shape = feature_shape(drawings[-1])
    if shape is None:
        return
    summary = shape_summary(analysis, *shape)
    st.markdown(
        t(
            "plan.drawn",
            area=f"{summary.area_m2:,.0f}",
            perimeter=f"{summary.perimeter_m:,.0f}",
            parcels=f"{summary.parcels:,}",
            city=f"{summary.city:,}",
        )
    )
