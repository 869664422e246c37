"""Places to assemble: areas and capacities measured in feet, rules from the profile."""

from __future__ import annotations

import io
import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
import shapely
from parcel_helpers import FEET, make_frame, square

from geo.analysis import analyse
from geo.errors import InputError
from geo.profile import Landmark, Profile, Rule
from geo.spaces import (
    SPACE_COLUMNS,
    SQFT_PER_M2,
    areas_m2,
    assembly_places,
    capacities,
    rules_for,
)


def test_area_of_a_known_square_is_measured_in_the_projected_crs() -> None:
    frame = make_frame([("1", "", "", "PK", square(0, size=100.0))])
    area = areas_m2(frame.geometry, "EPSG:2226")[0]
    assert area == pytest.approx(100 * 100 * FEET**2, rel=1e-9)  # 10,000 ft²
    assert area * SQFT_PER_M2 == pytest.approx(10_000, rel=1e-4)


def test_area_is_the_same_after_reprojecting_to_degrees() -> None:
    frame = make_frame([("1", "", "", "PK", square(0, size=100.0))]).to_crs("EPSG:4326")
    assert areas_m2(frame.geometry, "EPSG:2226")[0] == pytest.approx(929.03, rel=1e-3)


def test_capacities_follow_jacobs_densities() -> None:
    people = capacities(
        np.array([10_000.0, 9.0, np.nan]), {"loose": 10, "dense": 4.5, "packed": 2.5}
    )
    assert people["loose"].tolist() == [1000, 0, 0]
    assert people["dense"].tolist() == [2222, 2, 0]
    assert people["packed"].tolist() == [4000, 3, 0]


def test_rules_apply_where_every_condition_holds() -> None:
    rules = [
        Rule("hall", "City Hall", "Code 12.74", addresses=("915 I ST",)),
        Rule("parks", "Parks", "Code 12.72", land_uses=("PK",), owner_classes=("city",)),
        Rule("federal", "Federal", "federal rules", owner_classes=("federal",)),
    ]
    places = pd.DataFrame(
        {
            "address": ["915 I Street", "910 I ST", "650 CAPITOL MALL", "1 A ST"],
            "land_use": ["G1", "PK", "G1", "PK"],
            "owner_class": ["city", "city", "federal", "private"],
        }
    )
    found = [[r.id for r in rs] for rs in rules_for(places, rules)]
    assert found == [["hall"], ["parks"], ["federal"], []]


@pytest.fixture()
def town(profile: Profile) -> tuple[Profile, object]:
    """A landmark parcel, a city park next to it, a city lot far away, a private park."""
    frame = make_frame(
        [
            ("1", "650 CAPITOL MALL", "UNITED STATES OF AMERICA", "G1", square(0)),
            ("2", "1 PARK ST", "CITY OF SACRAMENTO", "PK", square(2)),
            ("3", "2 LOT ST", "CITY OF SACRAMENTO", "P1", square(40)),  # ~1.2 km away
            ("4", "3 PARK ST", "PRIVATE PARKS LLC", "PK", square(4)),
            ("5", "4 OFFICE ST", "CITY OF SACRAMENTO", "C1", square(6)),
        ]
    )
    moss = Landmark("moss", "Moss", address="650 CAPITOL MALL", point=(38.5, -121.5))
    small = replace(profile, landmarks=(moss,))
    return small, analyse(frame, small)


def test_places_are_city_owned_open_and_within_reach(town: tuple[Profile, object]) -> None:
    profile, analysis = town
    places = assembly_places(analysis, profile.assembly, profile.rules, within_m=800)  # type: ignore[arg-type]
    assert list(places.columns[:-1]) == list(SPACE_COLUMNS)
    kinds = places["kind"].tolist()
    assert kinds[0] == "right_of_way" and kinds[-1] == "parcel"  # the zone's streets first
    assert set(kinds[1:-1]) == {"block_face"}  # then each block face
    places = places[places["kind"] == "parcel"]
    assert places["apn"].tolist() == ["2"]
    row = places.iloc[0]
    assert row["area_ft2"] == 10_000
    assert row["capacity_loose"] == 1000 and row["capacity_packed"] == 4000
    assert row["distance_m"] == pytest.approx(100 * FEET, abs=0.2)
    assert "12.72" in row["rules"]


def test_a_longer_walk_reaches_the_far_lot(town: tuple[Profile, object]) -> None:
    profile, analysis = town
    places = assembly_places(analysis, profile.assembly, profile.rules, within_m=2000)  # type: ignore[arg-type]
    places = places[places["kind"] == "parcel"]
    assert places["apn"].tolist() == ["2", "3"]
    assert places["distance_m"].is_monotonic_increasing


def test_walking_distance_out_of_range_is_refused(town: tuple[Profile, object]) -> None:
    profile, analysis = town
    with pytest.raises(InputError, match="walking distance"):
        assembly_places(analysis, profile.assembly, profile.rules, within_m=0)  # type: ignore[arg-type]


def test_sample_places_match_the_cli(profile: Profile, capsys: pytest.CaptureFixture[str]) -> None:
    from geo.cli import main
    from geo.sources import read_parcels

    analysis = analyse(read_parcels(profile.sample_path(), profile), profile)  # type: ignore[arg-type]
    places = assembly_places(analysis, profile.assembly, profile.rules)
    assert main(["spaces", str(profile.sample_path()), "--format", "csv"]) == 0
    table = pd.read_csv(
        io.StringIO(capsys.readouterr().out), dtype={"apn": str}, keep_default_na=False
    )
    assert table["apn"].tolist() == places["apn"].tolist()
    assert table["capacity_dense"].astype(str).tolist() == [
        str(v) for v in places["capacity_dense"]
    ]
    assert set(SPACE_COLUMNS) <= set(table.columns)
    hall = table[table["address"] == "915 I ST"].iloc[0]
    assert "12.74" in hall["rules"] and "5.88" in hall["rules"]
    assert math.isclose(hall["area_ft2"], 320 * 320, rel_tol=0.01)
    # City Hall is a building: its capacity counts the plaza the profile gives, not the parcel
    assert hall["capacity_basis"] == "profile_area"
    assert hall["open_area_m2"] == pytest.approx(1800)
    assert int(hall["capacity_loose"]) == math.floor(1800 * SQFT_PER_M2 / 10)
    street = table[table["kind"] == "right_of_way"].iloc[0]
    assert "Sidewalks" in street["rules"] and street["capacity_basis"] == "right_of_way"
    assert float(street["area_m2"]) > 10_000


def test_a_place_shape_is_given_in_the_crs_asked_for(town: tuple[Profile, object]) -> None:
    from geo.spaces import place_geometry

    profile, analysis = town
    places = assembly_places(analysis, profile.assembly, profile.rules, within_m=2000)  # type: ignore[arg-type]
    in_degrees = place_geometry(places.to_crs("EPSG:4326"), 0, "EPSG:2226")
    assert in_degrees.equals_exact(places.geometry.iloc[0], tolerance=1e-3)


def test_a_building_parcel_has_no_capacity_without_an_open_area(
    town: tuple[Profile, object],
) -> None:
    profile, analysis = town
    spec = replace(profile.assembly, addresses=("4 OFFICE ST",), open_area_m2={})
    places = assembly_places(analysis, spec, profile.rules, within_m=800)  # type: ignore[arg-type]
    office = places[places["apn"] == "5"].iloc[0]
    assert office["site_kind"] == "building"
    assert office["capacity_basis"] == "building_no_area"
    assert pd.isna(office["capacity_loose"]) and office["open_area_m2"] == 0
    assert office["area_ft2"] == 10_000  # the parcel is measured, its capacity is not guessed


def test_a_building_parcel_counts_the_profile_area(town: tuple[Profile, object]) -> None:
    profile, analysis = town
    spec = replace(profile.assembly, addresses=("4 OFFICE ST",), open_area_m2={"4 Office St": 100})
    places = assembly_places(analysis, spec, profile.rules, within_m=800)  # type: ignore[arg-type]
    office = places[places["apn"] == "5"].iloc[0]
    assert office["capacity_basis"] == "profile_area"
    assert office["capacity_loose"] == math.floor(100 * SQFT_PER_M2 / 10)  # 107, not 1,000


def test_a_building_parcel_minus_its_footprint(town: tuple[Profile, object]) -> None:
    profile, analysis = town
    spec = replace(profile.assembly, addresses=("4 OFFICE ST",), open_area_m2={})
    office_square = square(6)
    x0, y0, _, _ = office_square.bounds
    footprint = make_frame([("b", "", "", "", shapely.box(x0, y0, x0 + 100, y0 + 60))])
    places = assembly_places(analysis, spec, profile.rules, 800, footprints=footprint)  # type: ignore[arg-type]
    office = places[places["apn"] == "5"].iloc[0]
    assert office["capacity_basis"] == "minus_footprints"
    assert office["open_area_m2"] == pytest.approx(4_000 * FEET**2, abs=0.1)  # 40 % open
    assert office["capacity_loose"] == 400


def test_the_zone_streets_are_a_place_with_the_sidewalk_rule(
    town: tuple[Profile, object],
) -> None:
    profile, analysis = town
    places = assembly_places(analysis, profile.assembly, profile.rules, within_m=800)  # type: ignore[arg-type]
    street = places.iloc[0]
    assert street["kind"] == "right_of_way" and street["in_free_speech_zone"]
    zone = analysis.zone  # type: ignore[attr-defined]
    assert street["area_m2"] == pytest.approx(zone.right_of_way_m2, rel=1e-3)
    share = profile.assembly.right_of_way_share
    assert street["open_area_m2"] == pytest.approx(zone.right_of_way_m2 * share, rel=1e-3)
    assert [r.id for r in places.attrs["rules"][street["place_id"]]] == ["sidewalks"]


def test_block_faces_split_the_right_of_way(town: tuple[Profile, object]) -> None:
    profile, analysis = town
    places = assembly_places(analysis, profile.assembly, profile.rules, within_m=800)  # type: ignore[arg-type]
    whole = places[places["kind"] == "right_of_way"]
    faces = places[places["kind"] == "block_face"]
    assert len(faces) >= 4  # the landmark's block has four sides in the zone
    street = whole.geometry.iloc[0]
    for face in faces.geometry:
        assert face.difference(street.buffer(0.01)).area < 1e-6  # inside the right-of-way
    # the faces share out the right-of-way without overlapping (small corner pieces aside)
    assert faces["area_m2"].sum() == pytest.approx(whole["area_m2"].iloc[0], rel=0.02)
    assert shapely.union_all(faces.geometry.values).area == pytest.approx(
        faces.geometry.area.sum(), rel=1e-6
    )
    assert "CAPITOL MALL 650" in faces["address"].tolist()  # named by the parcels it fronts
    assert all("Sidewalks" in r for r in faces["rules"])  # the sidewalk rule applies
