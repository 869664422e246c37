"""A month of edits to the stand-in's parcel layer, and the changes they must show.

The stand-in (``arcgis_standin``) serves the bundled sample in the county's schema; these
edits are what a county's monthly update does to such a layer: sales (owners changed, one
only respelled), new land-use codes, parcels retired and created, a parcel split in two under
new numbers. :data:`EXPECTED` is what ``civicmap changes`` must list, and :data:`FLIPS`
which verdicts flip under the profile's default version (and :data:`LOTS_ONLY_FLIPS` under
``lots_only``).
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely

DAY_MS = 86_400_000

SOLD_TO_CITY = "006-0115-008-0000"  # a private parking lot the city bought
SOLD_BY_CITY = "006-0212-004-0000"  # a city parcel sold to a firm
RESPELLED = "006-0102-001-0000"  # the same owner, in lower case: not a change
CITY_LOT = "006-0813-006-0000"  # a city building whose land use becomes a parking lot
PRIVATE_USE = "006-0102-002-0000"  # a private R1 becoming an office (C1)
RETIRED = ("006-0102-003-0000", "006-0103-001-0000")
SPLIT = "006-0104-001-0000"
PARTS = ("006-0104-901-0000", "006-0104-902-0000")
NEW = "009-0001-001-0000"

EXPECTED = {
    SOLD_TO_CITY: "owner",
    SOLD_BY_CITY: "owner",
    CITY_LOT: "land use",
    PRIVATE_USE: "land use",
    RETIRED[0]: "removed",
    RETIRED[1]: "removed",
    PARTS[0]: "split",
    PARTS[1]: "split",
    NEW: "added",
}
FLIPS = {SOLD_TO_CITY: ("not covered", "covered"), SOLD_BY_CITY: ("covered", "not covered")}
LOTS_ONLY_FLIPS = {
    SOLD_TO_CITY: ("not covered", "covered"),
    CITY_LOT: ("not covered", "covered"),
}


def _row(frame: gpd.GeoDataFrame, apn: str) -> int:
    hits = frame.index[frame["APN_DASH"] == apn]
    assert len(hits) == 1, apn
    return int(hits[0])


def _numbered(rows: gpd.GeoDataFrame, apn: str) -> gpd.GeoDataFrame:
    digits = apn.replace("-", "")
    return rows.assign(APN_DASH=apn, PARCEL_NUMBER=digits, APN10=digits[:10])


def a_month_later(parcels: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The layer after a month of edits (a copy; object ids go on from the highest)."""
    out = parcels.copy()
    out.loc[_row(out, SOLD_TO_CITY), "NAME"] = "CITY OF SACRAMENTO"
    out.loc[_row(out, SOLD_BY_CITY), "NAME"] = "TWELVE OAKS PARTNERS LLC"
    out.loc[_row(out, RESPELLED), "NAME"] = str(out.loc[_row(out, RESPELLED), "NAME"]).lower()
    out.loc[_row(out, CITY_LOT), "LANDUSE"] = "P1"
    out.loc[_row(out, PRIVATE_USE), "LANDUSE"] = "C1"
    whole = out.loc[[_row(out, SPLIT)]]
    x0, y0, x1, y1 = whole.geometry.iloc[0].bounds
    halves = [
        whole.geometry.iloc[0].intersection(shapely.box(x0, y0, (x0 + x1) / 2, y1)),
        whole.geometry.iloc[0].intersection(shapely.box((x0 + x1) / 2, y0, x1, y1)),
    ]
    parts = [
        _numbered(whole, apn).set_geometry([half], crs=out.crs)
        for apn, half in zip(PARTS, halves, strict=True)
    ]
    new = _numbered(out.loc[[_row(out, PRIVATE_USE)]], NEW)
    new = new.set_geometry(new.geometry.translate(0, -5000))
    gone = [_row(out, apn) for apn in (*RETIRED, SPLIT)]
    out = pd.concat([out.drop(index=gone), *parts, new], ignore_index=True)
    out["OBJECTID"] = range(1, len(out) + 1)
    return gpd.GeoDataFrame(out, geometry="geometry", crs=parcels.crs)
