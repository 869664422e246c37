"""The county's own spellings: owner names, two parcel numbers, and a link to its record."""

from __future__ import annotations

import dataclasses

import geopandas as gpd
import pandas as pd
import pytest
from arcgis_standin import CONDO, county_parcels
from parcel_helpers import make_frame, square

from geo.classify import owner_classes
from geo.errors import InputError
from geo.lookup import ParcelIndex
from geo.policy.terms import Policy
from geo.profile import Profile, load_profile
from geo.records import record_url
from geo.sources import canonical_from_layer

# Owner spellings seen in the county's data (see the profile's comments) and their class.
OWNERS = {
    "CITY OF SACRAMENTO": "city",
    "HOUSING AUTHORITY OF THE CITY OF SACRAMENTO": "other_public",
    "CITY OF SACRAMENTO HOUSING AUTHORITY": "other_public",
    "SACRAMENTO HOUSING AND REDEVELOPMENT AGENCY": "other_public",
    "SACRAMENTO REGIONAL TRANSIT DISTRICT": "other_public",
    "COUNTY OF SACRAMENTO": "county",
    "STATE OF CALIFORNIA": "state",
    "STATE OF CALIFORNIA DEPT OF GENERAL SERVICES": "state",
    "UNITED STATES OF AMERICA": "federal",
    "UNITED STATES OF AMERICA (GSA)": "federal",
    "UNITED STATES OF AMERICA (U S POSTAL SERVICE)": "federal",
    "SACRAMENTO CITY UNIFIED SCHOOL DISTRICT": "other_public",
    "CITY OF SACRAMENTO ET AL": "unknown",
}


def test_county_owner_spellings(policy: Policy) -> None:
    """The housing authority is other public (exact names come before partial city names);
    bracketed agencies after a federal name stay federal."""
    names = pd.Series(list(OWNERS))
    labels, partial = owner_classes(names, policy)
    assert dict(zip(names, labels, strict=True)) == OWNERS
    assert partial[names == "CITY OF SACRAMENTO ET AL"].all()
    assert not partial[names == "CITY OF SACRAMENTO HOUSING AUTHORITY"].any()


# --------------------------------------------------------------- two APN spellings


@pytest.fixture(scope="module")
def condo_layer(profile: Profile) -> gpd.GeoDataFrame:
    """The sample in the county's schema with one condominium space whose numbers differ."""
    raw = county_parcels()
    raw.loc[0, "APN_DASH"], raw.loc[0, "PARCEL_NUMBER"] = CONDO
    return canonical_from_layer(raw, profile, "county layer", "2025-12-01")


def test_both_parcel_numbers_find_the_parcel(condo_layer: gpd.GeoDataFrame) -> None:
    assert condo_layer.attrs["source_fields"]["apn"] == "APN_DASH"
    assert condo_layer.attrs["source_fields"]["apn_alt"] == "PARCEL_NUMBER"
    index = ParcelIndex(condo_layer)
    dashed, digits = CONDO
    for query in (dashed, "04902820060003", digits, "049-0282-006-0000", "0490282006"):
        assert index.find(query).positions == (0,), query
    assert condo_layer.iloc[0]["apn"] == dashed  # the APN the profile maps is kept
    other = index.find("006-0102-002-0000").positions
    assert other == (1,)  # same number in both fields: one row, found once


def test_without_a_second_field_nothing_changes(profile: Profile) -> None:
    frame = make_frame([("006-0010-001-0000", "1 A ST", "X", "C1", square(0))])
    assert "apn_alt" not in frame
    assert ParcelIndex(frame).find("0060010001").positions == (0,)


# ------------------------------------------------------------- link to the record


def test_record_url_from_the_profile_template(profile: Profile) -> None:
    assert (
        record_url(profile.record_template, "007-0111-017-0000") is None
    )  # the bundled profile has none
    linked = dataclasses.replace(
        profile, source={"record_url": "https://assessor.example/p?apn={apn}&n={apn_digits}"}
    )
    assert record_url(linked.record_template, "007-0111-017-0000") == (
        "https://assessor.example/p?apn=007-0111-017-0000&n=00701110170000"
    )
    assert (
        record_url(linked.record_template, "12 A&B/7")
        == "https://assessor.example/p?apn=12%20A%26B%2F7&n=12AB7"
    )
    assert (
        record_url(linked.record_template, "") is None
        and record_url(linked.record_template, None) is None
    )


@pytest.mark.parametrize(
    ("template", "problem"),
    [
        ("ftp://x.example/{apn}", "must start with https://"),
        ("https://x.example/{owner}", "not owner"),
        ("https://x.example/parcel", "must use {apn}"),
        ("https://x.example/{apn", "record_url"),
    ],
)
def test_a_bad_record_template_is_refused(
    tmp_path: pytest.TempPathFactory, profile: Profile, template: str, problem: str
) -> None:
    text = profile.path.read_text(encoding="utf-8").replace(
        "[source]\n", f'[source]\nrecord_url = "{template}"\n'
    )
    path = tmp_path / "profile.toml"  # type: ignore[operator]
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=problem.replace("{", r"\{")):
        load_profile(path)


def test_profile_names_the_countys_layer(profile: Profile) -> None:
    assert profile.source["url"].endswith("/arcgis/rest/services/PARCELS/MapServer/8")
    assert profile.source["where"] == "1=1"
