"""The app's as-of line on the card, and its list of what changed since the previous fetch.

The county's layer is the ArcGIS stand-in of the unit tests (a loopback server); between the
app's two fetches it gets a month of edits (``layer_edits``). The app's fetch asks for the
profile's ``where``, keeps each fetch in the layer's history, and the table tab then lists
the changed parcels with the verdict flips first.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from app_driver import open_tab
from arcgis_standin import StandIn, county_parcels, serve
from layer_edits import DAY_MS, EXPECTED, FLIPS, a_month_later
from streamlit.testing.v1 import AppTest

from geo import history
from geo.ingest import classify_and_write
from geo.profile import load_profile
from geo.sources import read_parcels

APP = Path(__file__).resolve().parents[2] / "app.py"
BUNDLED = load_profile()
WHERE = "JURISDICTION = 'SACRAMENTO'"
ELSEWHERE = 100  # parcels of another jurisdiction, which the profile's where leaves out


def profile_for(folder: Path, url: str) -> Path:
    """The bundled profile (its sample named absolutely) with the stand-in's layer and a
    ``where`` of its own."""
    text = BUNDLED.path.read_text(encoding="utf-8").split("\n[context.")[0]
    text = text.replace('"sample/', f'"{(BUNDLED.path.parent / "sample").as_posix()}/')
    lines = [
        f'url = "{url}"' if line.startswith("url = ") else line
        for line in text.splitlines()
        if not line.startswith("where = ")
    ]
    text = "\n".join(lines).replace("[source]\n", f'[source]\nwhere = "{WHERE}"\n', 1)
    path = folder / "profile.toml"
    path.write_text(text + "\n", encoding="utf-8")
    return path


def start(monkeypatch: pytest.MonkeyPatch, profile: Path | None = None) -> AppTest:
    if profile is not None:
        monkeypatch.setenv("CIVICMAP_PROFILE", str(profile))
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def captions(at: AppTest) -> list[str]:
    return [c.value.replace("\\", "") for c in at.caption]  # as read, Markdown escapes gone


def parcels_counted(at: AppTest) -> int:
    heads = ("Covered", "Needs review", "Not covered")
    return sum(int(str(m.value).replace(",", "")) for m in at.metric if m.label.startswith(heads))


def test_the_card_says_as_of_when_and_under_which_policy(monkeypatch: pytest.MonkeyPatch) -> None:
    at = start(monkeypatch)
    at.text_input(key="q").set_value("1000 I St").run()
    lines = [c for c in captions(at) if "as of" in c]
    assert lines, captions(at)
    assert "as of 2026-11-25 (the sample's date)" in lines[0]
    assert "Policy applied: Nov 2025 proposal (nov2025)" in lines[0]


def test_the_fetch_asks_the_profiles_where_and_the_table_lists_the_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CIVICMAP_CACHE", str(tmp_path / "cache"))
    layer = county_parcels()
    layer.loc[layer.index[-ELSEWHERE:], "JURISDICTION"] = "COUNTY"
    with serve(StandIn(layer)) as standin:
        at = start(monkeypatch, profile_for(tmp_path, standin.url))
        at.sidebar.button(key="fetch_county").click().run()
        assert not at.exception, [e.value for e in at.exception]
        asked = {r.get("where") for r in standin.requests if r["_path"].endswith("/query")}
        assert asked == {WHERE}  # never 1=1
        assert parcels_counted(at) == len(layer) - ELSEWHERE
        assert not [s for s in at.subheader if s.value == "Changed since the previous fetch"]

        standin.parcels = a_month_later(standin.parcels)
        standin.edited_ms += 30 * DAY_MS
        at.sidebar.button(key="fetch_county").click().run()
        assert not at.exception, [e.value for e in at.exception]

    at.text_input(key="q").set_value("1321 K St").run()
    assert any("as of 2025-12-31 (the layer's last edit)" in c for c in captions(at))
    at = open_tab(at, "table")
    assert "Changed since the previous fetch" in [s.value for s in at.subheader]
    said = " ".join(m.value for m in at.markdown)
    assert (
        "9 parcels changed between the data as of 2025-12-01 and the data as of 2025-12-31" in said
    )
    assert "2 verdicts flipped" in said
    listed = at.dataframe[0].value
    assert set(listed["APN"]) == set(EXPECTED)
    assert set(listed["APN"].iloc[: len(FLIPS)]) == set(FLIPS)  # the flips first
    assert listed["verdict flipped"].tolist().count("yes") == len(FLIPS)


def test_a_served_history_folder_lists_its_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``CIVICMAP_SOURCE`` naming a history: the newest snapshot is served, with its changes."""
    before = read_parcels(BUNDLED.sample_path(), BUNDLED)  # type: ignore[arg-type]
    after = before.copy()
    after.attrs = dict(before.attrs)
    sold = int(after.index[after["address"] == "1201 I ST"][0])  # a city lot, sold
    after.loc[sold, "owner"] = "TWELVE OAKS PARTNERS LLC"
    folder = tmp_path / "history"
    for n, frame in enumerate((before, after)):
        written = classify_and_write(frame, BUNDLED, tmp_path / f"{n}.parquet")
        history.keep_copy(
            folder, tmp_path / f"{n}.parquet", dt.datetime(2026, 1, 1 + n, tzinfo=dt.UTC)
        )
        assert len(written) == len(before)
    monkeypatch.setenv("CIVICMAP_SOURCE", str(folder))
    at = open_tab(start(monkeypatch), "table")
    said = " ".join(m.value for m in at.markdown)
    assert "1 parcels changed" in said and "1 verdicts flipped" in said
    listed = at.dataframe[0].value
    assert listed["address"].tolist() == ["1201 I ST"] and listed["change"].tolist() == ["owner"]
