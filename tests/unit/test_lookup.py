"""Tests for geo.lookup: finding parcels by APN, by address and by a point on the map."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from parcel_helpers import make_frame, square
from pyproj import Transformer

from geo.lookup import Match, ParcelIndex, Suggestion
from geo.profile import Landmark, load_profile


@pytest.fixture(scope="module")
def frame() -> gpd.GeoDataFrame:
    """Five parcels in a row; two share an address, one has none."""
    return make_frame(
        [
            ("007-0111-017-0000", "1201 I ST", "CITY OF SACRAMENTO", "P1", square(0)),
            ("007-0111-018-0000", "1200 I ST", "ACME LLC", "C1", square(1)),
            ("0060710001", "1000 I Street", "Sacramento, City of", "P2", square(2)),
            ("006-0609-001-0000", "915 I ST", "CITY OF SACRAMENTO", "G1", square(3)),
            ("006-0609-002-0000", "915 I St.", "CITY OF SACRAMENTO", "G1", square(4)),
            ("006-0609-003-0000", "", "", "V1", square(5)),
        ]
    )


@pytest.fixture(scope="module")
def index(frame: gpd.GeoDataFrame) -> ParcelIndex:
    """The index over the hand-made parcels, with the profile's place words."""
    return ParcelIndex(frame, (), load_profile().place)


def lat_lon_of(frame: gpd.GeoDataFrame, pos: int) -> tuple[float, float]:
    """Latitude and longitude of a parcel's centroid."""
    point = frame.geometry.iloc[pos].centroid
    lon, lat = Transformer.from_crs(2226, 4326, always_xy=True).transform(point.x, point.y)
    return lat, lon


# ----------------------------------------------------------------------- APNs


@pytest.mark.parametrize(
    "query",
    [
        "007-0111-017-0000",
        "0070111017",
        "00701110170000",
        "007 0111 017",
        "007-0111-017",
        " 007 0111 017 0000 ",
    ],
)
def test_by_apn_any_spelling(index: ParcelIndex, query: str) -> None:
    match = index.by_apn(query)
    assert match.found
    assert match.positions == (0,)
    assert match.query == query


@pytest.mark.parametrize("query", ["006-0710-001-0000", "0060710001", "006 0710 001"])
def test_by_apn_14_digit_query_finds_10_digit_apn(index: ParcelIndex, query: str) -> None:
    assert index.by_apn(query).positions == (2,)


@pytest.mark.parametrize("query", ["70111017", "070111017"])
def test_by_apn_leading_zeros_a_spreadsheet_dropped(index: ParcelIndex, query: str) -> None:
    assert index.by_apn(query).positions == (0,)


@pytest.mark.parametrize("query", ["007-0111-019-0000", "", "12", "007-0111-017-0001", "111017"])
def test_by_apn_misses(index: ParcelIndex, query: str) -> None:
    match = index.by_apn(query)
    assert not match.found and match.positions == ()


# -------------------------------------------------------------------- address


@pytest.mark.parametrize(
    ("query", "positions"),
    [
        ("1201 I ST", (0,)),
        ("1201 i street", (0,)),
        ("1201 I Street, Sacramento, CA 95814", (0,)),
        ("1000 I ST", (2,)),
        ("915 I Street", (3, 4)),
    ],
)
def test_by_address_exact(index: ParcelIndex, query: str, positions: tuple[int, ...]) -> None:
    match = index.by_address(query)
    assert match.positions == positions
    assert match.suggestions == ()


def test_by_address_near_miss_suggests(index: ParcelIndex) -> None:
    match = index.by_address("1201 I Stret")
    assert not match.found
    assert match.suggestions[0] == "1201 I ST"
    assert set(match.suggestions) <= {"1201 I ST", "1200 I ST", "1000 I ST", "915 I ST"}


def test_by_address_suggest_limit(index: ParcelIndex) -> None:
    assert len(index.by_address("120 I ST", suggest=1).suggestions) == 1


def test_by_address_far_miss_has_no_suggestions(index: ParcelIndex) -> None:
    match = index.by_address("77 Sunset Boulevard")
    assert match == Match("77 Sunset Boulevard", (), ())


def test_blank_address_is_not_indexed(index: ParcelIndex) -> None:
    assert not index.by_address("").found


# ----------------------------------------------------------------------- find


@pytest.mark.parametrize(
    ("query", "positions"),
    [
        ("007-0111-018-0000", (1,)),
        ("  0070111018  ", (1,)),
        ("1200 I Street", (1,)),
        (" 915 i st ", (3, 4)),
    ],
)
def test_find_apn_or_address(index: ParcelIndex, query: str, positions: tuple[int, ...]) -> None:
    assert index.find(query).positions == positions


def test_find_strips_the_query(index: ParcelIndex) -> None:
    assert index.find("  1201 I St  ").query == "1201 I St"


def test_find_nothing(index: ParcelIndex) -> None:
    match = index.find("999-9999-999")
    assert not match.found
    near = index.find("1201 I Stret")
    assert not near.found and "1201 I ST" in near.suggestions


# ---------------------------------------------------------------------- point


@pytest.mark.parametrize("pos", [0, 2, 5])
def test_at_point_inside_a_parcel(frame: gpd.GeoDataFrame, index: ParcelIndex, pos: int) -> None:
    lat, lon = lat_lon_of(frame, pos)
    match = index.at_point(lat, lon)
    assert match.positions == (pos,)
    assert match.query == f"{lat:.6f}, {lon:.6f}"


def test_at_point_outside(frame: gpd.GeoDataFrame, index: ParcelIndex) -> None:
    lat, lon = lat_lon_of(frame, 0)
    assert not index.at_point(lat + 0.01, lon).found  # about a kilometre north
    assert not index.at_point(0.0, 0.0).found


def test_at_point_on_4326_frame(frame: gpd.GeoDataFrame) -> None:
    lat, lon = lat_lon_of(frame, 3)
    assert ParcelIndex(frame.to_crs(4326)).at_point(lat, lon).positions == (3,)


def test_at_point_without_crs_finds_nothing(frame: gpd.GeoDataFrame) -> None:
    index = ParcelIndex(frame.set_crs(None, allow_override=True))
    lat, lon = lat_lon_of(frame, 0)
    assert not index.at_point(lat, lon).found
    assert index.by_apn("0070111017").positions == (0,)


def test_match_found() -> None:
    assert Match("q", (3,)).found
    assert not Match("q", (), ("a",)).found


# ------------------------------------------------------- search by name, near misses

CITY_HALL = Landmark(id="city_hall", name="Sacramento City Hall", label="City Hall",
                     address="915 I ST")  # fmt: skip
PLAZA = Landmark(id="chavez_plaza", name="Cesar Chavez Plaza", address="910 I ST")
MOSS = Landmark(id="moss", name="John E. Moss Federal Building", label="Moss Federal Building",
                address="650 CAPITOL MALL")  # fmt: skip
FEDERAL_801 = Landmark(id="federal_801_i", name="Federal building, 801 I St",
                       label="801 I St (federal)", address="801 I ST")  # fmt: skip
NOWHERE = Landmark(id="gone", name="Old Depot", address="1 DEPOT RD", point=(0.0, 0.0))


@pytest.fixture(scope="module")
def street() -> gpd.GeoDataFrame:
    """A street of parcels with owner classes: the city under two spellings, others public
    and private."""
    rows = [
        ("001", "1520 I ST", "ACME LLC", "C1", "private"),
        ("002", "1521 I ST", "ACME LLC", "C1", "private"),
        ("003", "1420 I ST", "SMITH JANE", "R1", "private"),
        ("004", "1220 I ST", "CITY OF SACRAMENTO", "P1", "city"),
        ("005", "1200 I ST", "Sacramento, City of", "P2", "city"),
        ("006", "1201 I ST", "COUNTY OF SACRAMENTO", "G1", "county"),
        ("007", "915 I ST", "CITY OF SACRAMENTO", "G1", "city"),
        ("008", "910 I ST", "CITY OF SACRAMENTO", "PK", "city"),
        ("009", "801 I ST", "UNITED STATES OF AMERICA", "G1", "federal"),
        ("010", "650 CAPITOL MALL", "UNITED STATES OF AMERICA", "G1", "federal"),
        ("011", "12 E ST", "CITY OF WEST SACRAMENTO", "V1", "other_public"),
        ("012", "14 E ST", "SACRAMENTO REGIONAL TRANSIT DISTRICT", "V1", "other_public"),
    ]
    frame = make_frame([(a, b, c, d, square(i)) for i, (a, b, c, d, _) in enumerate(rows)])
    frame["owner_class"] = [r[4] for r in rows]
    return frame


@pytest.fixture(scope="module")
def named(street: gpd.GeoDataFrame) -> ParcelIndex:
    """The index over the street, with landmarks."""
    return ParcelIndex(street, [CITY_HALL, PLAZA, MOSS, FEDERAL_801, NOWHERE])


def addresses(frame: gpd.GeoDataFrame, match: Match) -> list[str]:
    """The addresses of a match's parcels, in its order."""
    return frame["address"].iloc[list(match.positions)].tolist()


def test_near_miss_suggests_the_nearest_numbers_on_the_street_first(named: ParcelIndex) -> None:
    match = named.find("1210 I St")
    assert not match.found
    assert match.suggestions[:3] == ("1201 I ST", "1200 I ST", "1220 I ST")
    assert match.suggestions[3] == "1420 I ST"  # then further along, never 1521 before 1220
    assert all(s.kind == "address" and s.label == s.query for s in match.options)


def test_near_miss_limit(named: ParcelIndex) -> None:
    assert named.find("1210 I St", suggest=2).suggestions == ("1201 I ST", "1200 I ST")


def test_near_miss_with_a_misspelt_street(named: ParcelIndex) -> None:
    assert named.find("1210 I Stret").suggestions[:3] == ("1201 I ST", "1200 I ST", "1220 I ST")


def test_a_street_of_another_name_is_not_offered(named: ParcelIndex) -> None:
    # E ST is not ELM ST: its house numbers are not offered (a look-alike spelling may be)
    assert "14 E ST" not in named.find("12 Elm St").suggestions


@pytest.mark.parametrize(
    ("query", "address"),
    [
        ("City Hall", "915 I ST"),
        ("city hall", "915 I ST"),
        ("Sacramento City Hall", "915 I ST"),
        ("Cesar Chavez Plaza", "910 I ST"),
        ("César Chávez Plaza", "910 I ST"),
        ("Moss", "650 CAPITOL MALL"),
        ("moss federal building", "650 CAPITOL MALL"),
        ("Chavez", "910 I ST"),
    ],
)
def test_landmarks_by_name_and_label(
    named: ParcelIndex, street: gpd.GeoDataFrame, query: str, address: str
) -> None:
    match = named.find(query)
    assert addresses(street, match) == [address]
    assert match.via == "landmark"


def test_a_word_several_landmarks_share_offers_them(named: ParcelIndex) -> None:
    match = named.find("Federal")
    assert not match.found
    offered = [(s.label, s.kind) for s in match.options]
    assert ("John E. Moss Federal Building", "landmark") in offered
    assert ("Federal building, 801 I St", "landmark") in offered
    assert all(named.find(s.query).found for s in match.options)


def test_a_landmark_not_on_the_map_is_not_found(named: ParcelIndex) -> None:
    assert not named.find("Old Depot").found


def test_a_landmark_found_by_its_point(street: gpd.GeoDataFrame) -> None:
    lat, lon = lat_lon_of(street, 2)
    depot = Landmark(id="depot", name="Old Depot", address="1 DEPOT RD", point=(lat, lon))
    match = ParcelIndex(street, [depot]).find("old depot")
    assert addresses(street, match) == ["1420 I ST"]


def test_public_owner_lists_its_parcels_in_any_spelling(
    named: ParcelIndex, street: gpd.GeoDataFrame
) -> None:
    for query in ("CITY OF SACRAMENTO", "city of sacramento", "Sacramento, City of"):
        match = named.find(query)
        assert match.via == "owner" and match.name == "CITY OF SACRAMENTO"
        assert addresses(street, match) == ["1220 I ST", "1200 I ST", "915 I ST", "910 I ST"]


def test_an_owner_that_only_sounds_like_the_city_is_not_the_city(
    named: ParcelIndex, street: gpd.GeoDataFrame
) -> None:
    assert addresses(street, named.find("City of West Sacramento")) == ["12 E ST"]
    assert addresses(street, named.find("regional transit")) == ["14 E ST"]


def test_a_word_many_public_owners_share_offers_them_most_parcels_first(
    named: ParcelIndex,
) -> None:
    match = named.find("Sacramento")
    assert not match.found
    owners = [(s.label, s.count) for s in match.options if s.kind == "owner"]
    assert owners[0] == ("CITY OF SACRAMENTO", 4)
    assert {"COUNTY OF SACRAMENTO", "CITY OF WEST SACRAMENTO"} <= {o for o, _ in owners}


@pytest.mark.parametrize("query", ["ACME LLC", "acme", "Smith Jane", "JANE"])
def test_private_owners_are_never_found_or_offered_by_name(named: ParcelIndex, query: str) -> None:
    match = named.find(query)
    assert not match.found
    assert not any("ACME" in s.label or "SMITH" in s.label for s in match.options)


def test_without_owner_classes_no_owner_is_found_by_name(street: gpd.GeoDataFrame) -> None:
    index = ParcelIndex(street.drop(columns="owner_class"))
    assert not index.find("CITY OF SACRAMENTO").found


@pytest.mark.parametrize("query", ["I St", "i street", "I ST"])
def test_a_street_lists_its_parcels_by_house_number(
    named: ParcelIndex, street: gpd.GeoDataFrame, query: str
) -> None:
    match = named.find(query)
    assert match.via == "street" and match.name == "I ST"
    assert addresses(street, match) == [
        "801 I ST", "910 I ST", "915 I ST", "1200 I ST", "1201 I ST", "1220 I ST",
        "1420 I ST", "1520 I ST", "1521 I ST",
    ]  # fmt: skip


def test_a_misspelt_street_is_offered(named: ParcelIndex) -> None:
    match = named.find("Capitol Mal")
    assert Suggestion("CAPITOL MALL", "CAPITOL MALL", "street", 1) in match.options


def test_exact_address_and_apn_come_before_names(
    named: ParcelIndex, street: gpd.GeoDataFrame
) -> None:
    assert named.find("801 I St").via == "address"
    assert named.find("010").via == "apn"
    assert addresses(street, named.find("010")) == ["650 CAPITOL MALL"]


def test_blank_query(named: ParcelIndex) -> None:
    assert named.find("   ") == Match("", ())


def test_by_name_alone(named: ParcelIndex) -> None:
    assert named.by_name("City Hall").via == "landmark"
    assert not named.by_name("1201 I ST").found


def test_every_suggestion_finds_what_it_says(named: ParcelIndex) -> None:
    for query in ("1210 I St", "Federal", "Sacramento", "Capitol Mal", "I Stret"):
        for offer in named.find(query).options:
            found = named.find(offer.query)
            assert found.found and len(found.positions) == offer.count, offer


def test_owner_classes_added_to_an_index_built_without_them(street: gpd.GeoDataFrame) -> None:
    bare = ParcelIndex(street.drop(columns="owner_class"))
    index = bare.with_owner_classes(street["owner_class"])
    assert len(index.find("CITY OF SACRAMENTO").positions) == 4
    assert not bare.find("CITY OF SACRAMENTO").found  # the first is left as it was
    assert index.find("1201 I ST").positions == bare.find("1201 I ST").positions
    everyone_private = index.with_owner_classes(pd.Series("private", index=street.index))
    assert not everyone_private.find("CITY OF SACRAMENTO").found
