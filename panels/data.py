"""The sidebar's data section: the parcel file on the map, an uploaded one, a city list."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path
from typing import Any

import streamlit as st

from geo.errors import InputError, refusal_text
from geo.history import snapshots
from geo.i18n import Translate
from geo.profile import Profile
from geo.safe_text import md_escape
from panels.context import context_section
from panels.dataset import Dataset
from panels.fetch import county_fetch
from panels.folds import fold
from panels.loaders import get_city_list, get_parcels, get_upload
from panels.state import Key, session

FIELD_ROLES = ("apn", "owner", "address", "land_use")
# Refusals whose advice in the app is to type into the "not recognised" boxes: those boxes
# open with the message.
MAPPING_ADVICE = frozenset(
    {"error.sources.several_layers.app", "error.sources.no_crs.app", "error.sources.no_apn.app"}
)
# The per-session cap on work: how many files one session may have read in a minute (a
# read can take seconds and a few hundred MB; the county served to all is read once).
UPLOAD_READS_PER_MINUTE = 6


def default_dataset(profile: Profile, t: Translate) -> Dataset:
    """What the map shows before anyone uploads: the site's own parcel file when the
    deployment names one (``CIVICMAP_SOURCE``), else the bundled illustrative sample."""
    served = os.environ.get("CIVICMAP_SOURCE", "").strip()
    if not served:
        return sample_dataset(profile, t)
    path, history = served_file(Path(served))
    shown = "" if path != Path(served) else path.name  # a snapshot: the layer's own name
    try:
        parcels = get_parcels(str(path), profile, shown)
    except InputError as exc:
        st.error(t("data.refused", problem=md_escape(exc.for_app(t))))
        return sample_dataset(profile, t)
    date = str(parcels.attrs.get("source_date", ""))
    name = str(parcels.attrs["source_name"])
    return Dataset(f"served:{path}", parcels, name, date, False, history)


def served_file(served: Path) -> tuple[Path, Path | None]:
    """The file a deployment serves: the file named, or a history folder's newest snapshot
    (with the folder, when it holds one to compare with)."""
    if not served.is_dir():
        return served, None
    found = snapshots(served)
    if not found:
        return served, None  # read_parcels says what is wrong with a folder
    return found[-1], (served if len(found) >= 2 else None)


def sample_dataset(profile: Profile, t: Translate) -> Dataset:
    """The profile's bundled sample (the app stops with a message when it is missing)."""
    sample = profile.sample_path()
    if sample is None or not sample.exists():
        st.error(t("data.sample_missing"))
        st.stop()
    assert sample is not None
    parcels = get_parcels(str(sample), profile, str(profile.sample.get("title", sample.name)))
    date = str(profile.sample.get("date") or parcels.attrs.get("source_date", ""))
    illustrative = bool(profile.sample.get("illustrative", False))
    return Dataset(f"sample:{sample}", parcels, parcels.attrs["source_name"], date, illustrative)


def field_mapping_form(t: Translate) -> None:
    """The CRS, layer and field boxes for files the reader cannot work out alone; opened
    with a refusal that says to type in them."""
    keys = (Key.CRS, Key.LAYER, *(Key.field(role) for role in FIELD_ROLES))
    if advises_mapping(session.load_error) and session.changed(Key.ADVISED, session.attempted):
        st.session_state[Key.FIELDS_FOLD] = True
    with fold(t("data.not_recognised"), Key.FIELDS_FOLD, keys) as is_open:
        if is_open:
            st.text_input(t("data.crs"), key=Key.CRS)
            st.text_input(t("data.layer"), key=Key.LAYER)
            st.caption(t("data.fields_help"))
            for role in FIELD_ROLES:
                st.text_input(t(f"data.field.{role}"), key=Key.field(role))


def advises_mapping(error: str | InputError | None) -> bool:
    """Whether a refusal's advice in the app is to fill in the CRS, layer or field boxes."""
    return isinstance(error, InputError) and error.app_key in MAPPING_ADVICE


def mapping_values() -> tuple[str, str, str]:
    """CRS, layer and the ``role=field|...`` mapping typed in the boxes (kept while folded)."""

    def typed(key: str) -> str:
        return str(st.session_state.get(key, "")).strip()

    parts = [f"{role}={typed(Key.field(role))}" for role in FIELD_ROLES if typed(Key.field(role))]
    return typed(Key.CRS), typed(Key.LAYER), "|".join(parts)


def sidebar_data(profile: Profile, t: Translate) -> Dataset:
    """Upload a parcel file; a refused file leaves the map as it was.

    The last good dataset is held in the session, not in the upload widget: a file the
    browser refuses, or the widget emptied, never takes it away; a button brings back the
    data the map started with.
    """
    sb = st.sidebar
    sb.header(t("data.header"))
    upload = sb.file_uploader(
        t("data.upload"), help=t("data.upload_help"), key=Key.UPLOAD
    )  # any extension reaches read_upload, which refuses the wrong ones with a message
    form = sb.container()  # the boxes, drawn once the upload is read (a refusal opens them)
    fetched = county_fetch(profile, t)  # opt in: nothing is fetched before the click
    context_section(profile, t)  # council districts and city limits (toggles, opt-in fetch)
    if upload is None:
        session.forget(Key.LOAD_ERROR)
    else:
        _try_upload(upload, profile, *mapping_values(), t)
    with form:
        field_mapping_form(t)
    dataset = session.dataset or fetched or default_dataset(profile, t)
    if session.load_error:
        problem = refusal_text(session.load_error, t)  # said again in the page's language
        sb.error(t("data.refused", problem=md_escape(problem)))
        sb.caption(t("data.still_showing", name=md_escape(dataset.name)))
    if session.dataset is not None:
        _encoding_note(session.dataset, t)
        if sb.button(t("data.back_to_default"), key=Key.BACK_TO_DEFAULT):
            session.forget(Key.DATASET, Key.LOAD_ERROR)
            st.rerun()
    return dataset


def _try_upload(
    upload: Any, profile: Profile, crs: str, layer: str, fields: str, t: Translate
) -> None:
    """Read an upload once per (bytes, settings); keep it on success, keep the error if not."""
    size, limit = upload.size, int(st.get_option("server.maxUploadSize")) * 1024 * 1024
    if size > limit:  # the browser refuses these; a client that does not is refused here
        session.attempted = None
        megabytes = f"{size / 2**20:,.0f}"
        session.load_error = t(
            "data.too_large", name=upload.name, size=megabytes, limit=f"{limit // 2**20:,}"
        )
        return
    data = upload.getvalue()
    key = f"{hashlib.sha256(data).hexdigest()}|{upload.name}|{crs}|{layer}|{fields}"
    if key == session.attempted:
        return
    if over_upload_cap():
        session.load_error = t("data.too_many", count=str(UPLOAD_READS_PER_MINUTE))
        return
    session.attempted = key
    try:
        parcels = get_upload(key, data, upload.name, profile, crs, fields, t, layer)
    except InputError as exc:
        session.load_error = exc
        return
    date = str(parcels.attrs.get("source_date", ""))
    session.dataset = Dataset(key, parcels, upload.name, date, False)
    session.load_error = None


def over_upload_cap(now: float | None = None) -> bool:
    """Whether this session has had its files read too often in the last minute; if not,
    count this read."""
    now = time.monotonic() if now is None else now
    recent = tuple(when for when in session.upload_reads if now - when < 60.0)
    if len(recent) >= UPLOAD_READS_PER_MINUTE:
        session.upload_reads = recent
        return True
    session.upload_reads = (*recent, now)
    return False


def _encoding_note(dataset: Dataset, t: Translate) -> None:
    """Say which text encoding was used when the file did not say, or said wrongly."""
    attrs = dataset.parcels.attrs
    reason, encoding = attrs.get("encoding_reason"), attrs.get("encoding")
    if reason in ("no_cpg", "cpg_wrong") and encoding:
        st.sidebar.caption(
            t(
                f"data.encoding.{reason}",
                name=md_escape(dataset.name),
                encoding=md_escape(str(encoding)),
            )
        )


def city_list_upload(profile: Profile, t: Translate) -> frozenset[str]:
    """An optional city property list (APNs the city owns)."""
    upload = st.sidebar.file_uploader(
        t("data.city_list"),
        type=["csv", "txt", "zip", "gpkg", "geojson", "parquet"],
        help=t("data.city_list_help"),
        key=Key.CITY_LIST,
    )
    if upload is None:
        return frozenset()
    data = upload.getvalue()
    try:
        return get_city_list(hashlib.sha256(data).hexdigest(), data, upload.name, profile)
    except InputError as exc:
        st.sidebar.error(t("data.city_list_refused", problem=md_escape(exc.for_app(t))))
        return frozenset()


def load_summary(dataset: Dataset, info: dict[str, Any], t: Translate) -> None:
    """What was read from an uploaded or served file: repairs, blanks, counts."""
    if dataset.illustrative:
        return
    label = t("data.loaded", count=f"{int(info.get('parcels', 0)):,}")
    with fold(label, Key.REPORT_FOLD, where=st.sidebar) as is_open:
        if not is_open:
            return
        for key in ("repaired", "null_geometry", "blank_apn", "duplicate_apn"):
            st.write(t(f"data.report.{key}", count=f"{int(info.get(key, 0)):,}"))
        for column in ("owner_class", "site_kind", "verdict"):
            st.write(t(f"data.by.{column}"), info.get(f"by_{column}", {}))
