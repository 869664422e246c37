"""geo.safe_text.md_escape in Streamlit's own Markdown renderer: hostile text stays text.

A tiny Streamlit script shows each hostile string through ``st.markdown``, ``st.info`` and
``st.markdown(..., unsafe_allow_html=True)``; headless Chromium reads what the page shows.
The text must read back exactly (line breaks as spaces) and no element beyond paragraphs
may appear: no link, image, heading, list, table, code, emphasis, LaTeX or HTML.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from app_server import running_streamlit
from playwright.sync_api import Page

from geo.safe_text import WORD_JOINER

REPO = Path(__file__).resolve().parents[2]
HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "[click](javascript:alert(1))",
    "![x](http://example.invalid/p.png)",
    "www.example.invalid http://example.invalid https://x.invalid/a?b=c mail@example.invalid",
    "# heading",
    "$x^2$ and $$y$$",
    "*bold* _it_ ~~gone~~ `code`",
    ":red[alarm] :blue-background[x]",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "1. not a list",
    "- not a list",
    "> not a quote",
    "    indented, not code",
    "{{ 7 * 7 }}",
    "&lt;b&gt; &amp; &copy;",
    "a\\*b\\",
    "CITY OF SACRAMENTO",
]
SCRIPT = """
import json
import streamlit as st
from geo.safe_text import md_escape

for i, text in enumerate(json.loads({payload!r})):
    with st.container(key=f"md{{i}}"):
        st.markdown(md_escape(text))
    with st.container(key=f"info{{i}}"):
        st.info(md_escape(text))
    with st.container(key=f"raw{{i}}"):
        st.markdown(md_escape(text), unsafe_allow_html=True)
"""
PLAIN_TAGS = {"p", "div", "span"}


@pytest.fixture(scope="module")
def markdown_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Streamlit server showing the hostile strings through md_escape."""
    folder = tmp_path_factory.mktemp("markdown")
    (folder / "show.py").write_text(SCRIPT.format(payload=json.dumps(HOSTILE)), "utf-8")
    env = {"PYTHONPATH": str(REPO), "STREAMLIT_BROWSER_SERVER_ADDRESS": "localhost"}
    with running_streamlit("show.py", folder / "server.log", folder, env) as url:
        yield url


def test_hostile_markdown_shows_as_text(page: Page, markdown_url: str) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(markdown_url)
    last = f".st-key-raw{len(HOSTILE) - 1} [data-testid=stMarkdownContainer]"
    page.wait_for_selector(last, timeout=60_000)
    page.wait_for_timeout(1_000)  # let KaTeX or anything late have its chance
    wrong = []
    for i, text in enumerate(HOSTILE):
        for kind in ("md", "info", "raw"):
            shown = page.locator(f".st-key-{kind}{i} [data-testid=stMarkdownContainer]").first
            tags = shown.evaluate("e => [...e.querySelectorAll('*')].map(n => n.localName)")
            seen = shown.inner_text().replace(WORD_JOINER, "").strip()
            if seen != text.replace("\n", " ").strip() or set(tags) - PLAIN_TAGS:
                wrong.append((kind, text, seen, sorted(set(tags) - PLAIN_TAGS)))
    assert wrong == []
    assert dialogs == []
