"""A drawn shape: measured in feet, the parcels it touches, which of them are the city's."""

from __future__ import annotations

from dataclasses import replace

import geopandas as gpd
import pytest
import shapely
from parcel_helpers import FEET, X0, Y0, make_frame, square

from geo.analysis import Analysis, analyse
from geo.drawn import feature_shape, owner_class_codes, shape_summary
from geo.policy import OWNER_CLASSES, OwnerClass
from geo.profile import Landmark, Profile


def analysed(profile: Profile, version: str) -> Analysis:
    """A landmark, a city lot, a city agency's garage and a private lot side by side, and a
    city office far away; analysed under a policy version."""
    frame = make_frame(
        [
            ("1", "650 CAPITOL MALL", "UNITED STATES OF AMERICA", "G1", square(0)),
            ("2", "1 LOT ST", "CITY OF SACRAMENTO", "P1", square(1)),
            ("3", "2 LOT ST", "CITY OF SACRAMENTO PARKING SERVICES", "P1", square(2)),
            ("4", "3 LOT ST", "PRIVATE PARKING LLC", "P1", square(3)),
            ("5", "4 OFFICE ST", "CITY OF SACRAMENTO", "C1", square(40)),
        ]
    )
    moss = Landmark("moss", "Moss", address="650 CAPITOL MALL", point=(38.5, -121.5))
    small = replace(profile, landmarks=(moss,))
    return analyse(frame, small, small.policy_version(version))


def in_degrees(geometry: shapely.Geometry) -> shapely.Geometry:
    """A shape given in EPSG:2226 feet, in longitude and latitude."""
    return gpd.GeoSeries([geometry], crs="EPSG:2226").to_crs("EPSG:4326").iloc[0]


# a box over the middle of parcels 1 to 4 (from x = 50 ft to x = 350 ft), 300 by 50 ft
OVER_FOUR = shapely.box(X0 + 50, Y0 + 25, X0 + 350, Y0 + 75)


@pytest.mark.parametrize(("version", "city"), [("nov2025", 2), ("lots_only", 1)])
def test_city_agency_counts_only_when_the_policy_says_so(
    profile: Profile, version: str, city: int
) -> None:
    analysis = analysed(profile, version)
    classes = set(analysis.parcels["owner_class"].map(OwnerClass.parse))
    assert OwnerClass.CITY_AGENCY in classes  # the agency's garage is inside the box
    summary = shape_summary(analysis, in_degrees(OVER_FOUR))
    assert summary.positions == (0, 1, 2, 3)
    assert summary.parcels == 4
    assert summary.city == city


def test_area_and_perimeter_are_measured_in_metres(profile: Profile) -> None:
    summary = shape_summary(analysed(profile, "nov2025"), in_degrees(OVER_FOUR))
    assert summary.area_m2 == pytest.approx(300 * 50 * FEET**2, rel=1e-4)
    assert summary.perimeter_m == pytest.approx(700 * FEET, rel=1e-4)


def test_a_circle_is_a_point_with_a_radius(profile: Profile) -> None:
    centre = in_degrees(shapely.Point(X0 + 40 * 100 + 50, Y0 + 50))  # the far city office
    summary = shape_summary(analysed(profile, "nov2025"), centre, radius_m=10.0)
    assert summary.positions == (4,)
    assert summary.city == 1
    assert summary.area_m2 == pytest.approx(3.14159 * 100, rel=0.01)


def test_a_shape_touching_nothing_counts_nothing(profile: Profile) -> None:
    far = in_degrees(shapely.box(X0 - 5_000, Y0 - 5_000, X0 - 4_000, Y0 - 4_000))
    summary = shape_summary(analysed(profile, "nov2025"), far)
    assert (summary.parcels, summary.city) == (0, 0)


def test_owner_words_of_either_spelling_become_the_same_codes() -> None:
    codes = owner_class_codes(["city", "city agency", "city_agency", "other public", "private"])
    assert [OWNER_CLASSES[c] for c in codes] == [
        OwnerClass.CITY,
        OwnerClass.CITY_AGENCY,
        OwnerClass.CITY_AGENCY,
        OwnerClass.OTHER_PUBLIC,
        OwnerClass.PRIVATE,
    ]


def test_a_drawn_feature_gives_its_shape_and_radius() -> None:
    circle = {
        "type": "Feature",
        "properties": {"radius": 25.5},
        "geometry": {"type": "Point", "coordinates": [-121.5, 38.5]},
    }
    shape = feature_shape(circle)
    assert shape is not None
    geometry, radius = shape
    assert (geometry.x, geometry.y, radius) == (-121.5, 38.5, 25.5)
    square_feature = {
        "type": "Feature",
        "properties": {},
        "geometry": shapely.geometry.mapping(shapely.box(-121.5, 38.5, -121.4, 38.6)),
    }
    assert feature_shape(square_feature) == (shapely.box(-121.5, 38.5, -121.4, 38.6), None)


@pytest.mark.parametrize(
    "feature",
    [
        {},
        {"geometry": None},
        {"geometry": {"type": "Polygon", "coordinates": "nonsense"}},
        {"geometry": {"type": "Blob", "coordinates": []}},
        "not a feature",
    ],
)
def test_an_unreadable_feature_gives_none(feature: object) -> None:
    assert feature_shape(feature) is None  # type: ignore[arg-type]
