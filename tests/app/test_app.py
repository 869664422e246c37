"""Tests of the Streamlit app (app.py) with Streamlit's AppTest: no browser, no map."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from shown import plain
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Radio, Slider, TextInput

APP = Path(__file__).resolve().parents[2] / "app.py"
METRICS = ("Covered", "Needs review", "Not covered", "In the free speech zone")


@pytest.fixture()
def app() -> AppTest:
    """The app after its first run on the bundled sample."""
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metric_counts(at: AppTest) -> dict[str, int]:
    """The four headline numbers, keyed by the start of their labels."""
    counts: dict[str, int] = {}
    for metric in at.metric:
        for name in METRICS:
            if metric.label.startswith(name):
                counts[name] = int(str(metric.value).replace(",", ""))
    return counts


def search_box(at: AppTest) -> TextInput:
    """The parcel search text input."""
    for box in at.text_input:
        if "find a parcel" in box.label.lower():
            return box
    return at.text_input(key="q")


def zone_slider(at: AppTest) -> Slider[int]:
    """The free speech zone distance slider."""
    for slider in at.sidebar.slider:
        if "free speech zone" in slider.label.lower():
            return slider
    return at.sidebar.slider(key="distance")


def scope_radio(at: AppTest) -> Radio[str]:
    """The radio choosing what the staging ban covers."""
    for radio in at.sidebar.radio:
        if "Only city lots and garages" in radio.options:
            return radio
    raise AssertionError("no scope radio in the sidebar")


def rerun(at: AppTest) -> AppTest:
    """Run again and require no exception."""
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_app_runs_and_warns_that_the_sample_is_illustrative(app: AppTest) -> None:
    warnings = [w.value.lower() for w in app.warning]
    # the wording changes; the notice always says it is a sample with fictional data
    assert any("sample" in w and "made up" in w and "not real" in w for w in warnings), warnings
    assert app.title and "Sacramento" in app.title[0].value


def test_four_metrics(app: AppTest) -> None:
    counts = metric_counts(app)
    assert set(counts) == set(METRICS)
    assert counts["Covered"] > 0
    assert counts["Needs review"] > 0
    assert counts["Covered"] + counts["Needs review"] + counts["Not covered"] == 1567
    # no city parcel lies within 100 m of the Moss building: the zone is its public streets
    assert counts["In the free speech zone"] == 0


def test_scope_lots_and_garages_lowers_covered(app: AppTest) -> None:
    before = metric_counts(app)
    radio = scope_radio(app)
    assert radio.value == "all"
    radio.set_value("lots_and_garages")
    after = metric_counts(rerun(app))
    assert 0 < after["Covered"] < before["Covered"]
    assert after["Not covered"] > before["Not covered"]
    assert after["In the free speech zone"] == before["In the free speech zone"]


def test_larger_zone_raises_in_zone_count(app: AppTest) -> None:
    before = metric_counts(app)
    slider = zone_slider(app)
    assert slider.value == 100
    slider.set_value(500)  # the zone is public space: the first city parcels lie 400 m away
    after = metric_counts(rerun(app))
    assert after["In the free speech zone"] > before["In the free speech zone"]
    assert after["Covered"] == before["Covered"]


def test_search_shows_the_answer_card(app: AppTest) -> None:
    search_box(app).input("1201 I St")
    rerun(app)
    headings = [plain(h.value) for h in app.subheader]
    assert any("1201 I ST" in h for h in headings), headings
    assert any(re.search(r"APN 006-0612-005-0000", h) for h in headings), headings
    texts = [plain(m.value) for m in app.markdown]
    assert any("Covered" in t for t in texts)
    assert any("LANDUSE = P1 is a parking lot" in t for t in texts)
    assert not app.info or not any("No parcel matches" in i.value for i in app.info)


def test_search_by_apn(app: AppTest) -> None:
    search_box(app).input("006 0710 001")
    rerun(app)
    assert any("1000 I ST" in plain(h.value) for h in app.subheader)


def test_search_without_a_match(app: AppTest) -> None:
    search_box(app).input("77 Nowhere Boulevard")
    rerun(app)
    infos = [plain(i.value) for i in app.info]
    assert any("No parcel matches" in i and "77 Nowhere Boulevard" in i for i in infos), infos
    assert not any("77 NOWHERE" in h.value.upper() for h in app.subheader)


def test_search_near_miss_suggests(app: AppTest) -> None:
    search_box(app).input("1201 I Stret")
    rerun(app)
    infos = [plain(i.value) for i in app.info]
    assert any("No parcel matches" in i for i in infos), infos
    offered = [b.label for b in app.button]
    assert "1201 I ST" in offered, offered  # a suggestion is a button that searches it
