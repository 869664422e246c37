"""Tests for geo.lists: lists of parcels to check, in the encodings and shapes people save."""

from __future__ import annotations

import codecs
import io
import string
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from geo.errors import InputError
from geo.lists import (
    ADDRESS_HEADERS,
    APN_HEADERS,
    QUERY_HEADERS,
    find_query_column,
    looks_like_address,
    looks_like_apn,
    read_query_file,
    read_query_list,
)

GARAGE, LOT = "006-0710-001-0000", "006-0612-005-0000"
ISSUE_CSV = f"Parcel Number,Comment\n{LOT},lot on I\n{GARAGE},Peña’s garage\n"


def xlsx_bytes(
    rows: list[list[object]], sheet_title: str = "List", blank_first: bool = False
) -> bytes:
    """A workbook written with openpyxl (its first sheet left empty when ``blank_first``)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    if blank_first:
        sheet.title = "Empty"
        sheet = book.create_sheet(sheet_title)
    else:
        sheet.title = sheet_title
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# ------------------------------------------------------------------ encodings


@pytest.mark.parametrize(
    ("codec", "bom", "expected"),
    [
        ("utf-8", b"", "utf-8"),
        ("utf-8", codecs.BOM_UTF8, "utf-8-sig"),
        ("utf-16-le", codecs.BOM_UTF16_LE, "utf-16-le"),
        ("utf-16-be", codecs.BOM_UTF16_BE, "utf-16-be"),
        ("cp1252", b"", "cp1252"),
    ],
)
def test_every_encoding_reads_the_same_list(codec: str, bom: bytes, expected: str) -> None:
    listed = read_query_list(bom + ISSUE_CSV.encode(codec), "list.csv")
    assert listed.encoding == expected
    assert listed.queries == [LOT, GARAGE]
    assert listed.extra["Comment"].tolist() == ["lot on I", "Peña’s garage"]
    assert listed.column == "Parcel Number" and listed.found_by == "header"
    assert listed.format == "csv"


def test_latin_1_with_accents() -> None:
    text = "address,owner\n1201 I St,Peña Muñoz\n915 I St,José\n"
    listed = read_query_list(text.encode("latin-1"), "x.csv")
    assert listed.encoding == "latin-1"
    assert listed.encoding_name == "Latin-1"
    assert listed.queries == ["1201 I St", "915 I St"]
    assert listed.extra["owner"].tolist() == ["Peña Muñoz", "José"]


def test_cp1252_accents_and_quotes_are_said_as_windows_1252() -> None:
    listed = read_query_list("apn,note\n0060710001,“Niño” lot – é\n".encode("cp1252"), "x.csv")
    assert listed.encoding == "cp1252" and listed.encoding_name == "Windows-1252"
    assert listed.extra["note"].tolist() == ["“Niño” lot – é"]


def test_a_byte_windows_1252_leaves_undefined_falls_back_to_latin_1() -> None:
    listed = read_query_list(b"0060710001\n1201 I St \x81\n", "x.txt")
    assert listed.encoding == "latin-1"
    assert listed.queries == ["0060710001", "1201 I St \x81"]


def test_utf_16_without_a_bom_is_recognised() -> None:
    listed = read_query_list(f"{GARAGE}\n915 I ST\n".encode("utf-16-le"), "x.txt")
    assert listed.encoding == "utf-16-le"
    assert listed.queries == [GARAGE, "915 I ST"]


def test_utf_8_is_preferred_when_it_decodes() -> None:
    listed = read_query_list("1201 I St\nCésar Chávez Plaza\n".encode(), "")
    assert listed.encoding == "utf-8"
    assert listed.queries == ["1201 I St", "César Chávez Plaza"]


def test_a_bom_that_lies_is_one_clear_error() -> None:
    with pytest.raises(InputError, match="UTF-8 with BOM"):
        read_query_list(codecs.BOM_UTF8 + b"\xff\xfe\xfa", "x.csv")


# --------------------------------------------------------------------- shapes


def test_tsv() -> None:
    listed = read_query_list(f"APN\tNotes\n{GARAGE}\tgarage\n{LOT}\tlot\n".encode(), "x.tsv")
    assert listed.format == "tsv"
    assert listed.queries == [GARAGE, LOT]
    assert listed.extra["Notes"].tolist() == ["garage", "lot"]


def test_tsv_recognised_without_the_extension() -> None:
    listed = read_query_list(b"Note\tSitus\nhall\t915 I St\n", "paste")
    assert listed.format == "tsv" and listed.column == "Situs"
    assert listed.queries == ["915 I St"] and listed.extra["Note"].tolist() == ["hall"]


def test_semicolon_csv() -> None:
    listed = read_query_list(f"apn;note\n{GARAGE};g\n".encode(), "x.csv")
    assert listed.format == "csv" and listed.queries == [GARAGE]


def test_one_a_line() -> None:
    listed = read_query_list(f"{GARAGE}\n\n  915 I ST  \nCity Hall\r\n".encode(), "x.txt")
    assert listed.format == "lines"
    assert listed.column is None and listed.found_by == ""
    assert listed.queries == [GARAGE, "915 I ST", "City Hall"]
    assert listed.extra.shape == (3, 0)


def test_one_address_a_line_with_city_is_not_split_at_commas() -> None:
    text = "1201 I St, Sacramento, CA 95814\n915 I St, Sacramento\n"
    listed = read_query_list(text.encode(), "x.txt")
    assert listed.format == "lines"
    assert listed.queries == ["1201 I St, Sacramento, CA 95814", "915 I St, Sacramento"]


def test_quoted_address_with_a_comma_in_a_csv() -> None:
    text = 'address,x\n"1201 I St, Sacramento",1\n915 I ST,2\n'
    listed = read_query_list(text.encode(), "x.csv")
    assert listed.queries == ["1201 I St, Sacramento", "915 I ST"]
    assert listed.extra["x"].tolist() == ["1", "2"]


def test_xlsx() -> None:
    data = xlsx_bytes(
        [["Parcel Number", "Comment", None], [LOT, "lot on I", 3], [GARAGE, None, 4.0]]
    )
    listed = read_query_list(data, "list.xlsx")
    assert listed.format == "xlsx" and listed.encoding == ""
    assert listed.queries == [LOT, GARAGE]
    assert listed.column == "Parcel Number"
    assert listed.extra.to_dict("list") == {"Comment": ["lot on I", ""], "column 3": ["3", "4"]}


def test_xlsx_numbers_and_a_later_sheet() -> None:
    data = xlsx_bytes([["APN10"], [60710001], [70111017.0]], blank_first=True)
    listed = read_query_list(data, "whatever.bin")  # found by its content, not its name
    assert listed.format == "xlsx"
    assert listed.queries == ["60710001", "70111017"]


def test_a_header_named_by_any_usual_name() -> None:
    for header in ("APN_DASH", "apn", "Parcel_Number", "PARCEL NO", "Assessor's Parcel Number"):
        listed = read_query_list(f"{header},x\n{GARAGE},1\n".encode(), "x.csv")
        assert listed.column == header and listed.found_by == "header", header


def test_address_header_names() -> None:
    for header in ("Address", "SITUS", "Site Address", "site_addr", "Property address"):
        listed = read_query_list(f"x,{header}\n1,915 I St\n".encode(), "x.csv")
        assert listed.column == header and listed.queries == ["915 I St"], header


def test_query_header_takes_names() -> None:
    listed = read_query_list(b"query,why\nCity Hall,rally\nI St,walk\n", "x.csv")
    assert listed.column == "query" and listed.queries == ["City Hall", "I St"]


def test_apn_first_then_address_where_the_apn_is_blank() -> None:
    text = f"APN,Address,Note\n{GARAGE},,a\n,915 I St,b\n,,c\n"
    listed = read_query_list(text.encode(), "x.csv")
    assert listed.queries == [GARAGE, "915 I St"]
    assert listed.column == "APN" and listed.fallback_column == "Address"
    assert listed.extra["Note"].tolist() == ["a", "b"]
    assert listed.skipped == 1


def test_unfamiliar_header_found_by_values() -> None:
    listed = read_query_list(f"PID,Notes\n{LOT},lot\n{GARAGE},garage\n".encode(), "x.csv")
    assert listed.column == "PID" and listed.found_by == "values"
    assert listed.queries == [LOT, GARAGE]


def test_no_header() -> None:
    listed = read_query_list(f"{LOT},lot on I\n{GARAGE},garage\n".encode(), "x.csv")
    assert listed.column == "column 1" and listed.found_by == "values"
    assert listed.queries == [LOT, GARAGE]
    assert listed.extra["column 2"].tolist() == ["lot on I", "garage"]


def test_a_column_of_addresses_in_the_middle_without_header() -> None:
    text = "a,1201 I St,x\nb,915 I St,y\nc,1000 I Street,z\n"
    listed = read_query_list(text.encode(), "x.csv")
    assert listed.column == "column 2" and listed.queries == [
        "1201 I St",
        "915 I St",
        "1000 I Street",
    ]


def test_ragged_rows_are_padded() -> None:
    listed = read_query_list(f"apn,a,b\n{GARAGE}\n{LOT},1,2\n{LOT},1,2\n".encode(), "x.csv")
    assert listed.queries == [GARAGE, LOT, LOT]
    assert listed.extra["b"].tolist() == ["", "2", "2"]


def test_repeated_and_blank_header_names_are_made_unique() -> None:
    listed = read_query_list(f"apn,x,x,\n{GARAGE},1,2,3\n".encode(), "x.csv")
    assert list(listed.extra.columns) == ["x", "x 2", "column 4"]


def test_a_query_header_alone_on_a_line_of_addresses() -> None:
    listed = read_query_list(b"address\n1201 I St, Sacramento\n915 I St, Sacramento\n", "x.csv")
    assert listed.queries == ["1201 I St, Sacramento", "915 I St, Sacramento"]
    assert listed.column == "address"


def test_apn_only_ignores_addresses() -> None:
    listed = read_query_list(f"Address,Parcel\n915 I St,{GARAGE}\n".encode(), "x.csv", True)
    assert listed.queries == [GARAGE]
    with pytest.raises(InputError, match="no column of APNs"):
        read_query_list(b"a,b\n915 I St,x\n1201 I St,y\n", "x.csv", apn_only=True)


def test_describe_says_how_it_was_read() -> None:
    listed = read_query_list(ISSUE_CSV.encode("cp1252"), "list.csv")
    said = listed.describe("list.csv")
    assert "CSV (Windows-1252)" in said
    assert "column 'Parcel Number' (by its header)" in said
    assert "'Comment'" in said and "2 queries" in said


def test_read_query_file(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_bytes(ISSUE_CSV.encode("utf-16"))
    assert read_query_file(path).queries == [LOT, GARAGE]
    with pytest.raises(InputError, match="cannot read"):
        read_query_file(tmp_path / "missing.csv")


# ---------------------------------------------------------------- bad lists


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "x.csv", "x.csv is empty"),
        (b"\n \r\n\t\n", "x.txt", "is empty"),
        (codecs.BOM_UTF16_LE, "x.txt", "is empty"),
        (bytes(range(256)) * 8, "x.bin", "not a text list"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "photo.csv", "not a text list"),
        (b"PK\x03\x04 not really a zip", "x.xlsx", "not a readable Excel workbook"),
        (b"just text", "x.xlsx", "not a readable Excel workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "x.xls", "old Excel .xls"),
        (b"a,b\nfoo,bar\nbaz,qux\n", "x.csv", "no column of APNs or addresses"),
    ],
)
def test_unreadable_lists_give_one_clear_error(data: bytes, name: str, message: str) -> None:
    with pytest.raises(InputError, match=message) as caught:
        read_query_list(data, name)
    assert "\n" not in str(caught.value)


def test_a_zip_that_is_not_a_workbook() -> None:
    out = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(InputError, match="not a readable Excel workbook"):
        read_query_list(out.getvalue(), "x.xlsx")


def test_an_empty_workbook() -> None:
    with pytest.raises(InputError, match="is empty"):
        read_query_list(xlsx_bytes([]), "x.xlsx")


# ------------------------------------------------------------ what a value is


@pytest.mark.parametrize(
    "value", [GARAGE, "0060710001", "00607100010000", "006 0710 001", "006.0710.001"]
)
def test_looks_like_apn(value: str) -> None:
    assert looks_like_apn(value)


@pytest.mark.parametrize("value", ["12", "lot on I", "915 I St", "2024-01-05x", ""])
def test_does_not_look_like_apn(value: str) -> None:
    assert not looks_like_apn(value)


@pytest.mark.parametrize("value", ["915 I St", "1201 9th Street", "12A Elm Ct", "100-102 K St"])
def test_looks_like_address(value: str) -> None:
    assert looks_like_address(value)


@pytest.mark.parametrize("value", ["City Hall", GARAGE, "12", "lot 5", ""])
def test_does_not_look_like_address(value: str) -> None:
    assert not looks_like_address(value)


# ------------------------------------------------- the column finder (property)

NOTE = st.text(alphabet=string.ascii_letters + " ", min_size=1, max_size=12).filter(
    lambda n: n.strip().upper() not in {"", "CA", "SAC", "SACRAMENTO", "CALIFORNIA"}
)  # a note that is a city or state would make "915 I St,CA" one address
APN = st.from_regex(r"\A[0-9]{3}-[0-9]{4}-[0-9]{3}-[0-9]{4}\Z")
ADDRESS = st.builds(
    lambda n, s: f"{n} {s}",
    st.integers(1, 9999),
    st.sampled_from(["I St", "Capitol Mall", "9th Street", "K ST", "Alder Ave"]),
)
KNOWN_HEADERS = APN_HEADERS | ADDRESS_HEADERS | QUERY_HEADERS  # e.g. "PIN" is one
UNFAMILIAR = st.text(alphabet=string.ascii_letters, min_size=1, max_size=10).filter(
    lambda h: (
        h.lower() not in KNOWN_HEADERS
        and "apn" not in h.lower()
        and "parcel" not in h.lower()
        and "addr" not in h.lower()
        and "situs" not in h.lower()
    )
)


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[list[str]], int, str]:
    """A table with one column of APNs or addresses among notes, and how it is headed."""
    width = draw(st.integers(1, 5))
    column = draw(st.integers(0, width - 1))
    values = draw(st.sampled_from([APN, ADDRESS]))
    body = [
        [draw(values) if i == column else draw(NOTE) for i in range(width)]
        for _ in range(draw(st.integers(1, 12)))
    ]
    heading = draw(st.sampled_from(["named", "unfamiliar", "none"]))
    if heading == "named":
        names = [draw(UNFAMILIAR) for _ in range(width)]
        names[column] = draw(st.sampled_from(["APN", "Parcel Number", "address", "Situs", "query"]))
        return [names, *body], column, heading
    if heading == "unfamiliar":
        return [[draw(UNFAMILIAR) for _ in range(width)], *body], column, heading
    return body, column, heading


def expected(case: tuple[list[list[str]], int, str]) -> tuple[bool, list[str]]:
    """Whether the first row is a header, and the queries: a lone column's first line is
    a header only when it has a header's name."""
    rows, column, heading = case
    header = heading == "named" or (heading == "unfamiliar" and len(rows[0]) > 1)
    return header, [r[column] for r in (rows[1:] if header else rows)]


@settings(max_examples=200, deadline=None)
@given(tables())
def test_column_finder_finds_the_column_of_queries(case: tuple[list[list[str]], int, str]) -> None:
    rows, column, heading = case
    found, header, how, _ = find_query_column(rows)
    assert found == column
    assert header == expected(case)[0]
    assert how == ("header" if heading == "named" else "values")


@settings(max_examples=60, deadline=None)
@given(tables(), st.sampled_from(["utf-8", "utf-16", "cp1252"]))
def test_reading_keeps_every_query_and_every_other_column(
    case: tuple[list[list[str]], int, str], codec: str
) -> None:
    rows = case[0]
    text = "\n".join(",".join(r) for r in rows) + "\n"
    listed = read_query_list(text.encode(codec), "list.csv")
    assert listed.queries == expected(case)[1]
    assert len(listed.extra) == len(listed.queries)
    assert len(listed.extra.columns) == len(rows[0]) - 1
