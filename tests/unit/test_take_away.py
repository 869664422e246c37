"""What people take away: permalinks, CSV/GeoJSON exports, printable sheets, offline map."""

from __future__ import annotations

import io
import json
import re

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from geo import permalink
from geo.analysis import Analysis, analyse
from geo.export import csv_bytes, parcels_geojson, parcels_table
from geo.profile import Profile
from geo.sources import read_parcels
from geo.vendor import read_vendor_files
from layers.compose import parcel_sheet, place_sheet
from layers.standalone import inline_assets, standalone_html
from layers.style import category_keys
from layers.view import DrawGeometry, select_view, view_bounds

EVIL = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def sample(profile: Profile) -> Analysis:
    """The bundled sample, analysed under the default policy."""
    return analyse(read_parcels(profile.sample_path(), profile), profile)  # type: ignore[arg-type]


def test_permalink_round_trip_keeps_only_non_defaults() -> None:
    defaults = {"policy": "nov2025", "scope": "all", "agencies": True, "distance": 100.0}
    settings = {
        "q": "1201 I St",
        "policy": "nov2025",
        "scope": "lots_and_garages",
        "agencies": False,
        "distance": 250.0,
        "lat": 38.578,
        "lon": -121.5,
        "zoom": 17,
        "city": ("CITY OF SACRAMENTO", "SACRAMENTO CITY OF"),
    }
    params = permalink.encode(settings, defaults)
    assert "policy" not in params
    assert params["scope"] == "lots_and_garages" and params["agencies"] == "0"
    back = permalink.decode(params)
    assert back["q"] == "1201 I St" and back["distance"] == 250.0 and back["zoom"] == 17
    assert back["city"] == ("CITY OF SACRAMENTO", "SACRAMENTO CITY OF")
    assert back["lat"] == pytest.approx(38.578) and back["lon"] == pytest.approx(-121.5)


def test_permalink_drops_values_that_do_not_parse() -> None:
    back = permalink.decode(
        {"lat": "north", "lon": "-121.5", "zoom": "99", "scope": "everything", "agencies": "y"}
    )
    assert back == {}


@given(st.dictionaries(st.sampled_from(permalink.KEYS), st.text(max_size=30)))
def test_permalink_decode_never_raises(params: dict[str, str]) -> None:
    back = permalink.decode(params)
    assert set(back) <= set(permalink.KEYS)


def test_exports_carry_verdicts_and_reasons(sample: Analysis) -> None:
    covered = sample.explained(sample.parcels[sample.parcels["verdict"] == "covered"])
    table = pd.read_csv(io.BytesIO(csv_bytes(parcels_table(covered))), dtype=str)
    assert len(table) == len(covered) > 0
    assert set(table["verdict"]) == {"covered"} and table["reasons"].str.contains("part 1").all()
    features = json.loads(parcels_geojson(covered))["features"]
    assert len(features) == len(covered)
    lon, lat = features[0]["geometry"]["coordinates"][0][0]
    assert -122 < lon < -121 and 38 < lat < 39
    assert features[0]["properties"]["reasons"]


def test_parcel_sheet_is_one_escaped_page_with_a_qr_code(sample: Analysis) -> None:
    parcels = sample.parcels.copy()
    parcels.loc[parcels.index[0], "owner"] = EVIL
    tampered = Analysis(parcels, sample.zone, sample.landmarks, sample.policy)
    source = ("sample.zip", "2026-11-25", True)
    html = parcel_sheet(tampered, 0, source, "?q=1", translator(), owner_names=True)
    assert EVIL not in html and "&lt;img" in html
    assert 'class="qrline"' in html  # segno's QR code, not any other drawing
    assert "made-up owners" in html
    assert "@media print" in html


def test_place_sheet_names_rules_and_capacity(profile: Profile, sample: Analysis) -> None:
    from geo.spaces import assembly_places

    places = assembly_places(sample, profile.assembly, profile.rules)
    hall = places[places["address"] == "915 I ST"].iloc[0]
    rules = places.attrs["rules"][hall["apn"]]
    geometry = places.to_crs(sample.zone.crs).geometry.iloc[hall.name]
    html = place_sheet(sample, hall.to_dict(), geometry, rules, ("s", "d", True), "?q=x")
    assert "12.74" in html and f"{int(hall['capacity_dense']):,}" in html
    assert "Jacobs" in html


def translator():  # noqa: ANN201 - a tiny local helper
    from geo.i18n import translator as make

    return make("en")


def test_inline_assets_leaves_no_outside_reference() -> None:
    files = {
        "/v/lib.js": b"var x = '</script>';",
        "/v/lib.css": b".a{background:url(img/a.png)} .b{background:url('missing.png')}",
        "/v/img/a.png": b"\x89PNG",
    }
    page = '<script src="/v/lib.js"></script><link rel="stylesheet" href="/v/lib.css"/>'
    out = inline_assets(page, files)
    assert 'src="' not in out and "href=" not in out
    assert "<\\/script>" in out
    assert "data:image/png;base64," in out and "url()" in out


def test_offline_map_is_self_contained(profile: Profile, sample: Analysis) -> None:
    html = standalone_html(sample, profile, read_vendor_files(), ("s.zip", "2026", True))
    assert not re.search(r'<script[^>]+src="', html)
    assert not re.search(r'<link[^>]+rel="stylesheet"', html)
    assert "L.map(" in html and "Places to assemble" in html
    assert "made-up owners" in html


def test_view_selection_limits_what_is_sent(sample: Analysis) -> None:
    draw = DrawGeometry.build(sample.parcels)
    categories = category_keys(sample.parcels).to_numpy()
    everything = select_view(draw, categories, None, 12, limit=5_000)
    assert len(everything.positions) == len(sample.parcels)  # a small table is sent whole
    low = select_view(draw, categories, None, 12, limit=100)  # below street zoom
    assert set(categories[low.positions]) <= {"city_lot_garage", "city_other", "review"}
    assert len(low.positions) == int((categories != "not_covered").sum()) and low.complete
    capped = select_view(draw, categories, None, 17, limit=100)
    assert len(capped.positions) == 100 and not capped.complete
    assert set(categories[low.positions]) <= set(categories[capped.positions])  # first in
    box = view_bounds((38.5778, -121.4997), 19, 400, 300)
    small = select_view(draw, categories, box, 19, limit=5_000)
    assert 0 < len(small.positions) < 60


def test_a_shared_link_is_absolute_and_encoded() -> None:
    link = permalink.absolute_link(
        "https://example.org/map/?old=1", {"q": "1000 I St", "policy": "apr2026", "lang": "es"}
    )
    assert link == "https://example.org/map/?q=1000+I+St&policy=apr2026&lang=es"
