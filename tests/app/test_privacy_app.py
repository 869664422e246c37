"""Private owners stay private in the app by default; an aide can turn names on."""

from __future__ import annotations

from app_driver import open_fold, start
from shown import plain
from streamlit.testing.v1 import AppTest

from geo.i18n import translator
from panels.state import Key

PRIVATE_APN, PRIVATE_NAME = "006-0102-001-0000", "ALDER AND PINE HOLDINGS LLC"
WORDS = translator("en")


def page_text(at: AppTest) -> str:
    """Every caption and Markdown text of the main area, as a reader sees it."""
    parts = [plain(c.value) for c in at.caption] + [plain(m.value) for m in at.markdown]
    return "\n".join(parts)


def test_the_card_names_a_private_owner_only_when_asked() -> None:
    at = start({"q": PRIVATE_APN})
    assert any(PRIVATE_APN in plain(h.value) for h in at.subheader)
    text = page_text(at)
    assert PRIVATE_NAME not in text
    assert "Owner: name not shown (private owner)" in text
    at.sidebar.toggle(key="owner_names").set_value(True).run()
    assert not at.exception
    assert PRIVATE_NAME in page_text(at)


def test_the_table_hides_private_names_and_says_so() -> None:
    at = start()
    at.session_state["tab"] = WORDS("tab.table")
    at.session_state["table_verdicts"] = ["not covered"]
    at.run()
    assert not at.exception
    table = next(d.value for d in at.dataframe if WORDS("column.owner") in d.value.columns)
    owners = set(table[WORDS("column.owner")])
    assert PRIVATE_NAME not in owners and WORDS("owner_class.private") in owners
    assert table.columns[0] == WORDS("column.verdict")  # the verdict first, on a phone too
    assert WORDS("export.owner_names.hidden") in page_text(at)
    at.sidebar.toggle(key="owner_names").set_value(True).run()
    table = next(d.value for d in at.dataframe if WORDS("column.owner") in d.value.columns)
    assert PRIVATE_NAME in set(table[WORDS("column.owner")])
    # filtering by a hidden name finds nothing while names are off
    at.sidebar.toggle(key="owner_names").set_value(False).run()
    at.text_input(key="table_filter").set_value("ALDER AND PINE").run()
    assert WORDS("table.count", count="0") in [plain(str(m.value)) for m in at.markdown]


def test_privacy_and_about_say_who_runs_the_site() -> None:
    at = start()
    headers = [e.label for e in at.expander]
    assert WORDS("aboutdata.header") in headers and WORDS("privacy.header") in headers
    assert WORDS("privacy.owner_names") not in page_text(at)  # folded: only the labels
    open_fold(at, Key.PRIVACY_FOLD)
    text = page_text(at)
    assert WORDS("operator.none") in text
    assert WORDS("privacy.owner_names") in text
    open_fold(at, Key.ABOUT_FOLD)
    assert any(WORDS("aboutdata.version", version="")[:10] in c.value for c in at.caption)
