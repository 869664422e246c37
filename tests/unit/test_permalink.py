"""Permalinks from the app's settings: what a link opens, and the link of a view."""

from __future__ import annotations

from geo import permalink
from geo.policy import PolicyOverrides, apply_overrides
from geo.profile import Profile


def test_a_link_opens_its_search_distance_and_view() -> None:
    url = permalink.decode({"apn": "007-0111-017", "distance": "250", "lat": "38.5", "lon": "-121"})
    opened = permalink.opening(url)
    assert opened == permalink.Opening("007-0111-017", 250, (38.5, -121.0), None)
    both = permalink.opening(permalink.decode({"apn": "1", "q": "2 I ST", "zoom": "17"}))
    assert both.query == "2 I ST"  # q wins over apn
    assert both.center is None and both.zoom is None  # a zoom without a place is no view
    assert permalink.opening({}) == permalink.Opening()


def test_a_link_overrides_only_the_terms_it_names(profile: Profile) -> None:
    url = permalink.decode({"scope": "lots_and_garages", "lot": "A|B", "agencies": "0"})
    overrides = permalink.url_overrides(url)
    assert overrides == PolicyOverrides(
        scope="lots_and_garages", include_city_agencies=False, parking_lot=("A", "B")
    )
    assert permalink.url_overrides({}) == PolicyOverrides()


def test_a_fresh_page_has_an_empty_link(profile: Profile) -> None:
    policy = profile.policy_version()
    distance = profile.zone.distance_m
    assert permalink.link_params(profile, policy, distance, "en", "  ") == {}
    assert permalink.share_link({}) == "?"


def test_a_link_carries_what_differs_and_opens_it_again(profile: Profile) -> None:
    changed = PolicyOverrides(scope="lots_and_garages", city_owners=("CITY OF TEST",))
    policy = apply_overrides(profile, "apr2026", changed)
    params = permalink.link_params(
        profile, policy, 250.0, "es", " 915 I ST ", focus=(38.58, -121.49, 17)
    )
    assert params == {
        "q": "915 I ST",
        "lat": "38.58",
        "lon": "-121.49",
        "zoom": "17",
        "policy": "apr2026",
        "scope": "lots_and_garages",
        "distance": "250",
        "city": "CITY OF TEST",
        "lang": "es",
    }
    url = permalink.decode(params)
    again = apply_overrides(profile, url["policy"], permalink.url_overrides(url))
    assert again == policy
    assert permalink.opening(url) == permalink.Opening("915 I ST", 250, (38.58, -121.49), 17)
    assert permalink.share_link({"q": "1", "lang": "es"}) == "?q=1&lang=es"


def test_the_default_of_a_term_is_its_version_s(profile: Profile) -> None:
    lots_only = profile.policy_version("lots_only")  # scope lots and garages, no agencies
    params = permalink.link_params(profile, lots_only, profile.zone.distance_m, "en", "")
    assert params == {"policy": "lots_only"}
