"""Shared fixtures for the unit tests: the bundled profile and its default policy."""

from __future__ import annotations

import pytest
from hypothesis import settings

from geo.policy.terms import Policy
from geo.profile import Profile, load_profile

# Property tests check answers, not speed (speed lives in bench/): no per-example deadline,
# which a loaded two-core machine can miss for reasons that have nothing to do with the code.
settings.register_profile("answers", deadline=None)
settings.load_profile("answers")


@pytest.fixture(scope="session")
def profile() -> Profile:
    """The bundled Sacramento profile."""
    return load_profile()


@pytest.fixture(scope="session")
def policy(profile: Profile) -> Policy:
    """The profile's default policy version (scope "all", city agencies count)."""
    return profile.policy_version()
