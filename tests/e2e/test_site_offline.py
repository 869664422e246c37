"""The published site after one visit, with the network cut (a phone at a rally).

The service worker keeps the pages, scripts, the data the page starts with and the extracts
of the area around the landmark; the test cuts the network (Playwright's offline mode) and
reloads: the map of the area draws, the zone and the places are there, the search finds a
parcel of the area and its card says what ``civicmap check`` says, and what was not kept
says "not available offline".
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from e2e_support import PHONE, OpenPage
from playwright.sync_api import expect
from pmtiles.reader import MmapSource, all_tiles

from geo.i18n import translator
from geo.profile import load_profile
from layers.cli import main

pytestmark = pytest.mark.e2e


def kept_and_not(folder: Path) -> tuple[str, str]:
    """An APN of a parcel kept for offline use and one of a parcel that is not."""
    cards = folder / "data" / "cards"
    manifest = json.loads((cards / "index.json").read_text("utf-8"))
    area = json.loads((cards / manifest["folder"] / manifest["area"]).read_text("utf-8"))
    first = json.loads((cards / manifest["folder"] / "cards-0.json").read_text("utf-8"))
    kept = set(area["rows"])
    far = next(a for i, a in enumerate(first["apn"]) if i not in kept)
    return area["apn"][0], far


def tile_not_kept(folder: Path) -> tuple[float, float]:
    """The centre (lon, lat) of a street-zoom tile of the county that the area's extract lacks."""
    with (folder / "offline" / "area.pmtiles").open("rb") as handle:
        kept = {zxy for zxy, _ in all_tiles(MmapSource(handle))}
    with (folder / "parcels.pmtiles").open("rb") as handle:
        county = [zxy for zxy, _ in all_tiles(MmapSource(handle)) if zxy[0] == 14]
    z, x, y = next(t for t in county if t not in kept)
    lon = (x + 0.5) / 2**z * 360 - 180
    lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * (y + 0.5) / 2**z))))
    return lon, lat


def test_after_one_visit_the_site_works_with_the_network_cut(
    open_page: OpenPage, site: tuple[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    url, folder = site
    t = translator("es")
    near, far = kept_and_not(folder)
    page, _ = open_page(url + "es/", PHONE, touch=True)
    page.wait_for_selector("body[data-offline=ready]")
    page.context.set_offline(True)
    page.reload()
    page.wait_for_selector("body[data-ready=yes]")
    page.wait_for_function("() => window.cmMap.areTilesLoaded()")
    landmark = load_profile().landmark("moss").name
    expect(page.locator("#offline")).to_have_text(t("site.offline_now", landmark=landmark))
    assert page.locator("#places-list li").count() > 0
    expect(page.locator("#zone-about")).not_to_be_empty()
    drawn = page.evaluate(
        "() => window.cmMap.queryRenderedFeatures({layers: window.cmMap.getStyle().layers"
        "  .map((l) => l.id).filter((id) => id.startsWith('city-fill@') || id === 'others-fill')"
        "}).length"
    )
    assert drawn > 0  # the area's tiles, from the kept extract
    page.fill("#search", near)
    page.press("#search", "Enter")
    expect(page.locator("#card-heading")).to_contain_text(near)
    capsys.readouterr()
    src = str(load_profile().sample_path())
    assert main(["check", src, "--apn", near, "--lang", "es", "--format", "json", "--quiet"]) == 0
    (answer,) = json.loads(capsys.readouterr().out)
    reasons = [r.strip() for r in page.locator("#card .reasons li").all_inner_texts()]
    assert reasons == answer["reasons"]
    page.fill("#search", far)
    page.press("#search", "Enter")
    expect(page.locator("#card-heading")).to_have_text(t("site.offline_card"))
    far_away = list(tile_not_kept(folder))
    page.evaluate(f"() => window.cmMap.jumpTo({{center: {far_away}, zoom: 16}})")
    expect(page.locator("#offline")).to_have_text(t("site.offline_tiles", landmark=landmark))
    page.screenshot(path=str(Path(__file__).parent / "screenshots" / "site-offline-es.png"))
