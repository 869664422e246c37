"""The published site without a connection: what a phone keeps after one visit.

Organizers at a rally often have no signal. After one visit the site opens offline with
the zone, the places to assemble, the search and the map of the area within the walking
distance of the landmark (the profile's ``[assembly] within_m``), at every zoom. A service
worker (``sw.js``, from ``static/app/site_sw.js``) keeps the files ``offline.json`` lists,
whole: the Cache API cannot store a partial (206) answer, so the map's area is a small
extract archive of its own (``offline/area.pmtiles``: every tile of the archive that
touches the area, at every zoom), kept whole, and the worker answers the map's range
requests from it by slicing. The area's answer cards and its search index are extracts too
(:func:`layers.site_cards.write_cards`, :func:`layers.site_search.write_search`). What is
not kept says so ("not available offline"), never a blank. ``manifest.webmanifest`` and
two icons make the site installable.
"""

from __future__ import annotations

import json
import struct
import zlib
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from pmtiles.reader import MmapSource, Reader
from pmtiles.tile import zxy_to_tileid
from pmtiles.writer import Writer

from geo.analysis import Analysis
from geo.i18n import translator
from geo.profile import Profile
from geo.zone import metres_per_unit
from layers.static_files import STATIC_DIR

AREA_ARCHIVE = "offline/area.pmtiles"
FILE_LIST = "offline.json"
MANIFEST = "manifest.webmanifest"
WORKER = "sw.js"
ICONS = {192: "offline/icon-192.png", 512: "offline/icon-512.png"}
THEME = (0x33, 0x22, 0x88)  # the places' indigo


def area_shape(analysis: Analysis, within_m: float) -> shapely.Polygon:
    """The circle of the walking distance around the zone's landmark, in EPSG:4326."""
    zone = analysis.zone
    centre = zone.landmark.geometry.centroid
    circle = centre.buffer(within_m / metres_per_unit(zone.crs), quad_segs=16)
    return gpd.GeoSeries([circle], crs=zone.crs).to_crs("EPSG:4326").iloc[0]


def area_rows(analysis: Analysis, area: shapely.Polygon) -> np.ndarray:
    """The parcel ids (rows) whose inner point is in the area."""
    shapes = analysis.parcels.geometry.to_crs("EPSG:4326")
    points = shapely.point_on_surface(np.asarray(shapes.values, dtype=object))
    inside = shapely.contains_xy(area, shapely.get_x(points), shapely.get_y(points))
    return np.flatnonzero(np.asarray(inside, dtype=bool))


def _tile_range(z: int, bounds: tuple[float, float, float, float]) -> tuple[range, range]:
    """The tile columns and rows at zoom ``z`` that touch ``bounds`` (west, south, east, north)."""
    west, south, east, north = bounds

    def fraction(lon: float, lat: float) -> tuple[float, float]:
        y = (1 - np.arcsinh(np.tan(np.radians(lat))) / np.pi) / 2
        return (lon + 180) / 360, float(y)

    (x0, y0), (x1, y1) = fraction(west, north), fraction(east, south)
    top = 2**z - 1
    xs = range(max(0, int(x0 * 2**z)), min(top, int(x1 * 2**z)) + 1)
    ys = range(max(0, int(y0 * 2**z)), min(top, int(y1 * 2**z)) + 1)
    return xs, ys


def write_area_archive(archive: Path, out: Path, area: shapely.Polygon) -> int:
    """Copy every tile of ``archive`` that touches the area, at every zoom, into ``out``.

    Returns
    -------
    int
        The number of tiles copied.
    """
    bounds = tuple(float(v) for v in area.bounds)
    out.parent.mkdir(parents=True, exist_ok=True)
    with archive.open("rb") as source:
        reader = Reader(MmapSource(source))
        header, metadata = dict(reader.header()), reader.metadata()
        tiles = []
        for z in range(header["min_zoom"], header["max_zoom"] + 1):
            xs, ys = _tile_range(z, bounds)  # type: ignore[arg-type]
            for x in xs:
                for y in ys:
                    data = reader.get(z, x, y)
                    if data:
                        tiles.append((zxy_to_tileid(z, x, y), data))
    tiles.sort(key=lambda item: item[0])
    with out.open("wb") as handle:
        writer = Writer(handle)
        for tile_id, data in tiles:
            writer.write_tile(tile_id, data)
        west, south, east, north = bounds
        header.update(
            min_lon_e7=int(west * 1e7),
            min_lat_e7=int(south * 1e7),
            max_lon_e7=int(east * 1e7),
            max_lat_e7=int(north * 1e7),
            center_lon_e7=int((west + east) / 2 * 1e7),
            center_lat_e7=int((south + north) / 2 * 1e7),
        )
        writer.finalize(header, metadata)
    return len(tiles)


def png(size: int) -> bytes:
    """The site's icon: a block of parcels on the places' indigo, one a city lot (PNG)."""
    cell = size // 8
    rows = []
    for y in range(size):
        line = bytearray([0])  # no filter
        for x in range(size):
            cx, cy = x // cell, y // cell
            inner = 1 <= cx <= 6 and 1 <= cy <= 6 and x % cell and y % cell
            colour = THEME
            if inner:
                colour = (0xD5, 0x5E, 0x00) if (cx, cy) in ((3, 3), (4, 3)) else (0xF6, 0xF5, 0xF1)
            line += bytes(colour)
        rows.append(bytes(line))
    raw = zlib.compress(b"".join(rows), 9)

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    head = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)  # 8-bit RGB
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", head) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def web_manifest(profile: Profile) -> dict[str, object]:
    """The web app manifest: the site installs as an app that opens on its root."""
    t = translator("en")
    return {
        "name": t("site.title", place=profile.name),
        "short_name": profile.name[:24],
        "start_url": "./",
        "scope": "./",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#{:02x}{:02x}{:02x}".format(*THEME),
        "lang": "en",
        "icons": [
            {"src": path, "sizes": f"{size}x{size}", "type": "image/png"}
            for size, path in ICONS.items()
        ],
    }


def write_installable(folder: Path, profile: Profile) -> None:
    """``manifest.webmanifest`` and its icons."""
    (folder / "offline").mkdir(parents=True, exist_ok=True)
    for size, path in ICONS.items():
        (folder / path).write_bytes(png(size))
    text = json.dumps(web_manifest(profile), ensure_ascii=False, indent=1)
    (folder / MANIFEST).write_text(text, "utf-8")


def write_worker(folder: Path, files: list[str]) -> str:
    """``offline.json`` (the files to keep, and the build they belong to) and ``sw.js``.

    The worker's first line names the build, so a site published again is a new worker to
    the browser, which then keeps the new files and drops the old.

    Returns
    -------
    str
        The build's name.
    """
    import hashlib

    digest = hashlib.sha256()
    for name in sorted(files):
        path = folder / name
        if path.is_file():
            digest.update(name.encode() + b"\0" + path.read_bytes())
    build = digest.hexdigest()[:16]
    listing = {"build": build, "files": ["./", *files]}
    (folder / FILE_LIST).write_text(json.dumps(listing, indent=0), "utf-8")
    code = (STATIC_DIR / "site_sw.js").read_text("utf-8")
    (folder / WORKER).write_text(f"const BUILD = {json.dumps(build)};\n{code}", "utf-8")
    return build


def kept_files(folder: Path, assets: str, pages: list[str]) -> list[str]:
    """Every file the worker keeps, as paths from the site's root: the pages, the assets,
    the data the page starts with, the cards' and the search's manifests and the area's
    extracts (not the county's shards or archive)."""
    data = folder / "data"
    names = [*pages, MANIFEST, *ICONS.values(), AREA_ARCHIVE]
    names += [p.relative_to(folder).as_posix() for p in sorted((folder / assets).rglob("*"))]
    names += [p.relative_to(folder).as_posix() for p in sorted(data.glob("*.json*"))]
    names += [p.relative_to(folder).as_posix() for p in sorted(data.glob("*.geojson"))]
    cards = json.loads((data / "cards" / "index.json").read_text("utf-8"))
    names += ["data/cards/index.json", "data/search/index.json"]
    for name in sorted((data / "cards" / cards["folder"]).glob("words-*.json")):
        names.append(name.relative_to(folder).as_posix())
    if cards.get("area"):
        names.append(f"data/cards/{cards['folder']}/{cards['area']}")
    names += [p.relative_to(folder).as_posix() for p in sorted((data / "area").rglob("*.json"))]

    def there(name: str) -> bool:
        return (
            (folder / name / "index.html").is_file()
            if name.endswith("/")
            else (folder / name).is_file()
        )

    return [n for n in dict.fromkeys(names) if there(n)]
