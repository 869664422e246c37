"""One function applies a policy version and a user's overrides (CLI and sidebar alike)."""

from __future__ import annotations

import argparse

import pytest

from geo.cli import build_parser
from geo.cli.options import policy_from_args
from geo.errors import InputError
from geo.policy import PolicyOverrides, apply_overrides
from geo.profile import Profile


def test_no_overrides_keep_the_version(profile: Profile) -> None:
    for version in profile.policies:
        assert apply_overrides(
            profile.policy_version(version), PolicyOverrides()
        ) == profile.policy_version(version)


def test_none_means_the_profile_default_version(profile: Profile) -> None:
    policy = apply_overrides(profile.policy_version(None), PolicyOverrides())
    assert policy.version == profile.default_policy


def test_each_override_replaces_only_its_term(profile: Profile) -> None:
    base = profile.policy_version("nov2025")
    policy = apply_overrides(
        profile.policy_version("nov2025"),
        PolicyOverrides(
            scope="lots_and_garages",
            include_city_agencies=False,
            city_owners=("CITY OF TEST",),
            parking_lot=("L1",),
            parking_garage=("G1", "G2"),
            open_space=("PK",),
            city_apns=frozenset({"0070111017"}),
        ),
    )
    assert policy.scope == "lots_and_garages"
    assert policy.include_city_agencies is False
    assert policy.owners["city"] == ("CITY OF TEST",)
    assert policy.owners["county"] == base.owners["county"]  # other classes kept
    assert (policy.parking_lot, policy.parking_garage) == (("L1",), ("G1", "G2"))
    assert policy.open_space == ("PK",)
    assert policy.city_apns == frozenset({"0070111017"})
    assert policy.building == base.building
    assert policy.version == "nov2025"


def test_false_and_empty_are_overrides_not_missing_values(profile: Profile) -> None:
    policy = apply_overrides(
        profile.policy_version("nov2025"),
        PolicyOverrides(include_city_agencies=False, parking_lot=()),
    )
    assert policy.include_city_agencies is False
    assert policy.parking_lot == ()


def test_a_bad_scope_or_version_is_refused(profile: Profile) -> None:
    with pytest.raises(InputError, match="scope"):
        apply_overrides(profile.policy_version(None), PolicyOverrides(scope="everything"))
    with pytest.raises(InputError, match="no policy version"):
        apply_overrides(profile.policy_version("nope"), PolicyOverrides())


def test_the_command_line_builds_the_same_policy(profile: Profile) -> None:
    args: argparse.Namespace = build_parser().parse_args(
        [
            "check",
            "parcels.zip",
            "--policy",
            "lots_only",
            "--city-owner",
            "CITY OF TEST",
            "--lot-use",
            "L1",
            "--garage-use",
            "G1",
        ]
    )
    expected = apply_overrides(
        profile.policy_version("lots_only"),
        PolicyOverrides(city_owners=("CITY OF TEST",), parking_lot=("L1",), parking_garage=("G1",)),
    )
    assert policy_from_args(profile, args) == expected
    assert policy_from_args(profile, args, "nov2025").version == "nov2025"
