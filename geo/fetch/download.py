"""Fetching a parcel layer from an ArcGIS REST map service into canonical GeoParquet.

``civicmap fetch [--url LAYER] [--where SQL] --out FILE.parquet`` reads the layer's
description, asks how many features match, and pages through them (``resultOffset`` /
``resultRecordCount`` where the layer supports pagination, object-id ranges from
``returnIdsOnly`` where it does not), never asking for more than ``maxRecordCount`` a page
and following ``exceededTransferLimit``. Each page is kept on disk beside the output
(``FILE.parquet.pages/``) as soon as it arrives, so an interrupted download resumes where
it stopped. GDAL turns each page's Esri JSON (or GeoJSON) into geometry; the profile's
field mapping, the classifier and ``ingest``'s writer do the rest, and the file's metadata
says where the data came from (URL, layer, its last edit, when it was fetched, the count).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import requests
from pyproj import CRS

from geo.errors import InputError
from geo.fetch.assemble import check_count, drop_duplicates, read_pages
from geo.fetch.pages import FetchProgress, fetch_pages, id_pages, offset_pages, open_store
from geo.fetch.protocol import ArcgisClient, RetryPolicy, count_features, iso_date, layer_info
from geo.ingest import classify_and_write
from geo.policy.terms import Policy
from geo.profile import Profile
from geo.schema import resolve_fields
from geo.sources import canonical_from_layer

FORMATS = ("json", "geojson")


@dataclass(frozen=True)
class FetchResult:
    """What a finished download wrote and found.

    Attributes
    ----------
    parcels : geopandas.GeoDataFrame
        The classified parcels written (``attrs["fetch"]`` holds the provenance).
    path : Path
    count_start, count_end : int
        The server's count when the download started and when it ended.
    pages, kept_pages : int
        Pages in the file, and how many of them came from an earlier, interrupted run.
    layer_changed : bool
        Whether the layer was edited (or its count changed) during the download.
    notes : tuple of str
        Sentences for the user (a layer that changed, duplicates dropped).
    """

    parcels: gpd.GeoDataFrame
    path: Path
    count_start: int
    count_end: int
    pages: int
    kept_pages: int
    layer_changed: bool
    notes: tuple[str, ...] = ()


def out_sr_for(profile: Profile, fmt: str = "json") -> int:
    """The spatial reference to ask for: the profile's measure CRS, or 4326.

    GeoJSON is always asked for in EPSG:4326 (its coordinates are WGS 84 by definition);
    Esri JSON in the profile's measure CRS when that has an EPSG code.

    Parameters
    ----------
    profile : Profile
    fmt : str
        ``"json"`` or ``"geojson"``.

    Returns
    -------
    int
        An EPSG code.
    """
    if fmt == "json" and profile.measure_crs:
        try:
            code = CRS.from_user_input(profile.measure_crs).to_epsg()
        except Exception:
            code = None
        if code:
            return int(code)
    return 4326


def default_url(profile: Profile) -> str:
    """The parcel layer the profile's ``[source]`` names.

    Raises
    ------
    InputError
        When the profile names none.
    """
    url = str(profile.source.get("url", "")).strip()
    if not url:
        raise InputError.keyed("error.fetch.no_url", cli_key="error.fetch.no_url.cli")
    return url


def fetch_layer(
    url: str | None,
    profile: Profile,
    out: str | Path,
    *,
    where: str = "1=1",
    policy: Policy | None = None,
    fmt: str = "json",
    page_size: int | None = None,
    retry: RetryPolicy | None = None,
    progress: Callable[[FetchProgress], None] | None = None,
    notify: Callable[[str], None] | None = None,
    field_overrides: Mapping[str, str] | None = None,
    keep_pages: bool = False,
    session: requests.Session | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> FetchResult:
    """Download a parcel layer from ArcGIS REST and write canonical, classified GeoParquet.

    Parameters
    ----------
    url : str or None
        The layer, e.g. ``https://host/arcgis/rest/services/PARCELS/MapServer/8``; None
        for the one the profile's ``[source]`` names.
    profile : Profile
        Maps the layer's fields; its measure CRS is the ``outSR`` asked for.
    out : str or Path
        The ``.parquet`` to write; pages are kept in ``OUT.pages/`` until it is written.
    where : str
        An SQL filter on the layer (``1=1``: every feature).
    policy : Policy, optional
        The terms to classify under (the profile's default version when omitted).
    fmt : str
        ``"json"`` (Esri JSON, in the measure CRS) or ``"geojson"`` (EPSG:4326).
    page_size : int, optional
        Features to ask for a page (at most the layer's ``maxRecordCount``, the default).
    retry : RetryPolicy, optional
        Timeout and retries of each request.
    progress : callable, optional
        Called with a :class:`FetchProgress` after each page. An exception it raises
        stops the download (the app's cancel button); the pages so far are kept.
    notify : callable, optional
        Called with a sentence on each retry, resume or discarded page set.
    field_overrides : mapping, optional
        Canonical column to source field (``--field``).
    keep_pages : bool
        Keep ``OUT.pages/`` after the file is written.
    session : requests.Session, optional
    sleep : callable
        Waits between retries.

    Returns
    -------
    FetchResult

    Raises
    ------
    InputError
        On a bad URL or output name, a layer without an APN field, a service that refuses
        or keeps failing (pages fetched so far are kept), or a download that does not hold
        the count the server gave although the layer did not change.
    """
    out = Path(out)
    url = url or default_url(profile)
    if out.suffix.lower() not in (".parquet", ".geoparquet"):
        raise InputError.keyed("error.out_parquet", name=out.name)
    if fmt not in FORMATS:
        raise InputError.keyed("error.fetch.format", formats=", ".join(FORMATS), fmt=repr(fmt))
    if not url.lower().startswith(("http://", "https://")):
        raise InputError.keyed("error.fetch.not_http", url=repr(url))
    say = notify or (lambda _message: None)
    client = ArcgisClient(url, retry, session, sleep, on_retry=say)
    info = layer_info(client, fmt)
    fields = resolve_fields(info.fields, profile, field_overrides or {})
    out_fields = [f for f in dict.fromkeys([info.object_id_field, *fields.values()]) if f]
    sr = out_sr_for(profile, fmt)
    size = min(info.max_record_count, page_size or info.max_record_count)
    request = {
        "url": info.url,
        "where": where,
        "out_sr": sr,
        "format": fmt,
        "fields": out_fields,
        "page_size": size,
        "paging": "offset" if info.supports_pagination else "ids",
    }
    count_start = count_features(client, where)
    store = open_store(out, request, info, count_start, say)
    kept = len(store.pages)
    base = {"where": where, "outFields": ",".join(out_fields), "outSR": sr, "f": fmt,
            "returnGeometry": "true"}  # fmt: skip
    plan = (
        offset_pages(store, base, info, size, count_start)
        if info.supports_pagination
        else id_pages(client, base, info, size, where)
    )
    keys = fetch_pages(client, plan, store, count_start, size, progress)
    raw, dropped = drop_duplicates(read_pages(store, keys, sr), info.object_id_field)
    end_info = layer_info(client, fmt)
    count_end = count_features(client, where)
    changed = count_end != count_start or end_info.last_edit_date != info.last_edit_date
    notes = check_count(len(raw), count_start, count_end, changed, store.folder)
    if dropped:
        notes.insert(0, f"{dropped:,} features came twice (the layer changed) and were kept once")
    edited = iso_date(end_info.last_edit_date)
    fetched_at = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    provenance = {
        "url": info.url,
        "layer": info.name,
        "where": where,
        "last_edit_date": edited,
        "fetched_at": fetched_at,
        "count": count_end,
        "count_at_start": count_start,
        "features": len(raw),
        "out_sr": f"EPSG:{sr}",
        "layer_changed": changed,
    }
    frame = canonical_from_layer(raw, profile, info.name, (edited or fetched_at)[:10],
                                 field_overrides)  # fmt: skip
    frame.attrs["fetch"] = provenance
    classified = classify_and_write(frame, profile, out, policy)
    if not keep_pages:
        store.remove()
    return FetchResult(
        classified, out, count_start, count_end, len(keys), kept, changed, tuple(notes)
    )
