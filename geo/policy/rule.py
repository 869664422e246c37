"""The whole rule of part 1 of the proposal, on one screen.

A parcel is **covered** (barred as an immigration-enforcement staging area) when its owner
counts as the city under the policy version and its site is in the version's scope; it
**needs review** when its owner is unclear and its site is in scope; otherwise it is **not
covered**. Every caller (classification, places to assemble, drawn shapes, map styles, the
command line and the app) asks these functions; none repeats them.

Inputs are arrays of codes: owner classes as indices into :data:`OWNER_CLASSES`, site kinds
as indices into :data:`SITE_KINDS`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from geo.policy.codes import (
    CATEGORIES,
    OWNER_CLASSES,
    PARKING,
    VERDICTS,
    Category,
    Clause,
    OwnerClass,
    Scope,
    SiteKind,
    Verdict,
)

SITE_KINDS = tuple(SiteKind)
_CITY = OWNER_CLASSES.index(OwnerClass.CITY)
_AGENCY = OWNER_CLASSES.index(OwnerClass.CITY_AGENCY)
_UNKNOWN = OWNER_CLASSES.index(OwnerClass.UNKNOWN)
_PARKING = [SITE_KINDS.index(k) for k in PARKING]


def counts_as_city(owner: np.ndarray, include_city_agencies: bool) -> np.ndarray:
    """Whether each owner counts as the city: the city, and its agencies when they count."""
    owner = np.asarray(owner)
    return (owner == _CITY) | ((owner == _AGENCY) & include_city_agencies)


def city_classes(include_city_agencies: bool) -> tuple[OwnerClass, ...]:
    """The owner classes that count as the city under a version."""
    return (
        (OwnerClass.CITY, OwnerClass.CITY_AGENCY) if include_city_agencies else (OwnerClass.CITY,)
    )


def owner_codes(words: object) -> np.ndarray:
    """Owner class words (``city``, ``city_agency``, ...) as the codes the rule takes."""
    lookup = {c.value: i for i, c in enumerate(OWNER_CLASSES)}
    return np.asarray([lookup[str(w)] for w in np.asarray(words, dtype=object)], dtype=np.int8)


def in_scope(site: np.ndarray, scope: Scope) -> np.ndarray:
    """Whether each site is one the version covers: lots and garages, or any property."""
    site = np.asarray(site)
    return np.isin(site, _PARKING) | (Scope(scope) is Scope.ALL)


@dataclass(frozen=True)
class Decision:
    """Per parcel: the verdict, the map category and the clause that decided it (codes)."""

    verdict: np.ndarray  # index into VERDICTS
    category: np.ndarray  # index into CATEGORIES
    clause: np.ndarray  # Clause values
    city: np.ndarray  # bool: the owner counts as the city

    def verdict_words(self) -> np.ndarray:
        """The verdicts as their machine words (``covered``, ...)."""
        return np.asarray([v.value for v in VERDICTS], dtype=object)[self.verdict]

    def category_words(self) -> np.ndarray:
        """The map categories as their keys (``city_lot_garage``, ...)."""
        return np.asarray([c.value for c in CATEGORIES], dtype=object)[self.category]


def decide(
    owner: np.ndarray, site: np.ndarray, scope: Scope, include_city_agencies: bool
) -> Decision:
    """Decide every parcel: covered, needs review or not covered, and why."""
    owner, site = np.asarray(owner), np.asarray(site)
    city = counts_as_city(owner, include_city_agencies)
    scoped = in_scope(site, scope)
    parking = np.isin(site, _PARKING)
    covered = city & scoped
    review = (owner == _UNKNOWN) & scoped
    verdict = np.select(
        [covered, review],
        [VERDICTS.index(Verdict.COVERED), VERDICTS.index(Verdict.NEEDS_REVIEW)],
        VERDICTS.index(Verdict.NOT_COVERED),
    ).astype(np.int8)
    category = np.select(
        [covered & parking, covered, review],
        [CATEGORIES.index(c) for c in (Category.CITY_LOT_GARAGE, Category.CITY_OTHER)]
        + [CATEGORIES.index(Category.REVIEW)],
        CATEGORIES.index(Category.NOT_COVERED),
    ).astype(np.int8)
    clause = np.select(
        [covered & parking, covered, review, city],
        [Clause.CITY_LOT_GARAGE, Clause.CITY_OTHER, Clause.OWNER_UNCLEAR, Clause.OUT_OF_SCOPE],
        Clause.NOT_CITY,
    ).astype(np.int8)
    return Decision(verdict=verdict, category=category, clause=clause, city=city)


def category_of(verdict: str, site_kind: str) -> Category:
    """The map category of one parcel from its verdict and site kind words."""
    if verdict == Verdict.COVERED:
        return Category.CITY_LOT_GARAGE if site_kind in PARKING else Category.CITY_OTHER
    return Category.REVIEW if verdict == Verdict.NEEDS_REVIEW else Category.NOT_COVERED
