"""The published site's search index in shards, so that one search downloads a small part.

Two sorted indexes of every parcel (its id, APN, address and a point inside it):

- by **APN key**, the APN's letters and digits in lower case (``006-0602-005-0000``,
  ``006 0602 005 0000`` and ``00606020050000`` all give ``00606020050000``);
- by **address key**, the street, a tab, then the house number padded to 8 digits
  (``1201 I Street`` gives ``i st\\t00001201``; see :func:`address_parts`), so a street's
  parcels sit together in the order of their numbers and a street alone is a prefix.

Each index is cut into consecutive shards of at most :data:`SHARD_BYTES` of JSON, never
between two equal keys. The manifest (``data/search/index.json``) lists each shard's lower
bound: the shortest string above every key of the shard before it and at most its own first
key. A key is in exactly one shard, the last whose bound is not above it (a binary search of
the bounds); the keys that start with a prefix are in that shard and the next ones whose
bounds start with it. ``static/app/search_index.js`` is the browser's half and computes the
same keys.

The shards sit in ``data/search/<digest>/`` (``apn-<i>.json``, ``address-<i>.json``), named
by a digest of their contents: each file is written whole (:mod:`geo.atomic`), the manifest
last, so a reader never pairs a new manifest with old shards; older shard folders are
removed after it.
"""

from __future__ import annotations

import bisect
import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np

from geo.atomic import write_text
from geo.normalize import STREET_TYPES
from layers.site_folders import compact_json, remove_other_folders, write_named_by_contents

SCHEME = "civicmap-search-1"
SHARD_BYTES = 64_000  # at most this much JSON a shard (a group of equal keys excepted)
MANIFEST = "index.json"
KINDS = ("apn", "address")
COLUMNS = ("row", "apn", "address", "lon", "lat")
# Street types as the browser folds them (the last word of an address): "street" is "st".
SITE_STREET_TYPES = {k.lower(): v.lower() for k, v in STREET_TYPES.items() if k != v}
_NOT_KEY = re.compile(r"[^0-9a-z]")
_NOT_WORD = re.compile(r"[^0-9a-z]+")
_MARKS = re.compile(r"[\u0300-\u036f]")
_HOUSE_NUMBER = re.compile(r"[0-9]+[a-z]?")
NUMBER_WIDTH = 8
_SHARD_OVERHEAD = 64  # the column names and brackets of a shard's JSON


def apn_key(apn: object) -> str:
    """An APN's letters and digits in lower case (as ``key()`` in the browser)."""
    return _NOT_KEY.sub("", str(apn).lower())


def address_parts(
    address: object, street_types: Mapping[str, str] = SITE_STREET_TYPES
) -> tuple[str, str]:
    """An address as (house number, street), folded as the browser folds it.

    Accents are dropped and letters lower-cased; anything after a comma is left out; every
    run of other characters is one space; a last word that is a street type is shortened
    (``street`` to ``st``). The first word is the house number when it is digits with at
    most one letter after them and a street follows: ``1201 I Street, Sacramento`` gives
    ``("1201", "i st")``, ``10th St`` gives ``("", "10th st")``.
    """
    folded = _MARKS.sub("", unicodedata.normalize("NFKD", str(address))).lower()
    words = _NOT_WORD.sub(" ", folded.split(",")[0]).split()
    if len(words) > 1:
        words[-1] = street_types.get(words[-1], words[-1])
    if len(words) > 1 and _HOUSE_NUMBER.fullmatch(words[0]):
        return words[0], " ".join(words[1:])
    return "", " ".join(words)


def address_key(address: object, street_types: Mapping[str, str] = SITE_STREET_TYPES) -> str:
    """The address index's key: the street, a tab and the house number ("" without a street).

    The number is padded with zeros to :data:`NUMBER_WIDTH`, so a street's numbers sort as
    numbers.
    """
    number, street = address_parts(address, street_types)
    return f"{street}\t{number.rjust(NUMBER_WIDTH, '0')}" if street else ""


def separator(last: str, first: str) -> str:
    """The shortest prefix of ``first`` that sorts above ``last`` (``last < first``)."""
    common = 0
    while common < min(len(last), len(first)) and last[common] == first[common]:
        common += 1
    return first[: common + 1]


def cut_points(keys: Sequence[str], sizes: Sequence[int], budget: int) -> list[int]:
    """Where each shard starts in the sorted ``keys``: shards of at most ``budget`` bytes.

    A shard ends before the record that would take it over the budget, unless that record's
    key equals the one before (equal keys stay together, so a shard may then run over).
    """
    if not keys:
        return []
    starts, total = [0], _SHARD_OVERHEAD
    for i, size in enumerate(sizes):
        if total + size > budget and i > starts[-1] and keys[i] != keys[i - 1]:
            starts.append(i)
            total = _SHARD_OVERHEAD
        total += size
    return starts


def shard_of(bounds: Sequence[str], key: str) -> int:
    """The shard a key is in: the last whose bound is not above it (-1 with no shards)."""
    return bisect.bisect_right(bounds, key) - 1


@dataclass(frozen=True)
class ShardedIndex:
    """One sorted index cut into shards: each shard's lower bound and its records."""

    bounds: list[str]
    shards: list[dict[str, list[object]]]  # columns COLUMNS, in key order


def _json_size(value: object) -> int:
    return len(json.dumps(value, ensure_ascii=False).encode("utf-8"))


def build_index(
    keys: Sequence[str], records: Mapping[str, Sequence[object]], budget: int = SHARD_BYTES
) -> ShardedIndex:
    """Sort records by key (then parcel id) and cut them into shards.

    Parameters
    ----------
    keys
        One key per record; records with an empty key are left out.
    records
        The columns :data:`COLUMNS`, one value per record.
    budget
        Bytes of JSON a shard may hold.
    """
    rows = records["row"]
    order = sorted((i for i, k in enumerate(keys) if k), key=lambda i: (keys[i], rows[i]))
    columns = {name: [records[name][i] for i in order] for name in COLUMNS}
    sorted_keys = [keys[i] for i in order]
    sizes = [sum(_json_size(columns[name][j]) + 1 for name in COLUMNS) for j in range(len(order))]
    starts = cut_points(sorted_keys, sizes, budget)
    ends = [*starts[1:], len(order)] if starts else []
    bounds = ["" if s == 0 else separator(sorted_keys[s - 1], sorted_keys[s]) for s in starts]
    shards = [
        {name: columns[name][s:e] for name in COLUMNS} for s, e in zip(starts, ends, strict=True)
    ]
    return ShardedIndex(bounds, shards)


def parcel_records(
    parcels: gpd.GeoDataFrame, lon_lat: np.ndarray, rows: Sequence[int] | None = None
) -> dict[str, list[object]]:
    """Each parcel's id (its row, unless ``rows`` gives them), APN, address and point (the
    columns of every shard)."""
    return {
        "row": list(range(len(parcels))) if rows is None else [int(r) for r in rows],
        "apn": parcels["apn"].fillna("").astype(str).tolist(),
        "address": parcels["address"].fillna("").astype(str).tolist(),
        "lon": np.round(lon_lat[:, 0], 6).tolist(),
        "lat": np.round(lon_lat[:, 1], 6).tolist(),
    }


def search_indexes(
    parcels: gpd.GeoDataFrame,
    lon_lat: np.ndarray,
    budget: int = SHARD_BYTES,
    rows: Sequence[int] | None = None,
) -> dict[str, ShardedIndex]:
    """The APN and address indexes of the parcels, in shards.

    A parcel whose second parcel number (``apn_alt``) has another key is in the APN index
    under both keys, so either spelling finds it.
    """
    records = parcel_records(parcels, lon_lat, rows)
    apn_keys = [apn_key(a) for a in records["apn"]]
    if "apn_alt" in parcels:
        other = [apn_key(a) for a in parcels["apn_alt"].fillna("").astype(str)]
        extra = [i for i, (k, o) in enumerate(zip(apn_keys, other, strict=True)) if o and o != k]
        apn_records = {
            name: [*values, *(values[i] for i in extra)] for name, values in records.items()
        }
        apn_keys = [*apn_keys, *(other[i] for i in extra)]
    else:
        apn_records = records
    address_keys = [address_key(a) for a in records["address"]]
    return {
        "apn": build_index(apn_keys, apn_records, budget),
        "address": build_index(address_keys, records, budget),
    }


def shard_name(kind: str, position: int) -> str:
    """A shard's file name in its folder: ``apn-3.json``."""
    return f"{kind}-{position}.json"


def write_search(
    data: Path,
    parcels: gpd.GeoDataFrame,
    lon_lat: np.ndarray,
    landmarks: list[dict[str, object]],
    budget: int = SHARD_BYTES,
    rows: Sequence[int] | None = None,
) -> dict[str, object]:
    """Write ``data/search/``: the shards, then the manifest; older shards are removed.

    Parameters
    ----------
    data
        The site's ``data`` folder.
    parcels
        The parcels (row order = parcel ids).
    lon_lat
        A point inside each parcel, (lon, lat).
    landmarks
        ``{"name", "lat", "lon"}`` each (they stay in the manifest).
    budget
        Bytes of JSON a shard may hold.
    rows
        The parcels' ids, when they are not the rows 0, 1, ... (an extract of some parcels).

    Returns
    -------
    dict
        The manifest.
    """
    indexes = search_indexes(parcels, lon_lat, budget, rows)
    texts = {
        shard_name(kind, i): compact_json(shard)
        for kind in KINDS
        for i, shard in enumerate(indexes[kind].shards)
    }
    folder = data / "search"
    digest = write_named_by_contents(folder, texts)
    manifest: dict[str, object] = {
        "scheme": SCHEME,
        "folder": digest,
        "parcels": len(parcels),
        "shard_bytes": budget,
        **{kind: {"bounds": indexes[kind].bounds} for kind in KINDS},
        "street_types": SITE_STREET_TYPES,
        "landmarks": landmarks,
    }
    write_text(folder / MANIFEST, compact_json(manifest))
    remove_other_folders(folder, digest)
    (data / "search.json").unlink(missing_ok=True)  # the one-file index of earlier sites
    return manifest
