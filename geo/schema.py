"""The canonical parcel schema, and which source field feeds each of its columns.

Every parcel table has the columns ``apn, address, owner, land_use, land_use_label`` (and
``apn_alt`` when the source has a second spelling of the parcel number) whatever the source
called them. The profile says which field maps to which column; common names are recognised
without one; ``--field`` overrides both.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import geopandas as gpd
import pandas as pd

from geo.errors import InputError
from geo.profile import Profile

CANONICAL = ("apn", "address", "owner", "land_use", "land_use_label")
# The other spelling of the parcel number (a second field), kept as an optional column
# ``apn_alt`` when the source has one, so a search by either spelling finds the parcel.
ALTERNATE_APN = "apn_alt"
FIELD_ROLES = CANONICAL + ("address_number", "address_street", ALTERNATE_APN)
FIELD_MISSING = "error.sources.field_missing"  # a --field naming a field the file lacks

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


def text_column(frame: pd.DataFrame, field: str | None) -> pd.Series:
    """A source field as trimmed text ("" where missing; whole floats lose their ".0")."""
    if field is None:
        return pd.Series("", index=frame.index, dtype=object)
    values = frame[field]
    if pd.api.types.is_float_dtype(values) and bool((values.dropna() % 1 == 0).all()):
        values = values.astype("Int64")  # 70111017.0 is the APN 70111017
    if not pd.api.types.is_string_dtype(values) or values.dtype == object:
        values = values.astype(object).where(values.notna(), "").astype(str)
    return values.fillna("").str.strip()


def to_canonical(
    raw: gpd.GeoDataFrame, fields: Mapping[str, str], labels: Mapping[str, str]
) -> gpd.GeoDataFrame:
    """The source's features with the canonical columns only, from the resolved fields."""
    address = text_column(raw, fields.get("address"))
    if "address" not in fields and "address_street" in fields:
        number = text_column(raw, fields.get("address_number"))
        street = text_column(raw, fields["address_street"])
        address = (number + " " + street).str.strip()
    land_use = text_column(raw, fields.get("land_use"))
    label = text_column(raw, fields.get("land_use_label"))
    if "land_use_label" not in fields:
        label = land_use.map(dict(labels)).fillna("")
    data: dict[str, Any] = {
        "apn": text_column(raw, fields["apn"]),
        "address": address,
        "owner": text_column(raw, fields.get("owner")),
        "land_use": land_use,
        "land_use_label": label,
    }
    if ALTERNATE_APN in fields:
        data[ALTERNATE_APN] = text_column(raw, fields[ALTERNATE_APN])
    return gpd.GeoDataFrame(data, geometry=raw.geometry.values, crs=raw.crs, index=raw.index)
