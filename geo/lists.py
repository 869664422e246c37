"""Reading a list of parcels to check, as people save them.

A list arrives pasted, uploaded or as ``--apn-file``: one query a line, a CSV or TSV from a
spreadsheet, or an Excel workbook; in UTF-8 (with or without a byte-order mark), UTF-16, or
the Windows code page Excel writes. :func:`read_query_list` finds out which, finds the column
that holds parcel numbers or addresses (by its header, else by its values), and keeps the
other columns so they ride along into the result. What it decided is part of the answer, so
the caller can say it: which encoding, which format, which column.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from geo.errors import InputError
from geo.normalize import normalize_address, normalize_apn

ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 with BOM",
    "utf-16-le": "UTF-16 LE",
    "utf-16-be": "UTF-16 BE",
    "utf-32-le": "UTF-32 LE",
    "utf-32-be": "UTF-32 BE",
    "cp1252": "Windows-1252",
    "latin-1": "Latin-1",
    "": "",
}
_BOMS = (  # longest first: the UTF-32 LE mark begins with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_DELIMITERS = ("\t", ",", ";", "|")
_FORMAT_OF = {"\t": "tsv", ",": "csv", ";": "csv", "|": "csv"}
# Header names, compared as lower-case words ("Parcel Number" -> "parcel number").
APN_HEADERS = frozenset(
    {"apn", "apns", "apn dash", "apn10", "apn 10", "apn14", "parcel", "parcels", "parcel number",
     "parcel numbers", "parcel num", "parcel no", "parcelno", "parcel id", "parcelid", "pin",
     "assessor parcel number", "assessors parcel number", "parcel nbr", "apn number"}
)  # fmt: skip
ADDRESS_HEADERS = frozenset(
    {"address", "addresses", "addr", "situs", "situs address", "situs addr", "site address",
     "site addr", "siteaddr", "street address", "property address", "full address",
     "location", "full addr", "fulladdr"}
)  # fmt: skip
QUERY_HEADERS = frozenset({"query", "queries", "search", "lookup", "look up"})
_APN_WORDS = frozenset({"apn", "parcel"})
_ADDRESS_WORDS = frozenset({"address", "situs", "addr"})
_HEADER_WORDS = re.compile(r"[^0-9a-z]+")
_APN_VALUE = re.compile(r"^[0-9][0-9 \-.]*[0-9]$")
_ADDRESS_VALUE = re.compile(r"^[0-9]+[A-Za-z]?(?:-[0-9]+)?\s+\w*[^\W\d_]")
_CONTROLS = re.compile(r"[\x01-\x08\x0e-\x1f\x7f-\x9f]")
SAMPLE_ROWS = 200  # rows looked at to decide a list's shape
MIN_SHARE = 0.5  # a column is one of queries when at least half its cells look like one
_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls


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
        rows, encoding, fmt = _workbook_rows(data, label), "", "xlsx"
    elif data[:8] == _OLE_MAGIC:
        raise InputError.keyed("error.lists.xls", name=label)
    else:
        text, encoding = decode_text(data, label)
        rows, fmt = _text_rows(text, name)
    rows = [[cell.strip() for cell in row] for row in rows]
    rows = [row for row in rows if any(row)]
    if not rows:
        raise InputError.keyed("error.lists.empty", name=label)
    if fmt != "xlsx" and _one_address_a_line(rows):
        rows, fmt = [[", ".join(c for c in row if c)] for row in rows], "lines"
    return _table_queries(rows, encoding, fmt, label, apn_only)


def decode_text(data: bytes, label: str = "the list") -> tuple[str, str]:
    """Decode a text file: by its byte-order mark, else UTF-8, else Windows-1252/Latin-1.

    Parameters
    ----------
    data : bytes
    label : str
        How to name the file in a message.

    Returns
    -------
    (str, str)
        The text and the codec used.

    Raises
    ------
    InputError
        When the bytes are not text (a NUL byte, control characters).
    """
    encoding = next((codec for bom, codec in _BOMS if data.startswith(bom)), "")
    if encoding:
        try:
            skip = 0 if encoding == "utf-8-sig" else (4 if "32" in encoding else 2)
            text = data[skip:].decode(encoding)
        except UnicodeDecodeError:
            raise InputError.keyed(
                "error.lists.bad_bom", name=label, encoding=ENCODING_NAMES[encoding]
            ) from None
    else:
        encoding = _utf16_without_bom(data)
        try:
            text = data.decode(encoding or "utf-8")
            encoding = encoding or "utf-8"
        except UnicodeDecodeError:
            encoding = _windows_or_latin(data)
            text = data.decode(encoding)
    if not _looks_like_text(text):
        raise InputError.keyed("error.lists.binary", name=label)
    return text, encoding


def _utf16_without_bom(data: bytes) -> str:
    """``utf-16-le``/``-be`` when every other byte is NUL (UTF-16 text without a mark)."""
    sample = data[:4000]
    if len(sample) < 4 or len(sample) % 2:
        return ""
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) >= 0.9 * len(odd) and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) >= 0.9 * len(even) and odd.count(0) == 0:
        return "utf-16-be"
    return ""


def _windows_or_latin(data: bytes) -> str:
    """Windows-1252 when it uses that code page's characters (’ € …), else Latin-1."""
    if not any(0x80 <= b <= 0x9F for b in data):
        return "latin-1"  # the two agree byte for byte
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:  # a byte Windows-1252 leaves undefined
        return "latin-1"
    return "cp1252"


def _looks_like_text(text: str) -> bool:
    """No NUL and almost no other control characters."""
    if "\x00" in text:
        return False
    return len(_CONTROLS.findall(text)) <= max(1, len(text) // 200)


def _text_rows(text: str, name: str) -> tuple[list[list[str]], str]:
    """Split text into rows of cells, with the format (``csv``, ``tsv`` or ``lines``)."""
    lines = [line for line in text.splitlines() if line.strip()]
    delimiter = _delimiter(lines, name)
    if delimiter is None:
        return [[line] for line in lines], "lines"
    reader = csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter)
    return [list(row) for row in reader], _FORMAT_OF[delimiter]


def _delimiter(lines: list[str], name: str) -> str | None:
    """The delimiter most rows split on into the same number (above one) of cells."""
    sample = lines[:SAMPLE_ROWS]
    if not sample:
        return None
    best: tuple[float, str] | None = None
    preferred = "\t" if name.lower().endswith((".tsv", ".tab")) else ","
    for delimiter in sorted(_DELIMITERS, key=lambda d: d != preferred):
        heads = next(csv.reader([sample[0]], delimiter=delimiter))
        if len(heads) > 1 and _is_header(heads):
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


def _one_address_a_line(rows: list[list[str]]) -> bool:
    """Rows like ``1201 I St, Sacramento, CA 95814``: one address split at its commas."""
    if max(len(r) for r in rows) < 2:
        return False
    body = rows[1:] if _header_kind(rows[0][0]) is not None and len(rows[0]) == 1 else rows
    body = body[:SAMPLE_ROWS]
    same = sum(
        1
        for row in body
        if looks_like_address(row[0])
        and normalize_address(", ".join(row)) == normalize_address(row[0])
    )
    return bool(body) and same >= 0.8 * len(body)


def looks_like_apn(value: str) -> bool:
    """Whether a cell looks like a parcel number: 7 to 16 digits, dashes or spaces between."""
    value = value.strip()
    return bool(_APN_VALUE.match(value)) and 7 <= len(normalize_apn(value)) <= 16


def looks_like_address(value: str) -> bool:
    """Whether a cell looks like a street address: a house number, then a street's name."""
    return bool(_ADDRESS_VALUE.match(value.strip()))


def _header_kind(cell: str) -> str | None:
    """``apn``, ``address`` or ``query`` when a header cell names one, else None."""
    words = _HEADER_WORDS.sub(" ", cell.lower()).strip()
    if words in APN_HEADERS:
        return "apn"
    if words in ADDRESS_HEADERS:
        return "address"
    if words in QUERY_HEADERS:
        return "query"
    split = set(words.split())
    if split & _APN_WORDS:
        return "apn"
    if split & _ADDRESS_WORDS:
        return "address"
    return None


def _looks_like_query(value: str, apn_only: bool = False) -> bool:
    return looks_like_apn(value) or (not apn_only and looks_like_address(value))


def _is_header(cells: list[str], apn_only: bool = False) -> bool:
    """A row names a column of queries and holds no query itself."""
    wanted = ("apn",) if apn_only else ("apn", "query", "address")
    return any(_header_kind(c) in wanted for c in cells) and not any(
        _looks_like_query(c, apn_only) for c in cells
    )


def value_share(cells: list[str], apn_only: bool = False) -> float:
    """The share of non-blank cells that look like an APN (or an address, unless ``apn_only``)."""
    filled = [c for c in cells if c]
    if not filled:
        return 0.0
    hits = sum(1 for c in filled if looks_like_apn(c) or (not apn_only and looks_like_address(c)))
    return hits / len(filled)


def find_query_column(
    rows: list[list[str]], apn_only: bool = False
) -> tuple[int | None, bool, str, int | None]:
    """Which column holds the queries, and whether the first row is a header.

    Parameters
    ----------
    rows : list of list of str
        The table's rows (all the same width), the first perhaps a header.
    apn_only : bool
        Only APNs count (by header and by value).

    Returns
    -------
    (int or None, bool, str, int or None)
        The column (None when none qualifies), whether row 0 is a header, how the column
        was found (``header``, ``values`` or ``only column``), and a fallback column (an
        address column beside the APN column) or None.
    """
    width = max(len(r) for r in rows)
    kinds = [_header_kind(c) for c in rows[0]]
    wanted = ("apn",) if apn_only else ("apn", "query", "address")
    named = sorted(
        (wanted.index(k), -value_share([r[i] for r in rows[1:]], apn_only), i)
        for i, k in enumerate(kinds)
        if k in wanted and _is_header(rows[0], apn_only)
    )
    if named:
        column = named[0][2]
        fallback = next((i for _, _, i in named[1:] if kinds[i] == "address"), None)
        return column, True, "header", fallback if kinds[column] == "apn" else None
    if width == 1:  # one query a line: a first line that is not a known header is a query
        found_by = "values" if value_share([r[0] for r in rows], apn_only) >= MIN_SHARE else ""
        return 0, False, found_by or "only column", None
    shares_all = [value_share([r[i] for r in rows], apn_only) for i in range(width)]
    shares_body = [value_share([r[i] for r in rows[1:]], apn_only) for i in range(width)]
    best = max(range(width), key=lambda i: (shares_all[i], -i))
    if shares_all[best] >= MIN_SHARE:
        header = (
            not _looks_like_query(rows[0][best], apn_only)
            and len(rows) > 1
            and shares_body[best] >= MIN_SHARE
        )
        return best, header, "values", None
    best_body = max(range(width), key=lambda i: (shares_body[i], -i))
    if len(rows) > 1 and shares_body[best_body] >= MIN_SHARE:
        return best_body, True, "values", None  # a header over a column of queries
    return None, False, "", None


def _table_queries(
    rows: list[list[str]], encoding: str, fmt: str, label: str, apn_only: bool
) -> QueryList:
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


def _workbook_rows(data: bytes, label: str) -> list[list[str]]:
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


def combined(typed: list[str], listed: QueryList | None) -> tuple[list[str], pd.DataFrame | None]:
    """Typed queries followed by a list's, with the list's other columns (blank for the
    typed ones), as :func:`geo.analysis.check_table` takes them."""
    if listed is None:
        return typed, None
    if not len(listed.extra.columns):
        return typed + listed.queries, None
    blank = pd.DataFrame("", index=range(len(typed)), columns=listed.extra.columns)
    return typed + listed.queries, pd.concat([blank, listed.extra], ignore_index=True)
