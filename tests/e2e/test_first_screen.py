"""Browser tests for residents on a phone: the map and the language on the first screen, the
answer where they tap, and controls that do not cover what they read.

Every size is the phone's (390 x 844) unless said; every text comes from the catalogs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from e2e_support import DESKTOP, PHONE, TARGET_ATTR, mark_click_target, wait_for_map
from playwright.sync_api import Frame, Page, expect

from geo.i18n import LANGUAGES, translator

pytestmark = pytest.mark.e2e

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
RERUN_TIMEOUT_MS = 30_000
LANGUAGE_LABELS = tuple(LANGUAGES.values())
# The locale a phone asks for, and the language the page should open in.
LOCALES = {"en": "en-US", "es": "es-US", "hmn": "hmn"}

# Every Leaflet control's box, and the open popup's text box, in the map frame.
_BOXES_JS = """
() => {
  const box = e => { const r = e.getBoundingClientRect();
    return {x: r.left, y: r.top, w: r.width, h: r.height}; };
  const text = document.querySelector('.leaflet-popup-content');
  const controls = [...document.querySelectorAll('.leaflet-control')]
    .filter(e => e.offsetParent !== null)
    .map(e => ({name: e.className, ...box(e)}));
  return {popup: text ? box(text) : null, controls};
}
"""


def overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    """Whether two boxes share more than a pixel."""
    return (
        min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"]) > 1
        and min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"]) > 1
    )


def phone_page(make_page: Callable[..., Page], lang: str) -> Page:
    """A phone-sized, touch page whose browser asks for ``lang``."""
    return make_page(viewport=PHONE, locale=LOCALES[lang], is_mobile=True, has_touch=True)


def open_app(page: Page, app_url: str, lang: str) -> Frame:
    """Open the app (Hmong by the link: browsers rarely ask for it) and wait for the map."""
    query = "?lang=hmn" if lang == "hmn" else ""
    page.goto(f"{app_url}/{query}", wait_until="domcontentloaded")
    return wait_for_map(page)


def wait_until_idle(page: Page) -> None:
    """Wait until Streamlit has finished running the script."""
    app = page.locator('[data-testid="stApp"]')
    expect(app).to_have_attribute("data-test-script-state", "notRunning", timeout=RERUN_TIMEOUT_MS)


def tap_a_parcel(page: Page, frame: Frame) -> Frame:
    """Tap a parcel whose centre a tap would hit; return the map frame after the rerun."""
    assert mark_click_target(frame) is not None, "no parcel on the map can be tapped"
    frame.locator(f"path[{TARGET_ATTR}]").tap()
    expect(page.locator(".st-key-answer h3").first).to_be_visible(timeout=RERUN_TIMEOUT_MS)
    wait_until_idle(page)
    return wait_for_map(page)


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_first_screen_holds_the_map_and_the_language(
    make_page: Callable[..., Page], app_url: str, lang: str
) -> None:
    """The map's top edge is in the upper half of a phone's first screen, and the language
    choice is on screen without opening the sidebar."""
    page = phone_page(make_page, lang)
    frame = open_app(page, app_url, lang)
    t = translator(lang)
    expect(page.locator("h1").first).to_contain_text(t("app.title", place="")[:8])
    top = frame.frame_element().bounding_box()
    assert top is not None and top["y"] < PHONE["height"] / 2, f"{lang}: map starts at {top}"
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar).to_have_attribute("data-collapsed", "true")
    for label in LANGUAGE_LABELS:
        choice = page.locator(".st-key-lang_box").get_by_text(label, exact=True)
        expect(choice).to_be_in_viewport()
    page.screenshot(path=str(SCREENSHOTS / f"first-screen-{lang}-phone.png"))


def test_a_spanish_browser_opens_in_spanish(make_page: Callable[..., Page], app_url: str) -> None:
    """A browser whose locale is es-US gets the page in Spanish, and a choice sticks in the
    link."""
    page = phone_page(make_page, "es")
    open_app(page, app_url, "es")
    es = translator("es")
    expect(page.locator("h1").first).to_have_text(es("app.title", place="City of Sacramento"))
    page.locator(".st-key-lang_box").get_by_text("English", exact=True).click()
    expect(page).to_have_url(re.compile(r"lang=en"), timeout=RERUN_TIMEOUT_MS)


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_a_tapped_parcel_answers_on_screen(
    make_page: Callable[..., Page], app_url: str, lang: str
) -> None:
    """Tapping a parcel shows its verdict without scrolling, and the popup's text is not
    covered by any map control; one tap closes the answer."""
    page = phone_page(make_page, lang)
    frame = open_app(page, app_url, lang)
    frame = tap_a_parcel(page, frame)
    t = translator(lang)
    heading = page.locator(".st-key-answer h3").first
    expect(heading).to_be_in_viewport()
    verdicts = [t(f"verdict.{v}") for v in ("covered", "needs review", "not covered")]
    sheet = page.locator(".st-key-answer").inner_text()
    assert any(v in sheet for v in verdicts), f"{lang}: no verdict in the answer: {sheet[:200]}"
    expect(page.locator(".st-key-answer")).to_be_in_viewport()
    expect(frame.locator(".leaflet-popup-content")).to_be_visible()
    page.wait_for_timeout(600)  # the popup's pan into the clear area
    boxes = frame.evaluate(_BOXES_JS)
    covered = [c["name"] for c in boxes["controls"] if overlap(boxes["popup"], c)]
    assert not covered, f"{lang}: the popup's text is under {covered}"
    page.screenshot(path=str(SCREENSHOTS / f"tapped-{lang}-phone.png"))
    page.locator(".st-key-card_close button").click()
    expect(page.locator(".st-key-answer")).to_have_count(0, timeout=RERUN_TIMEOUT_MS)


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_desktop_map_above_the_fold_and_metric_labels_fit(
    make_page: Callable[..., Page], app_url: str, lang: str
) -> None:
    """On a desktop the map starts in the first screen, and no metric label is cut off."""
    page = make_page(viewport=DESKTOP, locale=LOCALES[lang])
    frame = open_app(page, app_url, lang)
    top = frame.frame_element().bounding_box()
    assert top is not None and top["y"] < DESKTOP["height"] / 2, f"{lang}: map starts at {top}"
    labels = page.locator('[data-testid="stMetricLabel"]')
    expect(labels.first).to_be_attached()
    cut = labels.evaluate_all(
        "els => els.flatMap(e => [e, ...e.querySelectorAll('*')])"
        ".filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent)"
    )
    assert not cut, f"{lang}: metric labels cut off: {cut}"
