"""Reading parcel files into the canonical schema.

Any of a zipped shapefile (as counties publish them), a GeoPackage, GeoJSON or GeoParquet
is read (:mod:`geo.reading`), checked (:mod:`geo.checks`) and its fields are mapped to the
canonical columns ``apn, address, owner, land_use, land_use_label, geometry``
(:mod:`geo.schema`). Geometry stays in the source CRS. What the reader found and did is kept
in ``frame.attrs``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow.compute as pc
import shapely

from geo.checks import check_crs, check_frame, check_geometry_types
from geo.errors import InputError
from geo.normalize import text_array
from geo.profile import Profile
from geo.reading import PARQUET_SUFFIXES, Progress, read_parquet, read_raw, valid_geometries
from geo.schema import (
    ALTERNATE_APN,
    CANONICAL,
    FIELD_MISSING,
    FIELD_ROLES,
    resolve_fields,
    to_canonical,
)

METADATA_KEY = b"PANDAS_ATTRS"  # where pandas and geopandas keep a frame's attrs in Parquet


def read_parcels(
    path: str | Path,
    profile: Profile,
    field_overrides: Mapping[str, str] | None = None,
    crs: str | None = None,
    display_name: str | None = None,
    progress: Progress | None = None,
    layer: str | None = None,
) -> gpd.GeoDataFrame:
    """Read a parcel file into the canonical schema.

    Parameters
    ----------
    path : str or Path
        A zipped shapefile, GeoPackage, GeoJSON or GeoParquet file.
    profile : Profile
        Says which source fields map to which canonical column.
    field_overrides : mapping, optional
        Canonical column to source field, taking precedence over the profile.
    crs : str, optional
        The CRS to assume when the file declares none (e.g. ``"EPSG:2226"``).
    display_name : str, optional
        The name to show for the source (defaults to the file name).
    progress : callable, optional
        Called as ``progress(rows_read, total_rows)`` while reading (total -1 if unknown).
    layer : str, optional
        The layer to read when the file holds several map layers (a GeoPackage).

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``apn, address, owner, land_use, land_use_label, geometry`` in the source
        CRS; ``attrs`` holds ``source_name``, ``source_date``, ``source_fields`` (canonical
        to source field), ``report`` (counts of what was read, repaired and reported) and,
        for a shapefile whose text encoding was detected, ``encoding`` (the encoding used)
        and ``encoding_reason`` (``"no_cpg"`` or ``"cpg_wrong"``).

    Raises
    ------
    InputError
        When the file cannot be read as parcels; the message says what to do.
    """
    path = Path(path)
    ready = read_canonical_parquet(path)
    if ready is not None:
        if display_name:
            ready.attrs["source_name"] = display_name
        return ready
    fields: dict[str, str] = {}

    def choose(columns: list[str]) -> list[str]:
        """Map the source's fields, and say which of them to read."""
        try:
            fields.update(resolve_fields(columns, profile, field_overrides or {}))
        except InputError as exc:
            if exc.key == FIELD_MISSING:
                raise
            raise exc.in_file(path.name) from None
        return list(dict.fromkeys(fields.values()))

    raw, repaired = read_raw(path, progress, choose, layer)
    if not fields:  # another GeoParquet file: its fields are known once it is read
        choose([str(c) for c in raw.columns.drop("geometry")])
    check_crs(raw, path, crs)
    check_geometry_types(raw, path)
    frame = to_canonical(raw, fields, profile.land_use_labels)
    frame.attrs.update(
        source_name=display_name or path.name,
        source_date=dt.date.fromtimestamp(path.stat().st_mtime).isoformat(),
        source_fields=fields,
        report=_report(frame, repaired),
        **raw.attrs.get("encoding_note", {}),
    )
    return frame


def canonical_from_layer(
    raw: gpd.GeoDataFrame,
    profile: Profile,
    source_name: str,
    source_date: str,
    field_overrides: Mapping[str, str] | None = None,
) -> gpd.GeoDataFrame:
    """Map a layer already read (e.g. pages fetched from a map service) to the canonical
    schema, checked and repaired as :func:`read_parcels` checks a file.

    Parameters
    ----------
    raw : geopandas.GeoDataFrame
        The layer's features with their source fields, and a CRS.
    profile : Profile
    source_name : str
        The name to show for the source (and to name it in messages).
    source_date : str
        The data's date (ISO).
    field_overrides : mapping, optional
        Canonical column to source field, as ``--field`` gives it.

    Returns
    -------
    geopandas.GeoDataFrame
        As :func:`read_parcels` returns.
    """
    name = Path(source_name.replace("/", "_") or "layer")
    raw = check_frame(raw, name)
    fields = resolve_fields([str(c) for c in raw.columns.drop("geometry")], profile,
                            field_overrides or {})  # fmt: skip
    geometry, repaired = valid_geometries(np.asarray(raw.geometry.values))
    raw = raw.set_geometry(gpd.GeoSeries(geometry, index=raw.index, crs=raw.crs))
    check_crs(raw, name, None)
    check_geometry_types(raw, name)
    frame = to_canonical(raw, fields, profile.land_use_labels)
    frame.attrs.update(
        source_name=source_name,
        source_date=source_date,
        source_fields=fields,
        report=_report(frame, repaired),
    )
    return frame


def read_canonical_parquet(path: Path) -> gpd.GeoDataFrame | None:
    """Open a GeoParquet file written by ``civicmap ingest``; ``None`` for any other file.

    Parameters
    ----------
    path : Path

    Returns
    -------
    geopandas.GeoDataFrame or None
        The canonical parcels with the ``attrs`` saved at ingest.
    """
    if path.suffix.lower() not in PARQUET_SUFFIXES or not path.exists():
        return None
    import pyarrow.parquet as pq

    try:
        meta = pq.read_schema(path).metadata or {}
    except Exception:
        return None
    try:
        stored = json.loads(meta.get(METADATA_KEY) or b"{}")
    except ValueError:
        return None
    if not isinstance(stored, dict) or not stored.get("ingested"):
        return None  # a GeoParquet file from elsewhere: read like any other source
    # the stored verdicts and bbox are for other tools: we classify again under the
    # settings in force, so only the canonical columns are read
    optional = [ALTERNATE_APN] if ALTERNATE_APN in pq.read_schema(path).names else []
    frame = read_parquet(path, columns=[*CANONICAL, *optional, "geometry"])
    frame.attrs.update(stored)
    return frame


def read_field(path: Path, field: str, profile: Profile) -> pd.Series:
    """One field of a source as it is in the file (or a canonical column by its name).

    Parameters
    ----------
    path : Path
    field : str
        A source field (case-insensitive) or a canonical column (``land_use``).
    profile : Profile
        Maps canonical names to the source's fields.

    Returns
    -------
    pandas.Series

    Raises
    ------
    InputError
        When the source has no such field (the message lists the fields it has).
    """
    ready = read_canonical_parquet(path)
    raw = ready if ready is not None else read_raw(path)[0]
    columns = [c for c in raw.columns if c != "geometry"]
    by_upper = {c.upper(): c for c in columns}
    if field.upper() in by_upper:
        return raw[by_upper[field.upper()]]
    if ready is not None:  # an ingested file knows which source field fed each column
        for canonical, source in ready.attrs.get("source_fields", {}).items():
            if source.upper() == field.upper() and canonical in ready:
                return ready[canonical]
    if field.lower() in FIELD_ROLES:
        mapped = resolve_fields(columns, profile, {}).get(field.lower())
        if mapped:
            return raw[mapped]
    raise InputError.keyed(
        "error.sources.no_field", name=path.name, field=repr(field), fields=", ".join(columns)
    )


def _report(frame: gpd.GeoDataFrame, repaired: int) -> dict[str, int]:
    """Counts of what was read: parcels, repaired, null geometries, blank and duplicate APNs."""
    apn = text_array(frame["apn"])
    filled = pc.not_equal(apn, "")
    seen = pc.value_counts(pc.filter(apn, filled)).field("counts").to_numpy()
    geometry = np.asarray(frame.geometry.values)
    return {
        "parcels": len(frame),
        "repaired": repaired,
        "null_geometry": int((shapely.is_missing(geometry) | shapely.is_empty(geometry)).sum()),
        "blank_apn": len(apn) - int(pc.sum(filled).as_py() or 0),
        "duplicate_apn": int(seen[seen > 1].sum()),
    }
