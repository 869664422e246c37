"""The plan tab, for organizers: the zone's size, a drawn alternative, places to assemble."""

from __future__ import annotations

from collections.abc import Callable

import geopandas as gpd
import numpy as np
import pandas as pd
import streamlit as st

from geo import permalink
from geo.analysis import Analysis
from geo.drawn import drawn_geojson, feature_shape, shape_summary, touched_parcels
from geo.explain import localized_table
from geo.export import csv_bytes
from geo.profile import Profile
from geo.safe_text import md_escape
from geo.spaces import SQFT_PER_M2, capacities, place_geometry
from geo.vendor import read_vendor_files
from layers.compose import place_sheet
from layers.organize import capacity_basis, place_name
from layers.standalone import standalone_html
from panels.context import street_lines
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
    analysis: Analysis,
    profile: Profile,
    source: tuple[str, str, bool],
    lang: str = "en",
    within_m: float | None = None,
    owner_names: bool = False,
    basis: str = "",
) -> Callable[[], bytes]:
    """The offline HTML map, built only when the user asks to download it."""
    streets = get_streets(str(profile.streets_path() or "")) if source[2] else None

    def build() -> bytes:
        html = standalone_html(
            analysis,
            profile,
            read_vendor_files(),
            source,
            streets,
            lang,
            owner_names=owner_names,
            within_m=within_m,
            basis=basis,
        )
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
    st.markdown(
        t(
            "plan.zone_public",
            row=f"{zone.right_of_way_m2:,.0f}",
            city=f"{max(zone.area_m2 - zone.right_of_way_m2, 0):,.0f}",
            outline=f"{zone.outline_m2:,.0f}",
        )
    )
    drawn_zone(page, downloads=False)
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
    records = [{str(k): v for k, v in r.items()} for r in table.to_dict("records")]
    # how each capacity was counted, in the reader's language (the code stays beside it)
    table.insert(
        list(table.columns).index("capacity_basis") + 1,
        "capacity_how",
        [capacity_basis(r, t=t) for r in records],
    )
    st.dataframe(table, hide_index=True, width="stretch")
    c1, c2 = st.columns(2)
    c1.download_button(
        t("table.csv"), csv_bytes(table, page.cited()), "places.csv", "text/csv", key=Key.PLACES_CSV
    )
    c2.download_button(
        t("plan.offline_map"),
        offline_map(
            analysis,
            profile,
            page.dataset.source,
            page.lang,
            walk_distance(),
            page.owner_names,
            page.dataset.date_basis,
        ),
        "civic-map.html",
        "text/html",
        key=Key.PLACES_MAP,
    )
    place_handout(page, places, table)


def place_handout(page: Page, places: gpd.GeoDataFrame, table: pd.DataFrame) -> None:
    """Pick a place: the rules that apply there, and a printable handout."""
    t, analysis = page.t, page.analysis
    records = table.to_dict("records")
    labels = [
        f"{place_name({str(k): v for k, v in r.items()}, t)} ({float(r['distance_m']):,.0f} m)"
        for r in records
    ]
    pick = st.selectbox(t("plan.pick"), range(len(labels)), format_func=labels.__getitem__)
    place = table.iloc[int(pick)]
    rules = places.attrs.get("rules", {}).get(str(place["place_id"]), [])
    for rule in rules:
        title, summary = rule.text("title", page.lang), rule.text("summary", page.lang)
        st.markdown(f"- **{md_escape(title)}** ({md_escape(rule.citation)}): {md_escape(summary)}")
    geometry = place_geometry(places, int(pick), analysis.zone.crs)
    params = permalink.link_params(
        page.profile, page.policy, page.distance, page.lang, str(place["apn"])
    )
    link = sheet_link(params, page.policy, page.lang)
    source = page.dataset.source
    streets = handout_streets(page.profile, source[2])
    row = {str(k): v for k, v in place.items()}
    sheet = place_sheet(
        analysis,
        row,
        geometry,
        rules,
        source,
        link,
        t,
        streets,
        page.lang,
        cited=page.cited(),
        profile=page.profile,
    )
    st.download_button(
        t("plan.handout"),
        sheet.encode("utf-8"),
        f"place-{place['place_id']}.html",
        "text/html",
        key=Key.PLACE_SHEET,
    )


def handout_streets(profile: Profile, illustrative: bool) -> gpd.GeoDataFrame | None:
    """The streets a handout names: the sample's own, else the profile's centreline layer;
    None lets the handout name them from the parcels' addresses."""
    if illustrative:
        return get_streets(str(profile.streets_path() or ""))
    return street_lines(profile)


def drawn_zone(page: Page, downloads: bool = True) -> None:
    """Area, perimeter and capacity of a shape the user drew, and the parcels it touches."""
    analysis, t = page.analysis, page.t
    drawings = session.map_report.get("all_drawings") or []
    if not drawings:
        if not downloads:  # the plan tab says how; the map tab stays quiet
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
    people = capacities(
        np.asarray([summary.area_m2 * SQFT_PER_M2]), page.profile.assembly.density_ft2_per_person
    )
    st.markdown(
        t(
            "plan.drawn_capacity",
            **{k: f"{int(people.get(k, np.zeros(1))[0]):,}" for k in ("loose", "dense", "packed")},
        )
    )
    if not downloads:
        return
    touched = touched_parcels(analysis, shape[0], summary, shape[1])
    table = pd.DataFrame(touched.drop(columns="geometry"))
    st.caption(t("plan.drawn_parcels"))
    st.dataframe(localized_table(table, t), hide_index=True, width="stretch")
    c1, c2 = st.columns(2)
    c1.download_button(
        t("plan.drawn_csv"), csv_bytes(table), "drawn-parcels.csv", "text/csv", key=Key.DRAWN_CSV
    )
    c2.download_button(
        t("plan.drawn_geojson"),
        drawn_geojson(shape[0], summary, touched, shape[1]),
        "drawn-shape.geojson",
        "application/geo+json",
        key=Key.DRAWN_GEOJSON,
    )
