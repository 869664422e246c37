"""County data in the app: the record link, the land-use pickers, the opt-in fetch."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.profile import load_profile

APP = Path(__file__).resolve().parents[2] / "app.py"
BUNDLED = load_profile()


def make_profile(folder: Path, source: str = "", record: str = "") -> Path:
    """The bundled profile with its sample named absolutely and a source and record link."""
    text = BUNDLED.path.read_text(encoding="utf-8")
    sample = BUNDLED.path.parent / "sample"
    text = text.replace('"sample/', f'"{sample.as_posix()}/')
    lines = [line for line in text.splitlines() if not line.startswith("url = ")]
    text = "\n".join(lines) + "\n"
    extra = f'url = "{source}"\n' if source else 'url = "https://gis.example/x/MapServer/8"\n'
    if record:
        extra += f'record_url = "{record}"\n'
    text = text.replace("[source]\n", f"[source]\n{extra}", 1)
    path = folder / "profile.toml"
    path.write_text(text, encoding="utf-8")
    return path


def start(monkeypatch: pytest.MonkeyPatch, profile: Path | None = None) -> AppTest:
    """The app after its first run (with a test profile when given)."""
    if profile is not None:
        monkeypatch.setenv("CIVICMAP_PROFILE", str(profile))
    at = AppTest.from_file(str(APP), default_timeout=90)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_card_links_the_countys_record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    profile = make_profile(tmp_path, record="https://assessor.example/p?apn={apn_digits}")
    at = start(monkeypatch, profile)
    at.text_input(key="q").set_value("1000 I St").run()
    links = [e for e in at.get("link_button") if "county" in e.proto.label.lower()]
    assert links and links[0].proto.url.startswith("https://assessor.example/p?apn=")


def test_the_bundled_profile_has_no_record_link(monkeypatch: pytest.MonkeyPatch) -> None:
    at = start(monkeypatch)
    at.text_input(key="q").set_value("1000 I St").run()
    assert not [e for e in at.get("link_button") if "county" in e.proto.label.lower()]


def test_the_pickers_keep_the_policys_patterns(monkeypatch: pytest.MonkeyPatch) -> None:
    at = start(monkeypatch)
    lots = at.sidebar.multiselect(key="lot")
    assert "BFH*" in lots.value and "PARKING LOT" in lots.value  # not dropped for the sample
    assert any("parcels)" in option for option in lots.options)


sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit"))
from arcgis_standin import StandIn, county_parcels, serve  # noqa: E402 (the unit tests' helper)

SERVED = 300  # the stand-in serves part of the sample, so the fetched map is told apart


def parcels_counted(at: AppTest) -> int:
    """Covered + needs review + not covered: every parcel on the map."""
    heads = ("Covered", "Needs review", "Not covered")
    return sum(int(str(m.value).replace(",", "")) for m in at.metric if m.label.startswith(heads))


def test_the_fetch_asks_nothing_before_the_click_and_keeps_the_parcels(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CIVICMAP_CACHE", str(tmp_path / "cache"))
    with serve(StandIn(county_parcels(county_codes=True).head(SERVED))) as standin:
        profile = make_profile(tmp_path, source=standin.url)
        at = start(monkeypatch, profile)
        sample_count = parcels_counted(at)
        assert sample_count > SERVED
        assert standin.requests == []  # the default start is offline, on the sample
        notice = " ".join(c.value for c in at.sidebar.caption).replace("\\", "")
        assert "127.0.0.1" in notice and "contacts the county's server" in notice

        at.sidebar.button(key="fetch_county").click().run()
        assert not at.exception, [e.value for e in at.exception]
        assert standin.page_requests(), "the click fetched nothing"
        assert any(str(SERVED) in s.value for s in at.sidebar.success)
        assert parcels_counted(at) == SERVED  # the map shows the fetched parcels
        lots = at.sidebar.multiselect(key="lot")
        assert any(o.startswith("BFH00A · PARKING LOT (") for o in lots.options)
        assert list((tmp_path / "cache").rglob("parcels.parquet"))

        asked = len(standin.requests)
        again = start(monkeypatch, profile)  # the next start: the kept file, no request
        assert parcels_counted(again) == SERVED
        assert len(standin.requests) == asked
        assert any("fetched earlier" in c.value for c in again.sidebar.caption)
