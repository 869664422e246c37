"""Matching a list's columns: which one holds the queries, by its header or its values."""

from __future__ import annotations

import re

from geo.normalize import normalize_apn

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
MIN_SHARE = 0.5  # a column is one of queries when at least half its cells look like one


def looks_like_apn(value: str) -> bool:
    """Whether a cell looks like a parcel number: 7 to 16 digits, dashes or spaces between."""
    value = value.strip()
    return bool(_APN_VALUE.match(value)) and 7 <= len(normalize_apn(value)) <= 16


def looks_like_address(value: str) -> bool:
    """Whether a cell looks like a street address: a house number, then a street's name."""
    return bool(_ADDRESS_VALUE.match(value.strip()))


def header_kind(cell: str) -> str | None:
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


def looks_like_query(value: str, apn_only: bool = False) -> bool:
    """Whether a cell looks like an APN (or, unless ``apn_only``, an address)."""
    return looks_like_apn(value) or (not apn_only and looks_like_address(value))


def is_header(cells: list[str], apn_only: bool = False) -> bool:
    """A row names a column of queries and holds no query itself."""
    wanted = ("apn",) if apn_only else ("apn", "query", "address")
    return any(header_kind(c) in wanted for c in cells) and not any(
        looks_like_query(c, apn_only) for c in cells
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
    kinds = [header_kind(c) for c in rows[0]]
    wanted = ("apn",) if apn_only else ("apn", "query", "address")
    named = sorted(
        (wanted.index(k), -value_share([r[i] for r in rows[1:]], apn_only), i)
        for i, k in enumerate(kinds)
        if k in wanted and is_header(rows[0], apn_only)
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
            not looks_like_query(rows[0][best], apn_only)
            and len(rows) > 1
            and shares_body[best] >= MIN_SHARE
        )
        return best, header, "values", None
    best_body = max(range(width), key=lambda i: (shares_body[i], -i))
    if len(rows) > 1 and shares_body[best_body] >= MIN_SHARE:
        return best_body, True, "values", None  # a header over a column of queries
    return None, False, "", None
