"""Builders of small parcel files (good and bad) for the ingest tests, written under a folder.

Every builder writes into the folder it is given (a test's ``tmp_path``) and returns the path.
The parcels are a handful of 100 ft squares (``shapely.box``) in EPSG:2226 next to the Moss
Federal Building, with answers that are visible from the rows:

- ``006-0010-001-0000`` 650 CAPITOL MALL, federal building (the zone's landmark): not covered
- ``006-0010-002-0000`` 700 CAPITOL MALL, ``CITY OF SACRAMENTO`` garage (P2): covered
- ``006-0010-003-0000`` 720 CAPITOL MALL, ``CITY OF SACRAMENTO`` lot (P1): covered
- ``006-0010-004-0000`` 740 CAPITOL MALL, ``CITY OF SACRAMENTO ET AL`` lot: needs review
- ``006-0010-005-0000`` 760 CAPITOL MALL, a private office (C1): not covered
"""

from __future__ import annotations

import json
import shutil
import struct
import zipfile
import zlib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import geopandas as gpd
import pyogrio
import shapely
from pyproj import CRS
from shapely.geometry.base import BaseGeometry

CRS_FEET = "EPSG:2226"
# Lower-left corner of the first parcel: about the Moss Federal Building, in EPSG:2226.
X0, Y0 = 6_704_040.0, 1_972_590.0
SIZE = 100.0
SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")

COUNTY_FIELDS = ("APN_DASH", "STREET_NBR", "STREET_NAM", "NAME", "LANDUSE")
ROWS: tuple[tuple[str, str, str, str, str], ...] = (
    ("006-0010-001-0000", "650", "CAPITOL MALL", "UNITED STATES OF AMERICA", "G1"),
    ("006-0010-002-0000", "700", "CAPITOL MALL", "CITY OF SACRAMENTO", "P2"),
    ("006-0010-003-0000", "720", "CAPITOL MALL", "CITY OF SACRAMENTO", "P1"),
    ("006-0010-004-0000", "740", "CAPITOL MALL", "CITY OF SACRAMENTO ET AL", "P1"),
    ("006-0010-005-0000", "760", "CAPITOL MALL", "RIVER CITY PROPERTIES LLC", "C1"),
)
GARAGE_APN = ROWS[1][0]
EXPECTED_VERDICTS = {
    "006-0010-001-0000": "not covered",
    "006-0010-002-0000": "covered",
    "006-0010-003-0000": "covered",
    "006-0010-004-0000": "needs review",
    "006-0010-005-0000": "not covered",
}
# GeoJSON schema of another county, and odd names only a field mapping can find.
GEOJSON_NAMES = {
    "APN_DASH": "PARCEL_ID",
    "NAME": "OWNER_NAME",
    "ADDRESS": "SITUS",
    "LANDUSE": "LU_CODE",
}
ODD_NAMES = {"APN_DASH": "PARCEL_KEY", "NAME": "TITLEHOLDER", "ADDRESS": "ADDR", "LANDUSE": "USECD"}
ODD_FIELD_OPTIONS = (
    "apn=PARCEL_KEY",
    "owner=TITLEHOLDER",
    "address=ADDR",
    "land_use=USECD",
)


def square(col: float, row: float = 0.0, size: float = SIZE) -> BaseGeometry:
    """A ``size`` ft square whose lower-left corner is (X0 + col*size, Y0 + row*size)."""
    x, y = X0 + col * size, Y0 + row * size
    return shapely.box(x, y, x + size, y + size)


def county_frame(blank_owners: bool = False) -> gpd.GeoDataFrame:
    """The five parcels with the county's shapefile fields, in EPSG:2226."""
    columns = {name: [r[i] for r in ROWS] for i, name in enumerate(COUNTY_FIELDS)}
    if blank_owners:
        columns["NAME"] = ["" for _ in ROWS]
    return gpd.GeoDataFrame(columns, geometry=[square(i) for i in range(len(ROWS))], crs=CRS_FEET)


def one_address_frame(names: Mapping[str, str]) -> gpd.GeoDataFrame:
    """The five parcels with the address in one field, fields renamed by ``names``."""
    frame = county_frame()
    frame["ADDRESS"] = frame["STREET_NBR"] + " " + frame["STREET_NAM"]
    frame = frame.drop(columns=["STREET_NBR", "STREET_NAM"])
    return frame.rename(columns=dict(names))[[*names.values(), "geometry"]]


def frame_of(
    geometries: Sequence[BaseGeometry | None],
    apns: Sequence[str] | None = None,
    owners: Sequence[str] | None = None,
    crs: str | None = CRS_FEET,
) -> gpd.GeoDataFrame:
    """County-schema parcels with these geometries (APNs ``006-0020-001-0000``, ... by default)."""
    count = len(geometries)
    return gpd.GeoDataFrame(
        {
            "APN_DASH": list(apns)
            if apns
            else [f"006-0020-{i + 1:03d}-0000" for i in range(count)],
            "STREET_NBR": [str(800 + 20 * i) for i in range(count)],
            "STREET_NAM": ["CAPITOL MALL"] * count,
            "NAME": list(owners) if owners else ["CITY OF SACRAMENTO"] * count,
            "LANDUSE": ["P1"] * count,
        },
        geometry=list(geometries),
        crs=crs,
    )


def bow_tie(col: float) -> BaseGeometry:
    """A self-crossing (invalid) quadrilateral over square ``col``."""
    x, y = X0 + col * SIZE, Y0
    return shapely.Polygon([(x, y), (x + SIZE, y + SIZE), (x + SIZE, y), (x, y + SIZE), (x, y)])


# --- writers ---------------------------------------------------------------------------------


def write_shapefile(
    frame: gpd.GeoDataFrame,
    folder: Path,
    stem: str = "parcels",
    encoding: str | None = None,
    cpg: bool = True,
) -> Path:
    """Write a loose shapefile ``folder/stem.shp`` (without its ``.cpg`` when ``cpg`` is off)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{stem}.shp"
    options = {"encoding": encoding} if encoding else {}
    pyogrio.write_dataframe(frame, path, **options)
    if not cpg:
        path.with_suffix(".cpg").unlink(missing_ok=True)
    return path


def esri_prj(crs: str = CRS_FEET) -> str:
    """The ESRI WKT a county's ``.prj`` holds (``NAD_1983_StatePlane_California_II...``)."""
    return CRS(crs).to_wkt("WKT1_ESRI")


def zip_files(files: Iterable[Path], zip_path: Path, folder: str = "") -> Path:
    """Zip ``files`` flat, or under ``folder/`` inside the archive."""
    prefix = f"{folder.strip('/')}/" if folder else ""
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in files:
            archive.write(file, prefix + file.name)
    return zip_path


def write_zipped_shapefile(
    frame: gpd.GeoDataFrame,
    zip_path: Path,
    folder: str = "",
    drop: Sequence[str] = (),
    encoding: str | None = None,
    cpg: bool = True,
) -> Path:
    """A zipped shapefile as counties publish it, leaving out the parts in ``drop``."""
    work = zip_path.parent / f"{zip_path.stem}-parts"
    shp = write_shapefile(frame, work, "parcels", encoding, cpg)
    parts = [shp.with_suffix(ext) for ext in SHAPEFILE_PARTS if ext not in drop]
    zip_files([p for p in parts if p.exists()], zip_path, folder)
    shutil.rmtree(work)
    return zip_path


def write_county_zip(
    directory: Path,
    name: str = "county.zip",
    folder: str = "",
    drop: Sequence[str] = (),
    blank_owners: bool = False,
) -> Path:
    """The five county-schema parcels as a zipped shapefile ``directory/name``."""
    return write_zipped_shapefile(county_frame(blank_owners), directory / name, folder, drop)


def write_geojson(frame: gpd.GeoDataFrame, path: Path) -> Path:
    """Write GeoJSON (RFC 7946 order, EPSG:4326 when the frame has a CRS)."""
    out = frame.to_crs("EPSG:4326") if frame.crs is not None else frame
    pyogrio.write_dataframe(out, path, driver="GeoJSON")
    return path


def write_gpkg(frame: gpd.GeoDataFrame, path: Path, layer: str = "parcels") -> Path:
    """Write a GeoPackage layer."""
    pyogrio.write_dataframe(frame, path, layer=layer, driver="GPKG")
    return path


def write_parquet(frame: gpd.GeoDataFrame, path: Path) -> Path:
    """Write plain GeoParquet (as any tool would, without civicmap's metadata)."""
    frame.to_parquet(path)
    return path


def empty_feature_collection(path: Path) -> Path:
    """A GeoJSON FeatureCollection with no features."""
    path.write_text(json.dumps({"type": "FeatureCollection", "features": []}), encoding="utf-8")
    return path


def empty_gpkg(path: Path) -> Path:
    """A GeoPackage whose parcel layer has the county's fields and 0 rows."""
    return write_gpkg(county_frame().iloc[:0], path)


def truncated_geojson(path: Path) -> Path:
    """A GeoJSON cut off in the middle of its second feature."""
    full = path.with_name(f"{path.stem}-full.geojson")
    write_geojson(county_frame(), full)
    text = full.read_text(encoding="utf-8")
    full.unlink()
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    return path


def text_file(path: Path) -> Path:
    """Plain text under whatever name ``path`` has (a ``.zip`` or ``.gpkg`` that is not)."""
    path.write_text("APN,OWNER\n006-0010-001-0000,CITY OF SACRAMENTO\n", encoding="utf-8")
    return path


def empty_zip(path: Path) -> Path:
    """A valid zip archive with no members."""
    with zipfile.ZipFile(path, "w"):
        pass
    return path


def zip_with_member_names(path: Path, names: Sequence[str], data: bytes = b"x" * 100) -> Path:
    """A zip whose members have exactly these names (e.g. ``../evil.shp``), each ``data``."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            archive.writestr(zipfile.ZipInfo(name), data)
    return path


def zip_of_size(path: Path, size: int, name: str = "big.bin") -> Path:
    """A zip with one honest member of ``size`` zero bytes (it compresses to very little)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, bytes(size))
    return path


def lying_zip(
    path: Path, content: bytes, declared_size: int, name: str, prefix_crc: bool = False
) -> Path:
    """A zip whose one member inflates to ``content`` but says it is ``declared_size`` bytes.

    Written as an honest zip, then the ``file_size`` field of the member's local header
    (offset 22) and of its central directory entry (offset 24) are patched smaller. With
    ``prefix_crc`` the CRC-32 fields (offsets 14 and 16) are patched too, to the CRC of the
    first ``declared_size`` bytes, so a reader that stops at the declared size sees no damage.
    """
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, content)
    data = bytearray(path.read_bytes())
    local, central = data.find(b"PK\x03\x04"), data.find(b"PK\x01\x02")
    assert local >= 0 and central >= 0
    for size_at, crc_at in ((local + 22, local + 14), (central + 24, central + 16)):
        assert struct.unpack_from("<I", data, size_at)[0] == len(content)
        struct.pack_into("<I", data, size_at, declared_size)
        if prefix_crc:
            struct.pack_into("<I", data, crc_at, zlib.crc32(content[:declared_size]))
    path.write_bytes(bytes(data))
    return path


def apn_csv(path: Path, apns: Sequence[str], header: str | None = "apn") -> Path:
    """A city property list: a CSV with an ``apn`` header (``header=None``: a bare list)."""
    lines = ([header] if header else []) + list(apns)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
