"""What an aide does with the compare and table tabs, driven with Streamlit's AppTest."""

from __future__ import annotations

import base64

import pandas as pd
from app_driver import open_fold, open_tab, start
from streamlit.testing.v1 import AppTest

from geo.i18n import translator
from panels.state import Key

WORDS = translator("en")


def frame_with(at: AppTest, column: str) -> pd.DataFrame:
    """The first dataframe shown that has a column."""
    return next(d.value for d in at.dataframe if column in getattr(d.value, "columns", []))


def test_compare_opens_on_a_pair_that_differs_with_terms_map_and_download() -> None:
    at = open_tab(start(), "compare")
    assert at.selectbox(key="cmp_a").value == "nov2025"
    assert at.selectbox(key="cmp_b").value == "lots_only"  # Apr 2026 has Nov 2025's terms
    terms = frame_with(at, WORDS("compare.term"))
    scope = terms[terms[WORDS("compare.term")] == WORDS("policy.scope")].iloc[0]
    assert WORDS("policy.scope.all") in scope.tolist()
    assert WORDS("policy.scope.lots_and_garages") in scope.tolist()
    changed = frame_with(at, WORDS("compare.verdict_in", version="Nov 2025 proposal"))
    assert len(changed) > 0
    first = changed[WORDS("compare.verdict_in", version="Nov 2025 proposal")]
    second = changed[WORDS("compare.verdict_in", version="Narrow draft: lots and garages only")]
    assert (first != second).all()
    assert WORDS("compare.reasons_in", version="Nov 2025 proposal") in changed.columns
    assert any(WORDS("compare.csv") == b.label for b in at.get("download_button"))
    images = at.get("image")
    assert images, "no map of the changes"
    svg = base64.b64decode(str(images[0].value[0]).split(",", 1)[1]).decode()
    assert svg.count("<path") == len(changed)


def test_compare_says_plainly_when_two_versions_agree() -> None:
    at = open_tab(start(), "compare")
    at.selectbox(key="cmp_b").set_value("apr2026").run()
    assert not at.exception
    infos = [i.value for i in at.info]
    assert any("agree on every parcel" in i and "terms are the same" in i for i in infos)


def test_compare_speaks_spanish() -> None:
    at = open_tab(start({"lang": "es"}), "compare", "es")
    es = translator("es")
    terms = frame_with(at, es("compare.term"))
    assert es("policy.agencies") in terms[es("compare.term")].tolist()


def test_the_table_filters_by_owner_class_site_kind_and_zone_with_human_headers() -> None:
    at = open_tab(start(), "table")
    table = frame_with(at, WORDS("column.owner"))
    assert "owner_class" not in table.columns and WORDS("column.owner_class") in table.columns
    zone_column = table[WORDS("column.in_free_speech_zone")]
    assert set(zone_column) <= {WORDS("card.yes"), WORDS("card.no")}  # words, not checkboxes
    at.multiselect(key="table_owners").set_value(["city"]).run()
    city = frame_with(at, WORDS("column.owner"))
    assert 0 < len(city) < len(table)
    assert set(city[WORDS("column.owner_class")]) == {WORDS("owner_class.city")}
    at.multiselect(key="table_sites").set_value(["parking lot"]).run()
    lots = frame_with(at, WORDS("column.owner"))
    assert 0 < len(lots) <= len(city)
    assert set(lots[WORDS("column.site_kind")]) == {WORDS("site_kind.parking_lot")}
    at.multiselect(key="table_sites").set_value([]).run()
    at.multiselect(key="table_owners").set_value([]).run()
    everything = ["covered", "needs review", "not covered"]
    at.multiselect(key="table_verdicts").set_value(everything).run()
    # the zone is public space: at 500 m it holds a few city parcels of the sample
    at.sidebar.slider(key="distance").set_value(500).run()
    at.radio(key="table_zone").set_value("in").run()
    inside = frame_with(at, WORDS("column.owner"))
    assert 0 < len(inside) < 1567
    assert set(inside[WORDS("column.in_free_speech_zone")]) == {WORDS("card.yes")}
    at.toggle(key="table_full").set_value(True).run()
    assert not at.exception
    labels = {b.label for b in at.get("download_button")}
    assert {WORDS("table.csv"), WORDS("table.geojson")} <= labels


def test_the_table_speaks_hmong() -> None:
    hmn = translator("hmn")
    at = open_tab(start({"lang": "hmn"}), "table", "hmn")
    table = frame_with(at, hmn("column.owner"))
    assert hmn("column.verdict") in table.columns
    assert at.radio(key="table_zone").label == hmn("table.zone")


def params_of(at: AppTest) -> dict[str, str]:
    """The page's URL query parameters, one value each."""
    return {k: (v[0] if isinstance(v, list) else v) for k, v in at.query_params.items()}


def test_a_link_with_a_view_keeps_it_and_restores_basemap_and_language() -> None:
    at = start({"lat": "38.5801", "lon": "-121.4912", "zoom": "17", "basemap": "1", "lang": "es"})
    params = params_of(at)
    assert (params.get("lat"), params.get("lon"), params.get("zoom")) == (
        "38.5801",
        "-121.4912",
        "17",
    )
    assert params.get("basemap") == "1" and params.get("lang") == "es"
    assert at.sidebar.checkbox(key="basemap").value is True
    assert not at.code  # the link's code block is built only once its fold is open
    open_fold(at, Key.LINK_FOLD)
    shared = [c.value for c in at.code if "lat=38.5801" in c.value]
    assert shared and "basemap=1" in shared[0] and "lang=es" in shared[0]
    rerun_at = start(params)
    assert params_of(rerun_at) == params


def test_the_link_follows_the_search_and_the_basemap() -> None:
    at = start()
    at.text_input(key="q").set_value("915 I St").run()
    at.sidebar.checkbox(key="basemap").check().run()
    params = params_of(at)
    assert params.get("q") == "915 I St" and params.get("basemap") == "1"
    open_fold(at, Key.LINK_FOLD)
    assert any("q=915+I+St" in c.value for c in at.code)
