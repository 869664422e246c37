"""Tests for geo.classify: owner classes, site kinds, verdicts and reasons."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from parcel_helpers import make_frame, square

from geo.analysis import analyse
from geo.classify import classify, owner_classes, site_kinds, verdict_counts
from geo.errors import InputError
from geo.explain import joined
from geo.policy import VERDICTS, Verdict
from geo.policy.terms import Policy
from geo.profile import Profile

COVERED, NEEDS_REVIEW, NOT_COVERED = Verdict.COVERED, Verdict.NEEDS_REVIEW, Verdict.NOT_COVERED

SUCCESSOR = "SUCCESSOR AGENCY TO THE REDEVELOPMENT AGENCY OF THE CITY OF SACRAMENTO"
AGENCY = "CITY OF SACRAMENTO DEPARTMENT OF UTILITIES"
SOURCE_FIELDS = {"owner": "NAME", "land_use": "LANDUSE"}


def one(owner: object, land_use: object = "C1", apn: str = "001-0001-001-0000") -> gpd.GeoDataFrame:
    """A single 100 ft parcel."""
    return make_frame([(apn, "1 A ST", owner, land_use, square(0))])  # type: ignore[list-item]


def verdict_of(owner: object, policy: Policy, land_use: object = "C1") -> str:
    """The verdict of a single parcel."""
    return str(classify(one(owner, land_use), policy, {})["verdict"].iloc[0])


# ------------------------------------------------------------ hard owner names


@pytest.mark.parametrize(
    ("owner", "land_use", "owner_class", "verdict"),
    [
        ("CITY OF WEST SACRAMENTO", "P2", "other_public", NOT_COVERED),
        ("SACRAMENTO CITY LOFTS LLC", "P1", "private", NOT_COVERED),
        ("SACRAMENTO HOUSING AND REDEVELOPMENT AGENCY", "P1", "other_public", NOT_COVERED),
        ("SACRAMENTO CITY UNIFIED SCHOOL DISTRICT", "C1", "other_public", NOT_COVERED),
        ("", "C1", "unknown", NEEDS_REVIEW),
        ("   ", "C1", "unknown", NEEDS_REVIEW),
        (None, "C1", "unknown", NEEDS_REVIEW),
        (np.nan, "P2", "unknown", NEEDS_REVIEW),
        ("CITY OF SACRAMENTO ET AL", "C1", "unknown", NEEDS_REVIEW),
        (SUCCESSOR, "P2", "unknown", NEEDS_REVIEW),
        ("Sacramento, City of", "P2", "city", COVERED),
        ("CITY OF SACRAMENTO", "C1", "city", COVERED),
        ("the city of sacramento", "PK", "city", COVERED),
        (AGENCY, "C1", "city_agency", COVERED),
        ("COUNTY OF SACRAMENTO", "P2", "county", NOT_COVERED),
        ("STATE OF CALIFORNIA DEPT OF GENERAL SERVICES", "C1", "state", NOT_COVERED),
        ("UNITED STATES OF AMERICA", "G1", "federal", NOT_COVERED),
        ("STATE OF CALIFORNIANS LLC", "C1", "private", NOT_COVERED),  # prefix needs a space
    ],
)
def test_hard_owner_names(
    policy: Policy, owner: object, land_use: str, owner_class: str, verdict: str
) -> None:
    out = classify(one(owner, land_use), policy)
    assert out["owner_class"].iloc[0] == owner_class
    assert out["verdict"].iloc[0] == verdict
    assert bool(out["covered"].iloc[0]) is (verdict == COVERED)


def test_city_garage_is_a_parking_garage(policy: Policy) -> None:
    out = classify(one("Sacramento, City of", "P2"), policy)
    assert out["site_kind"].iloc[0] == "parking garage"
    assert "a city lot or garage may not be a staging area" in joined(out["reasons"].iloc[0])


def test_partial_city_name_is_flagged(policy: Policy) -> None:
    owners = pd.Series(
        ["CITY OF SACRAMENTO ET AL", "CITY OF SACRAMENTO", "CITY OF WEST SACRAMENTO"]
    )
    labels, partial = owner_classes(owners, policy)
    assert labels.tolist() == ["unknown", "city", "other_public"]
    assert partial.tolist() == [True, False, False]


def test_review_reason_mentions_joint_owners(policy: Policy) -> None:
    reasons = joined(classify(one("CITY OF SACRAMENTO ET AL"), policy)["reasons"].iloc[0])
    assert "contains a city name among other words" in reasons
    assert "needs review" in reasons


@pytest.mark.parametrize(
    "owner",
    [
        "COUNTY OF SACRAMENTO AND CITY OF SACRAMENTO",
        "STATE OF CALIFORNIA AND CITY OF SACRAMENTO",
    ],
)
def test_public_owner_joint_with_the_city_needs_review(policy: Policy, owner: str) -> None:
    # "contains one of the city's names among other words" wins over a public prefix
    out = classify(one(owner), policy)
    assert out["owner_class"].iloc[0] == "unknown"
    assert out["verdict"].iloc[0] == NEEDS_REVIEW


# ------------------------------------------------------------ scope and agencies


def test_city_building_under_scope_all_and_lots_and_garages(policy: Policy) -> None:
    assert policy.scope == "all"
    assert verdict_of("CITY OF SACRAMENTO", policy, "C1") == COVERED
    narrow = policy.with_changes(scope="lots_and_garages")
    out = classify(one("CITY OF SACRAMENTO", "C1"), narrow)
    assert out["verdict"].iloc[0] == NOT_COVERED
    assert "covers only city lots and garages" in joined(out["reasons"].iloc[0])
    assert verdict_of("CITY OF SACRAMENTO", narrow, "P1") == COVERED
    assert verdict_of("CITY OF SACRAMENTO", narrow, "P2") == COVERED


def test_unknown_owner_outside_narrow_scope_is_not_covered(policy: Policy) -> None:
    narrow = policy.with_changes(scope="lots_and_garages")
    assert verdict_of("", narrow, "C1") == NOT_COVERED
    assert verdict_of("", narrow, "P1") == NEEDS_REVIEW


def test_city_agency_depends_on_include_city_agencies(policy: Policy) -> None:
    assert verdict_of(AGENCY, policy) == COVERED
    off = policy.with_changes(include_city_agencies=False)
    out = classify(one(AGENCY), off)
    assert out["owner_class"].iloc[0] == "city_agency"
    assert out["verdict"].iloc[0] == NOT_COVERED
    assert "do not count under this policy version" in joined(out["reasons"].iloc[0])


def test_policy_versions_of_the_profile(profile: Profile) -> None:
    narrow = profile.policy_version("lots_only")
    assert narrow.scope == "lots_and_garages" and not narrow.include_city_agencies
    assert profile.policy_version().version == profile.default_policy
    with pytest.raises(InputError, match="no policy version"):
        profile.policy_version("nope")
    with pytest.raises(InputError, match="scope must be one of"):
        profile.policy_version().with_changes(scope="everything")


@pytest.mark.parametrize("land_use", ["P1", "P2", "C1", "PK", "V1", ""])
def test_parking_alone_never_decides(policy: Policy, land_use: str) -> None:
    assert verdict_of("CAPITOL PARKING PARTNERS LLC", policy, land_use) == NOT_COVERED


# ------------------------------------------------------------------ site kinds


def test_site_kinds(policy: Policy) -> None:
    codes = pd.Series(["P1", " p2 ", "PK", "C1", "G1", "V1", "", None])
    assert site_kinds(codes, policy).tolist() == [
        "parking lot",
        "parking garage",
        "open space",
        "building",
        "building",
        "other",
        "other",
        "other",
    ]


def test_custom_lot_codes(policy: Policy) -> None:
    custom = policy.with_changes(parking_lot=("V1",), parking_garage=())
    kinds = site_kinds(pd.Series(["V1", "P1", "P2"]), custom).tolist()
    assert kinds == ["parking lot", "other", "other"]


# ------------------------------------------------------------------ city APNs


def test_city_apns_mark_a_parcel_city_owned(policy: Policy) -> None:
    frame = make_frame(
        [
            ("007-0111-017-0000", "1 A ST", "TWELVE OAKS PARTNERS LLC", "C1", square(0)),
            ("007-0111-018-0000", "2 A ST", "TWELVE OAKS PARTNERS LLC", "C1", square(1)),
            ("0070111019", "3 A ST", "", "P1", square(2)),
        ]
    )
    listed = policy.with_changes(city_apns=frozenset({"00701110170000", "00701110190000"}))
    out = classify(frame, listed)
    assert out["owner_class"].tolist() == ["city", "private", "city"]
    assert out["verdict"].tolist() == [COVERED, NOT_COVERED, COVERED]
    assert joined(out["reasons"].iloc[0]).startswith("APN is on the city property list")
    # without the list the same parcels are private and blank-owner
    plain = classify(frame, policy)["verdict"].tolist()
    assert plain == [NOT_COVERED, NOT_COVERED, NEEDS_REVIEW]


def test_city_apns_by_short_form(policy: Policy) -> None:
    listed = policy.with_changes(city_apns=frozenset({"0070111017"}))
    out = classify(one("SOMEONE ELSE", "C1", apn="007-0111-017-0000"), listed)
    assert out["verdict"].iloc[0] == COVERED


# ---------------------------------------------------------------- reasons


def test_reasons_name_the_source_field_and_value(policy: Policy) -> None:
    frame = make_frame(
        [
            ("1", "1 A ST", "SACRAMENTO CITY OF", "P2", square(0)),
            ("2", "2 A ST", "", "C1", square(1)),
            ("3", "3 A ST", "ACME LLC", "ZZ", square(2)),
        ]
    )
    out = classify(frame, policy, source_fields=SOURCE_FIELDS)
    city, blank, private = (joined(r) for r in out["reasons"])
    assert "owner NAME = 'SACRAMENTO CITY OF'" in city
    assert "LANDUSE = P2" in city
    assert city.startswith("owner NAME = 'SACRAMENTO CITY OF' is one of the city's names")
    assert "owner NAME is blank" in blank
    assert "owner NAME = 'ACME LLC' is not a public owner" in private
    assert "LANDUSE = ZZ (not a lot, garage, building or open space" in private


def test_reasons_default_to_attrs_then_to_no_field(policy: Policy) -> None:
    frame = one("CITY OF SACRAMENTO", "P1")
    assert joined(classify(frame, policy)["reasons"].iloc[0]).startswith(
        "owner = 'CITY OF SACRAMENTO'"
    )
    frame.attrs["source_fields"] = {"owner": "OWNER1", "land_use": "LU"}
    reasons = joined(classify(frame, policy)["reasons"].iloc[0])
    assert "owner OWNER1 = 'CITY OF SACRAMENTO'" in reasons
    assert "land use LU = P1 is a parking lot" in reasons


def test_reasons_have_one_part_each_for_owner_site_and_clause(policy: Policy) -> None:
    owner, site, clause = classify(one("STATE OF CALIFORNIA", "PK"), policy)["reasons"].iloc[0]
    assert owner == "owner = 'STATE OF CALIFORNIA' is the state, not the city"
    assert site == "land use = PK is open space"
    assert clause.startswith("not covered:")


# --------------------------------------------------------- the whole table


def test_classify_keeps_rows_and_adds_columns(policy: Policy) -> None:
    owners = ["CITY OF SACRAMENTO", "", "ACME LLC", AGENCY, "CITY OF SACRAMENTO ET AL"]
    frame = make_frame(
        [(str(i), f"{i} A ST", o, "C1", square(i)) for i, o in enumerate(owners)]
    ).set_index(pd.Index([50, 40, 30, 20, 10]))
    out = classify(frame, policy)
    assert out.index.equals(frame.index)
    assert {"owner_class", "site_kind", "covered", "verdict", "reasons"} <= set(out.columns)
    assert "verdict" not in frame.columns  # a copy, the input is untouched
    assert set(out["verdict"]) <= set(VERDICTS)
    assert set(VERDICTS) == {"covered", "not covered", "needs review"}
    assert out["verdict"].tolist() == [COVERED, NEEDS_REVIEW, NOT_COVERED, COVERED, NEEDS_REVIEW]
    assert out["covered"].dtype == bool
    assert (out["covered"] == (out["verdict"] == COVERED)).all()
    assert out.crs == frame.crs


def test_verdict_counts(policy: Policy) -> None:
    owners = ["CITY OF SACRAMENTO", "CITY OF SACRAMENTO", "", "ACME LLC", "ACME LLC", "X"]
    frame = make_frame([(str(i), "", o, "C1", square(i)) for i, o in enumerate(owners)])
    counts = verdict_counts(classify(frame, policy))
    assert counts == {COVERED: 2, NEEDS_REVIEW: 1, NOT_COVERED: 3}
    assert list(counts) == [COVERED, NEEDS_REVIEW, NOT_COVERED]


def test_verdict_counts_lists_absent_verdicts_as_zero() -> None:
    counts = verdict_counts(pd.DataFrame({"verdict": [COVERED, COVERED]}))
    assert counts == {COVERED: 2, NEEDS_REVIEW: 0, NOT_COVERED: 0}


def test_blank_owner_reason_is_said_once(policy) -> None:  # type: ignore[no-untyped-def]
    """A blank owner's reason names the field once and does not repeat itself."""
    from parcel_helpers import make_frame, square

    from geo.classify import classify

    frame = make_frame([("1", "1 A ST", "", "P2", square(0))])
    reason = joined(
        classify(frame, policy, {"owner": "NAME", "land_use": "LANDUSE"})["reasons"].iloc[0]
    )
    first = reason.split("; ")[0]
    assert first == "owner NAME is blank: check who owns this parcel"


def test_reasons_on_demand_match_a_full_classification(profile: Profile) -> None:
    """The analysis decides every verdict at once and writes reasons for the rows asked."""
    frame = make_frame(
        [
            ("001-0001-001-0000", "1 A ST", "CITY OF SACRAMENTO", "P2", square(0)),
            ("001-0001-002-0000", "2 A ST", "", "C1", square(1)),
            ("001-0001-003-0000", "3 A ST", "ACME LLC", "P1", square(2)),
            ("001-0001-004-0000", "4 A ST", SUCCESSOR, "P1", square(3)),
        ]
    )
    frame.attrs["source_fields"] = SOURCE_FIELDS
    analysis = analyse(frame, profile)
    assert "reasons" not in analysis.parcels
    full = classify(frame, analysis.policy)["reasons"].tolist()
    assert analysis.explained(analysis.parcels, owner_names=True)["reasons"].tolist() == full
    some = analysis.explained(analysis.parcels.iloc[[3, 0]])
    assert some["reasons"].tolist() == [full[3], full[0]]
    assert some.index.tolist() == analysis.parcels.index[[3, 0]].tolist()
    assert "owner NAME = 'CITY OF SACRAMENTO'" in joined(full[0])


def test_an_owner_name_with_a_semicolon_stays_in_its_own_reason(policy: Policy) -> None:
    """Reasons travel as a list: a name containing "; " never splits a reason."""
    reasons = classify(one("ACME; LLC", "C1"), policy)["reasons"].iloc[0]
    assert len(reasons) == 3
    assert reasons[0] == "owner = 'ACME; LLC' is not a public owner named in the profile"


@pytest.mark.parametrize("lang", ["es", "hmn"])
def test_reasons_come_in_the_readers_language(policy: Policy, lang: str) -> None:
    """Every reason is written from the reader's catalog: no English sentence is left."""
    from geo.i18n import translator

    english = classify(one("CITY OF SACRAMENTO", "P1"), policy)["reasons"].iloc[0]
    other = classify(one("CITY OF SACRAMENTO", "P1"), policy, t=translator(lang))
    assert len(other["reasons"].iloc[0]) == 3
    for theirs, ours in zip(other["reasons"].iloc[0], english, strict=True):
        assert theirs != ours
