"""app.py is a frame: importing it runs nothing; Streamlit (and AppTest) run it as __main__."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from geo.classify import classify
from geo.i18n import translator
from geo.policy import OwnerClass
from geo.profile import load_profile
from geo.sources import read_parcels

ROOT = Path(__file__).resolve().parents[2]


def test_importing_the_app_does_not_run_it(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the app ran on import")

    monkeypatch.setattr(st, "set_page_config", refuse)
    monkeypatch.syspath_prepend(str(ROOT))
    monkeypatch.delitem(sys.modules, "app", raising=False)
    app = importlib.import_module("app")
    assert callable(app.main)
    with pytest.raises(AssertionError, match="ran on import"):
        app.main()  # the same function does run when called


def test_apptest_runs_the_app_as_main() -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.title) == 1
    assert len(at.metric) == 4  # drawn by main() only


def test_the_frame_stays_small() -> None:
    lines = (ROOT / "app.py").read_text(encoding="utf-8").splitlines()
    assert len(lines) < 250


def drawn_zone_text(version: str) -> str:
    """The plan tab's line about a box drawn around the whole sample, under a version."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["policy"] = version
    at.run()
    box = [[-121.6, 38.5], [-121.4, 38.5], [-121.4, 38.7], [-121.6, 38.7], [-121.6, 38.5]]
    feature = {
        "type": "Feature",
        "properties": {},
        "geometry": {"type": "Polygon", "coordinates": [box]},
    }
    at.session_state["map"] = {"all_drawings": [feature]}
    at.session_state["tab"] = translator("en")("tab.plan")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return next(m.value for m in at.markdown if "drawn zone" in m.value)


def test_a_drawn_zone_counts_city_agencies_only_when_the_version_does() -> None:
    profile = load_profile()
    parcels = read_parcels(profile.sample_path(), profile)  # type: ignore[arg-type]
    classes = classify(parcels, profile.policy_version())["owner_class"].map(OwnerClass.parse)
    city, agency = (
        int((classes == OwnerClass.CITY).sum()),
        int((classes == OwnerClass.CITY_AGENCY).sum()),
    )
    assert agency > 0  # the sample has agency parcels, so the two versions differ
    with_agencies, without = drawn_zone_text("nov2025"), drawn_zone_text("lots_only")
    assert f"{len(parcels):,} parcels, {city + agency:,} of them" in with_agencies
    assert f"{len(parcels):,} parcels, {city:,} of them" in without
