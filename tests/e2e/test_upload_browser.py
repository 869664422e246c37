"""In the browser, a refused upload after a good one keeps the good one on the map.

The upload widget in the browser holds one file: choosing a second drops the first, so
the app must hold the last good dataset itself. Each refused kind of file is chosen after
a good zipped shapefile; the error names it, the sidebar says the good file is still
shown, and the metrics stay those of the good file. A refusal that says to type a layer
opens the box it names. Latin-1 text loads with its encoding named.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import ingest_fixtures as fx
import pytest
import upload_cases as cases
from e2e_support import page_errors, wait_until_idle
from playwright.sync_api import Page, expect
from upload_browser import (
    FIXTURE_METRICS,
    SIDEBAR,
    TIMEOUT_MS,
    choose,
    metric_values,
    opened,
    wait_for_metrics,
)

from geo.i18n import translator

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"

pytestmark = pytest.mark.e2e


def loaded_good(page: Page, app_url: str, tmp_path: Path) -> None:
    """Open the app and load the five fixture parcels."""
    opened(page, app_url)
    choose(page, "my_county.zip", fx.write_county_zip(tmp_path))
    wait_for_metrics(page, FIXTURE_METRICS)


REFUSED: list[tuple[str, Callable[[Path], Path], str]] = [
    ("parcels.exe", cases.renamed_zip, ".exe"),
    ("two.gpkg", lambda t: cases.two_layer_gpkg(t / "two.gpkg"), "parcels, parcels_2020"),
    ("huge.gpkg", lambda t: cases.huge_parcel_gpkg(t / "huge.gpkg"), "100,000 allowed"),
    ("broken.zip", lambda t: fx.text_file(t / "bad.zip"), "broken.zip"),
]


@pytest.mark.parametrize(("name", "build", "said"), REFUSED, ids=[r[0] for r in REFUSED])
def test_refused_file_after_a_good_one_keeps_it(
    page: Page,
    app_url: str,
    tmp_path: Path,
    name: str,
    build: Callable[[Path], Path],
    said: str,
) -> None:
    loaded_good(page, app_url, tmp_path)
    choose(page, name, build(tmp_path))
    sidebar = page.locator(SIDEBAR)
    expect(sidebar.get_by_text("Still showing: my_county.zip")).to_be_visible(timeout=TIMEOUT_MS)
    error = sidebar.locator('[data-testid="stAlertContentError"]')
    expect(error).to_contain_text(said, timeout=TIMEOUT_MS)
    expect(error).to_contain_text(name)
    wait_for_metrics(page, FIXTURE_METRICS)  # the main area is redrawn after the sidebar
    assert page.locator('[data-testid="stException"]').count() == 0, page_errors(page)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"upload-refused-{name}.png"))


def test_a_refusal_opens_the_box_it_names_and_typing_there_loads_the_file(
    page: Page, app_url: str, tmp_path: Path
) -> None:
    opened(page, app_url)
    sidebar = page.locator(SIDEBAR)
    layer_box = sidebar.get_by_label(translator("en")("data.layer"))
    assert layer_box.count() == 0  # folded: the boxes are not built before they are needed
    choose(page, "two.gpkg", cases.two_layer_gpkg(tmp_path / "two.gpkg"))
    expect(sidebar.locator('[data-testid="stAlertContentError"]')).to_contain_text(
        "parcels, parcels_2020", timeout=TIMEOUT_MS
    )
    expect(layer_box).to_be_visible(timeout=TIMEOUT_MS)  # opened with the refusal
    wait_until_idle(page, TIMEOUT_MS)
    layer_box.fill("parcels_2020")
    layer_box.press("Enter")
    wait_for_metrics(page, FIXTURE_METRICS)


def test_removing_the_file_keeps_the_map(page: Page, app_url: str, tmp_path: Path) -> None:
    """Removing the file from the widget keeps the good data until the reader asks back."""
    loaded_good(page, app_url, tmp_path)
    page.locator('[data-testid="stFileChipDeleteBtn"]').first.click()
    page.wait_for_timeout(2_000)
    wait_for_metrics(page, FIXTURE_METRICS)
    page.get_by_role("button", name="Show the original data again").click()
    for _ in range(TIMEOUT_MS // 300):
        values = metric_values(page)
        if len(values) == 4 and values != FIXTURE_METRICS:
            break
        page.wait_for_timeout(300)
    assert metric_values(page) != FIXTURE_METRICS


def test_latin1_text_loads_with_its_encoding_named(
    page: Page, app_url: str, tmp_path: Path
) -> None:
    opened(page, app_url)
    choose(page, "latin.zip", cases.latin1_zip(tmp_path / "latin.zip", "UTF-8"))
    note = page.locator(SIDEBAR).get_by_text("its text was read as ISO-8859-1")
    expect(note).to_be_visible(timeout=TIMEOUT_MS)
    wait_for_metrics(page, ["0", "0", "5", "0"])
