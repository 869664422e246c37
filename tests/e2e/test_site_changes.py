"""The published site's "changed since the previous fetch", in a browser.

A history of two fetches of the bundled sample, a month of edits between them
(``sample_history``), is published with ``civicmap publish --history`` (no SRC: its newest
snapshot) and served on loopback by the range server. The section lists the verdict flips
first, in the reader's language; a row's button opens the parcel's card, which says it
changed; the list's file is read only when the section is opened.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from e2e_support import DESKTOP, PHONE, OpenPage, is_local
from layer_edits import CITY_LOT, FLIPS, LOTS_ONLY_FLIPS, RETIRED, SOLD_TO_CITY
from playwright.sync_api import Page, expect
from sample_history import DATES, sample_history

from geo.i18n import translator
from geo.profile import load_profile
from layers.cli import main
from layers.site_server import start

pytestmark = pytest.mark.e2e

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
PROFILE = load_profile()


@pytest.fixture(scope="module")
def changes_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The history's newest snapshot published with its changes, served; its address."""
    base = tmp_path_factory.mktemp("changes-site")
    history = sample_history(base / "history", PROFILE)
    folder = base / "site"
    assert main(["publish", "--history", str(history), "--out", str(folder), "--quiet"]) == 0
    server = start(folder)
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def open_section(page: Page) -> None:
    """Open the section's fold and wait for its rows."""
    page.locator("#changes-fold summary").click()
    expect(page.locator("#changes-list li.change").first).to_be_visible()


def row_of(page: Page, apn: str) -> str:
    """The text of the section's row of one APN."""
    return page.locator("#changes-list li.change", has_text=apn).inner_text()


def listed_apns(page: Page) -> list[str]:
    """The APNs of the section's rows, in their order."""
    texts = page.locator("#changes-list li.change").all_inner_texts()
    return [text.split("APN ")[1].split()[0] for text in texts]


def test_the_section_lists_a_flip_in_spanish_and_its_button_opens_the_card(
    open_page: OpenPage, changes_site: str
) -> None:
    """On a phone in Spanish: the heading gives both dates; the flips come first, each row
    says what changed and the verdict before and after in Spanish; the list's file is read
    only once the section is opened; the flipped row's button opens its card, which says
    what changed since when; a parcel that is gone has no button."""
    t = translator("es")
    page, seen = open_page(changes_site + "es/", PHONE, touch=True)
    assert not [u for u in seen if "/data/changes/" in u]  # not before the map, not unasked
    heading = t("site.changes_header", before=DATES[0], after=DATES[1])
    expect(page.locator("#changes-heading")).to_have_text(heading)
    open_section(page)
    assert [u for u in seen if "/data/changes/" in u]
    assert set(listed_apns(page)[: len(FLIPS)]) == set(FLIPS)
    text = row_of(page, SOLD_TO_CITY)
    before, after = (t(f"verdict.{v}") for v in FLIPS[SOLD_TO_CITY])
    assert t("site.changes_verdict", before=before, after=after) in text
    assert t("site.changes_what", changes=t("change.owner")) in text
    assert t("changes.flipped") in text
    assert (
        page.locator("#changes-list li.change", has_text=RETIRED[0]).locator("button").count() == 0
    )
    section = page.locator("#changes")
    section.scroll_into_view_if_needed()
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "site-changes-phone-es.png"))
    page.locator("#changes-list li.change", has_text=SOLD_TO_CITY).locator("button").click()
    expect(page.locator("#card-heading")).to_contain_text(SOLD_TO_CITY)
    expect(page.locator("#card-heading")).to_be_focused()
    expect(page.locator("#card .verdict")).to_contain_text(after)
    changed = t("card.changed", date=DATES[0], changes=t("change.owner"))
    expect(page.locator("#card .changed")).to_have_text(changed)
    assert f"p={SOLD_TO_CITY}" in page.url
    assert all(is_local(u) for u in seen)


def test_each_version_lists_its_own_flips_and_the_card_says_its_data_and_version(
    open_page: OpenPage, changes_site: str
) -> None:
    """Under each version the card gives the data's source and as-of date (what that date
    is) and that version; the section lists that version's flips first."""
    t = translator("en")
    page, _ = open_page(f"{changes_site}?p={CITY_LOT}", DESKTOP)
    expect(page.locator("#card-heading")).to_contain_text(CITY_LOT)
    open_section(page)
    basis = t("asof.basis.last_edit")  # a fetch that gave the layer's last edit
    source = t("card.as_of", name="Active GIS Parcel Base", date=DATES[1], basis=basis)
    known = {"nov2025": FLIPS, "lots_only": LOTS_ONLY_FLIPS}
    for version in PROFILE.policies:
        page.select_option("#version", version)
        title = PROFILE.policies[version].text("title", "en")
        expect(page.locator("#card")).to_contain_text(t("site.version_line", title=title))
        expect(page.locator("#card")).to_contain_text(source)
        expect(page.locator("#card .changed")).to_contain_text(t("change.land_use"))
        flips = known.get(version)
        assert flips is None or set(listed_apns(page)[: len(flips)]) == set(flips)
    assert t("changes.flipped") in row_of(page, CITY_LOT)  # the narrow draft's flip
