"""Reading parcel files into the canonical schema.

Any of a zipped shapefile (as counties publish them), a GeoPackage, GeoJSON or GeoParquet
is read with pyogrio (Arrow), validated, and its fields are mapped to the canonical
columns ``apn, address, owner, land_use, land_use_label, geometry``. Geometry stays in the
source CRS. What the reader found and did is kept in ``frame.attrs``.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

from geo.errors import InputError
from geo.profile import Profile

CANONICAL = ("apn", "address", "owner", "land_use", "land_use_label")
FIELD_ROLES = CANONICAL + ("address_number", "address_street")
VECTOR_SUFFIXES = (".shp", ".gpkg", ".geojson", ".json", ".parquet", ".geoparquet", ".fgb")
MAX_UNZIPPED_BYTES = 8 * 1024**3

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
            raise InputError(
                f"--field {item!r}: write CANONICAL=SOURCE with CANONICAL one of "
                f"{', '.join(FIELD_ROLES)}"
            )
        overrides[canonical] = source
    return overrides


def locate_layer(path: Path) -> str:
    """Return the path GDAL should open for a parcel file.

    A zip archive is listed and its vector file is opened in place through ``/vsizip/``,
    wherever it sits in the archive; nothing is extracted.

    Parameters
    ----------
    path : Path
        The file as the user gave it.

    Returns
    -------
    str
        A path for pyogrio.
    """
    if not path.exists():
        raise InputError(f"file not found: {path}")
    if path.suffix.lower() != ".zip":
        return str(path)
    member = _zip_member(path)
    return f"/vsizip/{path}/{member}"


def _zip_member(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except zipfile.BadZipFile:
        raise InputError(f"{path.name} is not a valid zip archive") from None
    if not infos:
        raise InputError(f"{path.name} is an empty archive")
    if sum(i.file_size for i in infos) > MAX_UNZIPPED_BYTES:
        raise InputError(f"{path.name} would inflate past {MAX_UNZIPPED_BYTES // 1024**3} GB")
    names = [i.filename for i in infos if not i.is_dir()]
    candidates = [n for n in names if n.lower().endswith(VECTOR_SUFFIXES)]
    if not candidates:
        raise InputError(
            f"{path.name} holds no shapefile, GeoPackage, GeoJSON or GeoParquet "
            f"(it holds: {', '.join(names[:8])})"
        )
    member = sorted(candidates, key=lambda n: (n.count("/"), n))[0]
    if member.lower().endswith(".shp"):
        stem = member[:-4].lower()
        have = {n.lower() for n in names}
        missing = [ext for ext in (".shx", ".dbf") if stem + ext not in have]
        if missing:
            raise InputError(f"the shapefile {member} in {path.name} has no {' or '.join(missing)}")
    return member


def read_parcels(
    path: str | Path,
    profile: Profile,
    field_overrides: Mapping[str, str] | None = None,
    crs: str | None = None,
    display_name: str | None = None,
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

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``apn, address, owner, land_use, land_use_label, geometry`` in the source
        CRS; ``attrs`` holds ``source_name``, ``source_date``, ``source_fields`` (canonical
        to source field) and ``report`` (counts of what was read, repaired and reported).

    Raises
    ------
    InputError
        When the file cannot be read as parcels; the message says what to do.
    """
    path = Path(path)
    raw = _read_raw(path)
    _check_crs(raw, path, crs)
    _check_geometry_types(raw, path)
    fields = resolve_fields(list(raw.columns.drop("geometry")), profile, field_overrides or {})
    frame = _to_canonical(raw, fields, profile.land_use_labels)
    repaired = _repair(frame)
    frame.attrs.update(
        source_name=display_name or path.name,
        source_date=dt.date.fromtimestamp(path.stat().st_mtime).isoformat(),
        source_fields=fields,
        report=_report(frame, repaired),
    )
    return frame


def _read_raw(path: Path) -> gpd.GeoDataFrame:
    target = locate_layer(path)
    try:
        frame = pyogrio.read_dataframe(target, use_arrow=True)
    except pyogrio.errors.DataSourceError as exc:
        raise InputError(
            f"{path.name} could not be opened as a map layer: {_first_line(exc)}"
        ) from None
    except Exception as exc:  # GDAL, Arrow and JSON errors all mean: a broken file
        raise InputError(f"{path.name} could not be read: {_first_line(exc)}") from None
    if not isinstance(frame, gpd.GeoDataFrame) or "geometry" not in frame:
        raise InputError(f"{path.name} has no geometry column: it is a table, not a map layer")
    if len(frame) == 0:
        raise InputError(f"{path.name} has no features")
    return frame


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]


def _check_crs(frame: gpd.GeoDataFrame, path: Path, crs: str | None) -> None:
    if frame.crs is None:
        if not crs:
            raise InputError(
                f"{path.name} does not say which coordinate system it uses (no .prj or CRS); "
                "name one, e.g. --crs EPSG:2226"
            )
        try:
            frame.set_crs(CRS.from_user_input(crs), inplace=True)
        except CRSError:
            raise InputError(f"{crs!r} is not a coordinate system pyproj knows") from None
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
        raise InputError(
            f"{path.name}: coordinates {bounds.round(3).tolist()} cannot be in "
            f"{frame.crs.to_string()} ({area.name}); the file's CRS is wrong "
            "(degrees labelled as feet?)"
        )


def _check_geometry_types(frame: gpd.GeoDataFrame, path: Path) -> None:
    kinds = set(frame.geometry.dropna().geom_type.unique())
    if not kinds:
        raise InputError(f"{path.name} has no geometries")
    wrong = kinds - {"Polygon", "MultiPolygon"}
    if wrong:
        raise InputError(
            f"{path.name} holds {', '.join(sorted(wrong))} features; parcels must be polygons"
        )


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
                raise InputError(
                    f"--field {role}={name}: the file has no field {name!r} "
                    f"(it has: {', '.join(columns)})"
                )
            fields[role] = by_upper[name.upper()]
            continue
        for name in profile.fields.get(role, ()) + COMMON_FIELDS.get(role, ()):
            if name.upper() in by_upper:
                fields[role] = by_upper[name.upper()]
                break
    if "apn" not in fields:
        raise InputError(
            f"no APN field found (the file has: {', '.join(columns)}); "
            "name the parcel number field with --field apn=FIELD"
        )
    return fields


def _text(frame: pd.DataFrame, field: str | None) -> pd.Series:
    if field is None:
        return pd.Series("", index=frame.index, dtype=object)
    values = frame[field]
    text = values.astype(object).where(values.notna(), "")
    return text.astype(str).str.strip().astype(object)


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
        label = land_use.map(lambda code: labels.get(code, "")).astype(object)
    data: dict[str, Any] = {
        "apn": _text(raw, fields["apn"]),
        "address": address,
        "owner": _text(raw, fields.get("owner")),
        "land_use": land_use,
        "land_use_label": label,
    }
    return gpd.GeoDataFrame(data, geometry=raw.geometry.values, crs=raw.crs, index=raw.index)


def _repair(frame: gpd.GeoDataFrame) -> int:
    geoms = frame.geometry.values
    present = ~shapely.is_missing(geoms)
    invalid = present & ~shapely.is_valid(geoms)
    count = int(invalid.sum())
    if count:
        fixed = shapely.make_valid(geoms[invalid], method="structure", keep_collapsed=False)
        frame.loc[invalid, "geometry"] = fixed
    return count


def _report(frame: gpd.GeoDataFrame, repaired: int) -> dict[str, int]:
    apn = frame["apn"]
    return {
        "parcels": len(frame),
        "repaired": repaired,
        "null_geometry": int(frame.geometry.isna().sum() + frame.geometry.is_empty.sum()),
        "blank_apn": int((apn == "").sum()),
        "duplicate_apn": int(apn[apn != ""].duplicated(keep=False).sum()),
    }
