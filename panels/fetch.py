"""The sidebar's opt-in fetch of the county's current parcels (nothing leaves the machine
before the click), and the fetched file kept for the next start."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import geopandas as gpd
import streamlit as st

from geo.county_cache import fetched_parcels_path, history_folder
from geo.errors import InputError, refusal_text
from geo.fetch import FetchProgress, default_url, fetch_layer
from geo.history import DEFAULT_KEEP, keep_copy, prune, snapshots
from geo.i18n import Translate
from geo.profile import Profile
from geo.safe_text import md_escape
from geo.sources import read_parcels
from panels.dataset import Dataset
from panels.state import Key, session


@st.cache_resource(show_spinner=False, max_entries=2)
def get_fetched(path: str, modified_ns: int, _profile: Profile) -> gpd.GeoDataFrame:
    """The kept fetch (read again when the file is written anew)."""
    return read_parcels(path, _profile)


def county_url(profile: Profile) -> str:
    """The profile's parcel layer, or ``""`` when it names none."""
    try:
        return default_url(profile)
    except InputError:
        return ""


def host_of(url: str) -> str:
    """The server a URL points at (what the reader is told before anything is sent)."""
    return urlsplit(url).hostname or url


def profile_where(profile: Profile) -> str:
    """The filter the profile's ``[source]`` puts on its layer (``1=1``: every feature)."""
    return str(profile.source.get("where") or "").strip() or "1=1"


def run_fetch(profile: Profile, url: str, out: Path, t: Translate) -> None:
    """Fetch the layer into ``out`` (filtered as the profile says) with a progress bar, and
    keep it in the layer's history; a failure is kept to be shown."""
    host = host_of(url)
    bar = st.sidebar.progress(0.0, text=t("fetch.starting", host=md_escape(host)))
    notes = st.sidebar.empty()

    def progress(step: FetchProgress) -> None:
        share = min(step.parcels / step.parcels_total, 1.0) if step.parcels_total else 0.0
        text = t(
            "fetch.progress",
            host=md_escape(host),
            parcels=f"{step.parcels:,}",
            total=f"{step.parcels_total:,}",
        )
        bar.progress(share, text=text)

    def notify(message: str) -> None:
        notes.caption(md_escape(message))

    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        where = profile_where(profile)
        result = fetch_layer(None, profile, out, where=where, progress=progress, notify=notify)
        folder = history_folder(profile, url)
        keep_copy(folder, out)  # a hard link: the file as it is now, for the next comparison
        prune(folder, DEFAULT_KEEP)
    except (InputError, OSError) as exc:
        session.fetch_error = exc if isinstance(exc, InputError) else str(exc)
        return
    finally:
        bar.empty()
    session.fetch_error = None
    count = f"{len(result.parcels):,}"
    st.sidebar.success(t("fetch.done", count=count, host=md_escape(host)))


def county_fetch(profile: Profile, t: Translate) -> Dataset | None:
    """The fetch action (said first whom it contacts), and the kept fetch, if any (an
    uploaded file still comes first)."""

    url = county_url(profile)
    if not url:
        return None
    out = fetched_parcels_path(profile, url)
    sb = st.sidebar
    with sb.expander(t("fetch.header")):
        st.caption(t("fetch.notice", host=md_escape(host_of(url))))
        clicked = st.button(t("fetch.button"), key=Key.FETCH)
    if clicked:
        run_fetch(profile, url, out, t)
    if session.fetch_error:
        problem = refusal_text(session.fetch_error, t)  # said again in the page's language
        sb.error(t("fetch.failed", problem=md_escape(problem)))
    if not out.exists():
        return None
    try:
        parcels = get_fetched(str(out), out.stat().st_mtime_ns, profile)
    except InputError:
        return None
    date = str(parcels.attrs.get("source_date", ""))
    if not clicked:
        sb.caption(t("fetch.kept", date=md_escape(date)))
    key = f"fetched:{out}:{out.stat().st_mtime_ns}"
    name = str(parcels.attrs.get("source_name", out.name))
    return Dataset(key, parcels, name, date, False, compared_history(history_folder(profile, url)))


def compared_history(folder: Path) -> Path | None:
    """The history folder when it holds two snapshots or more to compare (else None)."""
    return folder if len(snapshots(folder)) >= 2 else None
