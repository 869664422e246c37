"""Streamlit app: which city property the staging proposal covers, and the free speech zone.

Thin by design: widgets, caching and wiring. The rules live in ``geo``, the drawing in
``layers``. Nothing a user types or clicks is logged or stored.
"""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

import geopandas as gpd
import pyogrio
import streamlit as st
from streamlit_folium import st_folium

from geo.analysis import Analysis, analyse, check_table, locate_landmarks
from geo.classify import VERDICTS
from geo.errors import InputError
from geo.ingest import read_city_list, summary
from geo.lookup import Match, ParcelIndex
from geo.profile import Policy, Profile, load_profile
from geo.sources import UPLOAD_SUFFIXES, parse_field_overrides, read_parcels, read_upload
from geo.zone import LocatedLandmark
from layers.compose import MAX_DRAWN, data_view, map_content
from layers.map import BASEMAP_NOTE, build_map
from layers.parcels import to_draw_frame
from layers.style import VERDICT_WORDS

MAP_HEIGHT = 620
SCOPE_WORDS = {"all": "All city property", "lots_and_garages": "Only city lots and garages"}


@st.cache_resource(show_spinner=False)
def get_profile(path: str) -> Profile:
    return load_profile(path or None)


@st.cache_resource(show_spinner="Reading parcels…")
def get_parcels(path: str, _profile: Profile, name: str) -> gpd.GeoDataFrame:
    return read_parcels(path, _profile, display_name=name)


@st.cache_resource(show_spinner=False, max_entries=2)
def get_upload(
    data_key: str, _data: bytes, name: str, _profile: Profile, crs: str, fields: str
) -> gpd.GeoDataFrame:
    bar = st.progress(0.0, text=f"Reading {name}…")

    def show(done: int, total: int) -> None:
        share = min(done / total, 1.0) if total > 0 else 0.0
        bar.progress(share, text=f"Reading {name}: {done:,} parcels")

    try:
        overrides = parse_field_overrides([f for f in fields.split("|") if f])
        return read_upload(_data, name, _profile, overrides, crs or None, show)
    finally:
        bar.empty()


@st.cache_resource(show_spinner=False, max_entries=2)
def get_city_list(data_key: str, _data: bytes, name: str, _profile: Profile) -> frozenset[str]:
    suffix = Path(name).suffix.lower()
    with tempfile.TemporaryDirectory(prefix="civicmap-") as folder:
        path = Path(folder) / f"list{suffix}"
        path.write_bytes(_data)
        return read_city_list(path, _profile)


@st.cache_resource(show_spinner=False)
def get_streets(path: str) -> gpd.GeoDataFrame | None:
    if not path or not Path(path).exists():
        return None
    return pyogrio.read_dataframe(path)


@st.cache_resource(show_spinner=False)
def get_landmarks(data_key: str, _parcels: gpd.GeoDataFrame, _profile: Profile):
    return locate_landmarks(_parcels, _profile)


@st.cache_resource(show_spinner="Classifying…", max_entries=8)
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
def get_draw_frame(data_key: str, settings_key: str, _analysis: Analysis) -> gpd.GeoDataFrame:
    return to_draw_frame(_analysis.parcels, _analysis.zone.landmark.landmark.name)


@st.cache_resource(show_spinner=False, max_entries=4)
def get_view(data_key: str, _parcels: gpd.GeoDataFrame) -> tuple[tuple[float, float], int]:
    return data_view(_parcels)


@st.cache_resource(show_spinner=False)
def get_index(data_key: str, _parcels: gpd.GeoDataFrame) -> ParcelIndex:
    return ParcelIndex(_parcels)


@dataclass(frozen=True)
class Dataset:
    """The parcels on the map and where they came from."""

    key: str
    parcels: gpd.GeoDataFrame
    name: str
    date: str
    illustrative: bool


def sample_dataset(profile: Profile) -> Dataset:
    sample = profile.sample_path()
    if sample is None or not sample.exists():
        st.error("The bundled sample is missing; run the setup command again.")
        st.stop()
    assert sample is not None
    parcels = get_parcels(str(sample), profile, str(profile.sample.get("title", sample.name)))
    date = str(profile.sample.get("date") or parcels.attrs.get("source_date", ""))
    illustrative = bool(profile.sample.get("illustrative", False))
    return Dataset(f"sample:{sample}", parcels, parcels.attrs["source_name"], date, illustrative)


def field_mapping_form() -> tuple[str, str]:
    """CRS and field mapping for files the reader cannot work out alone."""
    with st.sidebar.expander("If the file is not recognised"):
        crs = st.text_input("CRS when the file has none (e.g. EPSG:2226)", key="crs").strip()
        st.caption("Which field holds each value (leave blank to detect):")
        parts = []
        for role, label in (
            ("apn", "Parcel number (APN)"),
            ("owner", "Owner name"),
            ("address", "Street address"),
            ("land_use", "Land-use code"),
        ):
            value = st.text_input(label, key=f"field_{role}").strip()
            if value:
                parts.append(f"{role}={value}")
    return crs, "|".join(parts)


def sidebar_data(profile: Profile) -> Dataset:
    """The data section: upload a parcel file, keep what we had when it is refused."""
    sb = st.sidebar
    sb.header("Parcel data")
    state = st.session_state
    upload = sb.file_uploader(
        "Load a parcel file",
        type=[s.lstrip(".") for s in UPLOAD_SUFFIXES],
        help="Zipped shapefile as the county publishes it, GeoPackage, GeoJSON or GeoParquet.",
        key="upload",
    )
    crs, fields = field_mapping_form()
    if upload is None:
        state.pop("dataset", None)
        state.pop("load_error", None)
    else:
        data = upload.getvalue()
        key = f"{hashlib.sha256(data).hexdigest()}|{crs}|{fields}"
        if key != state.get("attempted"):
            state["attempted"] = key
            try:
                parcels = get_upload(key, data, upload.name, profile, crs, fields)
                state["dataset"] = Dataset(
                    key, parcels, upload.name, str(parcels.attrs.get("source_date", "")), False
                )
                state["load_error"] = None
            except InputError as exc:
                state["load_error"] = str(exc)
    if state.get("load_error"):
        sb.error(f"The file was not loaded: {state['load_error']}")
    dataset = state.get("dataset") or sample_dataset(profile)
    if state.get("load_error"):
        sb.caption(f"Still showing: {dataset.name}")
    return dataset


def city_list_upload(profile: Profile) -> frozenset[str]:
    """An optional city property list (APNs the city owns)."""
    upload = st.sidebar.file_uploader(
        "City property list (optional)",
        type=["csv", "txt", "zip", "gpkg", "geojson", "parquet"],
        help="For data without owner names: a CSV of APNs, or a layer. Listed parcels count "
        "as city-owned.",
        key="city_list",
    )
    if upload is None:
        return frozenset()
    data = upload.getvalue()
    try:
        return get_city_list(hashlib.sha256(data).hexdigest(), data, upload.name, profile)
    except InputError as exc:
        st.sidebar.error(f"The city property list was not used: {exc}")
        return frozenset()


def load_summary(dataset: Dataset, analysis: Analysis) -> None:
    if dataset.illustrative:
        return
    info = summary(analysis.parcels)
    with st.sidebar.expander(f"Loaded {int(info.get('parcels', 0)):,} parcels", expanded=False):
        for key in ("repaired", "null_geometry", "blank_apn", "duplicate_apn"):
            st.write(f"{key.replace('_', ' ').capitalize()}: {int(info.get(key, 0)):,}")
        for column in ("owner_class", "site_kind", "verdict"):
            counts = info.get(f"by_{column}", {})
            st.write(f"By {column.replace('_', ' ')}:", counts)


def sidebar_policy(profile: Profile, parcels: gpd.GeoDataFrame) -> tuple[Policy, float]:
    """The policy terms and zone distance as the user sets them."""
    sb = st.sidebar
    sb.header("The proposal's terms")
    versions = list(profile.policies)
    version = sb.selectbox(
        "Policy version",
        versions,
        index=versions.index(profile.default_policy),
        format_func=lambda k: profile.policies[k].title,
        help="The proposal is a draft. Pick a version, then change any term below.",
    )
    base = profile.policy_version(version)
    sb.caption(profile.policies[version].note)
    scope = sb.radio(
        "Staging ban covers",
        ["all", "lots_and_garages"],
        index=0 if base.scope == "all" else 1,
        format_func=lambda s: {
            "all": "All city property",
            "lots_and_garages": "Only city lots and garages",
        }[s],
        key=f"scope_{version}",
    )
    agencies = sb.checkbox(
        "City agencies count as the city", value=base.include_city_agencies, key=f"ag_{version}"
    )
    distance = sb.slider(
        "Free speech zone reaches (metres)",
        min_value=10,
        max_value=int(profile.zone.max_distance_m),
        value=int(profile.zone.distance_m),
        step=10,
        help="Measured from the landmark's parcel, in a projected coordinate system.",
    )
    with sb.expander("Who counts as the city; what is a lot or garage"):
        names = st.text_area(
            "Owner names that count as the city (one a line)",
            "\n".join(base.owners.get("city", ())),
            help="Compared after ignoring case, spacing and punctuation. Never a partial match.",
        )
        codes = sorted(c for c in parcels["land_use"].unique() if c)
        lots = st.multiselect(
            "Land-use codes of parking lots",
            codes,
            default=[c for c in base.parking_lot if c in codes],
        )
        garages = st.multiselect(
            "Land-use codes of parking garages",
            codes,
            default=[c for c in base.parking_garage if c in codes],
        )
        counts = parcels["land_use"].replace("", "(blank)").value_counts()
        st.caption("Land-use values in this file (with counts):")
        st.dataframe(counts.rename("parcels"), height=160)
    city = tuple(n.strip() for n in names.splitlines() if n.strip())
    policy = base.with_changes(
        scope=scope,
        include_city_agencies=agencies,
        owners={**base.owners, "city": city},
        parking_lot=tuple(lots),
        parking_garage=tuple(garages),
    )
    return policy, float(distance)


def sidebar_layers() -> dict[str, bool]:
    """Which layers the user wants drawn."""
    sb = st.sidebar
    sb.header("Map layers")
    show = {
        "not_covered": sb.checkbox("Show parcels that are not covered", value=True),
        "streets": sb.checkbox("Street names", value=True),
        "basemap": sb.checkbox("Street basemap (third party)", value=False),
    }
    if show["basemap"]:
        sb.caption(BASEMAP_NOTE)
    else:
        sb.caption("No basemap: the map loads nothing from any other site.")
    return show


def proposal_panel(profile: Profile, illustrative: bool) -> None:
    if illustrative:
        st.warning(
            "**Illustrative sample.** The parcels shown are generated from the downtown "
            "street grid with fictional owners, land uses and APNs. They are not county "
            "records. Load real parcel data to check real parcels.",
            icon="⚠️",
        )
    with st.expander("What the proposal says (four parts)"):
        for i, part in enumerate(profile.proposal_parts, start=1):
            where = "on this map" if part.get("on_map") else "not a map feature"
            st.markdown(f"**{i}. {part.get('title', '')}** ({where})  \n{part.get('text', '')}")
        st.caption(
            "A proposal is not law unless adopted as an ordinance. This map is not legal advice."
        )


def verdict_metrics(analysis: Analysis) -> None:
    counts = analysis.parcels["verdict"].value_counts()
    cols = st.columns(len(VERDICTS) + 1)
    for col, verdict in zip(cols, VERDICTS, strict=False):
        col.metric(VERDICT_WORDS[verdict], f"{int(counts.get(verdict, 0)):,}")
    cols[-1].metric(
        "In the free speech zone", f"{int(analysis.parcels['in_free_speech_zone'].sum()):,}"
    )


def answer_card(analysis: Analysis, index: ParcelIndex, match: Match) -> None:
    if not match.found:
        hint = f" Close addresses: {', '.join(match.suggestions)}." if match.suggestions else ""
        st.info(f"No parcel matches “{match.query}”.{hint}")
        return
    table = check_table(analysis, index, [match.query] if match.query else None)
    for pos in match.positions:
        row = analysis.parcels.iloc[pos]
        st.subheader(f"{row['address'] or 'No address'} · APN {row['apn']}")
        st.markdown(f"**{VERDICT_WORDS[row['verdict']]}**")
        st.markdown("\n".join(f"- {r}" for r in str(row["reasons"]).split("; ")))
        st.caption(
            f"Owner: {row['owner'] or '(blank)'} ({row['owner_class']}) · land use "
            f"{row['land_use'] or '(blank)'} {row['land_use_label']} · in the free speech zone: "
            f"{'yes' if row['in_free_speech_zone'] else 'no'} · "
            f"{row['distance_to_landmark_m']:,.0f} m from {analysis.zone.landmark.landmark.name}"
        )
    del table


def main() -> None:
    st.set_page_config(
        page_title="City property and free speech map",
        page_icon="🗺️",
        layout="wide",
        initial_sidebar_state="auto",
    )
    profile = get_profile("")
    dataset = sidebar_data(profile)
    parcels, data_key = dataset.parcels, dataset.key
    source = (dataset.name, dataset.date, dataset.illustrative)

    st.title(f"{profile.name}: city property and the free speech zone")
    st.caption(
        "Which city property a proposal would bar from use as an immigration-enforcement "
        "staging area, and where the proposed free speech zone lies."
    )
    proposal_panel(profile, dataset.illustrative)

    policy, distance = sidebar_policy(profile, parcels)
    city_apns = city_list_upload(profile)
    if city_apns:
        policy = policy.with_changes(city_apns=city_apns)
    show = sidebar_layers()
    settings_key = f"{policy!r}|{distance}"  # a city list is in the policy's repr
    landmarks = get_landmarks(data_key, parcels, profile)
    try:
        analysis = get_analysis(
            data_key, settings_key, parcels, profile, policy, distance, landmarks
        )
    except InputError as exc:
        st.error(str(exc))
        st.stop()
    index = get_index(data_key, parcels)
    load_summary(dataset, analysis)
    verdict_metrics(analysis)

    query = st.text_input("Find a parcel by APN or street address", placeholder="e.g. 1201 I St")
    streets = get_streets(str(profile.streets_path() or "")) if show["streets"] else None
    content = map_content(
        analysis,
        source,
        streets=streets,
        show_not_covered=show["not_covered"],
        draw_frame=get_draw_frame(data_key, settings_key, analysis),
    )
    center, zoom = (
        (profile.map_center, profile.map_zoom)
        if dataset.illustrative
        else get_view(data_key, parcels)
    )
    if len(parcels) > MAX_DRAWN and show["not_covered"]:
        st.caption(
            f"{len(parcels):,} parcels are too many to draw at once: the map shows the "
            "covered and needs-review parcels. Search for any parcel to see its verdict."
        )
    fmap = build_map(content, center, zoom, basemap=show["basemap"])
    clicked = st_folium(
        fmap,
        key="map",
        height=MAP_HEIGHT,
        use_container_width=True,
        returned_objects=["last_clicked"],
    )
    point = (clicked or {}).get("last_clicked")
    if query.strip():
        answer_card(analysis, index, index.find(query))
    elif point:
        answer_card(analysis, index, index.at_point(point["lat"], point["lng"]))
    else:
        st.caption("Click a parcel on the map, or search above, to see its verdict and why.")


if __name__ == "__main__":
    main()
else:
    main()
