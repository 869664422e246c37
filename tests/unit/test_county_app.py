"""The county's record link on the sheet, and the land-use pickers' codes and patterns."""

from __future__ import annotations

import dataclasses
import html

import geopandas as gpd
import pandas as pd
from shapely.geometry import box

from geo.analysis import analyse
from geo.i18n import translator
from geo.profile import Profile
from geo.sources import read_parcels
from layers.compose import parcel_sheet
from layers.record_link import record_facts
from panels.land_use_codes import code_options

TEMPLATE = "https://assessor.example/parcel?apn={apn_digits}"
EN = translator("en")


def linked(profile: Profile) -> Profile:
    """The bundled profile with a record URL template."""
    return dataclasses.replace(profile, source={**profile.source, "record_url": TEMPLATE})


def test_the_sheet_links_the_countys_record_only_with_a_template(profile: Profile) -> None:
    parcels = read_parcels(profile.sample_path(), profile).head(3).copy()  # type: ignore[arg-type]
    analysed = analyse(parcels, profile)
    apn = str(analysed.parcels.iloc[0]["apn"])
    digits = "".join(c for c in apn if c.isalnum())
    with_link = parcel_sheet(analysed, 0, ("d", "2026", True), "?q=x", EN, linked(profile))
    assert f"https://assessor.example/parcel?apn={digits}" in with_link
    assert EN("card.record") in html.unescape(with_link)
    without = parcel_sheet(analysed, 0, ("d", "2026", True), "?q=x", EN, profile)
    assert "assessor.example" not in without
    assert record_facts(profile, apn, EN) == [] and record_facts(None, apn, EN) == []


def frame(codes: list[tuple[str, str]]) -> gpd.GeoDataFrame:
    """Parcels with these (land use, description) pairs."""
    return gpd.GeoDataFrame(
        {
            "land_use": [c for c, _ in codes],
            "land_use_label": [d for _, d in codes],
            "geometry": [box(i, 0, i + 1, 1) for i in range(len(codes))],
        },
        crs="EPSG:2226",
    )


def test_pickers_keep_patterns_and_show_descriptions_and_counts(profile: Profile) -> None:
    parcels = frame(
        [("BFH00A", "PARKING LOT")] * 3
        + [("BFH0MA", "PARKING LOT"), ("CBA00A", "OFFICE"), ("", "")]
    )
    picker = code_options("test-frame", parcels)
    assert picker.codes == ("BFH00A", "BFH0MA", "CBA00A")  # most parcels first, no blank
    options = picker.options(["BFH*", "BFH00A", "P9"])
    assert options == ["BFH00A", "BFH0MA", "CBA00A", "BFH*", "P9"]  # kept, not dropped
    show = picker.formatter(profile, "en", EN)
    assert show("BFH00A") == "BFH00A · PARKING LOT (3 parcels)"
    assert show("BFH*") == "BFH* · every code starting so (4 parcels)"
    assert show("P9") == "P9 · not a code in this file (0 parcels)"
    assert "PARKING LOT" in translator("es")(
        "policy.code_option", code="x", label="PARKING LOT", count="1"
    )
    table = picker.table()
    assert table.loc["CBA00A", "description"] == "OFFICE" and table.loc["BFH00A", "parcels"] == 3
    assert isinstance(table, pd.DataFrame)
