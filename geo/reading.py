"""Reading a parcel file's features: archives opened in place, Arrow batches, repaired
geometry, and GDAL's errors turned into refusals that say what is wrong."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyogrio
import shapely

from geo.archive import DEFAULT_MAX_INFLATED, ArchiveMember, dbf_encoding, open_archive
from geo.checks import NO_FEATURES, NO_GEOMETRY, WKB_VERTEX_BYTES, check_frame, check_vertex_budget
from geo.errors import InputError, Term

PARQUET_SUFFIXES = (".parquet", ".geoparquet")
BATCH_ROWS = 65_536
FALLBACK_ENCODING = "ISO-8859-1"
FORMAT_NAMES = {  # catalog keys of the formats' names
    ".shp": "error.kind.shapefile",
    ".gpkg": "error.kind.geopackage",
    ".geojson": "error.kind.geojson",
    ".json": "error.kind.geojson",
    ".fgb": "error.kind.flatgeobuf",
}

Progress = Callable[[int, int], None]


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


def read_raw(
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
        frame = read_parquet(path)
        check_vertex_budget(shapely.get_num_coordinates(np.asarray(frame.geometry.values)),
                             path, 0)  # fmt: skip
        geometry, repaired = valid_geometries(np.asarray(frame.geometry.values))
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
            frame, repaired = read_batches(
                layer, columns, int(info["features"]), progress, path, layer_name
            )
        except _NotUTF8:
            if not layer.member.lower().endswith(".shp"):
                raise InputError.keyed("error.sources.not_utf8", name=path.name) from None
            layer = ArchiveMember(layer.gdal_path, layer.member, FALLBACK_ENCODING)
            frame, repaired = read_batches(
                layer, columns, int(info["features"]), progress, path, layer_name
            )
            note = {"encoding": FALLBACK_ENCODING, "encoding_reason": "cpg_wrong"}
    frame = check_frame(frame, path)
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


@contextlib.contextmanager
def _layer_errors(path: Path, layer: ArchiveMember) -> Iterator[None]:
    """Turn what GDAL, Arrow and GEOS raise on a broken file into an :class:`InputError`."""
    try:
        yield
    except InputError:
        raise
    except pyogrio.errors.DataSourceError as exc:
        kind = Term(FORMAT_NAMES.get(Path(layer.member).suffix.lower(), "error.kind.layer"))
        problem = first_line(exc)  # GDAL's own words, in English
        if "not recognized as being in a supported file format" in problem:
            raise InputError.keyed("error.sources.not_a", name=path.name, kind=kind) from None
        raise InputError.keyed(
            "error.sources.broken", name=path.name, kind=kind, problem=problem
        ) from None
    except Exception as exc:  # GDAL, Arrow, GEOS and JSON errors all mean: a broken file
        raise InputError.keyed(
            "error.sources.unreadable", name=path.name, problem=first_line(exc)
        ) from None


def read_batches(
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
            vertices = check_vertex_budget(sizes // WKB_VERTEX_BYTES, path, vertices)
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
    """A batch's WKB as repaired shapely geometries, and how many were repaired."""
    return valid_geometries(shapely.from_wkb(wkb.to_numpy(zero_copy_only=False)))


def valid_geometries(geoms: np.ndarray) -> tuple[np.ndarray, int]:
    """Repair invalid geometries (GEOS ``make_valid``, structure method); count them."""
    invalid = ~shapely.is_missing(geoms) & ~shapely.is_valid(geoms)
    count = int(invalid.sum())
    if count:
        geoms = geoms.copy()
        geoms[invalid] = shapely.make_valid(
            geoms[invalid], method="structure", keep_collapsed=False
        )
    return geoms, count


def read_parquet(path: Path, columns: list[str] | None = None) -> gpd.GeoDataFrame:
    """A GeoParquet file (those columns), or a refusal naming what is wrong with it."""
    try:
        frame = gpd.read_parquet(path, columns=columns)
    except Exception as exc:  # not GeoParquet, damaged, or no geometry column
        raise InputError.keyed(
            "error.sources.not_geoparquet", name=path.name, problem=first_line(exc)
        ) from None
    return contiguous(check_frame(frame, path))


def contiguous(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The frame with each Arrow-backed column in one chunk (as Parquet row groups arrive,
    a column is several): taking a few rows of a chunked column copies it whole first."""
    for name in frame.columns:
        values = frame[name].array
        if name == frame.geometry.name or not hasattr(values, "__arrow_array__"):
            continue
        chunked = values.__arrow_array__()
        if isinstance(chunked, pa.ChunkedArray) and chunked.num_chunks > 1:
            frame[name] = pd.array(chunked.combine_chunks(), dtype=frame[name].dtype)
    return frame


def first_line(exc: BaseException) -> str:
    """The first line of an error's message, at most 300 characters."""
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]
