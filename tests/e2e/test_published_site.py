"""The published static site (``civicmap publish``) in a browser, served by a range server.

The folder is served on loopback by ``civicmap serve``'s server (:mod:`layers.site_server`;
it answers HTTP range requests, which the PMTiles archive needs); the map draws with WebGL
(SwiftShader). The answer card must say what ``civicmap check`` says, on a phone as on a
desktop, opened by a link, a tap or a search, in each language; axe-core must find nothing
on it.
"""

from __future__ import annotations

import io
import json
import re
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from e2e_support import DESKTOP, PHONE, OpenPage, is_local
from playwright.sync_api import Page, expect

from geo.i18n import LANGUAGES, translator
from geo.profile import load_profile
from layers.cli import main
from layers.site_search import apn_key, shard_of

pytestmark = pytest.mark.e2e

REPO_ROOT = Path(__file__).resolve().parents[2]
AXE_JS = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
COVERED_APN = "006-0602-005-0000"  # 201 I ST, a city garage in the sample
REVIEW_APN = "006-0704-005-0000"  # 401 J ST, its owner only partly the city's name
OTHER_CITY_APN = "006-0105-005-0000"  # 501 D ST, a city agency's: covered unless narrow
SRC = str(load_profile().sample_path())


def check_answer(
    capsys: pytest.CaptureFixture[str], apn: str, lang: str, version: str = ""
) -> dict[str, Any]:
    """What ``civicmap check --format json`` says of one APN."""
    args = ["check", SRC, "--apn", apn, "--lang", lang, "--format", "json", "--quiet"]
    if version:
        args += ["--policy", version]
    capsys.readouterr()
    assert main(args) == 0
    (row,) = json.loads(capsys.readouterr().out)
    return dict(row)


def card_reasons(page: Page) -> list[str]:
    return [r.strip() for r in page.locator("#card .reasons li").all_inner_texts()]


def search_point(folder: Path, apn: str) -> tuple[float, float]:
    """A point inside a parcel (lon, lat), from the published search index."""
    manifest = json.loads((folder / "data" / "search" / "index.json").read_text("utf-8"))
    shard = shard_of(manifest["apn"]["bounds"], apn_key(apn))
    path = folder / "data" / "search" / manifest["folder"] / f"apn-{shard}.json"
    records = json.loads(path.read_text("utf-8"))
    i = records["apn"].index(apn)
    return records["lon"][i], records["lat"][i]


def on_screen(page: Page, lon: float, lat: float) -> tuple[float, float]:
    """Where a point is drawn in the page (CSS pixels)."""
    x, y = page.evaluate(
        """([lon, lat]) => {
          const p = window.cmMap.project([lon, lat]);
          const box = window.cmMap.getContainer().getBoundingClientRect();
          return [box.left + p.x, box.top + p.y];
        }""",
        [lon, lat],
    )
    return float(x), float(y)


def test_the_server_answers_range_requests(site_url: str) -> None:
    """The archive is served in parts (206), as the PMTiles reader asks for it."""
    ask = urllib.request.Request(site_url + "parcels.pmtiles", headers={"Range": "bytes=0-6"})
    with urllib.request.urlopen(ask, timeout=10) as answer:  # loopback only
        assert answer.status == 206
        assert answer.read() == b"PMTiles"
        assert answer.headers["Content-Range"].startswith("bytes 0-6/")


def test_a_link_opens_the_card_on_a_phone_with_the_parcel_in_view(
    open_page: OpenPage, site: tuple[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """?p= in another spelling opens the parcel's card as a sheet on the phone's screen,
    with check's reasons; the parcel stays in view above the sheet; the map fills most of
    the first screen and the language picker is on it."""
    url, folder = site
    page, seen = open_page(url + "?p=006%200602%20005", PHONE, touch=True)
    expect(page.locator("#card-heading")).to_contain_text(COVERED_APN)
    card = page.locator("#card").bounding_box()
    assert card is not None and card["y"] + card["height"] <= PHONE["height"] + 1
    assert card_reasons(page) == check_answer(capsys, COVERED_APN, "en")["reasons"]
    page.wait_for_timeout(500)
    x, y = on_screen(page, *search_point(folder, COVERED_APN))
    map_box = page.locator("#map").bounding_box()
    assert map_box is not None
    assert map_box["y"] < y < card["y"] and 0 < x < PHONE["width"]
    assert map_box["height"] >= 0.6 * PHONE["height"]  # behind the sheet, the map is whole
    picker = page.locator("#lang").bounding_box()
    assert picker is not None and picker["y"] + picker["height"] < map_box["y"]
    assert page.locator("#sample").is_visible()  # the sample's notice, on the first screen
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "site-phone-link.png"))
    assert all(is_local(u) for u in seen)


def test_a_tap_on_a_parcel_opens_its_card(open_page: OpenPage, site: tuple[str, Path]) -> None:
    """A tap on a parcel drawn on the phone's map opens its card and puts it in the URL."""
    url, folder = site
    lon, lat = search_point(folder, REVIEW_APN)
    page, _ = open_page(f"{url}#17.5/{lat}/{lon}", PHONE, touch=True)
    assert page.locator("#card").is_hidden()
    x, y = on_screen(page, lon, lat)
    page.touchscreen.tap(x, y)
    expect(page.locator("#card-heading")).to_contain_text(REVIEW_APN)
    expect(page.locator("#card .verdict")).to_contain_text(translator("en")("verdict.needs review"))
    assert f"p={REVIEW_APN}" in page.url


def painted_at(page: Page, x: float, y: float) -> tuple[int, ...]:
    """The colour the page shows at a point (a 1-pixel screenshot, decoded)."""
    from PIL import Image

    shot = page.screenshot(clip={"x": x, "y": y, "width": 1, "height": 1})
    pixel = Image.open(io.BytesIO(shot)).convert("RGB").getpixel((0, 0))
    assert isinstance(pixel, tuple)
    return pixel


def test_a_version_switch_repaints_the_parcel_without_reading_a_tile_again(
    open_page: OpenPage, site: tuple[str, Path]
) -> None:
    """An agency's lot is covered by the November draft and not by the narrow one: picking
    the narrow one repaints it from the tiles already read, and picking back restores it."""
    url, folder = site
    lon, lat = search_point(folder, OTHER_CITY_APN)
    page, seen = open_page(f"{url}#18/{lat}/{lon}")
    x, y = on_screen(page, lon, lat)
    before = painted_at(page, x, y)
    tiles_read = sum(1 for u in seen if "pmtiles" in u)
    page.select_option("#version", "lots_only")
    page.wait_for_function("() => window.cmMap.loaded() && !window.cmMap.isMoving()")
    page.wait_for_timeout(300)
    narrow = painted_at(page, x, y)
    page.select_option("#version", "nov2025")
    page.wait_for_timeout(300)
    assert narrow != before and painted_at(page, x, y) == before
    assert sum(1 for u in seen if "pmtiles" in u) == tiles_read


def test_a_search_updates_the_link_and_the_link_restores_it(
    open_page: OpenPage, site_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Keyboard only: type an address, Enter, the card opens with the focus on it; the
    version picked and the view are in the link, and the reopened link shows the same card
    under the same version. Nothing is asked of any other host."""
    page, seen = open_page(site_url)
    page.select_option("#version", "lots_only")
    page.locator("#search").focus()
    page.keyboard.type(f"{OTHER_CITY_APN}")
    page.keyboard.press("Enter")
    expect(page.locator("#card-heading")).to_contain_text(OTHER_CITY_APN)
    expect(page.locator("#card-heading")).to_be_focused()
    expect(page.locator("#status")).to_contain_text(OTHER_CITY_APN)
    expected = check_answer(capsys, OTHER_CITY_APN, "en", "lots_only")
    assert card_reasons(page) == expected["reasons"]
    assert expected["verdict"] == "not covered"  # the narrow draft leaves an agency's lot out
    page.wait_for_function("() => location.hash.length > 1")
    link = page.url
    assert f"p={OTHER_CITY_APN}" in link and "v=lots_only" in link and "#" in link
    again, seen_again = open_page(link)
    expect(again.locator("#card-heading")).to_contain_text(OTHER_CITY_APN)
    assert again.locator("#version").input_value() == "lots_only"
    assert card_reasons(again) == expected["reasons"]
    page.keyboard.press("Escape")
    expect(page.locator("#card")).to_be_hidden()
    assert "p=" not in page.url
    assert all(is_local(u) for u in seen + seen_again)


def test_the_spanish_page_opens_in_spanish(
    open_page: OpenPage, site_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """es/ is the page in Spanish (lang, hreflang, title, notices, versions); a card there
    gives check's Spanish reasons; switching to Hmong moves the link to hmn/."""
    t = translator("es")
    page, _ = open_page(site_url + "es/?p=" + REVIEW_APN)
    assert page.locator("html").get_attribute("lang") == "es"
    hreflangs = page.locator("link[rel=alternate]").evaluate_all(
        "(links) => links.map((l) => l.hreflang)"
    )
    assert set(LANGUAGES) <= set(hreflangs)
    assert page.title() == t("site.title", place=load_profile().name)
    expect(page.locator("#sample")).to_have_text(t("map.illustrative"))
    expect(page.locator("#review")).to_be_visible()
    expect(page.locator("#review")).to_contain_text(t("site.review_how"))
    assert t("site.review_how") != translator("en")("site.review_how")
    options = page.locator("#version option").all_inner_texts()
    assert load_profile().policies["nov2025"].text("title", "es") in options
    expect(page.locator("#card-heading")).to_contain_text(REVIEW_APN)
    assert card_reasons(page) == check_answer(capsys, REVIEW_APN, "es")["reasons"]
    page.select_option("#lang", "hmn")
    expect(page.locator("html")).to_have_attribute("lang", "hmn")
    page.wait_for_function("() => location.pathname.endsWith('/hmn/')")
    expect(page.locator("#card .reasons li").first).to_have_text(
        check_answer(capsys, REVIEW_APN, "hmn")["reasons"][0]
    )


_AXE_RUN_JS = """
async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map((v) => ({id: v.id, impact: v.impact,
    nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5)}));
}
"""


@pytest.mark.parametrize("lang", tuple(LANGUAGES))
def test_axe_finds_no_violation(open_page: OpenPage, site_url: str, lang: str) -> None:
    """axe-core finds no violation of any impact, with a card open, on a phone and on a
    desktop, in each language."""
    page_path = "" if lang == "en" else f"{lang}/"
    for viewport, name in ((PHONE, "phone"), (DESKTOP, "desktop")):
        page, _ = open_page(f"{site_url}{page_path}?p={REVIEW_APN}", viewport, viewport is PHONE)
        expect(page.locator("#card-heading")).to_contain_text(REVIEW_APN)
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))  # not a script tag: the CSP holds
        found = page.evaluate(_AXE_RUN_JS)
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"site-{name}-{lang}.png"))
        assert found == [], found


def search_requests(seen: list[str], site_url: str) -> set[str]:
    """The search files a page asked for, by their path under ``data/search/``."""
    prefix = site_url + "data/search/"
    return {url[len(prefix) :] for url in seen if url.startswith(prefix)}


def test_opening_the_map_reads_no_search_and_no_card_file(
    open_page: OpenPage, site_url: str
) -> None:
    """No per-parcel file before the map is drawn; a search then reads the manifest and
    the one APN shard, and its card the cards' manifest, one shard and one language."""
    page, seen = open_page(site_url)
    assert not [u for u in seen if "/data/search/" in u or "/data/cards/" in u]
    page.fill("#search", "00606020050000")  # the 14-digit form of COVERED_APN
    page.press("#search", "Enter")
    expect(page.locator("#card-heading")).to_contain_text(COVERED_APN)
    with urllib.request.urlopen(site_url + "data/search/index.json", timeout=10) as answer:
        manifest = json.load(answer)  # loopback only
    shard = shard_of(manifest["apn"]["bounds"], apn_key(COVERED_APN))
    assert search_requests(seen, site_url) == {
        "index.json",
        f"{manifest['folder']}/apn-{shard}.json",
    }
    cards = [u for u in seen if "/data/cards/" in u]
    assert len(cards) == 3 and any(re.search(r"/words-en\.json$", u) for u in cards)
