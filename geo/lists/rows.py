"""Splitting a list into rows of cells: one query a line, CSV or TSV (the delimiter found
from the rows), or an Excel workbook's first sheet with cells."""

from __future__ import annotations

import csv
import io
import zipfile
from collections import Counter

from geo.errors import InputError
from geo.lists.columns import header_kind, is_header, looks_like_address
from geo.normalize import normalize_address

_DELIMITERS = ("\t", ",", ";", "|")
FORMAT_OF = {"\t": "tsv", ",": "csv", ";": "csv", "|": "csv"}
SAMPLE_ROWS = 200  # rows looked at to decide a list's shape


def text_rows(text: str, name: str) -> tuple[list[list[str]], str]:
    """Split text into rows of cells, with the format (``csv``, ``tsv`` or ``lines``)."""
    lines = [line for line in text.splitlines() if line.strip()]
    delimiter = _delimiter(lines, name)
    if delimiter is None:
        return [[line] for line in lines], "lines"
    reader = csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter)
    return [list(row) for row in reader], FORMAT_OF[delimiter]


def _delimiter(lines: list[str], name: str) -> str | None:
    """The delimiter most rows split on into the same number (above one) of cells."""
    sample = lines[:SAMPLE_ROWS]
    if not sample:
        return None
    best: tuple[float, str] | None = None
    preferred = "\t" if name.lower().endswith((".tsv", ".tab")) else ","
    for delimiter in sorted(_DELIMITERS, key=lambda d: d != preferred):
        heads = next(csv.reader([sample[0]], delimiter=delimiter))
        if len(heads) > 1 and is_header(heads):
            return delimiter  # a header naming its columns says how they are split
        reader = csv.reader(io.StringIO("\n".join(sample)), delimiter=delimiter)
        widths = [len(row) for row in reader]
        width, count = Counter(widths).most_common(1)[0]
        share = count / len(widths)
        if width > 1 and share >= 0.8 and (best is None or share > best[0]):
            best = (share, delimiter)
    if best is None and name.lower().endswith((".tsv", ".tab")) and any("\t" in s for s in sample):
        return "\t"
    return best[1] if best else None


def one_address_a_line(rows: list[list[str]]) -> bool:
    """Rows like ``1201 I St, Sacramento, CA 95814``: one address split at its commas."""
    if max(len(r) for r in rows) < 2:
        return False
    body = rows[1:] if header_kind(rows[0][0]) is not None and len(rows[0]) == 1 else rows
    body = body[:SAMPLE_ROWS]
    same = sum(
        1
        for row in body
        if looks_like_address(row[0])
        and normalize_address(", ".join(row)) == normalize_address(row[0])
    )
    return bool(body) and same >= 0.8 * len(body)


def workbook_rows(data: bytes, label: str) -> list[list[str]]:
    """The cells of a workbook's first sheet that has any, as text."""
    from openpyxl import load_workbook  # only a workbook needs it

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise InputError.keyed("error.lists.bad_workbook", name=label, problem=str(exc)) from None
    except Exception as exc:  # openpyxl's own errors for damaged parts
        raise InputError.keyed(
            "error.lists.bad_workbook", name=label, problem=type(exc).__name__
        ) from None
    try:
        for sheet in book.worksheets:
            rows = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
            if any(any(r) for r in rows):
                return rows
    except Exception as exc:  # a sheet whose XML is damaged
        raise InputError.keyed(
            "error.lists.bad_workbook", name=label, problem=type(exc).__name__
        ) from None
    finally:
        book.close()
    return []


def _cell_text(value: object) -> str:
    """A cell as text: 70111017.0 as ``70111017``, blanks as ``""``."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
