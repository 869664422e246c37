"""Reading a list of parcels to check, as people save them.

A list arrives pasted, uploaded or as ``--apn-file``: one query a line, a CSV or TSV from a
spreadsheet, or an Excel workbook; in UTF-8 (with or without a byte-order mark), UTF-16, or
the Windows code page Excel writes. :func:`read_query_list` finds out which, finds the column
that holds parcel numbers or addresses (by its header, else by its values), and keeps the
other columns so they ride along into the result. What it decided is part of the answer, so
the caller can say it: which encoding, which format, which column.

One module a step: :mod:`geo.lists.decode` (bytes to text), :mod:`geo.lists.rows` (text or
a workbook to rows of cells), :mod:`geo.lists.columns` (which column holds the queries).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from geo.errors import InputError
from geo.lists.columns import (
    ADDRESS_HEADERS,
    APN_HEADERS,
    QUERY_HEADERS,
    find_query_column,
    looks_like_address,
    looks_like_apn,
)
from geo.lists.decode import ENCODING_NAMES, decode_text
from geo.lists.rows import one_address_a_line, text_rows, workbook_rows

_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls

__all__ = [
    "ADDRESS_HEADERS",
    "APN_HEADERS",
    "QUERY_HEADERS",
    "QueryList",
    "combined",
    "find_query_column",
    "looks_like_address",
    "looks_like_apn",
    "read_query_file",
    "read_query_list",
]


@dataclass(frozen=True)
class QueryList:
    """The queries of a list, with what was learnt reading it.

    Attributes
    ----------
    queries : list of str
        APNs, addresses or names, in list order, blanks left out.
    extra : pandas.DataFrame
        The list's other columns, one row per query (no columns for one query a line).
    encoding : str
        The codec the text was read with (``utf-8``, ``utf-8-sig``, ``utf-16-le``,
        ``utf-16-be``, ``cp1252``, ``latin-1``); ``""`` for a workbook.
    column : str or None
        The header (or ``column N``) of the column the queries came from; None for one
        query a line.
    format : str
        ``csv``, ``tsv``, ``xlsx`` or ``lines``.
    found_by : str
        How the column was chosen: ``header``, ``values``, ``only column`` or ``""``.
    fallback_column : str or None
        A second column (addresses beside APNs) whose cell is used where the first is blank.
    skipped : int
        Rows left out because they held no query.
    """

    queries: list[str]
    extra: pd.DataFrame = field(default_factory=pd.DataFrame)
    encoding: str = "utf-8"
    column: str | None = None
    format: str = "lines"
    found_by: str = ""
    fallback_column: str | None = None
    skipped: int = 0

    @property
    def encoding_name(self) -> str:
        """The encoding as people name it (``Windows-1252``, ``UTF-16 LE``)."""
        return ENCODING_NAMES.get(self.encoding, self.encoding)

    def describe(self, name: str = "the list") -> str:
        """One English sentence saying how the list was read (for the command line)."""
        kind = {"lines": "one query a line", "xlsx": "an Excel workbook"}.get(
            self.format, self.format.upper()
        )
        parts = [f"read {name} as {kind}"]
        if self.encoding:
            parts[0] += f" ({self.encoding_name})"
        if self.column is not None:
            how = {"header": "by its header", "values": "by its values"}.get(self.found_by, "")
            used = f"queries from column '{self.column}'" + (f" ({how})" if how else "")
            if self.fallback_column:
                used += f", else '{self.fallback_column}'"
            parts.append(used)
        if len(self.extra.columns):
            parts.append("kept " + ", ".join(f"'{c}'" for c in self.extra.columns))
        parts.append(_count(len(self.queries), "query", "queries"))
        if self.skipped:
            parts.append(_count(self.skipped, "row", "rows") + " without a query skipped")
        return "; ".join(parts)


def _count(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def read_query_file(path: str | Path, apn_only: bool = False) -> QueryList:
    """:func:`read_query_list` of a file on disk.

    Parameters
    ----------
    path : str or Path
    apn_only : bool
        Look for a column of APNs only (a city property list).

    Returns
    -------
    QueryList
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError.keyed(
            "error.lists.cannot_read", path=str(path), problem=str(exc.strerror)
        ) from None
    return read_query_list(data, path.name, apn_only)


def read_query_list(data: bytes, name: str = "", apn_only: bool = False) -> QueryList:
    """Read a list of APNs or addresses in whatever shape and encoding it was saved.

    Parameters
    ----------
    data : bytes
        The file's (or the pasted text's) bytes.
    name : str
        The file name, used for its extension and in messages.
    apn_only : bool
        Look for a column of APNs only (a city property list): addresses do not count.

    Returns
    -------
    QueryList

    Raises
    ------
    InputError
        When the list is empty, binary, a broken workbook, or has no column of queries.
    """
    label = name or "the list"
    if data[:4] == _XLSX_MAGIC or name.lower().endswith((".xlsx", ".xlsm")):
        rows, encoding, fmt = workbook_rows(data, label), "", "xlsx"
    elif data[:8] == _OLE_MAGIC:
        raise InputError.keyed("error.lists.xls", name=label)
    else:
        text, encoding = decode_text(data, label)
        rows, fmt = text_rows(text, name)
    rows = [[cell.strip() for cell in row] for row in rows]
    rows = [row for row in rows if any(row)]
    if not rows:
        raise InputError.keyed("error.lists.empty", name=label)
    if fmt != "xlsx" and one_address_a_line(rows):
        rows, fmt = [[", ".join(c for c in row if c)] for row in rows], "lines"
    return _table_queries(rows, encoding, fmt, label, apn_only)


def _table_queries(
    rows: list[list[str]], encoding: str, fmt: str, label: str, apn_only: bool
) -> QueryList:
    """The queries of the column that holds them, and the other columns beside them."""
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    column, header, found_by, fallback = find_query_column(rows, apn_only)
    if column is None:
        heads = ", ".join(f"'{c}'" for c in rows[0] if c)
        raise InputError.keyed(
            "error.lists.no_apn_column" if apn_only else "error.lists.no_query_column",
            cli_key="error.lists.no_column.cli",
            app_key="error.lists.no_column.app",
            name=label,
            heads=heads,
        )
    names = _column_names(rows[0] if header else [], width)
    body = rows[1:] if header else rows
    picks = [r[column] or (r[fallback] if fallback is not None else "") for r in body]
    keep = [i for i, q in enumerate(picks) if q]
    others = [i for i in range(width) if i not in (column, fallback)]
    if fmt == "lines" and width == 1:
        extra = pd.DataFrame(index=range(len(keep)))
    else:
        extra = pd.DataFrame(
            {names[i]: [body[k][i] for k in keep] for i in others}, index=range(len(keep))
        )
    one_a_line = fmt == "lines" and not header
    return QueryList(
        queries=[picks[k] for k in keep],
        extra=extra,
        encoding=encoding,
        column=None if one_a_line else names[column],
        format=fmt,
        found_by="" if one_a_line else found_by,
        fallback_column=names[fallback] if fallback is not None else None,
        skipped=len(body) - len(keep),
    )


def _column_names(header: list[str], width: int) -> list[str]:
    """Header cells, blank ones as ``column N`` and repeats made unique."""
    names: list[str] = []
    for i in range(width):
        base = (header[i] if i < len(header) else "") or f"column {i + 1}"
        candidate, n = base, 2
        while candidate in names:
            candidate, n = f"{base} {n}", n + 1
        names.append(candidate)
    return names


def combined(typed: list[str], listed: QueryList | None) -> tuple[list[str], pd.DataFrame | None]:
    """Typed queries followed by a list's, with the list's other columns (blank for the
    typed ones), as :func:`geo.analysis.check_table` takes them."""
    if listed is None:
        return typed, None
    if not len(listed.extra.columns):
        return typed + listed.queries, None
    blank = pd.DataFrame("", index=range(len(typed)), columns=listed.extra.columns)
    return typed + listed.queries, pd.concat([blank, listed.extra], ignore_index=True)
