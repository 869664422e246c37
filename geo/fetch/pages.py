"""The pages of one download: which to ask for, in what order, and where they are kept.

Each page is kept on disk beside the output (``FILE.parquet.pages/``) as soon as it arrives,
with a manifest naming what it answers, so an interrupted download resumes where it stopped.
Offset pages (``resultOffset``) where the layer supports pagination, object-id ranges from
``returnIdsOnly`` where it does not.
"""

from __future__ import annotations

import json
import math
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geo.atomic import write_bytes
from geo.fetch.protocol import ArcgisClient, LayerInfo, ServiceError, page_counts

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
        self.folder.mkdir(parents=True, exist_ok=True)
        write_bytes(self.folder / name, body)
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
        self.folder.mkdir(parents=True, exist_ok=True)
        write_bytes(self.folder / MANIFEST, json.dumps(manifest, indent=1).encode())


def open_store(
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


PageRequest = tuple[str, dict[str, object]]


def offset_pages(
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


def id_pages(
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


def fetch_pages(
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
            features, more = page_counts(answer)
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
