"""What a comparison reads of one parcel file: the canonical columns, shapes left as WKB.

A GeoParquet file written by ``civicmap ingest`` or ``civicmap fetch`` is read with Arrow,
only the columns a comparison needs, and its shapes are not decoded: two fetches of the same
layer mostly hold the same bytes for a parcel's shape, so only the shapes whose bytes differ
are ever turned into geometries (:mod:`geo.changes`). Any other parcel file is read as every
command reads it (:func:`geo.sources.read_parcels`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import shapely
from pyproj import CRS

from geo.errors import InputError
from geo.normalize import text_array
from geo.profile import Profile
from geo.reading import PARQUET_SUFFIXES, first_line
from geo.sources import METADATA_KEY, read_parcels

TEXT_COLUMNS = ("apn", "address", "owner", "land_use", "land_use_label")  # the canonical ones
GEOMETRY = "geometry"


@dataclass(frozen=True)
class Snapshot:
    """One parcel file as a comparison sees it.

    Attributes
    ----------
    columns : dict
        :data:`TEXT_COLUMNS` as Arrow ``large_string`` arrays (no nulls; canonical, so
        trimmed) and ``geometry`` as WKB, each one array.
    crs : pyproj.CRS or None
    attrs : dict
        The reader's ``attrs`` (``source_name``, ``source_date``, ``source_fields``,
        ``fetch``...).
    path : Path
    """

    columns: Mapping[str, pa.Array]
    crs: CRS | None
    attrs: dict[str, Any] = field(default_factory=dict)
    path: Path = Path()

    def __len__(self) -> int:
        return len(self.columns["apn"])

    def column(self, name: str) -> pa.Array:
        """One column."""
        return self.columns[name]

    def frame(self, rows: np.ndarray) -> pd.DataFrame:
        """The text columns of these rows as a DataFrame (what the classifier reads)."""
        picked = pa.array(rows, pa.int64())
        out = pd.DataFrame(
            {c: self.columns[c].take(picked).to_numpy(zero_copy_only=False) for c in TEXT_COLUMNS}
        )
        out.attrs = {"source_fields": dict(self.attrs.get("source_fields", {}))}
        return out

    def shapes(self, rows: np.ndarray, crs: CRS | None = None) -> np.ndarray:
        """These rows' shapes as geometries, in ``crs`` when given (else the file's)."""
        wkb = self.columns[GEOMETRY].take(pa.array(rows, pa.int64()))
        geoms = shapely.from_wkb(wkb.to_numpy(zero_copy_only=False))
        if crs is None or self.crs is None or CRS(crs) == self.crs:
            return np.asarray(geoms, dtype=object)
        return np.asarray(gpd.GeoSeries(geoms, crs=self.crs).to_crs(crs).values, dtype=object)


def read_snapshot(
    path: str | Path,
    profile: Profile,
    field_overrides: Mapping[str, str] | None = None,
    crs: str | None = None,
    layer: str | None = None,
) -> Snapshot:
    """Read one parcel file for a comparison (an ingested GeoParquet by its columns only).

    Parameters
    ----------
    path : str or Path
        Any parcel file :func:`geo.sources.read_parcels` reads.
    profile : Profile
    field_overrides : mapping, optional
        Canonical column to source field (``--field``), for files other than ours.
    crs : str, optional
        The CRS to assume when the file declares none.
    layer : str, optional
        The layer of a file that holds several.

    Returns
    -------
    Snapshot

    Raises
    ------
    InputError
        When the file cannot be read as parcels.
    """
    path = Path(path)
    ours = _ingested_attrs(path)
    if ours is not None:
        return _read_ingested(path, ours)
    return snapshot_of(read_parcels(path, profile, field_overrides, crs=crs, layer=layer), path)


def snapshot_of(frame: gpd.GeoDataFrame, path: str | Path = "") -> Snapshot:
    """Canonical parcels already read, as a comparison sees them."""
    columns = {c: _text(text_array(frame[c])) for c in TEXT_COLUMNS}
    columns["apn"] = pc.utf8_trim_whitespace(columns["apn"])
    columns[GEOMETRY] = pa.array(shapely.to_wkb(np.asarray(frame.geometry.values)), pa.binary())
    return Snapshot(columns, frame.crs, dict(frame.attrs), Path(path))


def _ingested_attrs(path: Path) -> dict[str, Any] | None:
    """The stored ``attrs`` of a GeoParquet file we wrote; None for any other file."""
    if path.suffix.lower() not in PARQUET_SUFFIXES or not path.is_file():
        return None
    try:
        meta = pq.read_schema(path).metadata or {}
        stored = json.loads(meta.get(METADATA_KEY) or b"{}")
    except Exception:
        return None
    return stored if isinstance(stored, dict) and stored.get("ingested") else None


def _read_ingested(path: Path, attrs: dict[str, Any]) -> Snapshot:
    """The comparison's columns of an ingested GeoParquet, shapes as the file's WKB."""
    try:
        schema = pq.read_schema(path)
        table = pq.read_table(path, columns=[*TEXT_COLUMNS, GEOMETRY])
    except Exception as exc:
        raise InputError.keyed(
            "error.sources.not_geoparquet", name=path.name, problem=first_line(exc)
        ) from None
    geo = json.loads((schema.metadata or {}).get(b"geo") or b"{}")
    spec = (geo.get("columns") or {}).get(GEOMETRY, {})
    crs = CRS.from_user_input(spec["crs"]) if spec.get("crs") else None
    if "crs" not in spec:  # GeoParquet: a missing crs means OGC:CRS84
        crs = CRS.from_user_input("OGC:CRS84")
    columns = {c: _text(table.column(c).combine_chunks()) for c in TEXT_COLUMNS}
    geometry = table.column(GEOMETRY).combine_chunks()
    columns[GEOMETRY] = (
        geometry if pa.types.is_binary(geometry.type) else geometry.cast(pa.binary())
    )
    return Snapshot(columns, crs, attrs, path)


def _text(values: pa.Array) -> pa.Array:
    """A column as ``large_string`` without nulls (a missing value is ``""``); copied only
    when it is not that already."""
    if pa.types.is_dictionary(values.type):
        values = values.cast(values.type.value_type)
    if not pa.types.is_large_string(values.type):
        values = values.cast(pa.large_string())
    return pc.fill_null(values, "") if values.null_count else values
