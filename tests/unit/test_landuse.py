"""Tests for geo.landuse: land-use codes as patterns, descriptions, and the values table."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from arcgis_standin import county_parcels
from parcel_helpers import make_frame, square

from geo.classify import classify, site_kinds
from geo.cli import main
from geo.landuse import code_table, codes_of_kind, matches_any, site_kind_of_codes
from geo.policy.terms import Policy
from geo.profile import Profile
from geo.spaces import rules_for

LOT, GARAGE, OPEN, BUILDING = "parking lot", "parking garage", "open space", "building"


def kinds(
    codes: list[str], descriptions: list[str] | None = None, **listed: list[str]
) -> list[str]:
    """Site kinds of codes, ``listed`` given as lot=, garage=, open=, building=."""
    order = {"lot": LOT, "garage": GARAGE, "open": OPEN, "building": BUILDING}
    return site_kind_of_codes(codes, {order[k]: v for k, v in listed.items()}, descriptions)


# ------------------------------------------------------------------ matching


def test_prefix_matches_the_countys_six_character_codes() -> None:
    assert kinds(["BFH00A", "BFH00B", "BFH0MA", "CBA00A", "BF"], lot=["BFH*"]) == [
        LOT,
        LOT,
        LOT,
        "other",
        "other",
    ]


def test_exact_code_wins_over_a_prefix() -> None:
    assert kinds(["BFH00G", "BFH00A"], lot=["BFH*"], garage=["BFH00G"]) == [GARAGE, LOT]
    assert kinds(["BFH00G"], garage=["BFH00G"], lot=["BFH*"]) == [GARAGE]


def test_longer_prefix_wins() -> None:
    codes = ["BFH9AA", "BFH00A", "BAA00A"]
    assert kinds(codes, building=["B*"], lot=["BFH*"], garage=["BFH9*"]) == [GARAGE, LOT, BUILDING]


def test_a_tie_goes_to_the_kind_listed_first() -> None:
    assert kinds(["P1"], lot=["P1"], garage=["P1"]) == [LOT]
    assert kinds(["P1"], garage=["P1"], lot=["P1"]) == [GARAGE]


def test_descriptions_match_when_the_source_has_them() -> None:
    codes = ["XYZ123", "BFH00A", "QQQ000", "P1"]
    described = ["PARKING GARAGE, PARKING STRUCTURE", "PARKING LOT", "Parking  lot", "PARKING LOT"]
    assert kinds(codes, described, lot=["PARKING LOT"], garage=["PARKING GARAGE*"]) == [
        GARAGE,
        LOT,
        LOT,
        LOT,
    ]
    assert kinds(codes, None, lot=["PARKING LOT"], garage=["PARKING GARAGE*"]) == ["other"] * 4


def test_a_code_beats_a_description() -> None:
    """``P1`` listed as a garage code wins over its description naming a lot."""
    assert kinds(["P1"], ["PARKING LOT"], lot=["PARKING LOT"], garage=["P1"]) == [GARAGE]


def test_case_spacing_and_a_lone_star() -> None:
    assert kinds([" bfh00a ", "R1"], lot=["bfh*"], building=["*"]) == [LOT, "other"]
    assert kinds(["", "P1"], lot=["P1"]) == ["other", LOT]


def test_codes_of_kind_expands_patterns_to_the_datas_codes() -> None:
    codes = ["BFH00A", "CBA00A", "BFH0MA", "P2"]
    listed = {LOT: ["BFH*"], GARAGE: ["P2"]}
    assert codes_of_kind(codes, listed, LOT) == ["BFH00A", "BFH0MA"]
    assert codes_of_kind(codes, listed, GARAGE) == ["P2"]


def test_matches_any_row_by_row() -> None:
    codes = pd.Series(["BFH00A", "PK", "ZZZ001", "CBA00A", None])
    labels = pd.Series(["PARKING LOT", "", "PARK, GREENBELT, ETC", "OFFICE", None])
    entries = ["BFH*", "PK", "PARK, GREENBELT, ETC"]
    assert matches_any(codes, entries, labels).tolist() == [True, True, True, False, False]
    assert matches_any(codes, entries).tolist() == [True, True, False, False, False]
    assert matches_any(codes, []).tolist() == [False] * 5


def test_park_rules_apply_to_the_countys_parks(profile: Profile) -> None:
    """The profile's city-park rule names the sample's PK and the county's description."""
    places = pd.DataFrame(
        {
            "address": ["1 A ST", "2 B ST", "3 C ST"],
            "land_use": ["ZZZ001", "PK", "BFH00A"],
            "land_use_label": ["PARK, GREENBELT, ETC", "Park or plaza", "PARKING LOT"],
            "owner_class": ["city", "city", "city"],
        }
    )
    found = [{r.id for r in rules} for rules in rules_for(places, profile.rules)]
    assert ["city_parks" in ids for ids in found] == [True, True, False]


# --------------------------------------------------------- through classify


def county_rows(codes: list[str], owner: str = "CITY OF SACRAMENTO") -> gpd.GeoDataFrame:
    return make_frame(
        [(f"006-0010-{i:03d}-0000", "", owner, c, square(i)) for i, c in enumerate(codes)]
    )


def test_sample_codes_still_work(policy: Policy) -> None:
    codes = pd.Series(["P1", "P2", "PK", "C1", "V1", "R2"])
    assert site_kinds(codes, policy).tolist() == [LOT, GARAGE, OPEN, BUILDING, "other", BUILDING]


def test_county_parking_codes_are_lots_under_the_profile(policy: Policy) -> None:
    frame = county_rows(["BFH00A", "BFH00B", "BFH0MA", "CBA00A"])
    narrow = policy.with_changes(scope="lots_and_garages")
    out = classify(frame, narrow)
    assert out["site_kind"].tolist() == [LOT, LOT, LOT, "other"]
    assert out["verdict"].tolist() == ["covered"] * 3 + ["not covered"]
    assert "land use = BFH0MA is a parking lot" in out["reasons"].iloc[2]


def test_classify_matches_descriptions_in_land_use_label(policy: Policy) -> None:
    frame = county_rows(["ZZZ001", "ZZZ002"])
    frame["land_use_label"] = ["PARKING GARAGE, PARKING STRUCTURE", "SPEC DIST-EXEMPT"]
    assert classify(frame, policy)["site_kind"].tolist() == [GARAGE, "other"]
    without = classify(frame, policy.with_changes(parking_garage=("P2",)))
    assert without["site_kind"].tolist() == ["other", "other"]


# --------------------------------------------------------------- the table


def test_code_table_lists_codes_with_descriptions_and_kinds() -> None:
    codes = pd.Series(["BFH00A", "BFH00A", "CBA00A", "", "BFH0MA"])
    labels = pd.Series(["PARKING LOT", "PARKING LOT", "OFFICE - SINGLE TENANT", "", "PARKING LOT"])
    table = code_table(codes, labels, {LOT: ["BFH*"]})
    assert table.columns.tolist() == ["value", "description", "parcels", "site_kind"]
    assert table.to_dict("records")[0] == {
        "value": "BFH00A",
        "description": "PARKING LOT",
        "parcels": 2,
        "site_kind": LOT,
    }
    assert set(table["value"]) == {"BFH00A", "BFH0MA", "CBA00A", "(blank)"}
    assert table.set_index("value")["site_kind"].to_dict()["CBA00A"] == "other"


# ------------------------------------------------------------ the command line


@pytest.fixture(scope="module")
def county_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample with the county's six-character codes and descriptions, as a GeoPackage."""
    path = tmp_path_factory.mktemp("county") / "county.gpkg"
    county_parcels(county_codes=True).to_file(path)
    return path


def csv_rows(capsys: pytest.CaptureFixture[str], *args: object) -> list[dict[str, str]]:
    status = main([str(a) for a in args])
    out, err = capsys.readouterr()
    assert status == 0, err
    return list(csv.DictReader(io.StringIO(out)))


def test_check_lot_use_pattern_on_county_codes(
    county_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``check --lot-use 'BFH*'``: the county's six-character parking codes are lots."""
    rows = csv_rows(capsys, "check", county_file, "--lot-use", "BFH*", "--format", "csv")
    parking = [r for r in rows if r["land_use"].startswith("BFH")]
    assert len(parking) == 37
    assert {r["land_use"] for r in parking} == {"BFH00A", "BFH00B", "BFH0MA"}
    assert {r["site_kind"] for r in parking} == {LOT}
    city = [r for r in parking if r["owner_class"] == "city"]
    assert city and {r["verdict"] for r in city} == {"covered"}
    plain = csv_rows(capsys, "check", county_file, "--lot-use", "P1", "--format", "csv")
    assert {r["site_kind"] for r in plain if r["land_use"].startswith("BFH")} == {"other"}


def test_open_space_use_option(county_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``--open-space-use`` replaces the profile's open-space entries; an exact code listed
    as a building (R1) still beats the prefix R*."""
    rows = csv_rows(
        capsys, "check", county_file, "--open-space-use", "V1", "--open-space-use", "R*",
        "--format", "csv",
    )  # fmt: skip
    assert {r["site_kind"] for r in rows if r["land_use"] == "V1"} == {OPEN}
    assert {r["site_kind"] for r in rows if r["land_use"] == "PK"} == {"other"}
    assert {r["site_kind"] for r in rows if r["land_use"] in ("R1", "R2")} == {BUILDING}


def test_values_shows_codes_with_descriptions(
    county_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = csv_rows(capsys, "values", county_file, "LANDUSE", "--format", "csv")
    by_code = {r["value"]: r for r in rows}
    assert by_code["BFH00A"]["description"] == "PARKING LOT"
    assert by_code["BFH00A"]["site_kind"] == LOT
    assert by_code["CBA00A"]["description"] == "OFFICE - SINGLE TENANT"
    assert sum(int(by_code[c]["parcels"]) for c in ("BFH00A", "BFH00B", "BFH0MA")) == 37
    other = csv_rows(capsys, "values", county_file, "ZONE_", "--format", "csv")
    assert list(other[0]) == ["value", "parcels"]
