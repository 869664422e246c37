"""Permalinks from the app's settings: what a link opens, and the link of a view."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

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
    assert permalink.absolute_link("", {}) == "?"


def test_a_link_carries_what_differs_and_opens_it_again(profile: Profile) -> None:
    changed = PolicyOverrides(scope="lots_and_garages", city_owners=("CITY OF TEST",))
    policy = apply_overrides(profile.policy_version("apr2026"), changed)
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
    again = apply_overrides(profile.policy_version(url["policy"]), permalink.url_overrides(url))
    assert again == policy
    assert permalink.opening(url) == permalink.Opening("915 I ST", 250, (38.58, -121.49), 17)
    assert permalink.absolute_link("", {"q": "1", "lang": "es"}) == "?q=1&lang=es"


def test_the_default_of_a_term_is_its_version_s(profile: Profile) -> None:
    lots_only = profile.policy_version("lots_only")  # scope lots and garages, no agencies
    params = permalink.link_params(profile, lots_only, profile.zone.distance_m, "en", "")
    assert params == {"policy": "lots_only"}


NAMES = st.lists(
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ &.'-", min_size=1, max_size=20)
    .map(str.strip)
    .filter(bool),
    max_size=3,
).map(tuple)


@settings(max_examples=60, deadline=None)
@given(
    version=st.sampled_from(["nov2025", "apr2026", "lots_only"]),
    scope=st.sampled_from(["all", "lots_and_garages"]),
    agencies=st.booleans(),
    city=NAMES,
    lots=NAMES,
    garages=NAMES,
    distance=st.integers(10, 5_000),
    lang=st.sampled_from(["en", "es", "hmn"]),
)
def test_any_settings_survive_the_round_trip_through_a_link(
    profile: Profile,
    version: str,
    scope: str,
    agencies: bool,
    city: tuple[str, ...],
    lots: tuple[str, ...],
    garages: tuple[str, ...],
    distance: int,
    lang: str,
) -> None:
    terms = PolicyOverrides(scope, agencies, city, lots, garages)
    policy = apply_overrides(profile.policy_version(version), terms)
    params = permalink.link_params(profile, policy, float(distance), lang, "")
    url = permalink.decode(params)
    back = apply_overrides(profile.policy_version(url.get("policy")), permalink.url_overrides(url))
    assert back == policy
    assert permalink.opening(url).distance in (distance, None)
    assert url.get("lang", "en") == lang


def test_an_emptied_list_is_carried_so_the_link_clears_it(profile: Profile) -> None:
    base = profile.policy_version()
    assert base.parking_lot  # the profile names lot codes
    cleared = apply_overrides(profile.policy_version(None), PolicyOverrides(parking_lot=()))
    params = permalink.link_params(profile, cleared, profile.zone.distance_m, "en", "")
    assert params == {"lot": ""}
    assert permalink.url_overrides(permalink.decode(params)).parking_lot == ()
    assert permalink.encode({"lot": ()}, {}) == {}  # no default to differ from
