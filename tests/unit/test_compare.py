"""Comparing policy versions: their terms side by side and which pair differs."""

from __future__ import annotations

from geo.analysis import compare_policies
from geo.compare import TERMS, differing_pair, same_terms, terms_side_by_side
from geo.profile import load_profile
from geo.sources import read_parcels


def test_versions_with_the_same_terms_agree_and_the_opening_pair_differs() -> None:
    profile = load_profile()
    nov, apr = profile.policy_version("nov2025"), profile.policy_version("apr2026")
    assert same_terms(nov, apr)
    assert not same_terms(nov, profile.policy_version("lots_only"))
    assert differing_pair(profile) == ("nov2025", "lots_only")


def test_terms_side_by_side_mark_what_differs() -> None:
    profile = load_profile()
    terms = terms_side_by_side(
        profile.policy_version("nov2025"), profile.policy_version("lots_only")
    )
    assert terms["term"].tolist() == list(TERMS)
    differs = dict(zip(terms["term"], terms["differs"], strict=True))
    assert differs["scope"] and differs["include_city_agencies"]
    assert not differs["parking_lot"]


def test_compare_policies_gives_both_reasons() -> None:
    profile = load_profile()
    parcels = read_parcels(profile.sample_path(), profile)  # type: ignore[arg-type]
    table = compare_policies(
        parcels, profile.policy_version("nov2025"), profile.policy_version("lots_only")
    )
    assert len(table) > 0
    assert {"reasons_nov2025", "reasons_lots_only"} <= set(table.columns)
    assert all(len(r) == 3 for r in table["reasons_nov2025"])
