"""Driving the app's uploads in a browser: choose a file, read the verdict metrics, wait."""

from __future__ import annotations

from pathlib import Path

from e2e_support import page_errors, wait_until_idle
from playwright.sync_api import Page

FIXTURE_METRICS = ["2", "1", "2", "2"]  # as in tests/app: the zone holds public land only
TIMEOUT_MS = 60_000
UPLOADER = '[data-testid="stFileUploaderDropzoneInput"]'
SIDEBAR = '[data-testid="stSidebar"]'


def choose(page: Page, name: str, path: Path) -> None:
    """Choose ``path``'s bytes, named ``name``, in the parcel file uploader."""
    page.locator(UPLOADER).first.set_input_files(
        files=[{"name": name, "mimeType": "application/octet-stream", "buffer": path.read_bytes()}]
    )


def metric_values(page: Page) -> list[str]:
    """The first four metric values shown."""
    return page.locator('[data-testid="stMetricValue"]').all_inner_texts()[:4]


def wait_for_metrics(page: Page, expected: list[str]) -> None:
    """Wait until the four verdict metrics read ``expected``."""
    deadline_polls = TIMEOUT_MS // 300
    for _ in range(deadline_polls):
        if metric_values(page) == expected:
            wait_until_idle(page, TIMEOUT_MS)  # the run that drew them is over
            if metric_values(page) == expected:
                return
        page.wait_for_timeout(300)
    raise AssertionError(f"metrics {metric_values(page)} != {expected}\n{page_errors(page)}")


def opened(page: Page, app_url: str) -> None:
    """Open the app and wait until its first run is over (the uploader then stays put)."""
    page.goto(app_url + "/", wait_until="domcontentloaded")
    page.locator(UPLOADER).first.wait_for(state="attached", timeout=TIMEOUT_MS)
    wait_until_idle(page, TIMEOUT_MS)
