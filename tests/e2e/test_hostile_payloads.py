"""Text is text: hostile strings in the URL, a parcel file and its exports stay text.

Each payload (a Markdown image pointing at a loopback recorder, a ``javascript:`` link, an
HTML image with ``onerror``, a template expression and a long value) goes through the app's
query parameters and every text field of an uploaded parcel file; the pages built from it
(parcel sheet, place handout, offline map, published site) are opened too. Everywhere:
no dialog opens, nothing reaches the recorder or another host, no image or script link is
made from the payload, and the text shows literally.
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import geopandas as gpd
import pytest
import shapely
from e2e_support import RequestLog, page_errors, wait_until_idle
from playwright.sync_api import Browser, Page, expect

from geo.analysis import Analysis, analyse
from geo.i18n import translator
from geo.profile import load_profile
from geo.safe_text import WORD_JOINER
from geo.sources import read_parcels
from geo.spaces import assembly_places
from geo.vendor import read_vendor_files
from layers.cli import main
from layers.compose import parcel_sheet, place_sheet
from layers.site_server import start
from layers.standalone import standalone_html

pytestmark = pytest.mark.e2e

UPLOADER = '[data-testid="stFileUploaderDropzoneInput"]'
FILE_NAME = "parcels {{7*7}}.geojson"
# Downtown Sacramento, near the Capitol Mall, in degrees.
LON0, LAT0 = -121.5007, 38.5780

TIMEOUT_MS = 30_000
LONG = "L" * 3000
# Elements a payload could smuggle in: images from the recorder, script links, template output.
SMUGGLED_JS = """
(port) => {
  const found = [];
  for (const img of document.querySelectorAll('img')) {
    const src = img.getAttribute('src') || '';
    const bad = src.includes(':' + port) || src === 'x' || img.hasAttribute('onerror');
    if (bad) found.push(img.outerHTML);
  }
  for (const a of document.querySelectorAll('a')) {
    const href = (a.getAttribute('href') || '').trim().toLowerCase();
    if (href.startsWith('javascript:')) found.push(a.outerHTML);
  }
  return found;
}
"""


class _Recorder(http.server.BaseHTTPRequestHandler):
    """Records every path asked of it; answers 404."""

    seen: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
        self.seen.append(self.path)
        self.send_error(404)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Keep the test output quiet."""


@pytest.fixture(scope="module")
def recorder() -> Iterator[tuple[int, list[str]]]:
    """A loopback HTTP server on a free port; yields its port and the paths it was asked."""
    seen: list[str] = []
    handler = type("Handler", (_Recorder,), {"seen": seen})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], seen
    server.shutdown()
    server.server_close()


def payloads(port: int) -> list[str]:
    """The hostile strings, the image one pointing at the recorder."""
    return [
        f"![x](http://127.0.0.1:{port}/p.png)",
        "[x](javascript:alert(1))",
        "<img src=x onerror=alert(1)>",
        "{{7*7}}",
        LONG,
    ]


def watch_dialogs(page: Page) -> list[str]:
    """Dismiss and record every dialog the page opens."""
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    return dialogs


def shown_text(page: Page) -> str:
    """The page's visible text, without the word joiners md_escape puts in."""
    return page.locator("body").inner_text().replace(WORD_JOINER, "")


def wait_for_shown(page: Page, text: str) -> None:
    """Wait until the page's visible text, word joiners left out, holds ``text``."""
    page.wait_for_function(
        "([text, joiner]) => document.body.innerText.split(joiner).join('').includes(text)",
        arg=[text, WORD_JOINER],
        timeout=TIMEOUT_MS,
    )


def smuggled(page: Page, port: int) -> list[str]:
    """Elements made from a payload, in the page and every frame."""
    found: list[str] = []
    for frame in page.frames:
        found += frame.evaluate(SMUGGLED_JS, port)
    return found


@pytest.mark.parametrize("which", range(5), ids=["md-image", "js-link", "img-tag", "tmpl", "long"])
def test_query_parameters_stay_text(
    page: Page, app_url: str, request_log: RequestLog, recorder: tuple[int, list[str]], which: int
) -> None:
    """Each payload in q, city, lot, garage, policy and lang: refused quietly, q shown as text."""
    port, seen = recorder
    payload = payloads(port)[which]
    dialogs = watch_dialogs(page)
    keys = ("q", "city", "lot", "garage", "policy", "lang")
    page.goto(f"{app_url}/?{urlencode({k: payload for k in keys})}", wait_until="domcontentloaded")
    shown = payload[:200]
    message = page.get_by_text("No parcel matches").first
    expect(message).to_be_visible(timeout=TIMEOUT_MS)
    assert shown in shown_text(page)
    assert "49" not in message.inner_text().replace(str(port), "")  # {{7*7}} not evaluated
    assert page.locator('[data-testid="stException"]').count() == 0, page_errors(page)
    assert smuggled(page, port) == []
    assert dialogs == []
    assert seen == []
    assert request_log.external() == []


def apn_of(row: int, payload: str) -> str:
    """The APN of the hostile file's row ``row``: a real-looking one with the payload after it."""
    return f"006-0010-00{row + 1}-0000 {payload}"


def hostile_file(folder: Path, port: int) -> Path:
    """A GeoJSON of five parcels in the county's schema, every text field one payload."""
    rows = [
        {
            "APN_DASH": apn_of(i, text),
            "STREET_NBR": str(100 + i),
            "STREET_NAM": text,
            "NAME": text,
            "LANDUSE": text,
        }
        for i, text in enumerate(payloads(port))
    ]
    shapes = [
        shapely.box(LON0 + i * 6e-4, LAT0, LON0 + i * 6e-4 + 5e-4, LAT0 + 4e-4)
        for i in range(len(rows))
    ]
    path = folder / FILE_NAME
    path.write_text(gpd.GeoDataFrame(rows, geometry=shapes, crs="EPSG:4326").to_json(), "utf-8")
    return path


def upload(page: Page, app_url: str, path: Path) -> None:
    """Open the app and upload ``path`` under its own (hostile) name."""
    page.goto(app_url + "/", wait_until="domcontentloaded")
    page.locator(UPLOADER).first.wait_for(state="attached", timeout=TIMEOUT_MS)
    wait_until_idle(page, TIMEOUT_MS)  # the first run is over: the uploader stays put
    page.locator(UPLOADER).first.set_input_files(
        files=[{"name": path.name, "mimeType": "application/json", "buffer": path.read_bytes()}]
    )
    not_covered = page.locator('[data-testid="stMetricValue"]').nth(2)
    expect(not_covered).to_have_text("5", timeout=TIMEOUT_MS)  # the five hostile parcels
    wait_until_idle(page, TIMEOUT_MS)


def test_an_uploaded_file_shows_its_text_literally(
    page: Page,
    app_url: str,
    request_log: RequestLog,
    recorder: tuple[int, list[str]],
    tmp_path: Path,
) -> None:
    """Owner, address, APN, land use and file name of every row read back as typed."""
    port, seen = recorder
    dialogs = watch_dialogs(page)
    upload(page, app_url, hostile_file(tmp_path, port))
    search = page.get_by_placeholder("e.g. 1201 I St")
    for row, payload in enumerate(payloads(port)):
        apn = apn_of(row, payload)
        wait_until_idle(page, TIMEOUT_MS)  # a rerun under way could replace the search box
        search.fill(apn)
        search.press("Enter")
        card = page.locator("h3").filter(has_text=f"APN 006-0010-00{row + 1}-0000").first
        expect(card).to_be_visible(timeout=TIMEOUT_MS)
        if row == 0:
            # Switched on once a card is up, so the switch's own rerun is seen to be over:
            # it draws the card again, with the owner's name.
            wait_until_idle(page, TIMEOUT_MS)
            page.get_by_text("Show private owners' names").first.click()
        wait_for_shown(page, f"Owner: {payload[:200]}")
        text = shown_text(page)
        assert f"Owner: {payload[:200]}" in text
        assert f"land use {payload[:200]}" in text
        assert f"{100 + row} {payload[:200]}" in text  # the address
        assert "Owner: 49" not in text
        assert f"Data: {FILE_NAME}" in text
        assert page.locator('[data-testid="stException"]').count() == 0, page_errors(page)
        assert smuggled(page, port) == []
    page.screenshot(path=str(tmp_path / "card.png"))
    page.get_by_role("tab", name="Table of parcels").click()
    panel = page.get_by_role("tabpanel", name="Table of parcels")
    grid = panel.locator('[data-testid="stDataFrame"]').first
    expect(grid).to_be_visible(timeout=TIMEOUT_MS)
    # The grid draws its cells on a canvas (no markup can come of them); its rows are
    # read back from the table's own CSV download.
    panel.get_by_role("combobox", name="Show parcels that are").click()
    page.get_by_role("option", name="Not covered").click()  # all five hostile rows
    expect(panel.get_by_text("5 parcels")).to_be_visible(timeout=TIMEOUT_MS)
    # the rerun that drew the count must be over, or it can replace the button being clicked
    wait_until_idle(page, TIMEOUT_MS)
    with page.expect_download(timeout=TIMEOUT_MS) as download:
        panel.locator('[data-testid="stDownloadButton"]').filter(has_text="CSV").first.click()
    table_text = Path(download.value.path()).read_text("utf-8")
    page.screenshot(path=str(tmp_path / "table.png"))
    for payload in payloads(port):
        assert payload in table_text
    assert smuggled(page, port) == []
    assert "49.geojson" not in shown_text(page)
    assert dialogs == []
    assert seen == []
    assert request_log.external() == []


SOURCE = (FILE_NAME, "2026-12-01", True)
# Opens each parcel's popup on the offline map in turn and returns what each one shows.
POPUP_TEXTS_JS = """
() => {
  const texts = [];
  for (const [k, v] of Object.entries(window)) {
    if (!k.startsWith('map_') || !v.eachLayer) continue;
    v.eachLayer(l => {
      if (!l.feature || !l.getPopup || !l.getPopup()) return;
      l.openPopup();
      const shown = l.getPopup().getElement();
      if (shown) texts.push(shown.innerText);
    });
  }
  return texts;
}
"""


@pytest.fixture(scope="module")
def hostile_source(
    tmp_path_factory: pytest.TempPathFactory, recorder: tuple[int, list[str]]
) -> Path:
    """The hostile GeoJSON, written once for the export tests."""
    return hostile_file(tmp_path_factory.mktemp("hostile"), recorder[0])


@pytest.fixture(scope="module")
def hostile_analysis(hostile_source: Path) -> Analysis:
    """The hostile file read and classified as the app does."""
    profile = load_profile()
    return analyse(read_parcels(hostile_source, profile), profile)  # type: ignore[arg-type]


def open_static(browser: Browser, url: str, port: int) -> tuple[Page, list[str], list[str]]:
    """Open ``url`` in a fresh context; return the page, its requests and its dialogs."""
    context = browser.new_context(viewport={"width": 1200, "height": 800})
    context.route(lambda u: not u.startswith(("file:", "data:", url)), lambda r: r.abort())
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    dialogs = watch_dialogs(page)
    page.goto(url, timeout=TIMEOUT_MS)
    page.wait_for_load_state("load")
    return page, requests, dialogs


def assert_text_is_text(page: Page, port: int, requests: list[str], dialogs: list[str]) -> None:
    """No dialog, nothing smuggled, no request but the page itself and data: URIs."""
    page.wait_for_timeout(300)  # let a late onerror or image have its chance
    assert dialogs == []
    assert smuggled(page, port) == []
    own = page.url.split("#")[0]
    base = own if own.startswith("file:") else own.rsplit("/", 1)[0] + "/"
    assert [u for u in requests if not (u.startswith(base) or u.startswith("data:"))] == []


@pytest.mark.parametrize("row", range(5), ids=["md-image", "js-link", "img-tag", "tmpl", "long"])
def test_the_parcel_sheet_shows_the_text_literally(
    browser: Browser,
    hostile_analysis: Analysis,
    recorder: tuple[int, list[str]],
    tmp_path: Path,
    row: int,
) -> None:
    """The printable sheet of each hostile parcel, opened from a file, shows its text."""
    port, seen = recorder
    payload = payloads(port)[row]
    html = parcel_sheet(
        hostile_analysis, row, SOURCE, "?q=x", translator("en"), load_profile(), "en", True
    )
    sheet = tmp_path / "sheet.html"
    sheet.write_text(html, "utf-8")
    page, requests, dialogs = open_static(browser, sheet.as_uri(), port)
    text = shown_text(page)
    assert payload[:200] in text
    assert FILE_NAME in text
    assert_text_is_text(page, port, requests, dialogs)
    assert seen == []
    page.context.close()


def test_the_offline_map_shows_the_text_literally(
    browser: Browser,
    hostile_analysis: Analysis,
    recorder: tuple[int, list[str]],
    tmp_path: Path,
) -> None:
    """The offline map of the hostile file: popups and all, nothing runs and nothing loads."""
    port, seen = recorder
    html = standalone_html(
        hostile_analysis, load_profile(), read_vendor_files(), SOURCE, owner_names=True
    )
    offline = tmp_path / "map.html"
    offline.write_text(html, "utf-8")
    page, requests, dialogs = open_static(browser, offline.as_uri(), port)
    page.wait_for_selector("path.leaflet-interactive")
    popups = page.evaluate(POPUP_TEXTS_JS)
    text = "\n".join(popups).replace(WORD_JOINER, "")
    assert len(popups) >= 5, [p[:60] for p in popups]
    for payload in payloads(port):
        assert payload[:200] in text
    assert_text_is_text(page, port, requests, dialogs)
    assert seen == []
    page.context.close()


@pytest.fixture(scope="module")
def hostile_site(hostile_source: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The hostile file published to a folder and served on a free loopback port."""
    folder = tmp_path_factory.mktemp("site") / "site"
    assert main(["publish", str(hostile_source), "--out", str(folder), "--quiet"]) == 0
    server = start(folder)
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("row", range(5), ids=["md-image", "js-link", "img-tag", "tmpl", "long"])
def test_the_published_site_shows_the_text_literally(
    webgl_browser: Browser, hostile_site: str, recorder: tuple[int, list[str]], row: int
) -> None:
    """Searching each hostile APN on the published site answers with its text, as text."""
    port, seen = recorder
    payload = payloads(port)[row]
    page, requests, dialogs = open_static(webgl_browser, hostile_site, port)
    page.wait_for_selector("body[data-ready=yes]")
    page.fill("#search", f"006-0010-00{row + 1}-0000")
    page.click("#search-go")
    answer = page.locator("#card")
    expect(answer).to_contain_text(f"006-0010-00{row + 1}-0000")
    assert payload[:100] in (answer.text_content() or "").replace(WORD_JOINER, "")
    assert_text_is_text(page, port, requests, dialogs)
    assert seen == []
    page.context.close()


@pytest.mark.parametrize("row", range(5), ids=["md-image", "js-link", "img-tag", "tmpl", "long"])
def test_the_place_handout_shows_the_text_literally(
    browser: Browser,
    hostile_analysis: Analysis,
    recorder: tuple[int, list[str]],
    tmp_path: Path,
    row: int,
) -> None:
    """A place handout for a place named by a payload (its address and APN) shows it as text."""
    port, seen = recorder
    payload = payloads(port)[row]
    profile = load_profile()
    places = assembly_places(hostile_analysis, profile.assembly, profile.rules)
    assert len(places) > 0
    place = {**places.iloc[0].to_dict(), "kind": "parcel", "address": payload}
    place["apn"] = apn_of(row, payload)
    geometry = places.to_crs(hostile_analysis.zone.crs).geometry.iloc[0]
    html = place_sheet(hostile_analysis, place, geometry, [], SOURCE, "?q=x", lang="en")
    handout = tmp_path / "handout.html"
    handout.write_text(html, "utf-8")
    page, requests, dialogs = open_static(browser, handout.as_uri(), port)
    text = shown_text(page)
    assert payload[:200] in text
    assert apn_of(row, payload)[:200] in text
    assert_text_is_text(page, port, requests, dialogs)
    assert seen == []
    page.context.close()
