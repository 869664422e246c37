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
import io
import json
import math
import shutil
import time
import warnings
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyogrio
import requests
from pyproj import CRS

from geo._arcgis import Answer, ArcgisClient, LayerInfo, RetryPolicy, ServiceError
from geo.errors import InputError
from geo.ingest import classify_and_write
from geo.profile import Policy, Profile
from geo.schema import resolve_fields
from geo.sources import canonical_from_layer

FORMATS = ("json", "geojson")
POLYGONS = "esriGeometryPolygon"
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class FetchProgress:
    """Where a download stands, for a progress bar.

    Attributes
    ----------
    pages, pages_total : int
        Pages in hand (kept ones included) and the pages expected (an estimate while
        the server sends fewer features a page than asked).
    parcels, parcels_total : int
        Features in hand and the count the server gave.
    fetched : int
        Features downloaded in this run (kept pages not included).
    elapsed_s : float
        Seconds since this run started.
    """

    pages: int
    pages_total: int
    parcels: int
    parcels_total: int
    fetched: int
    elapsed_s: float

    @property
    def rate(self) -> float:
        """Features a second downloaded in this run."""
        return self.fetched / self.elapsed_s if self.elapsed_s > 0 else 0.0

    @property
    def remaining_s(self) -> float | None:
        """Seconds left at the current rate (None before the rate is known)."""
        if self.rate <= 0:
            return None
        return max(0, self.parcels_total - self.parcels) / self.rate


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


@dataclass
class _Page:
    key: str
    file: str
    features: int
    more: bool


@dataclass
class PageStore:
    """Pages of one download kept in a folder, with a manifest saying what each holds.

    Parameters
    ----------
    folder : Path
        ``OUT.pages`` beside the output.
    request : dict
        What the pages answer (URL, where, outSR, format, paging mode, page size); pages
        kept for another request are discarded.
    """

    folder: Path
    request: dict[str, Any]
    layer: dict[str, Any] = field(default_factory=dict)
    pages: dict[str, _Page] = field(default_factory=dict)
    other_request: bool = False

    @classmethod
    def open(cls, folder: Path, request: dict[str, Any]) -> PageStore:
        """Open the folder's pages if they answer ``request``; start empty otherwise."""
        store = cls(folder, request)
        try:
            manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return store
        if manifest.get("request") != request:
            store.other_request = True  # pages of another URL, filter, CRS or page size
            return store
        store.layer = dict(manifest.get("layer") or {})
        for key, item in (manifest.get("pages") or {}).items():
            page = _Page(key, str(item["file"]), int(item["features"]), bool(item["more"]))
            if (folder / page.file).is_file():
                store.pages[key] = page
        return store

    def reset(self, layer: dict[str, Any]) -> None:
        """Forget every kept page and remember the layer's state at the start."""
        if self.folder.exists():
            shutil.rmtree(self.folder)
        self.pages, self.layer = {}, dict(layer)
        self._save_manifest()

    def add(self, key: str, body: bytes, features: int, more: bool) -> None:
        """Keep one page (written whole before the manifest names it)."""
        name = key + ".json"
        _write_atomically(self.folder / name, body)
        self.pages[key] = _Page(key, name, features, more)
        self._save_manifest()

    def read(self, key: str) -> bytes:
        """The bytes of a kept page."""
        return (self.folder / self.pages[key].file).read_bytes()

    def remove(self) -> None:
        """Delete the folder (after the output is written)."""
        shutil.rmtree(self.folder, ignore_errors=True)

    def _save_manifest(self) -> None:
        pages = {k: {"file": p.file, "features": p.features, "more": p.more}
                 for k, p in self.pages.items()}  # fmt: skip
        manifest = {"request": self.request, "layer": self.layer, "pages": pages}
        _write_atomically(self.folder / MANIFEST, json.dumps(manifest, indent=1).encode())


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    partial.write_bytes(data)
    partial.replace(path)


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
    info = _layer(client, fmt)
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
    count_start = _count(client, where)
    store = _open_store(out, request, info, count_start, say)
    kept = len(store.pages)
    base = {"where": where, "outFields": ",".join(out_fields), "outSR": sr, "f": fmt,
            "returnGeometry": "true"}  # fmt: skip
    plan = (
        _offset_pages(store, base, info, size, count_start)
        if info.supports_pagination
        else _id_pages(client, base, info, size, where)
    )
    keys = _run(client, plan, store, count_start, size, progress)
    raw, dropped = _drop_duplicates(_read_pages(store, keys, sr), info.object_id_field)
    end_info = _layer(client, fmt)
    count_end = _count(client, where)
    changed = count_end != count_start or end_info.last_edit_date != info.last_edit_date
    notes = _check_count(len(raw), count_start, count_end, changed, store.folder)
    if dropped:
        notes.insert(0, f"{dropped:,} features came twice (the layer changed) and were kept once")
    edited = _iso(end_info.last_edit_date)
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


def _layer(client: ArcgisClient, fmt: str) -> LayerInfo:
    """The layer's description, refused before any page when it cannot hold parcels."""
    info = LayerInfo.from_json(client.url, client.get("", {}).data)
    if info.geometry_type != POLYGONS:
        kind = info.geometry_type.removeprefix("esriGeometry").lower()
        raise InputError.keyed("error.sources.not_polygons", name=info.name, kinds=kind)
    if fmt == "geojson" and not info.supports_geojson:
        raise InputError.keyed("error.fetch.no_geojson", name=info.name)
    return info


def _open_store(
    out: Path,
    request: dict[str, Any],
    info: LayerInfo,
    count: int,
    say: Callable[[str], None],
) -> PageStore:
    """The pages kept for this request, unless the layer changed since (then none)."""
    store = PageStore.open(out.with_name(out.name + ".pages"), request)
    layer_now = {"last_edit_date": info.last_edit_date, "count": count}
    if store.pages and store.layer == layer_now:
        say(f"resuming: {len(store.pages)} pages kept from an earlier run")
        return store
    if store.pages:
        say(f"the layer changed since the kept pages were fetched: {len(store.pages)} pages "
            "discarded, starting again")  # fmt: skip
    elif store.other_request:
        say(f"the pages kept in {store.folder} were for another request: discarded")
    store.reset(layer_now)
    return store


def _count(client: ArcgisClient, where: str) -> int:
    data = client.get("query", {"where": where, "returnCountOnly": "true"}).data
    if not isinstance(data.get("count"), int):
        raise ServiceError.keyed("error.fetch.no_count", url=client.url)
    return int(data["count"])


def _iso(epoch_ms: int | None) -> str:
    if epoch_ms is None:
        return ""
    return dt.datetime.fromtimestamp(epoch_ms / 1000, dt.UTC).replace(microsecond=0).isoformat()


PageRequest = tuple[str, dict[str, object]]


def _offset_pages(
    store: PageStore,
    base: dict[str, object],
    info: LayerInfo,
    size: int,
    count: int,
) -> Iterator[PageRequest]:
    """Offset pages in order; each key's offset follows from the pages before it.

    Paging goes on while the server says more remain (``exceededTransferLimit``) or the
    count is not reached, and stops at an empty page.
    """
    offset = 0
    order = {"orderByFields": info.object_id_field} if info.object_id_field else {}
    while True:
        key = f"offset-{offset:010d}"
        yield key, {**base, **order, "resultOffset": offset, "resultRecordCount": size}
        page = store.pages[key]
        offset += page.features
        if page.features == 0 or not (page.more or offset < count):
            return


def _id_pages(
    client: ArcgisClient,
    base: dict[str, object],
    info: LayerInfo,
    size: int,
    where: str,
) -> Iterator[PageRequest]:
    """Object-id ranges of at most ``size`` features, from the ids the server lists."""
    if not info.object_id_field:
        raise ServiceError.keyed("error.fetch.no_paging", name=info.name)
    data = client.get("query", {"where": where, "returnIdsOnly": "true"}).data
    oid = str(data.get("objectIdFieldName") or info.object_id_field)
    ids = sorted(int(i) for i in data.get("objectIds") or [])
    for start in range(0, len(ids), size):
        first, last = ids[start], ids[min(start + size, len(ids)) - 1]
        ranged = f"({where}) AND {oid} >= {first} AND {oid} <= {last}"
        yield f"ids-{first:010d}-{last:010d}", {**base, "where": ranged}


def _run(
    client: ArcgisClient,
    plan: Iterator[PageRequest],
    store: PageStore,
    count: int,
    size: int,
    progress: Callable[[FetchProgress], None] | None,
) -> list[str]:
    """Fetch every page the plan names that is not kept yet; return the keys in order."""
    started, fetched, parcels, keys = time.monotonic(), 0, 0, []
    for key, params in plan:
        if key not in store.pages:
            answer = client.get("query", params)
            features, more = _page_counts(answer)
            store.add(key, answer.body, features, more)
            fetched += features
        keys.append(key)
        parcels += store.pages[key].features
        if progress is not None:
            per_page = max(1, store.pages[key].features if store.pages[key].more else size)
            left = math.ceil(max(0, count - parcels) / per_page)
            progress(
                FetchProgress(
                    len(keys),
                    len(keys) + left,
                    parcels,
                    count,
                    fetched,
                    time.monotonic() - started,
                )  # fmt: skip
            )
    return keys


def _page_counts(answer: Answer) -> tuple[int, bool]:
    """How many features a page holds, and whether the server says more remain."""
    data = answer.data
    features = data.get("features")
    if not isinstance(features, list):
        raise ServiceError.keyed("error.fetch.no_features_list")
    more = data.get("exceededTransferLimit")
    if more is None:  # GeoJSON puts it among the collection's properties
        more = (data.get("properties") or {}).get("exceededTransferLimit")
    return len(features), bool(more)


def _read_pages(store: PageStore, keys: list[str], sr: int) -> gpd.GeoDataFrame:
    """Every kept page through GDAL (Esri JSON or GeoJSON), in one frame in EPSG:``sr``."""
    expected = CRS.from_epsg(sr)
    frames = []
    for key in keys:
        if store.pages[key].features == 0:
            continue
        with warnings.catch_warnings():  # GDAL's notes on ESRI:102642 and the like
            warnings.simplefilter("ignore", RuntimeWarning)
            try:
                page = pyogrio.read_dataframe(
                    io.BytesIO(store.read(key)), FEATURE_SERVER_PAGING="NO", use_arrow=True
                )
            except Exception as exc:
                raise ServiceError.keyed(
                    "error.fetch.page_unreadable", page=key, problem=str(exc)
                ) from None
        if page.crs is None or not CRS.from_user_input(page.crs).equals(expected):
            raise ServiceError.keyed(
                "error.fetch.page_crs", page=key, crs=str(page.crs), asked=f"EPSG:{sr}"
            )
        frames.append(page.set_crs(expected, allow_override=True))
    if not frames:
        raise InputError.keyed("error.fetch.no_match")
    raw = pd.concat(frames, ignore_index=True)
    return gpd.GeoDataFrame(raw, geometry="geometry", crs=expected)


def _drop_duplicates(raw: gpd.GeoDataFrame, oid: str) -> tuple[gpd.GeoDataFrame, int]:
    if not oid or oid not in raw:
        return raw, 0
    twice = raw.duplicated(subset=[oid], keep="last")
    return raw.loc[~twice].reset_index(drop=True), int(twice.sum())


def _check_count(
    held: int, count_start: int, count_end: int, changed: bool, folder: Path
) -> list[str]:
    """Sentences about the count; an error when it is off and the layer did not change."""
    if held == count_start == count_end:
        return []
    if not changed:
        raise ServiceError.keyed(
            "error.fetch.count_off",
            cli_key="error.fetch.count_off.cli",
            held=f"{held:,}",
            count=f"{count_end:,}",
            folder=str(folder),
        )
    note = (
        f"the layer changed during the download: the server counted {count_start:,} "
        f"features at the start and {count_end:,} at the end; the file holds {held:,}"
    )
    if held != count_end:
        note += " (run fetch again for a copy of one moment)"
    return [note]
