"""Tests for layers: escaped draw frames, map categories and a map that loads nothing remote."""

from __future__ import annotations

import dataclasses
import html
import json
import re

import folium
import folium.plugins
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
import shapely.affinity
import shapely.geometry
from parcel_helpers import make_frame, square

from geo.analysis import Analysis, analyse
from geo.i18n import translator
from geo.profile import Profile
from geo.vendor import VENDOR_URL, read_vendor_files
from layers.assets import BUNDLED_JS, LOCAL_ASSETS, MAP_BUNDLE, STATIC_URL, use_local_assets
from layers.compose import map_content
from layers.legend import legend_html, source_html
from layers.map import MapContent, MapFrame, assemble_map
from layers.overlays import TextLabels, landmarks_layer
from layers.parcel_tiles import TileLayer, TileSource, paint_codes
from layers.parcels import ParcelGeoJson, compact_rows, esc, to_draw_frame
from layers.style import (
    BY_KEY,
    CATEGORIES,
    PLACE_COLOUR,
    ZONE_COLOUR,
    category_keys,
    leaflet_style,
)

EVIL = "<img src=x onerror=alert(1)>"
EVIL_ESCAPED = "&lt;img src=x onerror=alert(1)&gt;"
WORDS = translator("en")  # the words on the map change; the tests look them up


@pytest.fixture(scope="module")
def analysis(profile: Profile) -> Analysis:
    """Five hand-made parcels (one with HTML in every text field), analysed."""
    frame = make_frame(
        [
            ("001-0001-001-0000", "1 A ST", "CITY OF SACRAMENTO", "P1", square(0)),
            ("001-0001-002-0000", "2 A ST", "CITY OF SACRAMENTO", "C1", square(1)),
            ("001-0001-003-0000", "", "", "C1", square(2)),
            (f"9{EVIL}", f"3 A ST {EVIL}", EVIL, f"C1{EVIL}", square(3)),
            ("001-0001-005-0000", "5 A ST", "ACME LLC", "P2", square(4)),
            ("001-0001-006-0000", "6 A ST", "ACME LLC", "P2", shapely.Polygon()),
        ]
    )
    frame.attrs["source_fields"] = {"owner": "NAME", "land_use": "LANDUSE"}
    return analyse(frame, profile)


@pytest.fixture(scope="module")
def draw(analysis: Analysis) -> gpd.GeoDataFrame:
    """The draw frame of the analysed parcels."""
    return to_draw_frame(analysis.explained(analysis.parcels), "Moss <Federal> Building")


@pytest.fixture(scope="module")
def content(analysis: Analysis, draw: gpd.GeoDataFrame) -> MapContent:
    """Map content with an HTML-laden source name."""
    return map_content(analysis, (f"file {EVIL}.zip", "2026-01-01", True), draw)


# ------------------------------------------------------------- draw frame


def test_draw_frame_columns_and_crs(draw: gpd.GeoDataFrame) -> None:
    assert list(draw.columns) == [
        "apn",
        "address",
        "verdict",
        "category",
        "tooltip",
        "popup",
        "geometry",
    ]
    assert draw.crs is not None and draw.crs.to_epsg() == 4326
    minx, miny, maxx, maxy = draw.total_bounds
    assert -122.0 < minx < maxx < -121.0
    assert 38.0 < miny < maxy < 39.0


def test_draw_frame_drops_empty_geometry(draw: gpd.GeoDataFrame) -> None:
    assert len(draw) == 5
    assert "6 A ST" not in draw["address"].tolist()


def test_draw_frame_escapes_html(draw: gpd.GeoDataFrame) -> None:
    row = draw.iloc[3]
    for column in ("apn", "address", "verdict", "category", "tooltip", "popup"):
        assert "<img" not in str(row[column]), column
    assert EVIL_ESCAPED in row["popup"]  # owner, in the owner line and in the reasons
    assert row["popup"].count("&lt;img") >= 3  # owner, address, apn, land use, reasons
    assert row["tooltip"].startswith(f"3 A ST {EVIL_ESCAPED}")
    assert row["apn"] == f"9{EVIL_ESCAPED}"
    assert "Moss &lt;Federal&gt; Building" in row["popup"]


def test_draw_frame_popup_is_an_answer_card(draw: gpd.GeoDataFrame) -> None:
    popup = draw.iloc[0]["popup"]
    assert popup.startswith('<div class="cm-card">')
    assert f'<div class="cm-verdict">{esc(WORDS("verdict.covered"))}</div>' in popup
    assert "<b>1 A ST</b>" in popup
    assert "APN 001-0001-001-0000" in popup
    assert popup.count("<li>") == 3  # owner, land use, clause
    assert "owner NAME = &#x27;CITY OF SACRAMENTO&#x27;" in popup


def test_draw_frame_tooltip_falls_back_to_apn(draw: gpd.GeoDataFrame) -> None:
    review, covered = esc(WORDS("verdict.needs review")), esc(WORDS("verdict.covered"))
    assert draw.iloc[2]["tooltip"] == f"APN 001-0001-003-0000 · {review}"
    assert draw.iloc[0]["tooltip"] == f"1 A ST · {covered}"
    assert review != covered


def test_draw_frame_categories(draw: gpd.GeoDataFrame) -> None:
    assert draw["category"].tolist() == [
        "city_lot_garage",
        "city_other",
        "review",
        "not_covered",  # the HTML owner is a private owner
        "not_covered",  # a private garage
    ]


def test_esc() -> None:
    assert esc(None) == ""
    assert esc(float("nan")) == ""
    assert esc('a "b" & <c>') == "a &quot;b&quot; &amp; &lt;c&gt;"
    assert esc(3) == "3"


# --------------------------------------------------------------------- style


def test_category_keys() -> None:
    classified = pd.DataFrame(
        {
            "verdict": ["covered", "covered", "covered", "needs review", "needs review"]
            + ["not covered", "not covered"],
            "site_kind": ["parking lot", "parking garage", "building", "parking lot", "other"]
            + ["parking garage", "building"],
        },
        index=[7, 6, 5, 4, 3, 2, 1],
    )
    keys = category_keys(classified)
    assert keys.index.equals(classified.index)
    assert keys.tolist() == [
        "city_lot_garage",
        "city_lot_garage",
        "city_other",
        "review",
        "review",
        "not_covered",
        "not_covered",
    ]
    assert set(keys) <= set(BY_KEY)


def test_categories_differ_by_more_than_colour() -> None:
    outlines = {(c.weight, c.dash) for c in CATEGORIES}
    assert len(outlines) == len(CATEGORIES)
    review = leaflet_style(BY_KEY["review"])
    assert review["dashArray"] == "6 4"
    assert "dashArray" not in leaflet_style(BY_KEY["city_other"])


def test_legend_and_source_html() -> None:
    legend = legend_html({"city_lot_garage": 1234, "review": 2})
    assert "(1,234)" in legend and "(2)" in legend and "(0)" in legend
    assert esc(WORDS("legend.zone_public")) in legend
    # places, rings and landmarks have their own entries, and places never the zone's style
    for key in ("legend.places", "legend.rings", "legend.landmark"):
        assert esc(WORDS(key)) in legend
    assert f"3px solid {PLACE_COLOUR}" in legend and PLACE_COLOUR != ZONE_COLOUR
    line = source_html(f"x{EVIL}", "2026", True)
    assert "<img" not in line
    assert f"x{EVIL_ESCAPED}" in line and "2026" in line
    assert 'class="cm-illustrative"' in line
    assert "cm-illustrative" not in source_html("x", "2026", False)


# ------------------------------------------------------------------------ map


def rendered(content: MapContent, basemap: bool = False) -> str:
    """The whole page of a built map."""
    fmap = assemble_map(content, MapFrame((38.5792, -121.4966), 16, basemap=basemap)).whole()
    return fmap.get_root().render()


def test_map_loads_only_local_assets(content: MapContent) -> None:
    page = rendered(content)
    assert f"{STATIC_URL}/{MAP_BUNDLE}" == "/app/static/vendor/map.js"
    assert page.count("<script src=") == 1  # Leaflet and its plugins, bundled at setup
    assert '<script src="/app/static/vendor/map.js">' in page
    assert "/app/static/vendor/leaflet/leaflet.css" in page
    assert re.search(r"<script[^>]*\bsrc=[\"']?https?:", page) is None
    assert re.search(r"<link[^>]*\bhref=[\"']?https?:", page) is None
    assert re.search(r"\b(?:src|href)=[\"']?(?://|https?:)", page) is None
    assert "tile.openstreetmap.org" not in page
    assert "L.tileLayer" not in page


def test_map_with_basemap_has_a_tile_layer(content: MapContent) -> None:
    page = rendered(content, basemap=True)
    assert "L.tileLayer" in page
    assert "tile.openstreetmap.org" in page
    assert re.search(r"<script[^>]*\bsrc=[\"']?https?:", page) is None


def test_map_page_has_no_unescaped_data(content: MapContent) -> None:
    page = rendered(content)
    assert EVIL not in page
    assert "\\u003cimg" not in page  # not even JSON-encoded inside a script
    assert "onerror=alert(1)" in page  # it is there, but only escaped
    assert "3 A ST" in page


def test_map_shows_the_zone_and_legend(content: MapContent) -> None:
    page = rendered(content)
    assert esc(WORDS("legend.zone")) in page
    assert "cm-legend" in page and "cm-source" in page
    assert "cm-illustrative" in page


def test_use_local_assets_rewrites_the_map() -> None:
    fmap = use_local_assets(folium.Map(tiles=None), base_url="/assets")
    js = dict(fmap.default_js)
    assert list(js.values()) == ["/assets/map.js"]
    assert "Map" in LOCAL_ASSETS


def test_use_local_assets_refuses_unvendored_plugins() -> None:
    fmap = folium.Map(tiles=None)
    folium.plugins.Fullscreen().add_to(fmap)
    with pytest.raises(ValueError, match="Fullscreen"):
        use_local_assets(fmap)


class RemoteWidget(folium.MacroElement):
    """An element that loads its script from a CDN."""

    default_js = [("remote", "https://cdn.example.org/remote.js")]


def test_use_local_assets_refuses_any_remote_element() -> None:
    fmap = folium.Map(tiles=None)
    RemoteWidget().add_to(fmap)
    with pytest.raises(ValueError, match="RemoteWidget"):
        use_local_assets(fmap)


def test_use_local_assets_refuses_nested_plugins() -> None:
    fmap = folium.Map(tiles=None)
    group = folium.FeatureGroup(name="g").add_to(fmap)
    folium.plugins.MarkerCluster().add_to(group)
    with pytest.raises(ValueError, match="MarkerCluster"):
        use_local_assets(fmap)


def test_landmark_tooltip_text_cannot_run_script() -> None:
    fmap = folium.Map(tiles=None)
    landmarks_layer([("Hall", "note ${alert(1)} `x`", 38.58, -121.49, "right")]).add_to(fmap)
    page = fmap.get_root().render()
    literals = re.findall(r"bindTooltip\(\s*`([^`]*)`", page)
    assert literals, "no tooltip rendered"
    assert not any("${" in text for text in literals)


# ------------------------------------------------------------- template text in data

JINJA = "{{ 1234*1000 }} {% if true %}yes{% endif %} {# note #}"


def test_esc_neutralises_template_syntax() -> None:
    """Folium reads rendered text again as a Jinja template: braces must not survive."""
    out = esc(JINJA)
    assert "{" not in out and "}" not in out
    assert html.unescape(out) == JINJA  # a browser still shows the braces


def test_template_syntax_in_data_is_shown_not_run(profile: Profile) -> None:
    """Owner, address and source name with Jinja syntax: the whole page renders them as text."""
    frame = make_frame(
        [
            ("001-0001-001-0000", f"1 A ST {JINJA}", JINJA, "P1", square(0)),
            ("001-0001-002-0000", "2 A ST", "CITY OF SACRAMENTO", f"C1{JINJA}", square(1)),
        ]
    )
    analysis = analyse(frame, profile)
    draw = to_draw_frame(analysis.explained(analysis.parcels), f"Moss {JINJA}")
    page = rendered(map_content(analysis, (f"file {JINJA}.zip", "2026-01-01", True), draw))
    assert "1234000" not in page  # the expression was never evaluated
    assert "{%" not in page and "{{" not in page
    assert "&#123;&#123; 1234*1000 &#125;&#125;" in page


def test_compact_rows_round_trip() -> None:
    """Each row carries the category index, the texts and the shape's coordinates."""
    poly = shapely.Polygon([(-121.5, 38.5), (-121.49, 38.5), (-121.49, 38.51)])
    multi = shapely.MultiPolygon([poly, shapely.affinity.translate(poly, 0.1, 0)])
    texts = pd.DataFrame({"a": ["1 A ST", 'quote " and </script>'], "n": ["1", "2"]})
    out = compact_rows([poly, multi], pd.Series([2, 0]), texts)
    rows = json.loads(out)
    assert [r[:3] for r in rows] == [[2, "1 A ST", "1"], [0, 'quote " and </script>', "2"]]
    assert [r[3] for r in rows] == [0, 1]
    assert shapely.geometry.shape({"type": "Polygon", "coordinates": rows[0][4]}).equals(poly)
    back = shapely.geometry.shape({"type": "MultiPolygon", "coordinates": rows[1][4]})
    assert back.equals(multi)


def test_parcel_layer_script_cannot_be_closed_by_data() -> None:
    """``</script>`` in a parcel's text never ends the page's script element."""
    layer = ParcelGeoJson('[[0,"</script><b>x</b>","1","",0,[]]]', [{}], {"verdicts": [""]})
    assert "</script" not in layer.rows and "<\\/script>" in layer.rows


def test_text_labels_are_one_element_with_safe_json() -> None:
    """Many labels make one element (not a Marker each); their markup cannot end a script."""
    labels = TextLabels()
    for i in range(50):
        labels.add(
            (38.5, -121.5 + i / 1000), f"<div>{esc('</script>')} {i}</div>", (60, 16), (30, 8)
        )
    fmap = folium.Map(location=(38.5, -121.5))
    group = folium.FeatureGroup(name="labels").add_to(fmap)
    labels.add_to(group)
    page = fmap.get_root().render()
    assert page.count("L.divIcon") == 1 and "forEach" in page
    assert "</div>" not in labels.labels_json() and "<\\/div>" in labels.labels_json()
    assert json.loads(labels.labels_json().replace("<\\/", "</"))[49][2].endswith(" 49</div>")


def test_the_map_bundle_holds_leaflet_then_each_plugin() -> None:
    """Setup's ``map.js`` is the vendored scripts in order, Leaflet first, none missing."""
    files = read_vendor_files()
    bundle = files[f"{VENDOR_URL}/{MAP_BUNDLE}"]
    at = 0
    for name in BUNDLED_JS:
        part = files[f"{VENDOR_URL}/{name}"]
        found = bundle.find(part, at)
        assert found >= at, f"{name} is not in map.js after the files before it"
        at = found + len(part)


def test_map_tools_speak_the_readers_language(content: MapContent) -> None:
    """Leaflet.draw and the measuring tool take their words from the reader's catalog."""
    from geo.i18n import translator

    es = translator("es")
    page = assemble_map(content, MapFrame((38.5792, -121.4966), 16), es).whole()
    html = page.get_root().render()
    assert "cmToolWords(" in html
    for key in ("tools.draw.polygon", "tools.measure.toggle"):
        assert json.dumps(es(key))[1:-1] in html  # as the script's JSON spells it
    assert html.index("cmToolWords(") < html.index("L.Control.Draw")  # words before the tools


def test_a_tiles_map_draws_no_parcel_shapes_and_leaves_the_counts_to_the_paint(
    content: MapContent,
) -> None:
    paint = paint_codes(np.array(["city_lot_garage"] * 3), {"city_lot_garage": 3})
    content = dataclasses.replace(content, paint=paint)
    tiles = TileLayer(TileSource("/app/static/tiles/x.pmtiles", "city", "parcels"), False)
    built = assemble_map(content, MapFrame((38.58, -121.5), 13, tiles=tiles), translator("es"))
    page = built.whole().get_root().render()
    options = json.loads(re.search(r"cmParcelTiles\(\w+, (\{.*?\})\);", page).group(1))
    assert options["tiles"] == "/app/static/tiles/x.pmtiles"
    assert options["showOthers"] is False
    assert options["words"]["verdicts"][0] != "City lot or garage: no staging"  # Spanish
    assert "cmPaintTiles(" in page
    assert "cmParcelLayer(" not in page  # no parcel shapes are sent
    legend = legend_html(None, translator("es"))
    assert '<span class="cm-count" data-cat="city_lot_garage"></span>' in legend  # no count
    assert " (3)" not in page.split("cmPaintTiles(")[0]  # the count comes with the paint
