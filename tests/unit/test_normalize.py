"""Tests for geo.normalize: owner names, APNs and street addresses."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from geo.normalize import (
    PlaceWords,
    apn_keys,
    normalize_address,
    normalize_apn,
    normalize_owner,
    normalize_owner_series,
)
from geo.profile import load_profile

# ---------------------------------------------------------------- owner names

SACRAMENTO = PlaceWords(cities=("SACRAMENTO", "SAC"), states=("CA", "CALIFORNIA"))


@pytest.mark.parametrize(
    "name",
    [
        "Sacramento, City of",
        "SACRAMENTO CITY OF",
        "sacramento city of",
        "  Sacramento ,  City   of. ",
        "SACRAMENTO-CITY-OF",
        "Sacramento\tCity\nof",
    ],
)
def test_owner_case_punctuation_and_spacing_are_ignored(name: str) -> None:
    assert normalize_owner(name) == "SACRAMENTO CITY OF"


def test_owner_different_words_stay_different() -> None:
    assert normalize_owner("City of West Sacramento") == "CITY OF WEST SACRAMENTO"
    assert normalize_owner("City of West Sacramento") != normalize_owner("City of Sacramento")


@pytest.mark.parametrize("missing", [None, float("nan"), np.nan, "", "   ", ",.;"])
def test_owner_missing_or_blank_is_empty(missing: object) -> None:
    assert normalize_owner(missing) == ""


def test_owner_non_string_is_stringified() -> None:
    assert normalize_owner(12) == "12"


def test_owner_series_equals_scalar_form_on_mixed_values() -> None:
    values = [
        "Sacramento, City of",
        None,
        np.nan,
        "CITY OF SACRAMENTO",
        "",
        "  city  of sacramento ",
        "Sacramento, City of",  # repeated: factorised once, spread to both rows
        42,
        "PEÑA FAMILY TRUST",
        "o'brien & sons, llc",
    ]
    names = pd.Series(values, index=[10, 3, 7, 1, 2, 99, 5, 6, 8, 4], dtype=object)
    got = normalize_owner_series(names)
    assert got.index.equals(names.index)
    assert got.tolist() == [normalize_owner(v) for v in values]
    assert got.loc[3] == "" and got.loc[7] == ""
    assert got.loc[10] == got.loc[5] == "SACRAMENTO CITY OF"


def test_owner_series_empty_and_all_missing() -> None:
    assert normalize_owner_series(pd.Series([], dtype=object)).tolist() == []
    assert normalize_owner_series(pd.Series([None, np.nan], dtype=object)).tolist() == ["", ""]


def test_owner_series_equals_scalar_form_on_string_dtype_with_na() -> None:
    names = pd.Series(["Sacramento, City of", None], dtype="string")
    assert normalize_owner_series(names).tolist() == [normalize_owner(v) for v in names]


@given(st.text(max_size=40))
def test_owner_normalisation_is_idempotent(name: str) -> None:
    once = normalize_owner(name)
    assert normalize_owner(once) == once


@given(st.lists(st.one_of(st.none(), st.text(max_size=20)), max_size=12))
def test_owner_series_matches_scalar_for_any_strings(values: list[str | None]) -> None:
    names = pd.Series(values, dtype=object)
    assert normalize_owner_series(names).tolist() == [normalize_owner(v) for v in values]


# ---------------------------------------------------------------------- APNs

APN_14 = "00701110170000"
APN_10 = "0070111017"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("007-0111-017-0000", APN_14),
        ("007 0111 017 0000", APN_14),
        (APN_14, APN_14),
        ("007 0111 017", APN_10),
        (APN_10, APN_10),
        (" 007-0111-017 ", APN_10),
        ("ab-12.c", "AB12C"),
        (None, ""),
        (float("nan"), ""),
    ],
)
def test_normalize_apn(raw: object, expected: str) -> None:
    assert normalize_apn(raw) == expected


@pytest.mark.parametrize(
    "spelling", ["007-0111-017-0000", "0070111017", APN_14, "007 0111 017", "007-0111-017"]
)
def test_apn_keys_link_10_and_14_digit_forms(spelling: str) -> None:
    keys = apn_keys(spelling)
    assert keys[0] == normalize_apn(spelling)  # the exact spelling first
    assert set(keys) == {APN_10, APN_14}


def test_apn_keys_14_digits_not_ending_in_0000_have_no_short_form() -> None:
    assert apn_keys("007-0111-017-0001") == ["00701110170001"]


def test_apn_keys_other_lengths_and_letters_are_exact_only() -> None:
    assert apn_keys("12345") == ["12345"]
    assert apn_keys("ABCDEFGHIJ") == ["ABCDEFGHIJ"]  # 10 characters but not digits


@pytest.mark.parametrize("blank", ["", "  ", "--", None])
def test_apn_keys_blank_is_empty(blank: object) -> None:
    assert apn_keys(blank) == []


@st.composite
def rendered_digits(draw: st.DrawFn) -> tuple[str, str]:
    """A digit string and a rendering of it with dashes, spaces and dots between digits."""
    digits = draw(st.text(alphabet="0123456789", min_size=1, max_size=16))
    seps = draw(
        st.lists(
            st.sampled_from(["", "", "-", " ", "  ", ".", " - "]),
            min_size=len(digits) + 1,
            max_size=len(digits) + 1,
        )
    )
    rendered = seps[0] + "".join(d + s for d, s in zip(digits, seps[1:], strict=True))
    return digits, rendered


@given(rendered_digits())
def test_apn_keys_ignore_dashes_and_spaces(case: tuple[str, str]) -> None:
    digits, rendered = case
    assert apn_keys(rendered) == apn_keys(digits)


@given(st.text(alphabet="0123456789", min_size=10, max_size=10))
def test_apn_keys_10_digits_round_trip_through_14(digits: str) -> None:
    long_form = digits + "0000"
    assert apn_keys(digits) == [digits, long_form]
    assert apn_keys(long_form) == [long_form, digits]


# ------------------------------------------------------------------ addresses


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1201 I Street, Sacramento, CA 95814", "1201 I ST"),
        ("1201 I Street, Sacramento", "1201 I ST"),
        ("1201 i st.", "1201 I ST"),
        ("1201 I St, Sacramento, California 95814-1234", "1201 I ST"),
        ("1201 I St 95814", "1201 I ST"),
        ("1201 I St, CA", "1201 I ST"),
        ("650 Capitol Mall", "650 CAPITOL MALL"),
        ("650 CAPITOL MALL, SACRAMENTO CA", "650 CAPITOL MALL"),
        ("915 Ninth Street", "915 9TH ST"),
        ("915 9th St", "915 9TH ST"),
        ("1000 Tenth Avenue", "1000 10TH AVE"),
        ("100 Main Boulevard", "100 MAIN BLVD"),
        ("  12   K   Str  ", "12 K ST"),
        (None, ""),
        (float("nan"), ""),
        ("", ""),
    ],
)
def test_normalize_address(raw: object, expected: str) -> None:
    assert normalize_address(raw, SACRAMENTO) == expected


def test_the_place_words_come_from_the_profile() -> None:
    """No jurisdiction is built in: another city's words are dropped, Sacramento's kept."""
    davis = PlaceWords(cities=("DAVIS",), states=("CA",))
    assert normalize_address("100 Main St, Davis, CA 95616", davis) == "100 MAIN ST"
    assert normalize_address("100 Main St, Sacramento", davis) == "100 MAIN ST SACRAMENTO"
    assert normalize_address("100 Main St 95616") == "100 MAIN ST"  # a ZIP code goes anyway
    assert load_profile().place == SACRAMENTO


def test_address_street_type_only_abbreviated_at_the_end() -> None:
    # "STREET" in the middle of an address is a name, not the street type
    assert normalize_address("10 Street Way") == "10 STREET WAY"


def test_address_spelled_ordinals_past_tenth() -> None:
    assert normalize_address("1100 Eleventh Street") == "1100 11TH ST"


@given(st.text(max_size=40))
def test_address_output_is_upper_case_and_single_spaced(text: str) -> None:
    once = normalize_address(text, SACRAMENTO)
    assert once == once.upper()
    assert "  " not in once and once == once.strip()


@given(
    st.lists(
        st.sampled_from(
            [
                "1201",
                "650",
                "I",
                "K",
                "ST",
                "STREET",
                "Capitol",
                "MALL",
                "Ninth",
                "TWENTY",
                "FIRST",
                "Sacramento",
                "CA",
                "95814",
                "Avenue",
                "W",
                "PEÑA",
                ",",
                "#2",
                "ct",
            ]
        ),
        max_size=6,
    ).map(" ".join)
)
def test_address_series_equals_the_scalar_form(address: str) -> None:
    """The vectorized address normaliser gives exactly the scalar result."""
    from geo.normalize import normalize_address_series

    for place in (SACRAMENTO, PlaceWords()):
        series = normalize_address_series(pd.Series([address]), place)
        assert series.iloc[0] == normalize_address(address, place)


@given(st.text(max_size=20))
def test_apn_series_equals_the_scalar_form(apn: str) -> None:
    """The vectorized APN normaliser gives exactly the scalar result."""
    from geo.normalize import normalize_apn_series

    assert normalize_apn_series(pd.Series([apn])).iloc[0] == normalize_apn(apn)


ASCII_TEXT = st.text(alphabet=st.characters(max_codepoint=127), max_size=24)


@given(st.lists(ASCII_TEXT, max_size=12))
def test_owner_series_matches_scalar_for_ascii_text(values: list[str]) -> None:
    """ASCII names take the Arrow path (and clean ones skip the replacement): same result."""
    names = pd.Series(values, dtype="str")
    assert normalize_owner_series(names).tolist() == [normalize_owner(v) for v in values]


@given(st.lists(ASCII_TEXT, max_size=12))
def test_apn_series_matches_scalar_for_ascii_text(values: list[str]) -> None:
    """ASCII APNs take the Arrow path: the same keys as the scalar form."""
    from geo.normalize import normalize_apn_series

    assert normalize_apn_series(pd.Series(values)).tolist() == [normalize_apn(v) for v in values]
