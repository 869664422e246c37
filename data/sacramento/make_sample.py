"""Generate the ILLUSTRATIVE downtown Sacramento parcel sample.

THE DATA THIS SCRIPT WRITES IS FICTIONAL. The street grid follows the real downtown grid
(numbered streets run N 18°25' E, lettered streets cross them at right angles, Capitol Mall
in place of M Street), but the parcels are idealised 80 ft lots and the owners, APNs, land
uses, zones and lot sizes are invented. A handful of public landmarks (the Moss Federal
Building, the Matsui courthouse, City Hall, Cesar Chavez Plaza, the Capitol, some city
parking) are placed on their blocks so the app has something to find; everything else is
drawn from small lists of made-up names. These are NOT Sacramento County records and must
not be used to decide who owns anything.

Outputs (written to ``sample/`` beside this script unless ``--out-dir`` is given):

``downtown_sample.zip``
    A zipped shapefile, ``downtown_sample/parcels.{shp,shx,dbf,prj,cpg}``, in EPSG:2226
    (NAD83 / California zone 2, US survey feet), with the county's published field names cut
    to 10 characters. Byte-for-byte reproducible.
``downtown_streets.geojson``
    Street centrelines spanning the grid, EPSG:4326 (RFC 7946), written with :mod:`json`.

Run ``python data/sacramento/make_sample.py [--out-dir DIR]``.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pyproj
from shapely.geometry import Polygon

# --- settings --------------------------------------------------------------------------------

SAMPLE_DATE = (2026, 11, 25)
SEED = 20261125
ZIP_NAME = "downtown_sample.zip"
ZIP_FOLDER = "downtown_sample"
LAYER_NAME = "parcels"
STREETS_NAME = "downtown_streets.geojson"
SHAPEFILE_PARTS = (".cpg", ".dbf", ".prj", ".shp", ".shx")

PROJECTED_CRS = "EPSG:2226"
# The anchor is given as latitude/longitude. NAD83 (EPSG:4269) is used for the conversion so
# that no datum-shift grid can change the output from one machine to another; NAD83 and WGS84
# differ here by about a metre, far below what this illustrative sample claims.
GEOGRAPHIC_CRS = "EPSG:4269"
ANCHOR_LAT = 38.58106  # centre of the block I / J / 9th / 10th (Cesar Chavez Plaza)
ANCHOR_LON = -121.49390
BEARING_DEG = 18 + 25 / 60  # numbered streets run N 18°25' E (City Code 12.44.020)

STREET_WIDTH = 80.0
WIDE_STREETS = {"CAPITOL MALL": 160.0}
BLOCK_SIZE = 320.0
HALF_DEPTH = 150.0
LOT_FRONTAGE = 80.0
LOTS_PER_HALF = 4

NUMBERED = tuple(range(2, 17))  # 2nd .. 16th
LETTERED = (
    "C ST",
    "D ST",
    "E ST",
    "F ST",
    "G ST",
    "H ST",
    "I ST",
    "J ST",
    "K ST",
    "L ST",
    "CAPITOL MALL",
    "N ST",
    "O ST",
    "P ST",
    "Q ST",
    "R ST",
)  # north to south
ANCHOR_BLOCK = ("I ST", 9)

FIELDS = (
    "APN_DASH",
    "APN10",
    "PARCEL_NUM",
    "STREET_NBR",
    "STREET_NAM",
    "NAME",
    "CARE_OF_NA",
    "LANDUSE",
    "ZONE_",
    "LOTSIZE",
    "JURISDICTI",
)
JURISDICTION = "SACRAMENTO"

CITY = "CITY OF SACRAMENTO"
STATE = "STATE OF CALIFORNIA"
FEDERAL = "UNITED STATES OF AMERICA"
COUNTY = "COUNTY OF SACRAMENTO"

# --- fictional private owners ---------------------------------------------------------------

PRIVATE_OWNERS = (
    "ALDER AND PINE HOLDINGS LLC",
    "RIVER CITY PROPERTIES LLC",
    "GOLDEN BEAR INVESTMENTS LP",
    "TWELVE OAKS PARTNERS LLC",
    "DELTA BREEZE LLC",
    "CAMELLIA ASSETS LLC",
    "MIDTOWN SQUARE LLC",
    "SUTTER LANDING VENTURES LLC",
    "SACRAMENTO RIVERFRONT PARTNERS LLC",
    "K STREET REVIVAL LLC",
    "TOWER LOFTS LLC",
    "CAPITOL VIEW APARTMENTS LP",
    "PEÑA FAMILY TRUST",
    "HOLLOWAY FAMILY TRUST",
    "OKAFOR LIVING TRUST",
    "BRENNER REVOCABLE TRUST",
    "NAKAMURA 2004 TRUST",
    "ESTRADA RAMON AND LUISA",
    "LINDQVIST MARTA",
    "ABERNATHY JOHN Q",
    "VO THANH AND HOA",
    "MARSH DELPHINE",
    "QUILLFEATHER OWEN",
    "SANTOS ANA MARIA",
)
PRIVATE_CARE_OF = ("PROPERTY TAX DEPT", "C/O ASSET MANAGER", "C/O TRUSTEE")
PARKING_OWNERS = ("CAPITOL PARKING PARTNERS LLC", "TWELVE OAKS PARTNERS LLC")

CORE_USES = {"C1": 50, "M1": 28, "R2": 12, "P1": 4, "P2": 2, "V1": 3}
OUTER_USES = {"C1": 14, "M1": 20, "R1": 30, "R2": 28, "P1": 2, "P2": 1, "V1": 3}


# --- special parcels ------------------------------------------------------------------------


@dataclass(frozen=True)
class Special:
    """A parcel placed by hand: one or more lots of one block half, or a whole block.

    ``north`` is the lettered street on the block's north side and ``west`` the numbered
    street on its west side. ``half`` is ``"block"``, ``"north"`` or ``"south"``; ``lots``
    are lot positions 0-3 from west to east (ignored for a whole block).
    """

    north: str
    west: int
    half: str
    lots: tuple[int, ...]
    owner: str
    land_use: str
    address: str | None = None
    care_of: str = ""


ALL = (0, 1, 2, 3)
SPECIALS: tuple[Special, ...] = (
    # Landmarks.
    Special(
        "CAPITOL MALL",
        6,
        "block",
        ALL,
        FEDERAL,
        "G1",
        "650 CAPITOL MALL",
        "GENERAL SERVICES ADMINISTRATION",
    ),
    Special("H ST", 5, "block", ALL, FEDERAL, "G1", "501 I ST"),
    Special("H ST", 9, "block", ALL, CITY, "G1", "915 I ST"),
    Special("I ST", 9, "block", ALL, CITY, "PK", "910 I ST"),
    Special("H ST", 8, "south", ALL, FEDERAL, "G1"),
    Special("L ST", 9, "south", ALL, STATE, "G1", "915 CAPITOL MALL"),
    # City parking.
    Special("I ST", 10, "north", (0, 1), "Sacramento, City of", "P2"),
    Special("K ST", 10, "south", (0, 1), CITY, "P2"),
    Special("H ST", 14, "south", (0, 1), CITY, "P2"),
    Special("H ST", 2, "south", (0, 1), "SACRAMENTO CITY OF", "P2"),
    Special("L ST", 2, "south", (2, 3), CITY, "P2", "135 NEASHAM CIR"),
    Special("H ST", 12, "south", (0,), CITY, "P1"),
    Special("CAPITOL MALL", 2, "south", (0,), CITY, "P1"),
    Special("N ST", 2, "north", (0,), CITY, "P1", "1400 2ND ST"),
    # Downtown Plaza garages: owner left blank on purpose.
    Special("I ST", 4, "south", (0, 1), "", "P2"),
    Special("J ST", 5, "north", (0, 1), "", "P2"),
    Special("K ST", 4, "south", (0, 1), "", "P2"),
    # County garage near 7th & G: not the city's.
    Special("F ST", 7, "south", (0, 1), COUNTY, "P2"),
    # Owners that a name match can get wrong.
    Special("E ST", 2, "north", (0,), "CITY OF WEST SACRAMENTO", "P1"),
    Special("O ST", 11, "north", (1,), "SACRAMENTO CITY LOFTS LLC", "R2"),
    Special("Q ST", 7, "south", (0,), "SACRAMENTO HOUSING AND REDEVELOPMENT AGENCY", "R2"),
    Special("Q ST", 7, "south", (1,), "SACRAMENTO HOUSING AND REDEVELOPMENT AGENCY", "R2"),
    Special("J ST", 8, "north", (2,), "", "C1"),
    Special(
        "K ST",
        7,
        "south",
        (3,),
        "SUCCESSOR AGENCY TO THE REDEVELOPMENT AGENCY OF THE CITY OF SACRAMENTO",
        "V1",
    ),
    Special("J ST", 11, "north", (1,), "CITY OF SACRAMENTO ET AL", "C1"),
    Special("P ST", 3, "north", (0,), "SACRAMENTO CITY UNIFIED SCHOOL DISTRICT", "G1"),
    Special("C ST", 5, "south", (0,), "CITY OF SACRAMENTO DEPARTMENT OF UTILITIES", "G1"),
    # Ordinary city property that is not parking.
    Special("D ST", 12, "north", (3,), CITY, "V1"),
    Special("J ST", 13, "south", (1,), CITY, "C1"),
    Special("P ST", 9, "north", (1,), CITY, "PK"),
    # Private parking, so that a parking code alone never makes a lot the city's.
    Special("J ST", 12, "north", (0,), "CAPITOL PARKING PARTNERS LLC", "P1"),
    Special("L ST", 7, "north", (2,), "TWELVE OAKS PARTNERS LLC", "P2"),
    # A non-ASCII owner name, placed for sure (it is also in the random pool).
    Special("O ST", 14, "north", (0,), "PEÑA FAMILY TRUST", "R1"),
) + tuple(
    # The Capitol (10th to 12th) and Capitol Park: L to N, 10th to 15th, one parcel per block.
    Special(north, west, "block", ALL, STATE, "G1" if west < 12 else "PK")
    for north in ("L ST", "CAPITOL MALL")
    for west in range(10, 15)
)


# --- the street grid ------------------------------------------------------------------------


def ordinal(number: int) -> str:
    """Return a numbered street's name, e.g. ``2 -> "2ND ST"``.

    Parameters
    ----------
    number : int
        The street number.

    Returns
    -------
    str
        The uppercase street name.
    """
    if 10 <= number % 100 <= 20:
        suffix = "TH"
    else:
        suffix = {1: "ST", 2: "ND", 3: "RD"}.get(number % 10, "TH")
    return f"{number}{suffix} ST"


def _half_width(street: str) -> float:
    return WIDE_STREETS.get(street, STREET_WIDTH) / 2


def lettered_centrelines() -> dict[str, float]:
    """Return the local north coordinate (ft) of each lettered street's centreline.

    The origin is the centre of the anchor block; the axis points along the numbered streets.

    Returns
    -------
    dict[str, float]
        Street name to offset, north positive.
    """
    top = LETTERED.index(ANCHOR_BLOCK[0])
    offsets = {LETTERED[top]: BLOCK_SIZE / 2 + _half_width(LETTERED[top])}
    for i in range(top + 1, len(LETTERED)):
        prev, street = LETTERED[i - 1], LETTERED[i]
        offsets[street] = offsets[prev] - _half_width(prev) - BLOCK_SIZE - _half_width(street)
    for i in range(top - 1, -1, -1):
        below, street = LETTERED[i + 1], LETTERED[i]
        offsets[street] = offsets[below] + _half_width(below) + BLOCK_SIZE + _half_width(street)
    return {street: offsets[street] for street in LETTERED}


def numbered_centrelines() -> dict[int, float]:
    """Return the local east coordinate (ft) of each numbered street's centreline.

    Returns
    -------
    dict[int, float]
        Street number to offset, east positive.
    """
    spacing = BLOCK_SIZE + STREET_WIDTH
    return {n: (n - ANCHOR_BLOCK[1] - 0.5) * spacing for n in NUMBERED}


@dataclass(frozen=True)
class Grid:
    """Maps local grid coordinates (feet east/north along the streets) to EPSG:2226."""

    x0: float
    y0: float
    angle: float  # grid bearing of the numbered streets, radians clockwise from grid north

    def to_crs(self, u: float, v: float) -> tuple[float, float]:
        """Return the EPSG:2226 point of local ``(u, v)``, rounded to 0.01 ft.

        Parameters
        ----------
        u, v : float
            Feet along the lettered streets (east) and along the numbered streets (north).

        Returns
        -------
        tuple[float, float]
            Easting and northing in US survey feet.
        """
        sin, cos = math.sin(self.angle), math.cos(self.angle)
        x = self.x0 + u * cos + v * sin
        y = self.y0 - u * sin + v * cos
        return round(x, 2), round(y, 2)


def build_grid() -> Grid:
    """Place the grid: anchor block centre and the numbered streets' bearing in EPSG:2226.

    The true bearing is turned into a grid bearing by stepping 1 km along it on the
    ellipsoid and projecting both ends, which accounts for meridian convergence.

    Returns
    -------
    Grid
        The placed grid.
    """
    to_proj = pyproj.Transformer.from_crs(GEOGRAPHIC_CRS, PROJECTED_CRS, always_xy=True)
    lon2, lat2, _ = pyproj.Geod(ellps="GRS80").fwd(ANCHOR_LON, ANCHOR_LAT, BEARING_DEG, 1000.0)
    x0, y0 = to_proj.transform(ANCHOR_LON, ANCHOR_LAT)
    x1, y1 = to_proj.transform(lon2, lat2)
    return Grid(x0, y0, math.atan2(x1 - x0, y1 - y0))


# --- parcels --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Parcel:
    """One parcel before it becomes a table row."""

    row: int  # index of the block's north street in LETTERED
    west: int
    half: str
    lots: tuple[int, ...]
    owner: str
    land_use: str
    address: tuple[str, str]
    care_of: str = ""


def block_rect(row: int, west: int) -> tuple[float, float, float, float]:
    """Return a block's local rectangle ``(u_min, v_min, u_max, v_max)`` without its streets.

    Parameters
    ----------
    row : int
        Index in ``LETTERED`` of the street on the block's north side.
    west : int
        Number of the street on the block's west side.

    Returns
    -------
    tuple[float, float, float, float]
        The block's extent in local feet.
    """
    north, south = LETTERED[row], LETTERED[row + 1]
    lettered, numbered = lettered_centrelines(), numbered_centrelines()
    u_min = numbered[west] + STREET_WIDTH / 2
    v_max = lettered[north] - _half_width(north)
    v_min = lettered[south] + _half_width(south)
    return u_min, v_min, u_min + BLOCK_SIZE, v_max


def parcel_rect(parcel: Parcel) -> tuple[float, float, float, float]:
    """Return a parcel's local rectangle ``(u_min, v_min, u_max, v_max)``.

    Parameters
    ----------
    parcel : Parcel
        The parcel.

    Returns
    -------
    tuple[float, float, float, float]
        Its extent in local feet.
    """
    u0, v_min, _, v_max = block_rect(parcel.row, parcel.west)
    if parcel.half == "block":
        return u0, v_min, u0 + BLOCK_SIZE, v_max
    if parcel.half == "north":
        v_min = v_max - HALF_DEPTH
    else:
        v_max = v_min + HALF_DEPTH
    first, last = min(parcel.lots), max(parcel.lots)
    return u0 + LOT_FRONTAGE * first, v_min, u0 + LOT_FRONTAGE * (last + 1), v_max


def default_address(row: int, west: int, half: str, lot: int) -> tuple[str, str]:
    """Return the ``(number, street)`` of a lot by the downtown numbering rule.

    North-half lots face the block's north street and take even numbers; south-half lots face
    its south street and take odd numbers. A whole block takes its north-west lot's address.

    Parameters
    ----------
    row, west : int
        The block (see :func:`block_rect`).
    half : str
        ``"block"``, ``"north"`` or ``"south"``.
    lot : int
        Lot position 0-3 from west to east.

    Returns
    -------
    tuple[str, str]
        Street number and street name.
    """
    if half == "south":
        return str(west * 100 + 20 * lot + 1), LETTERED[row + 1]
    return str(west * 100 + 20 * lot), LETTERED[row]


def _special_parcel(special: Special) -> Parcel:
    row = LETTERED.index(special.north)
    if special.address:
        number, street = special.address.split(" ", 1)
    else:
        number, street = default_address(row, special.west, special.half, min(special.lots))
    return Parcel(
        row,
        special.west,
        special.half,
        special.lots,
        special.owner,
        special.land_use,
        (number, street),
        special.care_of,
    )


def is_core(row: int, west: int) -> bool:
    """Return whether a block is in the central business district (H to N, 3rd to 13th).

    Parameters
    ----------
    row, west : int
        The block (see :func:`block_rect`).

    Returns
    -------
    bool
        True for a core block.
    """
    return LETTERED.index("H ST") <= row <= LETTERED.index("CAPITOL MALL") and 3 <= west <= 12


def _private_parcel(rng: random.Random, row: int, west: int, half: str, lot: int) -> Parcel:
    weights = CORE_USES if is_core(row, west) else OUTER_USES
    land_use = rng.choices(list(weights), weights=list(weights.values()))[0]
    pool = PARKING_OWNERS if land_use in ("P1", "P2") else PRIVATE_OWNERS
    owner = rng.choice(pool)
    care_of = rng.choice(PRIVATE_CARE_OF) if rng.random() < 0.06 else ""
    address = default_address(row, west, half, lot)
    return Parcel(row, west, half, (lot,), owner, land_use, address, care_of)


def _block_parcels(rng: random.Random, row: int, west: int) -> Iterator[Parcel]:
    specials = [s for s in SPECIALS if (LETTERED.index(s.north), s.west) == (row, west)]
    if any(s.half == "block" for s in specials):
        yield from (_special_parcel(s) for s in specials)
        return
    for half in ("north", "south"):
        placed = {s.lots: s for s in specials if s.half == half}
        taken = {lot for lots in placed for lot in lots}
        for lot in range(LOTS_PER_HALF):
            first = [s for lots, s in placed.items() if min(lots) == lot]
            if first:
                yield _special_parcel(first[0])
            elif lot not in taken:
                yield _private_parcel(rng, row, west, half, lot)


def iter_parcels() -> Iterator[Parcel]:
    """Yield every parcel of the sample, block by block from north-west to south-east.

    Yields
    ------
    Parcel
        Hand-placed parcels where :data:`SPECIALS` says, fictional private lots elsewhere.
    """
    rng = random.Random(SEED)
    for row in range(len(LETTERED) - 1):
        for west in NUMBERED[:-1]:
            yield from _block_parcels(rng, row, west)


def apn(parcel: Parcel) -> str:
    """Return a fictional dashed APN: book from the area, page from the block, parcel from lot.

    Parameters
    ----------
    parcel : Parcel
        The parcel.

    Returns
    -------
    str
        ``BBB-PPPP-NNN-0000``.
    """
    book = "006" if parcel.row < LETTERED.index("CAPITOL MALL") else "007"
    page = f"{parcel.row + 1:02d}{parcel.west:02d}"
    offset = 0 if parcel.half in ("block", "north") else LOTS_PER_HALF
    return f"{book}-{page}-{offset + min(parcel.lots) + 1:03d}-0000"


def zone(parcel: Parcel) -> str:
    """Return an illustrative zoning code for a parcel.

    Parameters
    ----------
    parcel : Parcel
        The parcel.

    Returns
    -------
    str
        ``A-OS`` for parks, ``C-3`` downtown, otherwise ``R-3A`` or ``RMX``.
    """
    if parcel.land_use == "PK":
        return "A-OS"
    if is_core(parcel.row, parcel.west):
        return "C-3"
    return "R-3A" if parcel.land_use in ("R1", "R2") else "RMX"


def parcel_polygon(grid: Grid, parcel: Parcel) -> Polygon:
    """Return a parcel's polygon in EPSG:2226, coordinates rounded to 0.01 ft.

    Parameters
    ----------
    grid : Grid
        The placed street grid.
    parcel : Parcel
        The parcel.

    Returns
    -------
    Polygon
        The parcel outline.
    """
    u0, v0, u1, v1 = parcel_rect(parcel)
    corners = [(u0, v0), (u1, v0), (u1, v1), (u0, v1)]
    return Polygon([grid.to_crs(u, v) for u, v in corners])


def parcels_frame(grid: Grid) -> gpd.GeoDataFrame:
    """Build the sample parcels with the county's field names.

    Parameters
    ----------
    grid : Grid
        The placed street grid.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per parcel, columns :data:`FIELDS` and ``geometry``, CRS EPSG:2226.
    """
    rows, shapes = [], []
    for parcel in iter_parcels():
        shape = parcel_polygon(grid, parcel)
        dashed = apn(parcel)
        digits = dashed.replace("-", "")
        rows.append(
            {
                "APN_DASH": dashed,
                "APN10": digits[:10],
                "PARCEL_NUM": digits,
                "STREET_NBR": parcel.address[0],
                "STREET_NAM": parcel.address[1],
                "NAME": parcel.owner,
                "CARE_OF_NA": parcel.care_of,
                "LANDUSE": parcel.land_use,
                "ZONE_": zone(parcel),
                "LOTSIZE": round(shape.area),
                "JURISDICTI": JURISDICTION,
            }
        )
        shapes.append(shape)
    frame = gpd.GeoDataFrame(rows, columns=list(FIELDS), geometry=shapes, crs=PROJECTED_CRS)
    frame["LOTSIZE"] = frame["LOTSIZE"].astype("int32")
    return frame


# --- streets --------------------------------------------------------------------------------


def street_features(grid: Grid) -> list[dict]:
    """Return the street centrelines as GeoJSON features in longitude/latitude.

    Each line has a vertex at every crossing street, from edge to edge of the grid.

    Parameters
    ----------
    grid : Grid
        The placed street grid.

    Returns
    -------
    list[dict]
        Features with properties ``name`` and ``kind`` (``numbered`` or ``lettered``).
    """
    to_geo = pyproj.Transformer.from_crs(PROJECTED_CRS, GEOGRAPHIC_CRS, always_xy=True)
    lettered, numbered = lettered_centrelines(), numbered_centrelines()

    def line(points: list[tuple[float, float]]) -> list[list[float]]:
        coords = [to_geo.transform(*grid.to_crs(u, v)) for u, v in points]
        return [[round(lon, 6), round(lat, 6)] for lon, lat in coords]

    features = []
    for n, u in numbered.items():
        coords = line([(u, v) for v in lettered.values()])
        features.append(_feature(ordinal(n), "numbered", coords))
    for name, v in lettered.items():
        coords = line([(u, v) for u in numbered.values()])
        features.append(_feature(name, "lettered", coords))
    return features


def _feature(name: str, kind: str, coords: list[list[float]]) -> dict:
    return {
        "type": "Feature",
        "properties": {"kind": kind, "name": name},
        "geometry": {"type": "LineString", "coordinates": coords},
    }


def write_streets(grid: Grid, path: Path) -> Path:
    """Write the street centrelines as deterministic GeoJSON, one feature per line.

    Parameters
    ----------
    grid : Grid
        The placed street grid.
    path : Path
        Output file.

    Returns
    -------
    Path
        The file written.
    """
    lines = [json.dumps(f, sort_keys=True, separators=(",", ":")) for f in street_features(grid)]
    text = '{"features":[\n' + ",\n".join(lines) + '\n],"type":"FeatureCollection"}\n'
    path.write_text(text, encoding="utf-8", newline="\n")
    return path


# --- shapefile and zip ----------------------------------------------------------------------


def _fix_dbf_date(dbf: Path) -> None:
    """Overwrite the DBF header's last-update date (bytes 1-3) with :data:`SAMPLE_DATE`."""
    year, month, day = SAMPLE_DATE
    with dbf.open("r+b") as handle:
        handle.seek(1)
        handle.write(bytes([year - 1900, month, day]))


def _zip_folder(src: Path, zip_path: Path) -> None:
    """Zip the shapefile parts under :data:`ZIP_FOLDER`, with fixed dates and order."""
    with zipfile.ZipFile(zip_path, "w") as archive:
        for suffix in SHAPEFILE_PARTS:
            part = src / f"{LAYER_NAME}{suffix}"
            info = zipfile.ZipInfo(f"{ZIP_FOLDER}/{part.name}", date_time=(*SAMPLE_DATE, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            archive.writestr(info, part.read_bytes(), compresslevel=9)


def write_parcels(grid: Grid, zip_path: Path) -> Path:
    """Write the parcels as a reproducible zipped shapefile.

    Parameters
    ----------
    grid : Grid
        The placed street grid.
    zip_path : Path
        Output archive.

    Returns
    -------
    Path
        The archive written.
    """
    frame = parcels_frame(grid)
    with tempfile.TemporaryDirectory() as tmp:
        shp = Path(tmp) / f"{LAYER_NAME}.shp"
        frame.to_file(
            shp,
            driver="ESRI Shapefile",
            engine="pyogrio",
            encoding="UTF-8",
            layer_options={"RESIZE": "YES"},
        )
        _fix_dbf_date(shp.with_suffix(".dbf"))
        _zip_folder(Path(tmp), zip_path)
    return zip_path


def generate(out_dir: Path) -> tuple[Path, Path]:
    """Write the illustrative sample: the parcel zip and the streets GeoJSON.

    Parameters
    ----------
    out_dir : Path
        Folder to write into (created if missing).

    Returns
    -------
    tuple[Path, Path]
        Paths of ``downtown_sample.zip`` and ``downtown_streets.geojson``.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    grid = build_grid()
    return (
        write_parcels(grid, out_dir / ZIP_NAME),
        write_streets(grid, out_dir / STREETS_NAME),
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point.

    Parameters
    ----------
    argv : Sequence[str] or None
        Arguments without the program name; ``None`` reads ``sys.argv``.

    Returns
    -------
    int
        Exit status, 0 on success.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out-dir",
        type=Path,
        default=Path(__file__).resolve().parent / "sample",
        help="output folder (default: the sample/ folder beside this script)",
    )
    args = parser.parse_args(argv)
    for path in generate(args.out_dir):
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
