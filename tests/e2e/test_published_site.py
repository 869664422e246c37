"""The published static site (``civicmap publish``) in a browser, served by a range server.

The folder is served on loopback by ``civicmap serve``'s server (:mod:`layers.site_server`,
started in the test; it answers HTTP range requests, which the PMTiles archive needs). The
map draws with WebGL (SwiftShader here), so this test launches its own Chromium with the
flags for it.
"""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from e2e_support import is_local
from playwright.sync_api import Browser, Page, expect

from geo.profile import load_profile
from geo.sources import read_parcels
from layers.cli import main
from layers.site_search import address_key, apn_key, shard_of
from layers.site_server import start

COVERED_APN = "006-0602-005-0000"  # 201 I ST, a city lot in the sample
OTHER_CITY_APN = "006-0105-005-0000"  # 501 D ST, other city property: covered unless narrow


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The sample published to a folder and served on a free loopback port."""
    folder = tmp_path_factory.mktemp("site") / "site"
    src = str(load_profile().sample_path())
    assert main(["publish", src, "--out", str(folder), "--quiet"]) == 0
    server = start(folder)
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def site_page(webgl_browser: Browser) -> Iterator[tuple[Page, list[str]]]:
    """A page that records every request and aborts any to another host."""
    context = webgl_browser.new_context(viewport={"width": 1200, "height": 800})
    context.route(lambda url: not is_local(url), lambda route: route.abort())
    seen: list[str] = []
    page = context.new_page()
    page.on("request", lambda req: seen.append(req.url))
    page.set_default_timeout(30_000)
    yield page, seen
    context.close()


def test_the_server_answers_range_requests(site_url: str) -> None:
    """The archive is served in parts (206), as the PMTiles reader asks for it."""
    ask = urllib.request.Request(site_url + "parcels.pmtiles", headers={"Range": "bytes=0-6"})
    with urllib.request.urlopen(ask, timeout=10) as answer:  # loopback only
        assert answer.status == 206
        assert answer.read() == b"PMTiles"
        assert answer.headers["Content-Range"].startswith("bytes 0-6/")


def test_typing_an_apn_shows_its_verdict_with_nothing_from_elsewhere(
    site_page: tuple[Page, list[str]], site_url: str, tmp_path: Path
) -> None:
    """An APN in another spelling finds the parcel and its verdict; versions and languages
    switch in the browser; every request stays on this machine."""
    page, seen = site_page
    page.goto(site_url)
    page.wait_for_selector("body[data-ready=yes]")
    page.fill("#search", "006 0602 005")
    page.click("#search-go")
    answer = page.locator("#answer")
    expect(answer).to_have_text(f"{COVERED_APN} · 201 I ST · City lot or garage: no staging")
    page.select_option("#lang", "es")
    expect(answer).to_contain_text("Lote o garaje de la ciudad")
    assert page.locator("html").get_attribute("lang") == "es"
    assert "Su privacidad" in page.locator("#about").text_content()
    page.fill("#search", OTHER_CITY_APN)
    page.click("#search-go")
    expect(answer).to_contain_text("Otra propiedad de la ciudad")
    page.select_option("#version", "lots_only")  # the narrow draft covers lots and garages only
    expect(answer).to_have_text(re.compile(r"· No cubierta$"))
    page.fill("#search", "moss federal")  # a landmark, by part of its name
    page.click("#search-go")
    expect(answer).to_contain_text("Moss")
    page.wait_for_timeout(1500)
    page.screenshot(path=str(tmp_path / "published.png"))
    assert any(url.endswith("parcels.pmtiles") for url in seen)
    assert seen and all(url.startswith(site_url) or url.startswith("data:") for url in seen)


def search_requests(seen: list[str], site_url: str) -> set[str]:
    """The search files a page asked for, by their path under ``data/search/``."""
    prefix = site_url + "data/search/"
    return {url[len(prefix) :] for url in seen if url.startswith(prefix)}


def test_a_search_downloads_only_the_shard_it_needs(
    site_page: tuple[Page, list[str]], site_url: str, tmp_path: Path
) -> None:
    """Opening the map reads no search file; an APN reads the manifest and its one APN shard;
    an address then reads its one address shard; a street alone finds a parcel on it."""
    profile = load_profile()
    parcels = read_parcels(str(profile.sample_path()), profile)
    with urllib.request.urlopen(site_url + "data/search/index.json", timeout=10) as answer:
        manifest = json.load(answer)  # loopback only
    folder = manifest["folder"]
    assert len(manifest["apn"]["bounds"]) >= 2 and len(manifest["address"]["bounds"]) >= 2
    page, seen = site_page
    page.goto(site_url)
    page.wait_for_selector("body[data-ready=yes]")
    assert search_requests(seen, site_url) == set()
    answer = page.locator("#answer")
    page.fill("#search", "00606020050000")  # the 14-digit form of COVERED_APN
    page.click("#search-go")
    expect(answer).to_have_text(f"{COVERED_APN} · 201 I ST · City lot or garage: no staging")
    apn_shard = shard_of(manifest["apn"]["bounds"], apn_key(COVERED_APN))
    assert search_requests(seen, site_url) == {"index.json", f"{folder}/apn-{apn_shard}.json"}
    address = "1201 I ST"
    expected_apn = parcels.loc[parcels["address"] == address, "apn"].iloc[0]
    page.fill("#search", "1201 I Street")
    page.click("#search-go")
    expect(answer).to_have_text(re.compile(rf"^{expected_apn} · {address} · \S"))
    address_shard = shard_of(manifest["address"]["bounds"], address_key(address))
    assert search_requests(seen, site_url) == {
        "index.json",
        f"{folder}/apn-{apn_shard}.json",
        f"{folder}/address-{address_shard}.json",
    }
    page.fill("#search", "i st")  # a street alone: its first parcel
    page.click("#search-go")
    expect(answer).to_have_text(re.compile(r"^\d{3}-\d{4}-\d{3}-\d{4} · \d+ I ST · \S"))
    page.wait_for_timeout(1000)
    page.screenshot(path=str(tmp_path / "published-address.png"))
    assert all(url.startswith(site_url) or url.startswith("data:") for url in seen)
