"""Tests for geo.lookup: finding parcels by APN, by address and by a point on the map."""

from __future__ import annotations

import geopandas as gpd
import pytest
from parcel_helpers import make_frame, square
from pyproj import Transformer

from geo.lookup import Match, ParcelIndex


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
    """The index over the hand-made parcels."""
    return ParcelIndex(frame)


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


@pytest.mark.parametrize("query", ["007-0111-019-0000", "", "12", "007-0111-017-0001"])
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
