"""The policy core: codes, the rule, and a version's terms with a user's overrides.

It answers in codes (:mod:`geo.policy.codes`); sentences are made at the edge
(:mod:`geo.explain`) from the catalogs.
"""

from geo.policy.codes import (
    CATEGORIES,
    OWNER_CLASSES,
    PARKING,
    PUBLIC_OWNERS,
    VERDICTS,
    Category,
    Clause,
    OwnerClass,
    OwnerFinding,
    Scope,
    SiteKind,
    Verdict,
)
from geo.policy.rule import (
    SITE_KINDS,
    Decision,
    category_of,
    city_classes,
    counts_as_city,
    decide,
    in_scope,
    owner_codes,
)
from geo.policy.terms import PolicyOverrides, apply_overrides

__all__ = [
    "CATEGORIES",
    "OWNER_CLASSES",
    "PARKING",
    "PUBLIC_OWNERS",
    "SITE_KINDS",
    "VERDICTS",
    "Category",
    "Clause",
    "Decision",
    "OwnerClass",
    "OwnerFinding",
    "PolicyOverrides",
    "Scope",
    "SiteKind",
    "Verdict",
    "apply_overrides",
    "category_of",
    "city_classes",
    "counts_as_city",
    "decide",
    "in_scope",
    "owner_codes",
]
