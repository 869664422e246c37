"""The terms that decide every verdict (:class:`Policy`), and a user's overrides of a
version's terms (one function for the command line, the app and links)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, fields, replace
from typing import Any

from geo.errors import InputError
from geo.policy.codes import Scope, SiteKind

SCOPES = tuple(s.value for s in Scope)
KEY_BYTES = 10


@dataclass(frozen=True)
class Policy:
    """The terms that decide every verdict. All of them are user settings.

    Attributes
    ----------
    owners : dict
        Owner class (``city``, ``city_agency``, ``county``, ``state``, ``federal``,
        ``other_public``) to the owner names of that class.
    parking_lot, parking_garage, open_space, building : tuple of str
        Land-use codes of each site kind.
    scope : str
        ``"all"`` (every city property is covered) or ``"lots_and_garages"``.
    include_city_agencies : bool
        Whether parcels owned by a city agency count as city property.
    city_apns : frozenset of str
        Normalised APNs of a city property list; these parcels are city-owned
        whatever their owner field says.
    """

    owners: dict[str, tuple[str, ...]]
    parking_lot: tuple[str, ...] = ()
    parking_garage: tuple[str, ...] = ()
    open_space: tuple[str, ...] = ()
    building: tuple[str, ...] = ()
    scope: Scope = Scope.ALL
    include_city_agencies: bool = True
    city_apns: frozenset[str] = frozenset()
    version: str = ""

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "scope", Scope(self.scope))
        except ValueError:
            known = ", ".join(SCOPES)
            raise InputError.keyed(
                "error.profile.scope", known=known, scope=repr(self.scope)
            ) from None

    @property
    def key(self) -> str:
        """A short digest of every term, the same in every process: for caches and links."""
        terms = {
            "owners": {k: list(v) for k, v in sorted(self.owners.items())},
            "kinds": {k.value: list(v) for k, v in self.site_entries().items()},
            "scope": self.scope.value,
            "agencies": self.include_city_agencies,
            "apns": sorted(self.city_apns),
            "version": self.version,
        }
        text = json.dumps(terms, sort_keys=True, ensure_ascii=True)
        return hashlib.blake2b(text.encode(), digest_size=KEY_BYTES).hexdigest()

    def site_entries(self) -> dict[SiteKind, tuple[str, ...]]:
        """Each site kind's land-use entries (codes, ``PREFIX*``, descriptions), in the
        order ties are broken."""
        return {
            SiteKind.PARKING_LOT: self.parking_lot,
            SiteKind.PARKING_GARAGE: self.parking_garage,
            SiteKind.OPEN_SPACE: self.open_space,
            SiteKind.BUILDING: self.building,
        }

    def with_changes(self, **changes: Any) -> Policy:
        """Return a copy with some terms changed (validated).

        Parameters
        ----------
        **changes
            Field names and new values, e.g. ``scope="lots_and_garages"``.

        Returns
        -------
        Policy
        """
        if "scope" in changes:
            try:
                changes["scope"] = Scope(changes["scope"])
            except ValueError:
                known = ", ".join(SCOPES)
                raise InputError.keyed(
                    "error.profile.scope", known=known, scope=repr(changes["scope"])
                ) from None
        return replace(self, **changes)


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


def apply_overrides(policy: Policy, overrides: PolicyOverrides) -> Policy:
    """A version's terms (``profile.policy_version(...)``) with a user's overrides applied.

    Parameters
    ----------
    policy : Policy
    overrides : PolicyOverrides

    Returns
    -------
    Policy
        Validated (a bad scope raises ``InputError``).
    """
    changes: dict[str, object] = {
        f.name: getattr(overrides, f.name)
        for f in fields(overrides)
        if f.name != "city_owners" and getattr(overrides, f.name) is not None
    }
    if overrides.city_owners is not None:
        changes["owners"] = {**policy.owners, "city": tuple(overrides.city_owners)}
    return policy.with_changes(**changes) if changes else policy
