"""Two policy versions side by side: their terms, and which pair of versions differs.

Machine values only (codes, owner names as the profile lists them); the panels put them in
the reader's words.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from geo.policy.terms import Policy
    from geo.profile import Profile

OWNER_TERMS = ("city", "city_agency", "county", "state", "federal", "other_public")
SITE_TERMS = ("parking_lot", "parking_garage", "open_space", "building")
TERMS = ("scope", "include_city_agencies", *OWNER_TERMS, *SITE_TERMS)


def term_values(policy: Policy) -> dict[str, object]:
    """Each term of a version: ``scope`` (str), ``include_city_agencies`` (bool), the owner
    names of each owner class and the land-use entries of each site kind (tuples)."""
    values: dict[str, object] = {
        "scope": policy.scope.value,
        "include_city_agencies": policy.include_city_agencies,
    }
    for owner_class in OWNER_TERMS:
        values[owner_class] = tuple(policy.owners.get(owner_class, ()))
    for kind in SITE_TERMS:
        values[kind] = tuple(getattr(policy, kind))
    return values


def same_terms(first: Policy, second: Policy) -> bool:
    """Whether two versions have the same terms (so they decide every parcel alike)."""
    return term_values(first) == term_values(second) and first.city_apns == second.city_apns


def terms_side_by_side(first: Policy, second: Policy) -> pd.DataFrame:
    """One row per term: ``term``, ``first``, ``second`` (machine values) and ``differs``."""
    a, b = term_values(first), term_values(second)
    return pd.DataFrame(
        {
            "term": list(TERMS),
            "first": [a[k] for k in TERMS],
            "second": [b[k] for k in TERMS],
            "differs": [a[k] != b[k] for k in TERMS],
        }
    )


def differing_pair(profile: Profile) -> tuple[str, str]:
    """The pair of versions to open on: the default version and the first other version
    whose terms differ from it (else the next version, or the default twice)."""
    versions = list(profile.policies)
    first = profile.default_policy if profile.default_policy in versions else versions[0]
    others = [v for v in versions if v != first]
    base = profile.policy_version(first)
    for other in others:
        if not same_terms(base, profile.policy_version(other)):
            return first, other
    return first, (others[0] if others else first)
