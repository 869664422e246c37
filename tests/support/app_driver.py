"""Opening the app in AppTest as a reader would: from a link, then on a tab."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from geo.i18n import translator

APP = Path(__file__).resolve().parents[2] / "app.py"


def start(params: dict[str, str] | None = None) -> AppTest:
    """The app after its first run, optionally opened from a link's query parameters."""
    at = AppTest.from_file(str(APP), default_timeout=90)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def open_tab(at: AppTest, tab: str, lang: str = "en") -> AppTest:
    """Open a tab (``plan``, ``list``, ``table``, ``compare``) by its label in the page's
    language: only the open one is built."""
    at.session_state["tab"] = translator(lang)(f"tab.{tab}")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def open_fold(at: AppTest, key: str) -> AppTest:
    """Open a folded section (its key from ``panels.state.Key``): its contents are built only
    while it is open, as when a reader clicks its label."""
    at.session_state[key] = True
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at
