"""Reading parcel files into the canonical schema.

Any of a zipped shapefile (as counties publish them), a GeoPackage, GeoJSON or GeoParquet
is read with pyogrio (Arrow), validated, and its fields are mapped to the canonical
columns ``apn, address, owner, land_use, land_use_label, geometry``. Geometry stays in the
source CRS. What the reader found and did is kept in ``frame.attrs``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyogrio
import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

from geo.archive import DEFAULT_MAX_INFLATED, ArchiveMember, dbf_encoding, open_archive
from geo.atomic import pid_alive
from geo.errors import InputError, Term
from geo.normalize import text_array
from geo.profile import Profile

CANONICAL = ("apn", "address", "owner", "land_use", "land_use_label")
# The other spelling of the parcel number (a second field), kept as an optional column
# ``apn_alt`` when the source has one, so a search by either spelling finds the parcel.
ALTERNATE_APN = "apn_alt"
FIELD_ROLES = CANONICAL + ("address_number", "address_street", ALTERNATE_APN)
PARQUET_SUFFIXES = (".parquet", ".geoparquet")
METADATA_KEY = b"PANDAS_ATTRS"  # where pandas and geopandas keep a frame's attrs in Parquet
BATCH_ROWS = 65_536
# Vertex budgets, checked on the undecoded WKB (16 bytes a 2D vertex) before any geometry
# is decoded or repaired: a parcel rarely has more than a few hundred vertices, a county
# about ten million in all.
MAX_FEATURE_VERTICES = 100_000
MAX_FILE_VERTICES = 30_000_000
WKB_VERTEX_BYTES = 16
FALLBACK_ENCODING = "ISO-8859-1"
FIELD_MISSING = "error.sources.field_missing"  # a --field naming a field the file lacks
NOT_POLYGONS = "error.sources.not_polygons"
NO_GEOMETRY = "error.sources.no_geometry"
NO_FEATURES = "error.sources.no_features"
FORMAT_NAMES = {  # catalog keys of the formats' names
    ".shp": "error.kind.shapefile",
    ".gpkg": "error.kind.geopackage",
    ".geojson": "error.kind.geojson",
    ".json": "error.kind.geojson",
    ".fgb": "error.kind.flatgeobuf",
}

# Field names recognised without a profile, tried after the profile's own.
COMMON_FIELDS: dict[str, tuple[str, ...]] = {
    "apn": ("APN", "APN_DASH", "APN10", "PARCEL_ID", "PARCELID", "PIN", "PARCEL_NUMBER",
            "PARCEL_NUM", "PARCELNO", "PARCEL_NO"),
    "owner": ("OWNER", "OWNER_NAME", "OWNERNAME", "OWNER1", "OWNER_NAM", "NAME"),
    "address": ("SITUS", "SITE_ADDR", "SITEADDR", "SITUS_ADDR", "SITUSADDR", "SITE_ADDRESS",
                "ADDRESS", "FULL_ADDR", "FULLADDR"),
    "address_number": ("STREET_NBR", "HOUSE_NO", "ADDR_NUM", "ST_NUM", "SITUS_NUM"),
    "address_street": ("STREET_NAME", "STREET_NAM", "ST_NAME", "SITUS_STREET", "SITUS_STRE"),
    "land_use": ("LANDUSE", "LAND_USE", "LU_CODE", "LUCODE", "USE_CODE", "USECODE", "LANDUSE_CD"),
    "land_use_label": ("LANDUSE_DESC", "LANDUSE_DE", "LU_DESC", "USE_DESC", "LAND_USE_DESC",
                       "LAND_USE_D"),
}  # fmt: skip


def parse_field_overrides(items: Sequence[str]) -> dict[str, str]:
    """Parse ``CANONICAL=SOURCE`` strings (the ``--field`` option).

    Parameters
    ----------
    items : sequence of str
        E.g. ``["apn=PARCEL_ID", "owner=OWNER1"]``.

    Returns
    -------
    dict
        Canonical column to source field name.
    """
    overrides = {}
    for item in items:
        canonical, sep, source = item.partition("=")
        canonical, source = canonical.strip().lower(), source.strip()
        if not sep or not source or canonical not in FIELD_ROLES:
            raise InputError.keyed(
                "error.sources.field_syntax", item=repr(item), roles=", ".join(FIELD_ROLES)
            )
        overrides[canonical] = source
    return overrides


def locate_layer(path: Path, max_inflated: int = DEFAULT_MAX_INFLATED) -> ArchiveMember:
    """Decide what GDAL should open for a parcel file, and with which text encoding.

    A zip archive is checked and its vector file is opened in place through ``/vsizip/``,
    wherever it sits in the archive; nothing is extracted.

    Parameters
    ----------
    path : Path
        The file as the user gave it.
    max_inflated : int
        Refuse a zip archive that inflates past this many bytes.

    Returns
    -------
    ArchiveMember
    """
    if not path.exists():
        raise InputError.keyed("error.sources.not_found", path=str(path))
    if path.is_dir():
        raise InputError.keyed("error.sources.folder", path=str(path))
    if path.suffix.lower() == ".zip":
        return open_archive(path, max_inflated)
    encoding = dbf_encoding(path.with_suffix(".dbf")) if path.suffix.lower() == ".shp" else None
    return ArchiveMember(str(path), path.name, encoding)


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

    raw, repaired = _read_raw(path, progress, choose, layer)
    if not fields:  # another GeoParquet file: its fields are known once it is read
        choose([str(c) for c in raw.columns.drop("geometry")])
    _check_crs(raw, path, crs)
    _check_geometry_types(raw, path)
    frame = _to_canonical(raw, fields, profile.land_use_labels)
    frame.attrs.update(
        source_name=display_name or path.name,
        source_date=dt.date.fromtimestamp(path.stat().st_mtime).isoformat(),
        source_fields=fields,
        report=_report(frame, repaired),
        **raw.attrs.get("encoding_note", {}),
    )
    return frame


Progress = Callable[[int, int], None]


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
    raw = _check_frame(raw, name)
    fields = resolve_fields([str(c) for c in raw.columns.drop("geometry")], profile,
                            field_overrides or {})  # fmt: skip
    geometry, repaired = _valid_geometries(np.asarray(raw.geometry.values))
    raw = raw.set_geometry(gpd.GeoSeries(geometry, index=raw.index, crs=raw.crs))
    _check_crs(raw, name, None)
    _check_geometry_types(raw, name)
    frame = _to_canonical(raw, fields, profile.land_use_labels)
    frame.attrs.update(
        source_name=source_name,
        source_date=source_date,
        source_fields=fields,
        report=_report(frame, repaired),
    )
    return frame


UPLOAD_SUFFIXES = (".zip", ".gpkg", ".geojson", ".json", ".parquet", ".geoparquet", ".fgb")


UPLOAD_PREFIX = "civicmap-"
# civicmap-<pid>-<random>: the owning process is named so a later one knows it is gone
_UPLOAD_FOLDER = re.compile(re.escape(UPLOAD_PREFIX) + r"(?:(\d+)-)?[A-Za-z0-9_]+")


def upload_folder() -> tempfile.TemporaryDirectory[str]:
    """A private temporary folder for an upload's bytes, removed when the block ends.

    Its name carries this process's id, so :func:`remove_stale_upload_folders` can tell
    a folder left by a killed server from one in use.

    Returns
    -------
    tempfile.TemporaryDirectory
        Use as ``with upload_folder() as folder:``.
    """
    return tempfile.TemporaryDirectory(prefix=f"{UPLOAD_PREFIX}{os.getpid()}-")


def remove_stale_upload_folders(
    max_age_minutes: float = 60.0, root: str | Path | None = None
) -> list[Path]:
    """Remove upload folders left by a server that was killed while it read an upload.

    A ``civicmap-*`` folder in the temporary folder is removed when it belongs to this
    user, was last changed more than ``max_age_minutes`` ago and the process named in it
    no longer runs (a folder without a process id is judged by its age alone).

    Parameters
    ----------
    max_age_minutes : float
    root : str or Path, optional
        Where to look (default: the system's temporary folder).

    Returns
    -------
    list of Path
        The folders removed.
    """
    base = Path(root if root is not None else tempfile.gettempdir())
    cutoff = time.time() - max_age_minutes * 60
    removed = []
    with contextlib.suppress(OSError):
        for folder in base.iterdir():
            match = _UPLOAD_FOLDER.fullmatch(folder.name)
            if match is None or not folder.is_dir() or folder.is_symlink():
                continue
            info = folder.stat()
            if info.st_uid != os.getuid() or info.st_mtime > cutoff:
                continue
            if match.group(1) is not None and pid_alive(int(match.group(1))):
                continue
            shutil.rmtree(folder, ignore_errors=True)
            if not folder.exists():
                removed.append(folder)
    return removed


def read_upload(
    data: bytes,
    name: str,
    profile: Profile,
    field_overrides: Mapping[str, str] | None = None,
    crs: str | None = None,
    progress: Progress | None = None,
    layer: str | None = None,
) -> gpd.GeoDataFrame:
    """Read an uploaded parcel file from its bytes.

    The bytes go to a private temporary folder (:func:`upload_folder`) under a fixed name
    (only the suffix of the user's file name is kept), are read, and the folder is removed;
    one left by a killed server is removed by :func:`remove_stale_upload_folders`.

    Parameters
    ----------
    data : bytes
        The file's content.
    name : str
        The name the user gave it (shown as the source name).
    profile, field_overrides, crs, progress, layer
        As for :func:`read_parcels`.

    Returns
    -------
    geopandas.GeoDataFrame
    """
    suffix = Path(name).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        if suffix:
            raise InputError.keyed("error.sources.upload_suffix", name=name, suffix=suffix)
        raise InputError.keyed("error.sources.upload_no_suffix", name=name)
    with upload_folder() as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(data)
        try:
            frame = read_parcels(path, profile, field_overrides, crs, name, progress, layer)
        except InputError as exc:  # name the user's file, not our temporary copy
            raise exc.with_name(str(path), name).with_name(path.name, name) from None
        if not frame.attrs.get("ingested"):
            frame.attrs["source_date"] = f"uploaded {dt.date.today().isoformat()}"
    return frame


def _read_raw(
    path: Path,
    progress: Progress | None = None,
    choose: Callable[[list[str]], list[str]] | None = None,
    layer_name: str | None = None,
) -> tuple[gpd.GeoDataFrame, int]:
    """Read a source's features with their geometry repaired; also return how many were.

    ``choose`` is given the layer's field names and returns those to read (all when
    omitted); a GeoParquet file is read whole. A shapefile whose ``.cpg`` names an encoding
    its text is not in is read again as ISO-8859-1; ``attrs["encoding_note"]`` says so.
    """
    if path.suffix.lower() in PARQUET_SUFFIXES:
        frame = _read_parquet(path)
        _check_vertex_budget(shapely.get_num_coordinates(np.asarray(frame.geometry.values)),
                             path, 0)  # fmt: skip
        geometry, repaired = _valid_geometries(np.asarray(frame.geometry.values))
        frame = frame.set_geometry(gpd.GeoSeries(geometry, index=frame.index, crs=frame.crs))
        return frame, repaired
    layer = locate_layer(path)
    with _layer_errors(path, layer):
        layer_name = _choose_layer(path, layer, layer_name)
        info = pyogrio.read_info(layer.gdal_path, layer=layer_name, encoding=layer.encoding)
        if info.get("geometry_type") is None:
            raise InputError.keyed(NO_GEOMETRY, name=path.name)
        if int(info["features"]) == 0:
            raise InputError.keyed(NO_FEATURES, name=path.name)
        columns = choose([str(f) for f in info["fields"]]) if choose else None
        note = {"encoding": layer.encoding, "encoding_reason": "no_cpg"} if layer.encoding else {}
        try:
            frame, repaired = _read_batches(
                layer, columns, int(info["features"]), progress, path, layer_name
            )
        except _NotUTF8:
            if not layer.member.lower().endswith(".shp"):
                raise InputError.keyed("error.sources.not_utf8", name=path.name) from None
            layer = ArchiveMember(layer.gdal_path, layer.member, FALLBACK_ENCODING)
            frame, repaired = _read_batches(
                layer, columns, int(info["features"]), progress, path, layer_name
            )
            note = {"encoding": FALLBACK_ENCODING, "encoding_reason": "cpg_wrong"}
    frame = _check_frame(frame, path)
    frame.attrs["encoding_note"] = note
    return frame, repaired


class _NotUTF8(Exception):
    """Text read as UTF-8 is not valid UTF-8 (a ``.cpg`` that lies)."""


def _choose_layer(path: Path, layer: ArchiveMember, wanted: str | None) -> str | None:
    """The layer to read: the one asked for, or the only map layer; refuse a guess."""
    listed = pyogrio.list_layers(layer.gdal_path)
    names = [str(row[0]) for row in listed]
    mapped = [str(row[0]) for row in listed if row[1] is not None]
    if wanted:
        by_lower = {n.lower(): n for n in names}
        if wanted.strip().lower() not in by_lower:
            raise InputError.keyed(
                "error.sources.no_layer",
                name=path.name,
                layer=repr(wanted),
                layers=", ".join(names),
            )
        return by_lower[wanted.strip().lower()]
    if len(mapped) > 1:
        raise InputError.keyed(
            "error.sources.several_layers",
            cli_key="error.sources.several_layers.cli",
            app_key="error.sources.several_layers.app",
            name=path.name,
            count=str(len(mapped)),
            layers=", ".join(mapped),
        )
    return mapped[0] if mapped else None


def _check_vertex_budget(counts: np.ndarray, path: Path, so_far: int) -> int:
    """Refuse a feature or a file with more vertices than the map can draw; the new total."""
    counts = np.asarray(counts)
    if counts.size and int(counts.max()) > MAX_FEATURE_VERTICES:
        raise InputError.keyed(
            "error.sources.feature_vertices",
            name=path.name,
            count=f"{int(counts.max()):,}",
            limit=f"{MAX_FEATURE_VERTICES:,}",
        )
    total = so_far + int(counts.sum())
    if total > MAX_FILE_VERTICES:
        raise InputError.keyed(
            "error.sources.file_vertices", name=path.name, limit=f"{MAX_FILE_VERTICES:,}"
        )
    return total


@contextlib.contextmanager
def _layer_errors(path: Path, layer: ArchiveMember) -> Iterator[None]:
    """Turn what GDAL, Arrow and GEOS raise on a broken file into an :class:`InputError`."""
    try:
        yield
    except InputError:
        raise
    except pyogrio.errors.DataSourceError as exc:
        kind = Term(FORMAT_NAMES.get(Path(layer.member).suffix.lower(), "error.kind.layer"))
        problem = _first_line(exc)  # GDAL's own words, in English
        if "not recognized as being in a supported file format" in problem:
            raise InputError.keyed("error.sources.not_a", name=path.name, kind=kind) from None
        raise InputError.keyed(
            "error.sources.broken", name=path.name, kind=kind, problem=problem
        ) from None
    except Exception as exc:  # GDAL, Arrow, GEOS and JSON errors all mean: a broken file
        raise InputError.keyed(
            "error.sources.unreadable", name=path.name, problem=_first_line(exc)
        ) from None


def _read_batches(
    layer: ArchiveMember,
    columns: list[str] | None,
    total: int,
    progress: Progress | None,
    path: Path,
    layer_name: str | None = None,
) -> tuple[gpd.GeoDataFrame, int]:
    """Read a layer through GDAL's Arrow stream, reporting (rows read, total) as it goes.

    GDAL reads the next batch while a second thread decodes and repairs the geometry of
    the last one, so on two cores the decoding costs almost nothing.
    """
    options = {"encoding": layer.encoding, "use_pyarrow": True, "datetime_as_string": True}
    with (
        pyogrio.open_arrow(layer.gdal_path, layer=layer_name, batch_size=BATCH_ROWS,
                           columns=columns, **options) as (meta, reader),
        ThreadPoolExecutor(max_workers=1) as decoder,
    ):  # fmt: skip
        name = meta.get("geometry_name") or "wkb_geometry"
        if name not in reader.schema.names:
            return pd.DataFrame(), 0  # a table without geometry: refused by the caller
        batches, decoded, done, vertices = [], [], 0, 0
        for batch in reader:
            wkb = batch.column(name)
            sizes = pc.fill_null(pc.binary_length(wkb), 0).to_numpy(zero_copy_only=False)
            vertices = _check_vertex_budget(sizes // WKB_VERTEX_BYTES, path, vertices)
            batches.append(batch.drop_columns([name]))
            decoded.append(decoder.submit(_decode, wkb))
            done += batch.num_rows
            if progress is not None:
                progress(done, total)
        schema = reader.schema.remove(reader.schema.get_field_index(name))
    parts = [f.result() for f in decoded]
    geometry = np.concatenate([p[0] for p in parts]) if parts else np.empty(0, dtype=object)
    table = pa.Table.from_batches(batches, schema=schema)
    try:
        table.validate(full=True)
    except pa.ArrowInvalid as exc:
        if "utf8" in str(exc).lower() or "utf-8" in str(exc).lower():
            raise _NotUTF8() from None
        raise
    attributes = table.to_pandas()
    frame = gpd.GeoDataFrame(attributes, geometry=geometry, crs=meta.get("crs"))
    return frame, sum(p[1] for p in parts)


def _decode(wkb: pa.Array) -> tuple[np.ndarray, int]:
    return _valid_geometries(shapely.from_wkb(wkb.to_numpy(zero_copy_only=False)))


def _valid_geometries(geoms: np.ndarray) -> tuple[np.ndarray, int]:
    """Repair invalid geometries (GEOS ``make_valid``, structure method); count them."""
    invalid = ~shapely.is_missing(geoms) & ~shapely.is_valid(geoms)
    count = int(invalid.sum())
    if count:
        geoms = geoms.copy()
        geoms[invalid] = shapely.make_valid(
            geoms[invalid], method="structure", keep_collapsed=False
        )
    return geoms, count


def _read_parquet(path: Path, columns: list[str] | None = None) -> gpd.GeoDataFrame:
    try:
        frame = gpd.read_parquet(path, columns=columns)
    except Exception as exc:  # not GeoParquet, damaged, or no geometry column
        raise InputError.keyed(
            "error.sources.not_geoparquet", name=path.name, problem=_first_line(exc)
        ) from None
    return _check_frame(frame, path)


def _check_frame(frame: Any, path: Path) -> gpd.GeoDataFrame:
    if not isinstance(frame, gpd.GeoDataFrame) or frame.geometry.name not in frame:
        raise InputError.keyed(NO_GEOMETRY, name=path.name)
    if len(frame) == 0:
        raise InputError.keyed(NO_FEATURES, name=path.name)
    if frame.geometry.name != "geometry":
        frame = frame.rename_geometry("geometry")
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
    frame = _read_parquet(path, columns=[*CANONICAL, *optional, "geometry"])
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
    raw = ready if ready is not None else _read_raw(path)[0]
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


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]


def _check_crs(frame: gpd.GeoDataFrame, path: Path, crs: str | None) -> None:
    if frame.crs is None:
        if not crs:
            raise InputError.keyed(
                "error.sources.no_crs",
                cli_key="error.sources.no_crs.cli",
                app_key="error.sources.no_crs.app",
                name=path.name,
            )
        try:
            frame.set_crs(CRS.from_user_input(crs), inplace=True)
        except CRSError:
            raise InputError.keyed("error.sources.unknown_crs", crs=repr(crs)) from None
    _check_area_of_use(frame, path)


def _check_area_of_use(frame: gpd.GeoDataFrame, path: Path) -> None:
    area = frame.crs.area_of_use if frame.crs is not None else None
    bounds = frame.geometry.total_bounds
    if area is None or not np.all(np.isfinite(bounds)):
        return
    to_lonlat = Transformer.from_crs(frame.crs, "EPSG:4326", always_xy=True)
    lon, lat = to_lonlat.transform([bounds[0], bounds[2]], [bounds[1], bounds[3]])
    margin = 2.0  # degrees: generous, it only catches coordinates in the wrong units
    inside = (
        area.west - margin <= min(lon)
        and max(lon) <= area.east + margin
        and area.south - margin <= min(lat)
        and max(lat) <= area.north + margin
    )
    if not inside:
        raise InputError.keyed(
            "error.sources.crs_wrong",
            name=path.name,
            bounds=str(bounds.round(3).tolist()),
            crs=frame.crs.to_string(),
            area=area.name,
        )


def _check_geometry_types(frame: gpd.GeoDataFrame, path: Path) -> None:
    kinds = set(frame.geometry.dropna().geom_type.unique())
    if not kinds:
        raise InputError.keyed("error.sources.no_geometries", name=path.name)
    wrong = kinds - {"Polygon", "MultiPolygon"}
    if wrong:
        raise InputError.keyed(NOT_POLYGONS, name=path.name, kinds=", ".join(sorted(wrong)))


def resolve_fields(
    columns: Sequence[str], profile: Profile, overrides: Mapping[str, str]
) -> dict[str, str]:
    """Decide which source field feeds each canonical column.

    Order: an explicit override, the profile's names, then common names; names compare
    case-insensitively.

    Parameters
    ----------
    columns : sequence of str
        The source's field names.
    profile : Profile
        The jurisdiction profile.
    overrides : mapping
        Canonical column to source field (``--field``).

    Returns
    -------
    dict
        Canonical column (or ``address_number`` / ``address_street``) to source field.

    Raises
    ------
    InputError
        When an override names a missing field, or no APN field can be found.
    """
    by_upper = {c.upper(): c for c in columns}
    fields: dict[str, str] = {}
    for role in FIELD_ROLES:
        if role in overrides:
            name = overrides[role]
            if name.upper() not in by_upper:
                raise InputError.keyed(
                    FIELD_MISSING, role=role, field=name, quoted=repr(name),
                    fields=", ".join(columns),
                )  # fmt: skip
            fields[role] = by_upper[name.upper()]
            continue
        for name in profile.fields.get(role, ()) + COMMON_FIELDS.get(role, ()):
            if role == ALTERNATE_APN and by_upper.get(name.upper()) == fields.get("apn"):
                continue  # the other spelling must be another field
            if name.upper() in by_upper:
                fields[role] = by_upper[name.upper()]
                break
    if "apn" not in fields:
        raise InputError.keyed(
            "error.sources.no_apn",
            cli_key="error.sources.no_apn.cli",
            app_key="error.sources.no_apn.app",
            fields=", ".join(columns),
        )
    return fields


def _text(frame: pd.DataFrame, field: str | None) -> pd.Series:
    if field is None:
        return pd.Series("", index=frame.index, dtype=object)
    values = frame[field]
    if pd.api.types.is_float_dtype(values) and bool((values.dropna() % 1 == 0).all()):
        values = values.astype("Int64")  # 70111017.0 is the APN 70111017
    if not pd.api.types.is_string_dtype(values) or values.dtype == object:
        values = values.astype(object).where(values.notna(), "").astype(str)
    return values.fillna("").str.strip()


def _to_canonical(
    raw: gpd.GeoDataFrame, fields: Mapping[str, str], labels: Mapping[str, str]
) -> gpd.GeoDataFrame:
    address = _text(raw, fields.get("address"))
    if "address" not in fields and "address_street" in fields:
        number = _text(raw, fields.get("address_number"))
        street = _text(raw, fields["address_street"])
        address = (number + " " + street).str.strip()
    land_use = _text(raw, fields.get("land_use"))
    label = _text(raw, fields.get("land_use_label"))
    if "land_use_label" not in fields:
        label = land_use.map(dict(labels)).fillna("")
    data: dict[str, Any] = {
        "apn": _text(raw, fields["apn"]),
        "address": address,
        "owner": _text(raw, fields.get("owner")),
        "land_use": land_use,
        "land_use_label": label,
    }
    if ALTERNATE_APN in fields:
        data[ALTERNATE_APN] = _text(raw, fields[ALTERNATE_APN])
    return gpd.GeoDataFrame(data, geometry=raw.geometry.values, crs=raw.crs, index=raw.index)


def _report(frame: gpd.GeoDataFrame, repaired: int) -> dict[str, int]:
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
