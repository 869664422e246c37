"""What people take away, opened in Chromium: a shared link, and the offline HTML map."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import geopandas as gpd
import pytest
import shapely
from e2e_support import is_local, wait_for_map
from playwright.sync_api import Browser, Dialog, Page

from geo.analysis import analyse
from geo.profile import load_profile
from geo.vendor import read_vendor_files
from layers.standalone import standalone_html

pytestmark = pytest.mark.e2e
EVIL = "<img src=x onerror=alert(1)>"


def test_a_shared_link_opens_on_the_same_parcel(page: Page, app_url: str) -> None:
    """Opening ``?q=1201 I St&scope=...`` shows that parcel's card and keeps the setting."""
    page.goto(f"{app_url}/?q={quote('1201 I St')}&scope=lots_and_garages")
    wait_for_map(page)
    card = page.get_by_text(re.compile(r"1201 I ST · APN")).first
    card.wait_for(timeout=60_000)
    verdict = page.locator("strong").filter(has_text=re.compile(r"^Covered:")).first
    verdict.wait_for(timeout=30_000)  # the card's verdict, in bold
    assert page.get_by_label("Only city lots and garages").is_checked()
    assert "q=1201" in page.url


@pytest.fixture()
def offline_map(tmp_path: Path) -> Iterator[Path]:
    """An offline map of three parcels, one with a script-shaped owner name."""
    profile = load_profile()
    x, y = 6_708_000.0, 1_972_000.0
    parcels = gpd.GeoDataFrame(
        {
            "apn": ["1", "2", "3"],
            "address": ["650 CAPITOL MALL", "1 A ST", "2 A ST"],
            "owner": ["UNITED STATES OF AMERICA", EVIL, "CITY OF SACRAMENTO"],
            "land_use": ["G1", "P1", "PK"],
            "land_use_label": ["", "", ""],
        },
        geometry=[shapely.box(x + i * 200, y, x + i * 200 + 150, y + 150) for i in range(3)],
        crs="EPSG:2226",
    )
    analysis = analyse(parcels, profile)
    # names on: the test is about a hostile name reaching the page as text
    source = ("test.gpkg", "2026", False)
    html = standalone_html(analysis, profile, read_vendor_files(), source, owner_names=True)
    path = tmp_path / "map.html"
    path.write_text(html, encoding="utf-8")
    yield path


def test_the_offline_map_opens_with_no_request_and_runs_no_data_as_code(
    browser: Browser, offline_map: Path
) -> None:
    """The exported map draws from the file alone and shows the bad owner name as text."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    requests: list[str] = []
    dialogs: list[str] = []
    page.on("request", lambda r: requests.append(r.url))

    def dismiss(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    page.goto(offline_map.as_uri())
    page.wait_for_selector("path.leaflet-interactive", timeout=30_000)
    assert len(page.query_selector_all("path.leaflet-interactive")) >= 3
    assert page.query_selector(".cm-legend") is not None
    assert page.query_selector(".leaflet-draw") is not None  # the vendored plugin loaded
    page.evaluate(
        """() => { for (const [k, v] of Object.entries(window)) {
             if (k.startsWith('geo_json') && v.eachLayer) v.eachLayer(l => l.openPopup()); } }"""
    )
    page.wait_for_timeout(500)
    assert dialogs == []
    outside = [u for u in requests if not (u.startswith(("file:", "data:")) or is_local(u))]
    assert outside == []
    content = offline_map.read_text(encoding="utf-8")
    assert EVIL not in content
    assert "\\u0026lt;img src=x" in content or "&lt;img src=x" in content  # escaped, then JSON
    context.close()
