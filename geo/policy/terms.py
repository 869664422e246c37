"""A policy version's terms with a user's overrides: one function for the CLI and the app."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from geo.profile import Policy, Profile


@dataclass(frozen=True)
class PolicyOverrides:
    """The terms a user changed; ``None`` keeps the version's own value.

    Attributes
    ----------
    scope : str, optional
        ``all`` or ``lots_and_garages``.
    include_city_agencies : bool, optional
    city_owners : tuple of str, optional
        Owner names that count as the city (they replace the version's).
    parking_lot, parking_garage, open_space : tuple of str, optional
        Land-use codes of each site kind.
    city_apns : frozenset of str, optional
        Normalised APNs of a city property list.
    """

    scope: str | None = None
    include_city_agencies: bool | None = None
    city_owners: tuple[str, ...] | None = None
    parking_lot: tuple[str, ...] | None = None
    parking_garage: tuple[str, ...] | None = None
    open_space: tuple[str, ...] | None = None
    city_apns: frozenset[str] | None = None


def apply_overrides(profile: Profile, version: str | None, overrides: PolicyOverrides) -> Policy:
    """The terms of a profile's policy version with a user's overrides applied.

    Parameters
    ----------
    profile : Profile
    version : str, optional
        A key of the profile's ``[policies]``; its default when ``None``.
    overrides : PolicyOverrides

    Returns
    -------
    Policy
        Validated (a bad scope or an unknown version raises ``InputError``).
    """
    policy = profile.policy_version(version)
    changes: dict[str, object] = {
        f.name: getattr(overrides, f.name)
        for f in fields(overrides)
        if f.name != "city_owners" and getattr(overrides, f.name) is not None
    }
    if overrides.city_owners is not None:
        changes["owners"] = {**policy.owners, "city": tuple(overrides.city_owners)}
    return policy.with_changes(**changes) if changes else policy
