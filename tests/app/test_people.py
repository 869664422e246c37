"""What aides, organizers and residents do in the app, driven with Streamlit's AppTest."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from app_driver import open_tab, start
from streamlit.testing.v1 import AppTest

from geo.cli import main as civicmap
from geo.i18n import translator
from geo.profile import load_profile

SAMPLE = str(load_profile().sample_path())


def downloads(at: AppTest) -> dict[str, object]:
    """Download buttons by label."""
    return {b.label: b for b in at.get("download_button")}


WORDS = translator("en")


def test_a_pasted_list_gives_the_same_table_as_the_command_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    queries = ["1000 I St", "006-0612-005-0000", "9999 NOWHERE ST", "650 Capitol Mall"]
    at = open_tab(start(), "list")
    at.text_area(key="list_text").set_value("\n".join(queries)).run()
    assert not at.exception
    table = next(d.value for d in at.dataframe if "query" in getattr(d.value, "columns", []))
    assert (
        civicmap(["check", SAMPLE, *sum((["--apn", q] for q in queries), []), "--format", "csv"])
        == 0
    )
    cli = pd.read_csv(io.StringIO(capsys.readouterr().out), dtype=str, keep_default_na=False)
    assert table["query"].tolist() == cli["query"].tolist() == queries
    # the page speaks the reader's words; the CSV keeps the machine words
    assert table["verdict"].tolist() == [WORDS(f"verdict.{v}") for v in cli["verdict"]]
    assert cli["verdict"].tolist() == ["covered", "covered", "not found", "not covered"]
    assert "Download the answers (CSV)" in downloads(at)


def test_a_permalink_restores_the_search_and_settings() -> None:
    at = start({"q": "1201 I St", "scope": "lots_and_garages", "distance": "250"})
    assert at.text_input(key="q").value == "1201 I St"
    assert at.sidebar.radio(key="scope").value == "lots_and_garages"
    assert at.sidebar.slider(key="distance").value == 250
    assert any("1201 I ST" in h.value for h in at.subheader)
    assert at.query_params["q"] == ["1201 I St"] or at.query_params["q"] == "1201 I St"


def test_settings_are_written_to_the_link() -> None:
    at = start()
    at.sidebar.radio(key="scope").set_value("lots_and_garages").run()
    at.text_input(key="q").set_value("915 I St").run()
    params = {k: (v[0] if isinstance(v, list) else v) for k, v in at.query_params.items()}
    assert params.get("scope") == "lots_and_garages"
    assert params.get("q") == "915 I St"
    assert "policy" not in params  # the default version is left out


def test_the_answer_card_offers_a_printable_sheet() -> None:
    at = start()
    at.text_input(key="q").set_value("1000 I St").run()
    assert any("Printable sheet" in label for label in downloads(at))
    assert any("Covered" in m.value for m in at.markdown)


def test_the_table_view_lists_covered_parcels_with_downloads() -> None:
    at = start()
    assert not any("reasons" in getattr(d.value, "columns", []) for d in at.dataframe)
    at = open_tab(at, "table")  # built only once its tab is open
    table = next(d.value for d in at.dataframe if "reasons" in getattr(d.value, "columns", []))
    assert set(table["verdict"]) == {WORDS("verdict.covered"), WORDS("verdict.needs review")}
    labels = downloads(at)
    assert "Download as CSV" in labels and "Download as GeoJSON" in labels


def test_comparing_versions_lists_changed_parcels(capsys: pytest.CaptureFixture[str]) -> None:
    at = open_tab(start(), "compare")
    at.selectbox(key="cmp_b").set_value("lots_only").run()
    column = WORDS("compare.verdict_in", version="Narrow draft: lots and garages only")
    changed = next(d.value for d in at.dataframe if column in getattr(d.value, "columns", []))
    assert (
        civicmap(
            ["diff", SAMPLE, "--policy", "nov2025", "--policy", "lots_only", "--format", "csv"]
        )
        == 0
    )
    cli = pd.read_csv(io.StringIO(capsys.readouterr().out), dtype=str)
    assert sorted(changed["APN"]) == sorted(cli["apn"]) and len(cli) > 0


def test_organizers_see_places_with_capacity_and_a_handout() -> None:
    at = open_tab(start(), "plan")
    places = next(
        d.value for d in at.dataframe if "capacity_dense" in getattr(d.value, "columns", [])
    )
    assert "915 I ST" in set(places["address"])
    assert (places["distance_m"] <= 800).all()
    labels = downloads(at)
    assert "Printable handout for this place" in labels
    assert "Download the map to use offline (HTML)" in labels
    at.slider(key="within").set_value(300).run()
    fewer = (
        next(d.value for d in at.dataframe if "capacity_dense" in getattr(d.value, "columns", []))
        if any("capacity_dense" in getattr(d.value, "columns", []) for d in at.dataframe)
        else []
    )
    assert len(fewer) < len(places)
    open_tab(at, "map")
    assert at.session_state["within"] == 300  # kept while its tab is closed


@pytest.mark.parametrize(("lang", "word"), [("es", "Cubierta"), ("hmn", "Suav nrog")])
def test_the_interface_follows_the_language(lang: str, word: str) -> None:
    at = start({"lang": lang})
    english = start()
    assert at.title[0].value != english.title[0].value
    assert at.info and all("fluent" not in i.value for i in at.info)  # says it is unreviewed
    assert not english.info  # English needs no such note
    assert any(m.label.startswith(word) for m in at.metric)


@pytest.mark.parametrize("lang", ["es", "hmn"])
def test_the_card_explains_in_the_readers_language(lang: str) -> None:
    """Opened with ?lang=es or ?lang=hmn, the card's reasons hold no English sentence."""
    at = start({"q": "1201 I St", "lang": lang})
    english = translator("en")
    theirs = translator(lang)
    shown = " ".join(m.value for m in at.markdown)
    for key in ("reason.owner.city", "reason.site.parking_lot", "reason.clause.city_lot_garage"):
        words = english(key, field="", name="", code="", clause="").strip(" =':")
        assert words not in shown, key
        own = theirs(key, field="", name="", code="", clause="").strip(" =':")
        assert own.split(" ")[-1] in shown, key
