"""Shared fixtures for the unit tests: the bundled profile and its default policy."""

from __future__ import annotations

import pytest

from geo.profile import Policy, Profile, load_profile


@pytest.fixture(scope="session")
def profile() -> Profile:
    """The bundled Sacramento profile."""
    return load_profile()


@pytest.fixture(scope="session")
def policy(profile: Profile) -> Policy:
    """The profile's default policy version (scope "all", city agencies count)."""
    return profile.policy_version()
