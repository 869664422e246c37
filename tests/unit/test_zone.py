"""Tests for geo.zone: measuring units, landmarks, the free speech zone and who is in it."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pytest
import shapely
from parcel_helpers import FEET, X0, Y0, make_frame, square
from pyproj import CRS, Transformer

from geo.errors import InputError
from geo.profile import Landmark, Profile, ZoneSpec, load_profile
from geo.zone import (
    LocatedLandmark,
    borders_zone,
    distance_m,
    free_speech_zone,
    in_zone,
    locate_landmark,
    metres_per_unit,
    private_area_m2,
)

CRS_FT = CRS.from_epsg(2226)
MOSS = Landmark(
    id="moss",
    name="John E. Moss Federal Building",
    address="650 CAPITOL MALL",
    point=(38.5778, -121.5018),
)
SIDE = 100.0  # feet
# A 64-gon (quad_segs=16) inscribed in a circle of radius r has area 32 r² sin(pi/32).
CORNERS = 32 * SIDE**2 * math.sin(math.pi / 32)
RING_FT2 = 4 * SIDE * SIDE + CORNERS  # buffer of a 100 ft square by 100 ft, minus the square


def spec(distance: float = SIDE * FEET, exclude: bool = True, max_m: float = 800.0) -> ZoneSpec:
    """A zone spec around the Moss landmark."""
    return ZoneSpec("moss", distance, max_m, exclude)


@pytest.fixture()
def parcels() -> gpd.GeoDataFrame:
    """The landmark (a 100 ft square) and neighbours at known places east of it."""
    return make_frame(
        [
            ("1", "650 Capitol Mall", "UNITED STATES OF AMERICA", "G1", square(0)),
            ("2", "2 A ST", "A", "C1", square(1)),  # adjacent: wholly inside
            ("3", "3 A ST", "B", "C1", square(2)),  # x from +200 ft: only touches the edge
            ("4", "4 A ST", "C", "C1", square(1.5)),  # half inside
            ("5", "5 A ST", "D", "C1", square(1.995)),  # 0.5 % inside: below min_share
            ("6", "6 A ST", "E", "C1", square(20)),  # far away
        ]
    )


@pytest.fixture()
def moss(parcels: gpd.GeoDataFrame) -> LocatedLandmark:
    """The landmark located by address in the hand-made parcels."""
    return locate_landmark(MOSS, parcels, "EPSG:2226")


# --------------------------------------------------------------------- units


def test_metres_per_unit_us_survey_feet() -> None:
    assert metres_per_unit(CRS_FT) == pytest.approx(0.3048006, abs=1e-7)
    assert metres_per_unit(CRS_FT) == pytest.approx(1200 / 3937, rel=1e-12)


def test_metres_per_unit_metric_crs() -> None:
    assert metres_per_unit(CRS.from_epsg(3310)) == pytest.approx(1.0)


def test_metres_per_unit_refuses_degrees() -> None:
    with pytest.raises(InputError, match="not a projected CRS"):
        metres_per_unit(CRS.from_epsg(4326))


# ------------------------------------------------------------------ landmarks


@pytest.mark.parametrize(
    "address",
    ["650 CAPITOL MALL", "650 Capitol Mall", "650 capitol mall, Sacramento, CA 95814"],
)
def test_locate_landmark_by_address_any_spelling(address: str) -> None:
    frame = make_frame(
        [("9", "1 B ST", "X", "C1", square(5)), ("1", address, "US", "G1", square(0))]
    )
    located = locate_landmark(MOSS, frame, "EPSG:2226", load_profile().place)
    assert located.found_by == "address"
    assert located.apns == ("1",)
    assert located.geometry.equals(square(0))


def test_locate_landmark_unions_every_parcel_at_the_address() -> None:
    frame = make_frame(
        [
            ("1", "650 CAPITOL MALL", "US", "G1", square(0)),
            ("2", "650 Capitol Mall", "US", "G1", square(1)),
            ("3", "651 CAPITOL MALL", "X", "C1", square(2)),
        ]
    )
    located = locate_landmark(MOSS, frame, "EPSG:2226")
    assert located.apns == ("1", "2")
    assert located.geometry.area == pytest.approx(2 * SIDE**2)


def test_locate_landmark_returns_measuring_crs(parcels: gpd.GeoDataFrame) -> None:
    located = locate_landmark(MOSS, parcels.to_crs(4326), "EPSG:2226")
    assert located.found_by == "address"
    assert located.geometry.area == pytest.approx(SIDE**2, rel=1e-6)
    assert located.geometry.centroid.distance(square(0).centroid) < 0.01


def test_locate_landmark_falls_back_to_point() -> None:
    frame = make_frame([("1", "1 B ST", "X", "C1", square(0))])
    located = locate_landmark(MOSS, frame, "EPSG:2226")
    assert located.found_by == "point"
    assert located.apns == ()
    x, y = Transformer.from_crs(4326, 2226, always_xy=True).transform(-121.5018, 38.5778)
    assert located.geometry.geom_type == "Point"
    assert located.geometry.x == pytest.approx(x) and located.geometry.y == pytest.approx(y)


def test_locate_landmark_skips_empty_geometry_at_the_address() -> None:
    frame = make_frame([("1", "650 CAPITOL MALL", "US", "G1", shapely.Polygon())])
    assert locate_landmark(MOSS, frame, "EPSG:2226").found_by == "point"


def test_locate_landmark_without_address_column_uses_point() -> None:
    frame = make_frame([("1", "650 CAPITOL MALL", "US", "G1", square(0))]).drop(columns="address")
    assert locate_landmark(MOSS, frame, "EPSG:2226").found_by == "point"


def test_locate_landmark_not_found_and_no_point_raises() -> None:
    frame = make_frame([("1", "1 B ST", "X", "C1", square(0))])
    nowhere = Landmark(id="x", name="Nowhere Hall", address="1 NOWHERE WAY")
    with pytest.raises(InputError, match="Nowhere Hall"):
        locate_landmark(nowhere, frame, "EPSG:2226")


def test_profile_landmarks(profile: Profile) -> None:
    assert profile.landmark("moss").address == "650 CAPITOL MALL"
    with pytest.raises(InputError, match="no landmark"):
        profile.landmark("nope")


# ----------------------------------------------------------------------- zone


def test_zone_area_around_a_square_excludes_the_landmark(moss: LocatedLandmark) -> None:
    zone = free_speech_zone(moss, spec(), "EPSG:2226")
    assert zone.geometry.area == pytest.approx(RING_FT2, rel=1e-9)
    assert zone.area_m2 == pytest.approx(RING_FT2 * FEET**2, rel=1e-9)
    assert zone.geometry.intersection(square(0)).area == pytest.approx(0, abs=1e-6)
    assert zone.geometry.is_valid
    assert zone.distance_m == pytest.approx(30.48006, abs=1e-5)


def test_zone_area_close_to_the_exact_buffer(moss: LocatedLandmark) -> None:
    # square + 4 rectangles + a circle: 10,000 + 40,000 + pi * 10,000 ft², minus the square
    zone = free_speech_zone(moss, spec(), "EPSG:2226")
    exact = 4 * SIDE * SIDE + math.pi * SIDE**2
    assert zone.geometry.area == pytest.approx(exact, rel=2e-3)


def test_zone_keeps_the_landmark_when_told(moss: LocatedLandmark) -> None:
    zone = free_speech_zone(moss, spec(exclude=False), "EPSG:2226")
    assert zone.geometry.area == pytest.approx(RING_FT2 + SIDE**2, rel=1e-9)
    assert zone.geometry.contains(square(0))


def test_zone_perimeter(moss: LocatedLandmark) -> None:
    zone = free_speech_zone(moss, spec(exclude=False), "EPSG:2226")
    # 4 straight sides of 100 ft plus a 64-gon of radius 100 ft
    perimeter_ft = 4 * SIDE + 64 * 2 * SIDE * math.sin(math.pi / 64)
    assert zone.perimeter_m == pytest.approx(perimeter_ft * FEET, rel=1e-9)


def test_zone_around_a_point_is_a_disc() -> None:
    located = LocatedLandmark(MOSS, shapely.Point(X0, Y0), "point")
    zone = free_speech_zone(located, spec(), "EPSG:2226")
    assert zone.geometry.area == pytest.approx(CORNERS, rel=1e-9)
    assert zone.geometry.contains(shapely.Point(X0 + 99, Y0))
    assert not zone.geometry.contains(shapely.Point(X0 + 101, Y0))


def test_zone_to_frame(moss: LocatedLandmark) -> None:
    frame = free_speech_zone(moss, spec(), "EPSG:2226").to_frame()
    assert len(frame) == 1
    assert frame.crs == CRS_FT
    assert frame["found_by"].iloc[0] == "address"
    assert frame["area_m2"].iloc[0] == pytest.approx(RING_FT2 * FEET**2, abs=0.1)
    assert "John E. Moss Federal Building" in frame["name"].iloc[0]


@pytest.mark.parametrize("distance", [800.001, 5000.0, 0.0, -10.0, float("nan")])
def test_zone_distance_out_of_range_raises(moss: LocatedLandmark, distance: float) -> None:
    with pytest.raises(InputError, match="zone distance"):
        free_speech_zone(moss, spec(distance=distance), "EPSG:2226")


def test_zone_distance_at_the_maximum_is_allowed(moss: LocatedLandmark) -> None:
    assert free_speech_zone(moss, spec(distance=800.0), "EPSG:2226").distance_m == 800.0


# -------------------------------------------------------------------- in zone


def test_in_zone(parcels: gpd.GeoDataFrame, moss: LocatedLandmark) -> None:
    zone = free_speech_zone(moss, spec(), "EPSG:2226")
    # landmark (excluded), adjacent, touching the edge, half in, 0.5 % in, far away
    assert in_zone(parcels, zone).tolist() == [False, True, False, True, False, False]


def test_in_zone_min_share(parcels: gpd.GeoDataFrame, moss: LocatedLandmark) -> None:
    zone = free_speech_zone(moss, spec(), "EPSG:2226")
    assert in_zone(parcels, zone, min_share=0.001).tolist()[4] is True
    assert in_zone(parcels, zone, min_share=0.6).tolist()[3] is False


def test_in_zone_includes_the_landmark_when_not_excluded(
    parcels: gpd.GeoDataFrame, moss: LocatedLandmark
) -> None:
    zone = free_speech_zone(moss, spec(exclude=False), "EPSG:2226")
    assert in_zone(parcels, zone).tolist()[0] is True


def test_in_zone_reprojects_parcels(parcels: gpd.GeoDataFrame, moss: LocatedLandmark) -> None:
    zone = free_speech_zone(moss, spec(), "EPSG:2226")
    assert in_zone(parcels.to_crs(4326), zone).tolist() == in_zone(parcels, zone).tolist()


def test_in_zone_nothing_near(moss: LocatedLandmark) -> None:
    zone = free_speech_zone(moss, spec(), "EPSG:2226")
    far = make_frame([("9", "", "", "", square(50)), ("8", "", "", "", square(60))])
    result = in_zone(far, zone)
    assert result.dtype == bool and result.tolist() == [False, False]


# ------------------------------------------------------------------- distance


def test_distance_m(parcels: gpd.GeoDataFrame, moss: LocatedLandmark) -> None:
    got = distance_m(parcels, moss, CRS_FT)
    expected_ft = [0.0, 0.0, 100.0, 50.0, 99.5, 1900.0]
    assert got == pytest.approx([d * FEET for d in expected_ft], abs=1e-6)


def test_distance_m_reprojects_and_handles_missing_geometry(moss: LocatedLandmark) -> None:
    frame = make_frame(
        [("1", "", "", "", square(2)), ("2", "", "", "", None)]  # type: ignore[list-item]
    )
    got = distance_m(frame.to_crs(4326), moss, CRS_FT)
    assert got[0] == pytest.approx(SIDE * FEET, abs=1e-3)
    assert np.isnan(got[1])


# ------------------------------------------------- the zone is the public space


def block(x0: float, y0: float, x1: float, y1: float) -> shapely.Polygon:
    """A rectangle in feet from (X0, Y0)."""
    return shapely.box(X0 + x0, Y0 + y0, X0 + x1, Y0 + y1)


STREET = block(100, -300, 150, 400)  # a 50 ft street east of the landmark


@pytest.fixture()
def gap_parcels() -> gpd.GeoDataFrame:
    """The landmark, private land all round, the city's parcel north of it, a street east."""
    return make_frame(
        [
            ("L", "650 Capitol Mall", "UNITED STATES OF AMERICA", "G1", block(0, 0, 100, 100)),
            ("W", "1 W ST", "A", "C1", block(-300, -300, 0, 400)),
            ("S", "2 S ST", "B", "R1", block(0, -300, 100, 0)),
            ("N", "3 N ST", "CITY OF SACRAMENTO", "PK", block(0, 100, 100, 400)),
            ("E", "4 E ST", "C", "R2", block(150, -300, 450, 400)),
        ]
    )


def designated_city(frame: gpd.GeoDataFrame) -> np.ndarray:
    """The hand-made parcels the city owns."""
    return (frame["owner"] == "CITY OF SACRAMENTO").to_numpy()


def test_zone_has_no_private_area_and_the_right_of_way_is_the_gap(
    gap_parcels: gpd.GeoDataFrame,
) -> None:
    moss = locate_landmark(MOSS, gap_parcels, "EPSG:2226")
    city = designated_city(gap_parcels)
    zone = free_speech_zone(moss, spec(), "EPSG:2226", gap_parcels, city)
    outline = block(0, 0, 100, 100).buffer(SIDE, quad_segs=16)
    gap_ft2 = outline.intersection(STREET).area
    assert gap_ft2 > 4000  # the street really crosses the outline
    assert zone.right_of_way_m2 == pytest.approx(gap_ft2 * FEET**2, rel=1e-9)
    assert private_area_m2(zone, gap_parcels, city) == pytest.approx(0.0, abs=1e-6)
    city_ft2 = outline.intersection(block(0, 100, 100, 400)).area
    assert zone.area_m2 == pytest.approx((gap_ft2 + city_ft2) * FEET**2, rel=1e-9)
    assert zone.outline_m2 > zone.area_m2 * 2  # most of the outline is private land


def test_only_designated_parcels_are_in_the_zone(gap_parcels: gpd.GeoDataFrame) -> None:
    moss = locate_landmark(MOSS, gap_parcels, "EPSG:2226")
    city = designated_city(gap_parcels)
    zone = free_speech_zone(moss, spec(), "EPSG:2226", gap_parcels, city)
    inside = in_zone(gap_parcels, zone) & city
    assert inside.tolist() == [False, False, False, True, False]
    # the private parcels beside the street border the zone; none is in it
    assert borders_zone(gap_parcels, zone, inside).tolist() == [True, True, True, False, True]


def test_zone_without_designated_owners_is_the_street_only(gap_parcels: gpd.GeoDataFrame) -> None:
    moss = locate_landmark(MOSS, gap_parcels, "EPSG:2226")
    zone = free_speech_zone(moss, spec(), "EPSG:2226", gap_parcels)
    assert zone.area_m2 == pytest.approx(zone.right_of_way_m2, rel=1e-12)
    assert zone.geometry.within(STREET.buffer(1e-6))


def test_analyse_keeps_private_parcels_out_of_the_zone(
    gap_parcels: gpd.GeoDataFrame, profile: Profile
) -> None:
    from geo.analysis import analyse

    analysis = analyse(gap_parcels, profile)
    assert analysis.parcels["in_free_speech_zone"].tolist() == [False, False, False, True, False]
    assert analysis.parcels["borders_free_speech_zone"].tolist()[1] is True
