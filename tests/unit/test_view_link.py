"""Links that carry the view: the clicked parcel, the basemap and where the map is."""

from __future__ import annotations

import pytest

from geo import permalink
from geo.profile import load_profile
from layers.view_state import link_focus

BOUNDS = {
    "_southWest": {"lat": 38.57, "lng": -121.51},
    "_northEast": {"lat": 38.59, "lng": -121.49},
}


def test_the_link_follows_the_reported_bounds_first() -> None:
    focus = link_focus({"bounds": BOUNDS, "zoom": 16.4, "center": {"lat": 1, "lng": 2}}, None)
    assert focus == pytest.approx((38.58, -121.50, 16))


def test_the_link_follows_a_reported_centre_and_zoom() -> None:
    assert link_focus({"center": {"lat": 38.5, "lng": -121.4}, "zoom": 17.2}, None) == (
        38.5,
        -121.4,
        17,
    )


@pytest.mark.parametrize(
    "report",
    [{}, {"center": {"lat": 38.5}, "zoom": 17}, {"center": {"lat": 99, "lng": 0}, "zoom": 3}],
)
def test_without_a_usable_report_the_link_keeps_the_last_focus(report: dict) -> None:
    # a link opened at ?lat=&lon=&zoom= keeps them until the map reports a view of its own
    assert link_focus(report, (38.6, -121.3, 15)) == (38.6, -121.3, 15)
    assert link_focus(report, None) is None


def test_a_clicked_parcel_and_the_basemap_round_trip() -> None:
    profile = load_profile()
    policy = profile.policy_version(profile.default_policy)
    distance = float(profile.zone.distance_m)
    params = permalink.link_params(
        profile, policy, distance, "hmn", "", (38.58, -121.5, 17), apn="006-0612-005", basemap=True
    )
    assert params["apn"] == "006-0612-005" and params["basemap"] == "1"
    url = permalink.decode(params)
    opened = permalink.opening(url)
    assert opened == permalink.Opening("006-0612-005", None, (38.58, -121.5), 17, True)
    assert url["lang"] == "hmn"


def test_a_search_wins_over_a_click_and_defaults_stay_out() -> None:
    profile = load_profile()
    policy = profile.policy_version(profile.default_policy)
    distance = float(profile.zone.distance_m)
    params = permalink.link_params(profile, policy, distance, "en", "915 I St", apn="1")
    assert params == {"q": "915 I St"}  # no apn, no basemap=0
    assert permalink.decode({"basemap": "yes"}) == {}


def test_a_stale_report_gives_way_to_where_the_app_sent_the_map() -> None:
    start = (38.5792, -121.4966, 16)
    report = {"center": {"lat": 38.57921, "lng": -121.49661}, "zoom": 16}
    sent = (38.5806, -121.4915, 17)
    # a reopened link: the map reports its start view before it is moved to the link's view
    assert link_focus(report, sent, (None, start)) == sent
    # the reader moved the map after that: the link follows them
    moved = {"center": {"lat": 38.59, "lng": -121.48}, "zoom": 15}
    assert link_focus(moved, sent, (None, start)) == (38.59, -121.48, 15)
