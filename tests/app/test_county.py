"""County data in the app: the record link, the land-use pickers, the opt-in fetch."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from app_driver import open_fold
from arcgis_standin import StandIn, county_parcels, serve
from shapely.geometry import box
from streamlit.testing.v1 import AppTest

from geo.profile import load_profile
from geo.sources import read_parcels
from panels.state import Key

APP = Path(__file__).resolve().parents[2] / "app.py"
BUNDLED = load_profile()


def make_profile(folder: Path, source: str = "", record: str = "", context: str = "") -> Path:
    """The bundled profile with its sample named absolutely, a source, a record link and
    context layers."""
    text = BUNDLED.path.read_text(encoding="utf-8").split("\n[context.")[0]
    sample = BUNDLED.path.parent / "sample"
    text = text.replace('"sample/', f'"{sample.as_posix()}/')
    lines = [line for line in text.splitlines() if not line.startswith("url = ")]
    text = "\n".join(lines) + "\n"
    extra = f'url = "{source}"\n' if source else 'url = "https://gis.example/x/MapServer/8"\n'
    if record:
        extra += f'record_url = "{record}"\n'
    text = text.replace("[source]\n", f"[source]\n{extra}", 1)
    path = folder / "profile.toml"
    path.write_text(text + context, encoding="utf-8")
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
    at = open_fold(start(monkeypatch), Key.TERMS_FOLD)
    lots = at.sidebar.multiselect(key="lot")
    assert "BFH*" in lots.value and "PARKING LOT" in lots.value  # not dropped for the sample
    assert any("parcels)" in option for option in lots.options)


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
        lots = open_fold(at, Key.TERMS_FOLD).sidebar.multiselect(key="lot")
        assert any(o.startswith("BFH00A · PARKING LOT (") for o in lots.options)
        assert list((tmp_path / "cache").rglob("parcels.parquet"))

        asked = len(standin.requests)
        again = start(monkeypatch, profile)  # the next start: the kept file, no request
        assert parcels_counted(again) == SERVED
        assert len(standin.requests) == asked
        assert any("fetched earlier" in c.value for c in again.sidebar.caption)


def hand_made_districts(folder: Path) -> gpd.GeoDataFrame:
    """Two districts splitting the sample west and east (drawn by this test, EPSG:2226)."""
    sample = read_parcels(BUNDLED.sample_path(), BUNDLED).to_crs(2226)  # type: ignore[arg-type]
    x0, y0, x1, y1 = sample.total_bounds
    mid = (x0 + x1) / 2
    frame = gpd.GeoDataFrame(
        {
            "OBJECTID": [1, 2],
            "DISTNUM": [3, 4],
            "NAME": ["West Member", "East Member"],
            "geometry": [box(x0 - 9, y0 - 9, mid, y1 + 9), box(mid, y0 - 9, x1 + 9, y1 + 9)],
        },
        crs=2226,
    )
    frame.to_crs(4326).to_file(folder / "districts.geojson", driver="GeoJSON")
    return frame


def test_the_card_names_the_council_district_from_the_layers_fields(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hand_made_districts(tmp_path)
    section = '\n[context.council_districts]\nfile = "districts.geojson"\n'
    section += 'label_fields = ["DISTNUM", "NAME"]\n'
    at = start(monkeypatch, make_profile(tmp_path, context=section))
    assert at.sidebar.checkbox(key="ctx_council_districts").value is True
    at.text_input(key="q").set_value("1000 I St").run()
    lines = [c.value for c in at.caption if c.value.startswith("Council district")]
    assert lines and ("West Member" in lines[0] or "East Member" in lines[0]), lines
    assert lines[0].split(": ", 1)[1].split(" ")[0] in ("3", "4")


def test_a_district_layer_by_url_is_fetched_only_on_the_click(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CIVICMAP_CACHE", str(tmp_path / "cache"))
    with serve(StandIn(hand_made_districts(tmp_path))) as standin:
        section = f'\n[context.council_districts]\nurl = "{standin.url}"\n'
        section += 'label_fields = ["DISTNUM", "NAME"]\n'
        at = start(monkeypatch, make_profile(tmp_path, context=section))
        at.text_input(key="q").set_value("1000 I St").run()
        assert standin.requests == []
        assert not [c for c in at.caption if c.value.startswith("Council district")]
        at.sidebar.button(key="ctx_fetch_council_districts").click().run()
        assert not at.exception, [e.value for e in at.exception]
        assert standin.requests
        at.run()
        lines = [c.value for c in at.caption if c.value.startswith("Council district")]
        assert lines and "Member" in lines[0]


def test_a_failed_fetch_says_why_and_keeps_the_sample(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CIVICMAP_CACHE", str(tmp_path / "cache"))
    with serve(StandIn(hand_made_districts(tmp_path))) as standin:  # a layer without APNs
        at = start(monkeypatch, make_profile(tmp_path, source=standin.url))
        before = parcels_counted(at)
        at.sidebar.button(key="fetch_county").click().run()
        assert not at.exception, [e.value for e in at.exception]
        assert standin.requests and any("did not finish" in e.value for e in at.sidebar.error)
        assert parcels_counted(at) == before
        assert not list((tmp_path / "cache").rglob("parcels.parquet"))
