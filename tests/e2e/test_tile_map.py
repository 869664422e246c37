"""In the browser, a county-sized dataset is drawn from its vector tiles, not by the server.

The app is started on a synthetic county of 12,000 parcels in the county's schema
(``bench/synth.py``), ingested as ``civicmap ingest`` does (GeoParquet and its tiles). The
map draws every parcel with MapLibre GL from the PMTiles archive the app serves; the
policy core's categories arrive as parcel ids, painted as feature-state. These tests check
what a reader sees: every covered and needs-review parcel at county zoom, a pan that asks
the server nothing, a setting that repaints the same map, a click that answers.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from app_server import running_app
from bench_support import load_bench
from e2e_support import DESKTOP, is_local, wait_until_idle
from playwright.sync_api import Browser, Frame, Page, expect

from geo.classify import classify
from geo.cli import main
from geo.profile import load_profile
from geo.sources import read_parcels

ROOT = Path(__file__).resolve().parents[2]
synth = load_bench("synth")
synthetic_parcels, write_zip = synth.synthetic_parcels, synth.write_zip

pytestmark = pytest.mark.e2e

PARCELS = 12_000
TIMEOUT_MS = 90_000
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
DRAWN = ".leaflet-container[data-cm-tiles=drawn]"
# The distinct parcel ids the tiles loaded for this view hold, by painted category index.
PAINTED_IN_TILES_JS = """
() => {
  const tiles = window.cmTiles;
  const gl = tiles.gl, nc = tiles.options.notCovered, found = {};
  for (const layer of [tiles.options.layers.city, tiles.options.layers.other]) {
    for (const f of gl.querySourceFeatures('parcels', {sourceLayer: layer})) {
      const state = gl.getFeatureState({source: 'parcels', sourceLayer: layer, id: f.id});
      if (state.cat !== undefined && state.cat !== nc) { found[f.id] = state.cat; }
    }
  }
  return Object.keys(found).length;
}
"""


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic county ingested as ``civicmap ingest`` does (GeoParquet and tiles)."""
    folder = tmp_path_factory.mktemp("county")
    source = write_zip(synthetic_parcels(PARCELS), folder / "county.zip")
    out = folder / "county.parquet"
    assert main(["ingest", str(source), "--out", str(out), "--quiet"]) == 0
    return out


@pytest.fixture(scope="module")
def county_url(county: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("county-app") / "streamlit.log"
    with running_app(log, {"CIVICMAP_SOURCE": str(county)}) as url:
        yield url


@pytest.fixture(scope="module")
def expected(county: Path) -> dict[str, int]:
    """How many parcels each version of the scope setting covers or sends to review."""
    profile = load_profile()
    parcels = read_parcels(str(county), profile)
    policy = profile.policy_version(None)
    counts = {}
    for scope in ("all", "lots_and_garages"):
        verdicts = classify(parcels, policy.with_changes(scope=scope), reasons=False)["verdict"]
        counts[scope] = int(verdicts.isin(["covered", "needs review"]).sum())
    return counts


@pytest.fixture
def county_page(webgl_browser: Browser) -> Iterator[tuple[Page, list[str]]]:
    """A page that records every request and aborts any to another host."""
    context = webgl_browser.new_context(viewport=DESKTOP)
    context.route(lambda url: not is_local(url), lambda route: route.abort())
    seen: list[str] = []
    page = context.new_page()
    page.on("request", lambda req: seen.append(req.url))
    yield page, seen
    context.close()


def drawn_map(page: Page) -> Frame:
    """The frame whose map has drawn its tiles."""
    for _ in range(TIMEOUT_MS // 250):
        for frame in page.frames:
            if frame is not page.main_frame and frame.locator(DRAWN).count():
                return frame
        page.wait_for_timeout(250)
    raise AssertionError("the map never drew its tiles")


def painted(frame: Frame) -> tuple[str, int]:
    """The stamp of the last paint drawn and how many parcel ids it coloured."""
    stamp = frame.evaluate("() => document.querySelector('.leaflet-container').dataset.cmPainted")
    count = frame.evaluate("() => window.cmTiles.painted.length")
    return str(stamp), int(count)


def test_the_county_view_shows_every_covered_parcel_from_tiles(
    county_page: tuple[Page, list[str]], county_url: str, expected: dict[str, int]
) -> None:
    page, seen = county_page
    page.goto(county_url + "/")
    frame = drawn_map(page)
    assert painted(frame)[1] == expected["all"]
    # at the opening (county) zoom the loaded tiles hold every one of them
    assert frame.evaluate(PAINTED_IN_TILES_JS) == expected["all"]
    assert any(url.endswith(".pmtiles") for url in seen)
    assert [url for url in seen if not is_local(url)] == []
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "tiles-county.png"))


def test_panning_asks_the_server_nothing(
    county_page: tuple[Page, list[str]], county_url: str
) -> None:
    page, _ = county_page
    sent: list[str] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append("x")))
    page.goto(county_url + "/")
    frame = drawn_map(page)
    wait_until_idle(page, TIMEOUT_MS)
    before = frame.evaluate("() => window.cmTiles.map.getCenter().lng")
    box = page.locator("iframe").first.bounding_box()
    assert box is not None
    sent.clear()
    page.mouse.move(box["x"] + 300, box["y"] + 320)
    page.mouse.down()
    page.mouse.move(box["x"] + 120, box["y"] + 220, steps=10)
    page.mouse.up()
    page.wait_for_timeout(1_500)
    assert frame.evaluate("() => window.cmTiles.map.getCenter().lng") != before
    assert sent == []  # no rerun: the browser drew the new view from the tiles


def test_a_setting_repaints_the_same_map(
    county_page: tuple[Page, list[str]], county_url: str, expected: dict[str, int]
) -> None:
    page, seen = county_page
    page.goto(county_url + "/")
    frame = drawn_map(page)
    wait_until_idle(page, TIMEOUT_MS)
    frame.evaluate("() => { window.cmSameMap = true; }")
    stamp, _ = painted(frame)
    legend_before = frame.locator(".cm-count").all_text_contents()
    archives = sum(url.endswith(".pmtiles") for url in seen)
    page.get_by_text("Only city lots and garages").click()
    for _ in range(TIMEOUT_MS // 100):
        if painted(frame)[0] != stamp:
            break
        page.wait_for_timeout(100)
    assert painted(frame)[1] == expected["lots_and_garages"] != expected["all"]
    assert frame.evaluate("() => window.cmSameMap") is True  # repainted, not rebuilt
    assert frame.locator(".cm-count").all_text_contents() != legend_before  # its counts follow
    page.wait_for_timeout(500)
    assert sum(url.endswith(".pmtiles") for url in seen) - archives <= 2  # no rebuilt tiles
    page.screenshot(path=str(SCREENSHOTS / "tiles-lots-only.png"))


def test_a_searched_parcel_opens_its_popup_and_card(
    county_page: tuple[Page, list[str]], county_url: str, county: Path
) -> None:
    page, _ = county_page
    parcels = read_parcels(str(county), load_profile())
    covered = classify(parcels, load_profile().policy_version(None), reasons=False)
    apn = str(covered.loc[covered["verdict"] == "covered", "apn"].iloc[0])
    page.goto(county_url + "/")
    drawn_map(page)
    wait_until_idle(page, TIMEOUT_MS)
    search = page.get_by_placeholder("e.g. 1201 I St")
    search.fill(apn)
    search.press("Enter")
    card = page.locator("h3").filter(has_text=f"APN {apn}").first
    expect(card).to_be_visible(timeout=TIMEOUT_MS)
    wait_until_idle(page, TIMEOUT_MS)
    frame = drawn_map(page)
    page.wait_for_timeout(1_500)  # the map moved to the parcel; its tiles load
    box = page.locator("iframe").first.bounding_box()
    assert box is not None
    centre = frame.evaluate(
        "() => { const m = window.cmTiles.map, p = m.latLngToContainerPoint(m.getCenter());"
        " return [p.x, p.y]; }"
    )
    page.mouse.click(box["x"] + centre[0], box["y"] + centre[1])
    popup = frame.locator(".leaflet-popup-content")
    expect(popup).to_contain_text(f"APN {apn}", timeout=TIMEOUT_MS)
    page.screenshot(path=str(SCREENSHOTS / "tiles-street-popup.png"))
