"""Tests for geo.safe_text: Markdown, spreadsheet and terminal safety of shown values."""

from __future__ import annotations

import re
import string
from collections.abc import Callable

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from geo.safe_text import (
    WORD_JOINER,
    csv_safe_cell,
    md_escape,
    neutralise_formulas,
    strip_controls,
    terminal_safe,
    terminal_safe_table,
)

# How CommonMark reads escaped text back: a backslash before punctuation is the
# punctuation itself, and the three entities are their characters.
_UNESCAPE = re.compile(r"\\([" + re.escape(string.punctuation) + r"])|&(lt|gt|amp);")


def commonmark_text(markdown: str) -> str:
    """The text CommonMark shows for escaped Markdown (escapes, entities; joiners dropped)."""
    entity = {"lt": "<", "gt": ">", "amp": "&"}
    shown = _UNESCAPE.sub(lambda m: m.group(1) or entity[m.group(2)], markdown)
    return shown.replace(WORD_JOINER, "")


def unescaped_punctuation(markdown: str) -> str:
    """Punctuation left active once every escape and entity is taken out."""
    bare = _UNESCAPE.sub("", markdown)
    return "".join(c for c in bare if c in string.punctuation)


HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "![x](http://example.invalid/p.png)",
    "# heading",
    "$x^2$ and $$y$$",
    "*bold* _it_ ~~gone~~ `code`",
    ":red[alarm] :material/home:",
    "| a | b |",
    "1. not a list",
    "- not a list",
    "> not a quote",
    "{{ 7 * 7 }}",
    "&lt;b&gt; &amp;",
    "a\\*b",
]


def test_md_escape_leaves_no_active_markdown() -> None:
    for text in HOSTILE:
        escaped = md_escape(text)
        assert unescaped_punctuation(escaped) == "", (text, escaped)
        assert "<" not in escaped and ">" not in escaped
        assert commonmark_text(escaped) == text


def test_md_escape_specific_forms() -> None:
    assert md_escape("<b>") == "&lt;b&gt;"
    assert md_escape("A & B") == "A &amp; B"
    assert md_escape("$5") == "\\$5"
    assert md_escape("[a](b)") == "\\[a\\]\\(b\\)"
    assert md_escape("line one\nline two\r\n# three") == "line one line two \\# three"
    assert md_escape(None) == ""
    assert md_escape(12.5) == "12\\.5"
    assert md_escape("CITY OF SACRAMENTO") == "CITY OF SACRAMENTO"
    assert md_escape("http://x.invalid") == "http\\:\u2060\\/\\/x\\.invalid"
    assert md_escape("WWW.x") == "WWW\u2060\\.x"
    assert md_escape("a@b.co") == "a\\@\u2060b\\.co"


@given(st.text())
def test_md_escape_reads_back_as_the_text(text: str) -> None:
    escaped = md_escape(text)
    assert unescaped_punctuation(escaped) == ""
    assert "\n" not in escaped and "\r" not in escaped
    flat = re.sub(r"\r\n|[\r\n\u2028\u2029]", " ", text).replace(WORD_JOINER, "")
    assert commonmark_text(escaped) == flat
    assert re.search(r"(?i)www\\?\.|https?\\?:\\?/|@(?!\u2060)", escaped) is None
    assert "<" not in escaped and ">" not in escaped  # no tag can open, even as raw HTML


def test_csv_safe_cell() -> None:
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert csv_safe_cell(start + "1+1") == "'" + start + "1+1"
    assert csv_safe_cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert csv_safe_cell("CITY OF SACRAMENTO") == "CITY OF SACRAMENTO"
    assert csv_safe_cell("a=b") == "a=b"
    assert csv_safe_cell(-3) == -3
    assert csv_safe_cell(-2.5) == -2.5
    assert csv_safe_cell(None) is None


@given(st.text())
def test_csv_safe_cell_never_starts_a_formula(text: str) -> None:
    safe = csv_safe_cell(text)
    assert isinstance(safe, str)
    assert not safe.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert safe in (text, "'" + text)


def test_neutralise_formulas_keeps_numbers_and_types() -> None:
    table = pd.DataFrame(
        {
            "owner": ["=cmd|' /C calc'!A0", "-ACME", "Plain", None],
            "distance_m": [-12.5, 3.0, 0.0, 1.0],
            "count": [-1, 2, 3, 4],
            "flag": [True, False, True, False],
            "use": pd.Categorical(["+P1", "P2", "P2", "P2"]),
        }
    )
    safe = neutralise_formulas(table)
    assert safe["owner"].tolist()[:3] == ["'=cmd|' /C calc'!A0", "'-ACME", "Plain"]
    assert pd.isna(safe["owner"].iloc[3])
    assert safe["distance_m"].tolist() == [-12.5, 3.0, 0.0, 1.0]
    assert safe["count"].dtype == table["count"].dtype
    assert safe["flag"].dtype == bool
    assert safe["use"].tolist()[0] == "'+P1"
    assert table["owner"].iloc[0].startswith("=")  # the caller's table is untouched


def test_neutralise_formulas_can_strip_controls() -> None:
    table = pd.DataFrame({"owner": ["\x1b[31mRED\x1b[0m", "\t=1"]})
    safe = neutralise_formulas(table, strip=True)
    assert safe["owner"].tolist() == ["[31mRED[0m", "'\t=1"]


def test_terminal_safe_shows_controls() -> None:
    assert terminal_safe("a\x1b[2Jb") == "a\\x1b[2Jb"
    assert terminal_safe("one\ntwo\tthree\rfour") == "one\\ntwo\\tthree\\rfour"
    assert terminal_safe("\x07\x7f\x9b") == "\\x07\\x7f\\x9b"
    assert terminal_safe("abc\u202edef") == "abc\\u202edef"
    assert terminal_safe("Café 1000 I ST") == "Café 1000 I ST"


@given(st.text())
def test_terminal_safe_has_no_controls(text: str) -> None:
    safe = terminal_safe(text)
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in safe)
    assert "\u202e" not in safe


def test_strip_controls() -> None:
    assert strip_controls("a\x1b[0mb\x00c\u202e") == "a[0mbc"
    assert strip_controls("keep\ttab\nand newline") == "keep\ttab\nand newline"


def test_terminal_safe_table() -> None:
    table = pd.DataFrame({"owner\x1b": ["x\x1by"], "n": [-1]})
    safe = terminal_safe_table(table)
    assert list(safe.columns) == ["owner\\x1b", "n"]
    assert safe.iloc[0, 0] == "x\\x1by"
    assert safe.iloc[0, 1] == -1


def _mixed_table() -> pd.DataFrame:
    """Number, boolean and date columns beside a text column holding non-text cells."""
    when = pd.Timestamp("2026-04-01")
    return pd.DataFrame(
        {
            "distance_m": [-12.5, 3.0, float("nan")],
            "count": [-1, 2, 3],
            "flag": [True, False, True],
            "date": [when, when, pd.NaT],
            "mixed": [-7, None, ["=1", "\x1b"]],
            "minus": pd.array([-1, None, 5], dtype="Int64"),
        }
    )


@pytest.mark.parametrize(
    "make_safe",
    [neutralise_formulas, lambda t: neutralise_formulas(t, strip=True), terminal_safe_table],
    ids=["formulas", "formulas-and-controls", "terminal"],
)
def test_numbers_and_non_text_cells_are_left_as_they_are(
    make_safe: Callable[[pd.DataFrame], pd.DataFrame],
) -> None:
    table = _mixed_table()
    safe = make_safe(table)
    pd.testing.assert_frame_equal(safe, table)  # same values and the same dtypes
    assert safe["mixed"].iloc[0] == -7 and safe["mixed"].iloc[1] is None
    assert safe["mixed"].iloc[2] == ["=1", "\x1b"]  # a list is not text: not changed
    assert safe is not table


def test_both_change_only_the_text_cells_of_a_mixed_column() -> None:
    table = pd.DataFrame({"mixed": ["=SUM(A1)", -3, "a\x1bb", 2.5, None]})
    assert neutralise_formulas(table, strip=True)["mixed"].tolist()[:4] == [
        "'=SUM(A1)",
        -3,
        "ab",
        2.5,
    ]
    assert terminal_safe_table(table)["mixed"].tolist()[:4] == ["=SUM(A1)", -3, "a\\x1bb", 2.5]
    assert table["mixed"].tolist()[2] == "a\x1bb"  # the caller's table is untouched


TRICKY = st.text(
    alphabet=st.sampled_from(
        list("=+-@\t\r\n aZ9'é") + ["\x00", "\x1b", "\x7f", "\x9b", "\u200e", "\u202e", "\u2066"]
    ),
    max_size=12,
)


@given(st.lists(TRICKY, min_size=1, max_size=20), st.booleans())
def test_a_column_of_text_is_made_safe_as_cell_by_cell(cells: list[str], strip: bool) -> None:
    """The whole-column path (every cell text) gives what each cell alone would give."""
    safe = neutralise_formulas(pd.DataFrame({"c": pd.Series(cells, dtype=object)}), strip)
    one = [csv_safe_cell(strip_controls(c) if strip else c) for c in cells]
    assert safe["c"].tolist() == one
