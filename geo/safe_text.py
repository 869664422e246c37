"""Text from a file, a link or a person, made safe for where it is shown.

- :func:`md_escape`: for Markdown (Streamlit's ``st.markdown``, ``st.info``, ``st.error``...),
  so the reader sees the literal text, never a link, an image, a heading, HTML or LaTeX.
- :func:`csv_safe_cell` and :func:`neutralise_formulas`: for CSV and table downloads, so a
  spreadsheet never runs a cell as a formula (OWASP's CSV injection rule).
- :func:`terminal_safe` and :func:`strip_controls`: for the terminal, so a value cannot move
  the cursor, change colours or rewrite what was printed before it.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

# Every ASCII punctuation character may be backslash-escaped in CommonMark, and an escaped
# one is always literal text; escaping all of them covers Markdown, GFM (tables, strikes,
# autolinks), Streamlit's extras (``$`` LaTeX, ``:red[...]`` colours) and raw HTML.
_MD_PUNCTUATION = re.compile("([" + re.escape(string.punctuation) + "])")
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\u2028\u2029]")
_HTML_ENTITIES = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}
# GFM turns www., http:// and e-mail addresses in plain text into links after escapes are
# read, so escaping cannot stop it; an invisible word joiner inside each pattern does.
WORD_JOINER = "\u2060"
_AUTOLINKS = re.compile(r"(?i)(?<=www)(?=\.)|(?<=https:)(?=//)|(?<=http:)(?=//)|(?<=@)")

# Characters that start a spreadsheet formula (OWASP: = + - @, tab, carriage return).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# C0 controls (tab and newline apart), DEL, C1 controls (U+009B is a CSI on some terminals)
# and the bidirectional overrides that reorder what a terminal shows.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_CONTROLS_AND_BREAKS = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_NAMED_ESCAPES = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def md_escape(text: object) -> str:
    """Text that Markdown shows literally: punctuation escaped, ``<``, ``>``, ``&`` as entities.

    Line breaks become spaces (a value is shown on one line), so no line of it can start a
    heading, a list or a code block. A word joiner (U+2060, invisible) is put inside
    ``www.``, ``http://``, ``https://`` and after ``@``, so no address becomes a link.
    ``None`` becomes ``""``.

    Parameters
    ----------
    text : object
        Any value; it is turned into ``str`` first.

    Returns
    -------
    str
    """
    if text is None:
        return ""
    flat = _AUTOLINKS.sub(WORD_JOINER, _LINE_BREAKS.sub(" ", str(text)))
    escaped = _MD_PUNCTUATION.sub(r"\\\1", flat)
    # an escaped "\<" is already literal; the entity also keeps it literal where raw HTML
    # is allowed (unsafe_allow_html) and in HTML-only places such as a tooltip
    return re.sub(r"\\([<>&])", lambda m: _HTML_ENTITIES[m.group(1)], escaped)


def csv_safe_cell(value: object) -> object:
    """A cell that no spreadsheet runs as a formula: text starting ``= + - @ TAB CR`` gets ``'``.

    Only text is changed; numbers (negative ones included) and other values are returned
    as they are.

    Parameters
    ----------
    value : object

    Returns
    -------
    object
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _is_text(column: pd.Series) -> bool:
    dtype = column.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return _is_text(pd.Series(dtype.categories))
    return pd.api.types.is_object_dtype(dtype) or isinstance(dtype, pd.StringDtype)


def neutralise_formulas(table: pd.DataFrame, strip: bool = False) -> pd.DataFrame:
    """A copy of a table whose text cells are safe in a spreadsheet (see :func:`csv_safe_cell`).

    Numeric, boolean and date columns are untouched, so a negative number stays a number.

    Parameters
    ----------
    table : pandas.DataFrame
    strip : bool
        Also remove control characters from text cells (:func:`strip_controls`).

    Returns
    -------
    pandas.DataFrame
    """
    out = table.copy()
    for column in out.columns:
        if _is_text(out[column]):
            out[column] = _neutralised(out[column], strip)
    return out


# _CONTROLS in RE2's syntax, for Arrow's kernels
_CONTROLS_RE2 = r"[\x00-\x08\x0b-\x1f\x7f-\x{9f}\x{200e}\x{200f}\x{202a}-\x{202e}\x{2066}-\x{2069}]"


def _neutralised(cells: pd.Series, strip: bool) -> pd.Series:
    """One text column made safe: in Arrow's kernels when every cell is text, else cell by
    cell (numbers, missing values and other cells stay as they are)."""
    changes = (strip_controls, csv_safe_cell) if strip else (csv_safe_cell,)
    every_text = not isinstance(cells.dtype, pd.CategoricalDtype) and bool(cells.notna().all())
    if not every_text or pd.api.types.infer_dtype(cells, skipna=False) != "string":
        for change in changes:
            cells = cells.map(lambda v, change=change: change(v) if isinstance(v, str) else v)
        return cells
    text = pa.array(cells.to_numpy(dtype=object), type=pa.string())
    if strip:
        text = pc.replace_substring_regex(text, _CONTROLS_RE2, "")
    risky = pc.starts_with(text, FORMULA_STARTS[0])
    for start in FORMULA_STARTS[1:]:
        risky = pc.or_(risky, pc.starts_with(text, start))
    quoted = pc.binary_join_element_wise(pa.scalar("'"), text, "")
    safe = pc.if_else(risky, quoted, text).to_numpy(zero_copy_only=False)
    return pd.Series(np.asarray(safe, dtype=object), index=cells.index, name=cells.name)


def _map_text_cells(
    table: pd.DataFrame, changes: tuple[Callable[[str], object], ...]
) -> pd.DataFrame:
    """A copy of a table whose text columns have each change applied, in turn, to every
    string cell; other cells and other columns are left as they are."""
    out = table.copy()
    for column in out.columns:
        if _is_text(out[column]):
            cells = out[column]
            for change in changes:
                cells = cells.map(lambda v, change=change: change(v) if isinstance(v, str) else v)
            out[column] = cells
    return out


def strip_controls(text: str) -> str:
    """Text without control characters (tab and newline kept) or bidirectional overrides.

    Parameters
    ----------
    text : str

    Returns
    -------
    str
    """
    return _CONTROLS.sub("", text)


def terminal_safe(text: str) -> str:
    """Text whose control characters are shown, escaped, instead of acting on the terminal.

    ``ESC`` becomes the four characters ``\\x1b``, a newline ``\\n``, a tab ``\\t``, a
    bidirectional override ``\\u202e``; everything else is unchanged.

    Parameters
    ----------
    text : str

    Returns
    -------
    str
    """
    return _CONTROLS_AND_BREAKS.sub(_visible, text)


def _visible(match: re.Match[str]) -> str:
    char = match.group(0)
    if char in _NAMED_ESCAPES:
        return _NAMED_ESCAPES[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_safe_table(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of a table whose text cells (and column names) are :func:`terminal_safe`.

    Parameters
    ----------
    table : pandas.DataFrame

    Returns
    -------
    pandas.DataFrame
    """
    out = _map_text_cells(table, (terminal_safe,))
    return out.rename(columns=lambda c: terminal_safe(c) if isinstance(c, str) else c)
