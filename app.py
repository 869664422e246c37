"""Streamlit app: which city property the staging proposal covers, and the free speech zone.

Thin by design: widgets, caching and wiring. The rules live in ``geo``, the drawing in
``layers``, the words in ``data/i18n``. Nothing a user types or clicks is logged or stored.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import streamlit as st
from streamlit_folium import st_folium

from geo import permalink
from geo.analysis import Analysis, analyse, check_table, compare_policies, locate_landmarks
from geo.classify import VERDICTS
from geo.errors import InputError
from geo.export import csv_bytes, parcels_geojson, parcels_table
from geo.i18n import LANGUAGES, Translate, is_reviewed, pick_language, translator
from geo.ingest import read_city_list, summary
from geo.lookup import Match, ParcelIndex
from geo.profile import Policy, Profile, load_profile
from geo.sources import UPLOAD_SUFFIXES, parse_field_overrides, read_parcels, read_upload
from geo.spaces import assembly_places
from geo.vendor import read_vendor_files
from geo.zone import LocatedLandmark, metres_per_unit
from layers.assets import use_local_assets
from layers.compose import data_view, map_content, parcel_sheet, place_sheet
from layers.map import build_base_map, parcel_groups
from layers.organize import locate_control, organizer_tools, places_layer, rings_layer
from layers.parcels import to_draw_frame
from layers.standalone import standalone_html
from layers.style import category_keys
from layers.view import MAX_FEATURES, DrawGeometry, ViewSelection, select_view, view_bounds

MAP_HEIGHT = 600
# The app's own CSS (no file, no other site): on a phone the header shrinks and the
# headline numbers give way to the map, whose legend shows the same counts.
PAGE_CSS = """
/* Streamlit fades captions to 60% (about 3.8:1 on white); 80% keeps them readable (4.5:1+). */
[data-testid="stCaptionContainer"] { opacity: 0.8 !important; }
@media (max-width: 640px) {
  h1 { font-size: 1.45rem !important; line-height: 1.2 !important; padding: 0 !important; }
  .block-container, [data-testid="stMainBlockContainer"] { padding-top: 2.5rem !important; }
  .st-key-metrics { display: none; }
  .st-key-subtitle { display: none; }
}
"""
FOCUS_ZOOM = 18


# ---------------------------------------------------------------- caching


@st.cache_resource(show_spinner=False)
def get_profile(path: str) -> Profile:
    return load_profile(path or None)


@st.cache_resource(show_spinner=False)
def get_parcels(path: str, _profile: Profile, name: str) -> gpd.GeoDataFrame:
    return read_parcels(path, _profile, display_name=name)


@st.cache_resource(show_spinner=False, max_entries=2)
def get_upload(
    data_key: str, _data: bytes, name: str, _profile: Profile, crs: str, fields: str, _t: Any
) -> gpd.GeoDataFrame:
    bar = st.progress(0.0, text=_t("data.reading", name=name))

    def show(done: int, total: int) -> None:
        share = min(done / total, 1.0) if total > 0 else 0.0
        bar.progress(share, text=_t("data.reading_count", name=name, count=f"{done:,}"))

    try:
        overrides = parse_field_overrides([f for f in fields.split("|") if f])
        return read_upload(_data, name, _profile, overrides, crs or None, show)
    finally:
        bar.empty()


@st.cache_resource(show_spinner=False, max_entries=2)
def get_city_list(data_key: str, _data: bytes, name: str, _profile: Profile) -> frozenset[str]:
    with tempfile.TemporaryDirectory(prefix="civicmap-") as folder:
        path = Path(folder) / f"list{Path(name).suffix.lower()}"
        path.write_bytes(_data)
        return read_city_list(path, _profile)


@st.cache_resource(show_spinner=False)
def get_streets(path: str) -> gpd.GeoDataFrame | None:
    return pyogrio.read_dataframe(path) if path and Path(path).exists() else None


@st.cache_resource(show_spinner=False, max_entries=4)
def get_landmarks(
    data_key: str, _parcels: gpd.GeoDataFrame, _profile: Profile
) -> tuple[LocatedLandmark, ...]:
    return locate_landmarks(_parcels, _profile)


@st.cache_resource(show_spinner=False, max_entries=8)
def get_analysis(
    data_key: str,
    settings_key: str,
    _parcels: gpd.GeoDataFrame,
    _profile: Profile,
    _policy: Policy,
    _distance: float,
    _landmarks: tuple[LocatedLandmark, ...],
) -> Analysis:
    spec = replace(_profile.zone, distance_m=_distance)
    return analyse(_parcels, _profile, _policy, spec, _landmarks)


@st.cache_resource(show_spinner=False, max_entries=8)
def get_categories(data_key: str, settings_key: str, _analysis: Analysis) -> np.ndarray:
    return category_keys(_analysis.parcels).to_numpy(dtype=object)


@st.cache_resource(show_spinner=False, max_entries=4)
def get_draw_geometry(data_key: str, _parcels: gpd.GeoDataFrame) -> DrawGeometry:
    return DrawGeometry.build(_parcels)


@st.cache_resource(show_spinner=False, max_entries=16)
def get_view_parcels(
    data_key: str,
    settings_key: str,
    lang: str,
    bounds: tuple[float, float, float, float],
    zoom: float,
    show_not_covered: bool,
    _analysis: Analysis,
    _draw: DrawGeometry,
    _categories: np.ndarray,
) -> tuple[gpd.GeoDataFrame, ViewSelection]:
    """The parcels to draw for one view, ready to draw (shared by every session that opens
    the same view, such as the start view)."""
    chosen = select_view(_draw, _categories, bounds, zoom, show_not_covered)
    landmark = _analysis.zone.landmark.landmark.name
    rows = _analysis.parcels.iloc[chosen.positions]
    geoms = _draw.geoms[chosen.positions]
    frame = to_draw_frame(rows, landmark, geoms, zoom, translator(lang), full_cards=False)
    return frame, chosen


@st.cache_resource(show_spinner=False, max_entries=4)
def get_view(data_key: str, _parcels: gpd.GeoDataFrame) -> tuple[tuple[float, float], int]:
    return data_view(_parcels)


@st.cache_resource(show_spinner=False, max_entries=8)
def get_places(
    data_key: str, settings_key: str, _analysis: Analysis, _profile: Profile, within: float
) -> gpd.GeoDataFrame:
    return assembly_places(_analysis, _profile.assembly, _profile.rules, within)


def offline_map(
    analysis: Analysis, profile: Profile, source: tuple[str, str, bool]
) -> Callable[[], bytes]:
    """The offline HTML map, built only when the user asks to download it."""
    streets = get_streets(str(profile.streets_path() or "")) if source[2] else None

    def build() -> bytes:
        html = standalone_html(analysis, profile, read_vendor_files(), source, streets)
        return html.encode("utf-8")

    return build


@st.cache_resource(show_spinner=False, max_entries=4)
def get_index(data_key: str, _parcels: gpd.GeoDataFrame) -> ParcelIndex:
    return ParcelIndex(_parcels)


# ---------------------------------------------------------------- state


@dataclass(frozen=True)
class Dataset:
    """The parcels on the map and where they came from."""

    key: str
    parcels: gpd.GeoDataFrame
    name: str
    date: str
    illustrative: bool


def url_settings() -> dict[str, Any]:
    """Settings from the page's URL, read once per session (a permalink being opened)."""
    state = st.session_state
    if "url" not in state:
        state["url"] = permalink.decode(dict(st.query_params))
        url = state["url"]
        for key in ("apn", "q"):
            if key in url:
                state["q"] = url[key]
        if "distance" in url:
            state["distance"] = int(url["distance"])
        if "lat" in url:
            state["focus"] = (url["lat"], url["lon"], url.get("zoom", FOCUS_ZOOM))
    return dict(state["url"])


def default_dataset(profile: Profile, t: Translate) -> Dataset:
    """What the map shows before anyone uploads: the site's own parcel file when the
    deployment names one (``CIVICMAP_SOURCE``), else the bundled illustrative sample."""
    served = os.environ.get("CIVICMAP_SOURCE", "").strip()
    if not served:
        return sample_dataset(profile, t)
    try:
        parcels = get_parcels(served, profile, Path(served).name)
    except InputError as exc:
        st.error(t("data.refused", problem=exc.for_app()))
        return sample_dataset(profile, t)
    date = str(parcels.attrs.get("source_date", ""))
    return Dataset(f"served:{served}", parcels, str(parcels.attrs["source_name"]), date, False)


def sample_dataset(profile: Profile, t: Translate) -> Dataset:
    sample = profile.sample_path()
    if sample is None or not sample.exists():
        st.error(t("data.sample_missing"))
        st.stop()
    assert sample is not None
    parcels = get_parcels(str(sample), profile, str(profile.sample.get("title", sample.name)))
    date = str(profile.sample.get("date") or parcels.attrs.get("source_date", ""))
    illustrative = bool(profile.sample.get("illustrative", False))
    return Dataset(f"sample:{sample}", parcels, parcels.attrs["source_name"], date, illustrative)


# ---------------------------------------------------------------- sidebar


def language_picker(url: dict[str, Any]) -> str:
    codes = list(LANGUAGES)
    start = pick_language(url.get("lang"))
    lang = st.sidebar.selectbox(
        "Language · Idioma · Hom lus",
        codes,
        index=codes.index(start),
        format_func=LANGUAGES.__getitem__,
        key="lang",
    )
    return str(lang)


def field_mapping_form(t: Translate) -> tuple[str, str]:
    """CRS and field mapping for files the reader cannot work out alone."""
    with st.sidebar.expander(t("data.not_recognised")):
        crs = st.text_input(t("data.crs"), key="crs").strip()
        st.caption(t("data.fields_help"))
        parts = []
        for role in ("apn", "owner", "address", "land_use"):
            value = st.text_input(t(f"data.field.{role}"), key=f"field_{role}").strip()
            if value:
                parts.append(f"{role}={value}")
    return crs, "|".join(parts)


def sidebar_data(profile: Profile, t: Translate) -> Dataset:
    """Upload a parcel file; a refused file leaves the map as it was."""
    sb, state = st.sidebar, st.session_state
    sb.header(t("data.header"))
    upload = sb.file_uploader(
        t("data.upload"),
        type=[s.lstrip(".") for s in UPLOAD_SUFFIXES],
        help=t("data.upload_help"),
        key="upload",
    )
    crs, fields = field_mapping_form(t)
    if upload is None:
        state.pop("dataset", None)
        state.pop("load_error", None)
    else:
        data = upload.getvalue()
        key = f"{hashlib.sha256(data).hexdigest()}|{crs}|{fields}"
        if key != state.get("attempted"):
            state["attempted"] = key
            try:
                parcels = get_upload(key, data, upload.name, profile, crs, fields, t)
                date = str(parcels.attrs.get("source_date", ""))
                state["dataset"] = Dataset(key, parcels, upload.name, date, False)
                state["load_error"] = None
            except InputError as exc:
                state["load_error"] = exc.for_app()
    dataset = state.get("dataset") or default_dataset(profile, t)
    if state.get("load_error"):
        sb.error(t("data.refused", problem=state["load_error"]))
        sb.caption(t("data.still_showing", name=dataset.name))
    return dataset


def city_list_upload(profile: Profile, t: Translate) -> frozenset[str]:
    """An optional city property list (APNs the city owns)."""
    upload = st.sidebar.file_uploader(
        t("data.city_list"),
        type=["csv", "txt", "zip", "gpkg", "geojson", "parquet"],
        help=t("data.city_list_help"),
        key="city_list",
    )
    if upload is None:
        return frozenset()
    data = upload.getvalue()
    try:
        return get_city_list(hashlib.sha256(data).hexdigest(), data, upload.name, profile)
    except InputError as exc:
        st.sidebar.error(t("data.city_list_refused", problem=exc.for_app()))
        return frozenset()


@st.cache_resource(show_spinner=False, max_entries=8)
def get_summary(data_key: str, settings_key: str, _analysis: Analysis) -> dict[str, Any]:
    """What was read and decided, and how many parcels lie in the zone (counted once)."""
    info = summary(_analysis.parcels)
    info["in_zone"] = int(_analysis.parcels["in_free_speech_zone"].sum())
    return info


def load_summary(dataset: Dataset, info: dict[str, Any], t: Translate) -> None:
    if dataset.illustrative:
        return
    with st.sidebar.expander(t("data.loaded", count=f"{int(info.get('parcels', 0)):,}")):
        for key in ("repaired", "null_geometry", "blank_apn", "duplicate_apn"):
            st.write(t(f"data.report.{key}", count=f"{int(info.get(key, 0)):,}"))
        for column in ("owner_class", "site_kind", "verdict"):
            st.write(t(f"data.by.{column}"), info.get(f"by_{column}", {}))


def reset_terms(base: Policy, url: dict[str, Any], first: bool) -> None:
    """Set the term widgets to a policy version's values (and, on first load, the URL's)."""
    state = st.session_state
    terms = {
        "scope": base.scope,
        "ag": base.include_city_agencies,
        "city": "\n".join(base.owners.get("city", ())),
        "lot": list(base.parking_lot),
        "garage": list(base.parking_garage),
    }
    if first:
        terms.update(
            {
                k: v
                for k, v in (("scope", url.get("scope")), ("ag", url.get("agencies")))
                if v is not None
            }
        )
        if "city" in url:
            terms["city"] = "\n".join(url["city"])
        for key in ("lot", "garage"):
            if key in url:
                terms[key] = list(url[key])
    state.update(terms)


def sidebar_policy(
    profile: Profile, parcels: gpd.GeoDataFrame, url: dict[str, Any], t: Translate
) -> tuple[Policy, float]:
    """The policy terms and zone distance as the user sets them."""
    sb, state = st.sidebar, st.session_state
    sb.header(t("policy.header"))
    versions = list(profile.policies)
    if state.get("policy") not in versions:
        state["policy"] = (
            url.get("policy") if url.get("policy") in versions else profile.default_policy
        )
    version = sb.selectbox(
        t("policy.version"),
        versions,
        format_func=lambda k: profile.policies[k].title,
        help=t("policy.version_help"),
        key="policy",
    )
    base = profile.policy_version(version)
    sb.caption(profile.policies[version].note)
    if state.get("terms_for") != version:  # a new version resets its terms
        reset_terms(base, url, first=state.get("terms_for") is None)
        state["terms_for"] = version
    codes = sorted(c for c in parcels["land_use"].unique() if c)
    for key in ("lot", "garage"):
        state[key] = [c for c in state[key] if c in codes]
    top = int(profile.zone.max_distance_m)
    state["distance"] = min(max(int(state.get("distance", profile.zone.distance_m)), 10), top)
    scope = sb.radio(
        t("policy.scope"),
        ["all", "lots_and_garages"],
        format_func=lambda s: t(f"policy.scope.{s}"),
        key="scope",
    )
    agencies = sb.checkbox(t("policy.agencies"), key="ag")
    distance = sb.slider(
        t("policy.distance"), 10, top, step=10, help=t("policy.distance_help"), key="distance"
    )
    with sb.expander(t("policy.terms")):
        names = st.text_area(t("policy.city_names"), key="city", help=t("policy.city_help"))
        lots = st.multiselect(t("policy.lot_codes"), codes, key="lot")
        garages = st.multiselect(t("policy.garage_codes"), codes, key="garage")
        counts = parcels["land_use"].replace("", "(blank)").value_counts()
        st.caption(t("policy.values_in_file"))
        st.dataframe(counts.rename("parcels"), height=160)
    city = tuple(n.strip() for n in str(names).splitlines() if n.strip())
    policy = base.with_changes(
        scope=scope,
        include_city_agencies=bool(agencies),
        owners={**base.owners, "city": city},
        parking_lot=tuple(lots),
        parking_garage=tuple(garages),
    )
    return policy, float(distance)


def sidebar_layers(t: Translate) -> dict[str, bool]:
    sb = st.sidebar
    sb.header(t("layers.header"))
    show = {
        "not_covered": sb.checkbox(t("layers.not_covered"), value=True, key="show_nc"),
        "streets": sb.checkbox(t("layers.streets"), value=True, key="show_streets"),
        "basemap": sb.checkbox(t("layers.basemap"), value=False, key="basemap"),
    }
    sb.caption(t("layers.basemap_on") if show["basemap"] else t("layers.basemap_off"))
    return show


# ---------------------------------------------------------------- main panels


def proposal_panel(profile: Profile, illustrative: bool, lang: str, t: Translate) -> None:
    if illustrative:
        st.warning(t("notice.illustrative"), icon="⚠️")
    if not is_reviewed(lang):
        st.info(t("notice.unreviewed_translation"))
    with st.expander(t("proposal.header")):
        st.markdown(t("about.what"))
        for i, part in enumerate(profile.proposal_parts, start=1):
            where = t("proposal.on_map") if part.get("on_map") else t("proposal.not_on_map")
            title = part.get(f"title_{lang}") or part.get("title", "")
            text = part.get(f"text_{lang}") or part.get("text", "")
            st.markdown(f"**{i}. {title}** ({where})  \n{text}")
        st.markdown(t("about.colors"))
        for key in ("city_lot_garage", "city_other", "review", "not_covered"):
            st.markdown(f"- **{t(f'category.{key}')}**: {t(f'category.{key}.meaning')}")
        st.markdown(t("about.covered_means"))
        st.caption(t("proposal.not_law"))


def privacy_panel(t: Translate) -> None:
    with st.expander(t("privacy.header")):
        st.markdown(t("privacy.text"))


def verdict_metrics(info: dict[str, Any], t: Translate) -> None:
    counts = info.get("by_verdict", {})
    cols = st.columns(len(VERDICTS) + 1)
    for col, verdict in zip(cols, VERDICTS, strict=False):
        col.metric(t(f"verdict.{verdict}"), f"{int(counts.get(verdict, 0)):,}")
    cols[-1].metric(t("metric.in_zone"), f"{int(info['in_zone']):,}")


def share_link(settings: dict[str, str]) -> str:
    query = "&".join(f"{k}={v}" for k, v in settings.items())
    return f"?{query}" if query else "?"


def answer_card(
    analysis: Analysis,
    match: Match,
    source: tuple[str, str, bool],
    link: str,
    t: Translate,
) -> None:
    if not match.found:
        close = ", ".join(match.suggestions)
        st.info(
            t("search.none", query=match.query) + (t("search.close", close=close) if close else "")
        )
        return
    landmark = analysis.zone.landmark.landmark.name
    positions = list(match.positions[:20])
    shown = analysis.explained(analysis.parcels.iloc[positions])
    for pos, (_, row) in zip(positions, shown.iterrows(), strict=True):
        st.subheader(f"{row['address'] or t('card.no_address')} · APN {row['apn']}")
        st.markdown(f"**{t('verdict.' + row['verdict'])}**")
        if row["verdict"] == "needs review":
            st.markdown(t("card.review_hint"))
        st.markdown("\n".join(f"- {r}" for r in str(row["reasons"]).split("; ")))
        zone = t("card.yes") if row["in_free_speech_zone"] else t("card.no")
        st.caption(
            t(
                "card.facts",
                owner=row["owner"] or t("card.blank"),
                owner_class=row["owner_class"],
                land_use=f"{row['land_use'] or t('card.blank')} {row['land_use_label']}".strip(),
                zone=zone,
                distance=f"{row['distance_to_landmark_m']:,.0f}",
                landmark=landmark,
            )
        )
        st.caption(t("card.source", name=source[0], date=source[1]))
        sheet = parcel_sheet(analysis, pos, source, link, t)
        st.download_button(
            t("card.sheet"),
            sheet.encode("utf-8"),
            file_name=f"parcel-{row['apn'] or pos}.html",
            mime="text/html",
            key=f"sheet_{pos}",
        )


def map_view(profile: Profile, dataset: Dataset) -> tuple[tuple[float, float, float, float], float]:
    """The view to draw parcels for: the map's last report, a focus, or the start view."""
    state = st.session_state
    focus = state.get("focus")
    reported = parse_view(state.get("map") or {})
    if reported is not None and not state.get("focus_pending"):
        return reported
    if focus:
        return view_bounds((focus[0], focus[1]), focus[2]), float(focus[2])
    center, zoom = start_view(profile, dataset)
    return view_bounds(center, zoom), float(zoom)


def start_view(profile: Profile, dataset: Dataset) -> tuple[tuple[float, float], int]:
    if dataset.illustrative:
        return profile.map_center, profile.map_zoom
    return get_view(dataset.key, dataset.parcels)


def parse_view(result: dict[str, Any]) -> tuple[tuple[float, float, float, float], float] | None:
    """(south, west, north, east) and zoom from what the map reported, if it did."""
    bounds, zoom = result.get("bounds"), result.get("zoom")
    if not bounds or zoom is None:
        return None
    sw, ne = bounds.get("_southWest") or {}, bounds.get("_northEast") or {}
    try:
        box = (float(sw["lat"]), float(sw["lng"]), float(ne["lat"]), float(ne["lng"]))
    except (KeyError, TypeError, ValueError):
        return None
    return (box, float(zoom)) if box[0] < box[2] and box[1] < box[3] else None


def keep_view_on_rebuild(signature: tuple[object, ...]) -> None:
    """When the base map must be rebuilt (new settings), reopen it where the user was."""
    state = st.session_state
    if state.get("base_sig") == signature:
        return
    reported = parse_view(state.get("map") or {})
    if state.get("base_sig") is not None and reported is not None:
        (s, w, n, e), zoom = reported
        state["focus"] = ((s + n) / 2, (w + e) / 2, int(round(zoom)))
    state["base_sig"] = signature


def map_panel(
    analysis: Analysis,
    dataset: Dataset,
    profile: Profile,
    show: dict[str, bool],
    selected: tuple[int, ...],
    categories: np.ndarray,
    places: gpd.GeoDataFrame | None,
    t: Translate,
    view_key: tuple[str, str],
) -> None:
    """Draw the map: a stable base map, and the parcels of the current view.

    ``view_key`` is (settings key, language): with the view, what the drawn parcels depend
    on besides the data.
    """
    state = st.session_state
    settings, lang = view_key
    bounds, zoom = map_view(profile, dataset)
    draw = get_draw_geometry(dataset.key, dataset.parcels)
    frame, chosen = get_view_parcels(
        dataset.key, settings, lang, bounds, zoom, show["not_covered"], analysis, draw, categories
    )
    landmark = analysis.zone.landmark.landmark.name
    sel = list(selected)
    sel_rows = analysis.explained(analysis.parcels.iloc[sel])
    sel_frame = to_draw_frame(sel_rows, landmark, draw.geoms[sel], None, t)
    streets = get_streets(str(profile.streets_path() or "")) if show["streets"] else None
    source = (dataset.name, dataset.date, dataset.illustrative)
    content = map_content(analysis, source, frame, streets, sel_frame, t, categories)
    start_center, start_zoom = start_view(profile, dataset)
    fmap = build_base_map(content, start_center, int(start_zoom), show["basemap"], t=t)
    zone = analysis.zone
    rings_layer(zone.landmark.geometry, zone.crs, profile.assembly.rings_m, t).add_to(fmap)
    organizer_tools(fmap)
    locate_control(fmap, t)
    use_local_assets(fmap)
    groups = parcel_groups(content, t)
    if places is not None:
        groups.append(places_layer(places, t))
    if not chosen.complete:
        shown, total = f"{len(chosen.positions):,}", f"{chosen.in_view:,}"
        st.caption(t("map.partial", shown=shown, total=total))
    focus = state.get("focus")
    state["focus_pending"] = False
    wanted = ["last_clicked", "last_object_clicked", "all_drawings"]
    if len(dataset.parcels) > MAX_FEATURES:  # a small table is sent whole: no view reported
        wanted += ["bounds", "zoom"]
    st_folium(
        fmap,
        key="map",
        height=MAP_HEIGHT,
        use_container_width=True,
        returned_objects=wanted,
        feature_group_to_add=groups,
        layer_control=folium.LayerControl(collapsed=True),
        center=(focus[0], focus[1]) if focus else None,
        zoom=int(focus[2]) if focus else None,
    )
    st.caption(t("locate.note"))


def walk_distance() -> float:
    return float(st.session_state.get("within", 800))


def plan_panel(
    analysis: Analysis,
    profile: Profile,
    places: gpd.GeoDataFrame,
    source: tuple[str, str, bool],
    t: Translate,
) -> None:
    """For organizers: the zone's size, a drawn alternative, and places to assemble."""
    zone = analysis.zone
    st.markdown(
        t(
            "plan.zone",
            distance=f"{zone.distance_m:,.0f}",
            landmark=zone.landmark.landmark.name,
            area=f"{zone.area_m2:,.0f}",
            hectares=f"{zone.area_m2 / 10_000:,.2f}",
            perimeter=f"{zone.perimeter_m:,.0f}",
        )
    )
    drawn_zone(analysis, t)
    spec = profile.assembly
    st.session_state.setdefault("within", int(spec.within_m))
    st.slider(t("plan.within"), 100, int(spec.max_within_m), step=50, key="within")
    st.markdown(t("places.capacity_method"))
    if places.empty:
        st.info(t("plan.none"))
        return
    table = pd.DataFrame(places.drop(columns="geometry"))
    table.attrs = {}
    st.dataframe(table, hide_index=True, width="stretch")
    c1, c2 = st.columns(2)
    c1.download_button(t("table.csv"), csv_bytes(table), "places.csv", "text/csv", key="p_csv")
    c2.download_button(
        t("plan.offline_map"),
        offline_map(analysis, profile, source),
        "civic-map.html",
        "text/html",
        key="p_html",
    )
    labels = [f"{r.address or r.apn} ({r.distance_m:,.0f} m)" for r in table.itertuples()]
    pick = st.selectbox(t("plan.pick"), range(len(labels)), format_func=labels.__getitem__)
    place = table.iloc[int(pick)]
    rules = places.attrs.get("rules", {}).get(str(place["apn"]), [])
    for rule in rules:
        st.markdown(f"- **{rule.title}** ({rule.citation}): {rule.summary}")
    geometry = places.to_crs(zone.crs).geometry.iloc[int(pick)]
    link = share_link({"q": str(place["apn"])})
    sheet = place_sheet(analysis, place.to_dict(), geometry, rules, source, link, t)
    st.download_button(
        t("plan.handout"),
        sheet.encode("utf-8"),
        f"place-{place['apn']}.html",
        "text/html",
        key="p_sheet",
    )


def drawn_zone(analysis: Analysis, t: Translate) -> None:
    """Area and perimeter of a zone the user drew on the map, and what lies in it."""
    drawings = (st.session_state.get("map") or {}).get("all_drawings") or []
    if not drawings:
        st.caption(t("plan.draw_hint"))
        return
    drawing = drawings[-1]
    try:
        shape = gpd.GeoDataFrame.from_features([drawing], crs="EPSG:4326").to_crs(analysis.zone.crs)
    except (ValueError, KeyError, TypeError, AttributeError):
        return
    geom = shape.geometry.iloc[0]
    radius = (drawing.get("properties") or {}).get("radius")
    if geom.geom_type == "Point" and radius:
        geom = geom.buffer(float(radius) / metres_per_unit(analysis.zone.crs))
    unit = metres_per_unit(analysis.zone.crs)
    inside = analysis.parcels.to_crs(analysis.zone.crs).intersects(geom)
    city = int((inside & analysis.parcels["owner_class"].isin(["city", "city agency"])).sum())
    st.markdown(
        t(
            "plan.drawn",
            area=f"{geom.area * unit**2:,.0f}",
            perimeter=f"{geom.length * unit:,.0f}",
            parcels=f"{int(inside.sum()):,}",
            city=f"{city:,}",
        )
    )


def list_panel(analysis: Analysis, index: ParcelIndex, t: Translate) -> None:
    st.markdown(t("list.intro"))
    text = st.text_area(t("list.paste"), key="list_text", height=140)
    upload = st.file_uploader(t("list.upload"), type=["csv", "txt"], key="list_file")
    queries = [line.strip() for line in text.splitlines() if line.strip()]
    if upload is not None:
        from geo.cli import read_queries

        with tempfile.TemporaryDirectory(prefix="civicmap-") as folder:
            path = Path(folder) / "list.txt"
            path.write_bytes(upload.getvalue())
            try:
                queries += read_queries(str(path))
            except InputError as exc:
                st.error(exc.for_app())
    if not queries:
        return
    table = check_table(analysis, index, queries)
    found = int((table["verdict"] != "not found").sum())
    st.write(t("list.summary", asked=f"{len(queries):,}", found=f"{found:,}"))
    st.dataframe(table, hide_index=True, width="stretch")
    st.download_button(
        t("list.download"), csv_bytes(table), "parcel-check.csv", "text/csv", key="list_csv"
    )


def table_panel(analysis: Analysis, t: Translate) -> None:
    st.markdown(t("table.intro"))
    verdicts = st.multiselect(
        t("table.verdicts"),
        list(VERDICTS),
        default=["covered", "needs review"],
        format_func=lambda v: t(f"verdict.{v}"),
        key="table_verdicts",
    )
    parcels = analysis.parcels
    rows = parcels[parcels["verdict"].isin(verdicts)]
    text = st.text_input(t("table.filter"), key="table_filter").strip().upper()
    if text:
        blob = rows["apn"] + " " + rows["address"] + " " + rows["owner"]
        rows = rows[blob.str.upper().str.contains(text, regex=False)]
    st.write(t("table.count", count=f"{len(rows):,}"))
    rows = analysis.explained(rows)
    st.dataframe(parcels_table(rows), hide_index=True, width="stretch")
    c1, c2 = st.columns(2)
    # built only when asked for: a county's covered parcels make a large GeoJSON
    c1.download_button(
        t("table.csv"),
        lambda: csv_bytes(parcels_table(rows)),
        "parcels.csv",
        "text/csv",
        key="t_csv",
    )
    c2.download_button(
        t("table.geojson"),
        lambda: parcels_geojson(rows),
        "parcels.geojson",
        "application/geo+json",
        key="t_geojson",
    )


@st.cache_resource(show_spinner=False, max_entries=4)
def get_comparison(
    data_key: str, first: str, second: str, _parcels: gpd.GeoDataFrame, _profile: Profile
) -> pd.DataFrame:
    return compare_policies(
        _parcels, _profile.policy_version(first), _profile.policy_version(second)
    )


def compare_panel(profile: Profile, parcels: gpd.GeoDataFrame, data_key: str, t: Translate) -> None:
    versions = list(profile.policies)
    c1, c2 = st.columns(2)
    first = c1.selectbox(
        t("compare.first"),
        versions,
        0,
        format_func=lambda k: profile.policies[k].title,
        key="cmp_a",
    )
    second = c2.selectbox(
        t("compare.second"),
        versions,
        min(1, len(versions) - 1),
        format_func=lambda k: profile.policies[k].title,
        key="cmp_b",
    )
    changed = get_comparison(data_key, str(first), str(second), parcels, profile)
    st.write(t("compare.count", count=f"{len(changed):,}"))
    st.dataframe(changed, hide_index=True, width="stretch")


def main() -> None:
    st.set_page_config(
        page_title="City property and free speech map",
        page_icon="🗺️",
        layout="wide",
        initial_sidebar_state="auto",
    )
    url = url_settings()
    lang = language_picker(url)
    t = translator(lang)
    profile = get_profile(os.environ.get("CIVICMAP_PROFILE", ""))
    dataset = sidebar_data(profile, t)
    parcels, data_key = dataset.parcels, dataset.key
    source = (dataset.name, dataset.date, dataset.illustrative)

    st.markdown(f"<style>{PAGE_CSS}</style>", unsafe_allow_html=True)
    st.title(t("app.title", place=profile.name))
    with st.container(key="subtitle"):
        st.caption(t("app.subtitle"))
    proposal_panel(profile, dataset.illustrative, lang, t)

    policy, distance = sidebar_policy(profile, parcels, url, t)
    city_apns = city_list_upload(profile, t)
    if city_apns:
        policy = policy.with_changes(city_apns=city_apns)
    show = sidebar_layers(t)
    settings_key = f"{policy!r}|{distance}"
    landmarks = get_landmarks(data_key, parcels, profile)
    try:
        analysis = get_analysis(
            data_key, settings_key, parcels, profile, policy, distance, landmarks
        )
    except InputError as exc:
        st.error(exc.for_app())
        st.stop()
    index = get_index(data_key, parcels)
    categories = get_categories(data_key, settings_key, analysis)
    info = get_summary(data_key, settings_key, analysis)
    load_summary(dataset, info, t)
    with st.container(key="metrics"):
        verdict_metrics(info, t)

    # Only the open tab's content is built and sent (a county's table alone is megabytes),
    # except the map's, which stays mounted so it keeps its view while another tab is open.
    keep_widget_state(TAB_WIDGETS)
    tab_map, tab_plan, tab_list, tab_table, tab_compare = st.tabs(
        [t("tab.map"), t("tab.plan"), t("tab.list"), t("tab.table"), t("tab.compare")],
        key="tab",
        on_change="rerun",
    )
    with tab_map:
        query = st.text_input(t("search.label"), placeholder=t("search.placeholder"), key="q")
        match = index.find(query) if query.strip() else None
        if match is not None and match.found and state_changed("searched", query):
            focus_on(analysis, match)
        reported = st.session_state.get("map") or {}
        clicked = clicked_point(reported.get("last_object_clicked"), reported.get("last_clicked"))
        if clicked and state_changed("click", (clicked["lat"], clicked["lng"])):
            st.session_state["clicked"] = index.at_point(clicked["lat"], clicked["lng"]).positions
            match = None
        # a clicked parcel already shows its popup; outlining it too would redraw the
        # parcels and close that popup, so only a searched parcel is outlined
        selected = match.positions if match is not None else ()
        keep_view_on_rebuild((data_key, settings_key, lang, tuple(show.items())))
        places = get_places(data_key, settings_key, analysis, profile, walk_distance())
        view_key = (settings_key, lang)
        map_panel(
            analysis, dataset, profile, show, tuple(selected), categories, places, t, view_key
        )
        settings = current_settings(profile, policy, distance, lang, query)
        st.query_params.from_dict(settings)
        link = share_link(settings)
        if match is not None:
            answer_card(analysis, match, source, link, t)
        elif st.session_state.get("clicked"):
            answer_card(analysis, Match("", tuple(st.session_state["clicked"])), source, link, t)
        else:
            st.caption(t("search.hint"))
    with tab_plan:
        if tab_plan.open:
            plan_panel(analysis, profile, places, source, t)
    with tab_list:
        if tab_list.open:
            list_panel(analysis, index, t)
    with tab_table:
        if tab_table.open:
            table_panel(analysis, t)
    with tab_compare:
        if tab_compare.open:
            compare_panel(profile, parcels, data_key, t)
    privacy_panel(t)


TAB_WIDGETS = ("within", "list_text", "table_verdicts", "table_filter", "cmp_a", "cmp_b")


def keep_widget_state(keys: tuple[str, ...]) -> None:
    """Keep the values of widgets on tabs that are not open (Streamlit forgets a widget's
    value after a run that did not draw it)."""
    state = st.session_state
    for key in keys:
        if key in state:
            state[key] = state[key]


def clicked_point(on_object: object, on_map: object) -> dict[str, float] | None:
    """Where the user last clicked: on a parcel (its popup stops the map's own click event)
    or on the map itself."""
    for point in (on_object, on_map):
        if isinstance(point, dict) and "lat" in point and "lng" in point:
            return {"lat": float(point["lat"]), "lng": float(point["lng"])}
    return None


def state_changed(key: str, value: object) -> bool:
    """True the first time a value is seen for a key in this session."""
    if st.session_state.get(f"last_{key}") == value:
        return False
    st.session_state[f"last_{key}"] = value
    return True


def focus_on(analysis: Analysis, match: Match) -> None:
    """Move the map to a found parcel."""
    geoms = analysis.parcels.geometry.iloc[list(match.positions)]
    geoms = geoms[~geoms.isna() & ~geoms.is_empty]
    if geoms.empty:
        return
    point = geoms.to_crs("EPSG:4326").union_all().centroid
    st.session_state["focus"] = (point.y, point.x, FOCUS_ZOOM)
    st.session_state["focus_pending"] = True


def current_settings(
    profile: Profile, policy: Policy, distance: float, lang: str, query: str
) -> dict[str, str]:
    """The URL query parameters that reproduce this view (non-default values only)."""
    base = profile.policy_version(policy.version)
    reported = parse_view(st.session_state.get("map") or {})
    settings: dict[str, Any] = {
        "q": query.strip() or None,
        "policy": policy.version,
        "scope": policy.scope,
        "agencies": policy.include_city_agencies,
        "distance": float(distance),
        "city": policy.owners.get("city", ()),
        "lot": policy.parking_lot,
        "garage": policy.parking_garage,
        "lang": lang,
    }
    if reported is not None:
        (s, w, n, e), zoom = reported
        settings.update(lat=(s + n) / 2, lon=(w + e) / 2, zoom=int(round(zoom)))
    defaults = {
        "policy": profile.default_policy,
        "scope": base.scope,
        "agencies": base.include_city_agencies,
        "distance": float(profile.zone.distance_m),
        "city": base.owners.get("city", ()),
        "lot": base.parking_lot,
        "garage": base.parking_garage,
        "lang": "en",
    }
    return permalink.encode(settings, defaults)


main()
