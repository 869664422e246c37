"""Tests for the command line: ``civicmap check`` on the bundled sample."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from parcel_helpers import REPO, SAMPLE_ZIP

from geo.analysis import CHECK_COLUMNS
from geo.cli import EXIT_BAD_INPUT, main
from geo.cli.queries import read_queries
from geo.errors import InputError
from geo.i18n import translator

SAMPLE = str(SAMPLE_ZIP)
NAMES_NOTE = "note: " + translator("en")("export.owner_names.hidden")
HEADER = (
    "query,apn,address,owner,owner_class,site_kind,land_use,verdict,"
    "in_free_speech_zone,distance_to_landmark_m,reasons,suggestions,"
    "policy_version,policy_title,policy_terms,data_source,data_date,data_date_basis,generated_at,app_version"
)
CITED = HEADER.split(",")[len(CHECK_COLUMNS) :]  # which policy, data and when


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run ``civicmap`` in-process; return (status, stdout, stderr)."""
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def check_csv(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, str]]:
    """Run ``civicmap check SAMPLE ... --format csv`` and parse the rows."""
    status, out, err = run(capsys, "check", SAMPLE, *args, "--format", "csv")
    assert status == 0, err
    assert all(line.startswith(("note: read ", NAMES_NOTE)) for line in err.splitlines()), err
    return list(csv.DictReader(io.StringIO(out)))


def verdict_at(rows: list[dict[str, str]], address: str) -> str:
    """The verdict of the one row at an address."""
    found = [r["verdict"] for r in rows if r["address"] == address]
    assert len(found) == 1, found
    return found[0]


# ------------------------------------------------------------------ output


def test_check_csv_header_and_verdict(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "check", SAMPLE, "--apn", "1000 I ST", "--format", "csv")
    assert status == 0
    lines = out.splitlines()
    assert lines[0] == HEADER
    assert lines[0].split(",") == [*CHECK_COLUMNS, *CITED]
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 1
    row = rows[0]
    assert row["query"] == "1000 I ST"
    assert row["apn"] == "006-0710-001-0000"
    assert row["owner"] == "Sacramento, City of"
    assert row["owner_class"] == "city"
    assert row["site_kind"] == "parking garage"
    assert row["verdict"] == "covered"
    assert row["in_free_speech_zone"] == "False"
    assert float(row["distance_to_landmark_m"]) > 100
    assert "owner NAME = 'Sacramento, City of'" in row["reasons"]
    assert "LANDUSE = P2" in row["reasons"]


def test_check_json(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(
        capsys, "check", SAMPLE, "--apn", "1000 I ST", "--apn", "915 I St", "--format", "json"
    )
    assert status == 0
    records = json.loads(out)
    assert [r["address"] for r in records] == ["1000 I ST", "915 I ST"]
    assert list(records[0]) == [*CHECK_COLUMNS, *CITED]
    assert records[0]["verdict"] == "covered"
    assert records[0]["in_free_speech_zone"] is False
    assert isinstance(records[0]["distance_to_landmark_m"], float)


def test_check_table_format(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "check", SAMPLE, "--apn", "1000 I ST")
    assert status == 0
    assert out.split()[:2] == ["query", "APN"]
    assert "006-0710-001-0000" in out and "covered" in out


def test_apn_spellings(capsys: pytest.CaptureFixture[str]) -> None:
    rows = check_csv(
        capsys, "--apn", "006-0710-001-0000", "--apn", "0060710001", "--apn", "006 0710 001"
    )
    assert [r["apn"] for r in rows] == ["006-0710-001-0000"] * 3
    assert [r["query"] for r in rows] == ["006-0710-001-0000", "0060710001", "006 0710 001"]


def test_unknown_apn_gives_a_not_found_row(capsys: pytest.CaptureFixture[str]) -> None:
    rows = check_csv(capsys, "--apn", "999-9999-999-9999", "--apn", "1000 I ST")
    assert len(rows) == 2
    missing = rows[0]
    assert missing["query"] == "999-9999-999-9999"
    assert missing["verdict"] == "not found"
    assert missing["apn"] == "" and missing["in_free_speech_zone"] == ""
    assert "no parcel matches" in missing["reasons"]
    assert rows[1]["verdict"] == "covered"


def test_near_miss_address_row_suggests(capsys: pytest.CaptureFixture[str]) -> None:
    rows = check_csv(capsys, "--address", "1201 I Stret")
    assert rows[0]["verdict"] == "not found"
    assert rows[0]["suggestions"].split("; ")[0] == "1201 I ST"
    assert "suggestions" in rows[0]["reasons"]


def test_no_queries_lists_every_parcel(capsys: pytest.CaptureFixture[str]) -> None:
    rows = check_csv(capsys)
    assert len(rows) == 1567
    assert all(r["query"] == r["apn"] for r in rows)
    assert {r["verdict"] for r in rows} == {"covered", "not covered", "needs review"}


# --------------------------------------------------------------- --apn-file


def test_apn_file_plain_list(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "apns.txt"
    path.write_text("006-0710-001-0000\n\n  915 I ST  \n999-9999-999\n", encoding="utf-8")
    rows = check_csv(capsys, "--apn-file", str(path))
    assert [r["query"] for r in rows] == ["006-0710-001-0000", "915 I ST", "999-9999-999"]
    assert [r["verdict"] for r in rows] == ["covered", "covered", "not found"]


CSV_FILE = "\ufeffNote,APN\nthe garage,006-0710-001-0000\nblank,\ncity hall,006-0609-001-0000\n"


def test_apn_file_csv_checks_every_apn(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "apns.csv"
    path.write_text(CSV_FILE, encoding="utf-8")
    rows = check_csv(capsys, "--apn-file", str(path))
    found = [r for r in rows if r["verdict"] != "not found"]
    assert [r["apn"] for r in found] == ["006-0710-001-0000", "006-0609-001-0000"]
    assert [r["address"] for r in found] == ["1000 I ST", "915 I ST"]
    assert all(r["verdict"] == "covered" for r in found)


def test_apn_file_csv_with_apn_column(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "apns.csv"
    path.write_text(CSV_FILE, encoding="utf-8")
    rows = check_csv(capsys, "--apn-file", str(path))
    assert [r["query"] for r in rows] == ["006-0710-001-0000", "006-0609-001-0000"]


def test_read_queries_csv_skips_the_header(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_text('address,x\n"1201 I St, Sacramento",1\n915 I ST,2\n', encoding="utf-8")
    assert read_queries(str(path)) == ["1201 I St, Sacramento", "915 I ST"]


def test_read_queries_plain_list(tmp_path: Path) -> None:
    path = tmp_path / "q.txt"
    path.write_text("006-0710-001-0000\r\n 1201 I St, Sacramento \r\n\r\n", encoding="utf-8")
    assert read_queries(str(path)) == ["006-0710-001-0000", "1201 I St, Sacramento"]


def test_read_queries_empty_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "q.txt"
    path.write_text("\n  \n", encoding="utf-8")
    with pytest.raises(InputError, match="q.txt is empty"):
        read_queries(str(path))


def test_apn_file_and_apn_together(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "apns.txt"
    path.write_text("915 I ST\n", encoding="utf-8")
    rows = check_csv(capsys, "--apn", "1000 I ST", "--apn-file", str(path))
    assert [r["query"] for r in rows] == ["1000 I ST", "915 I ST"]


# --------------------------------------------------------- policy overrides


def test_city_owner_override(capsys: pytest.CaptureFixture[str]) -> None:
    before = check_csv(capsys, "--apn", "915 I ST")
    assert verdict_at(before, "915 I ST") == "covered"
    after = check_csv(capsys, "--apn", "915 I ST", "--city-owner", "NOBODY")
    assert verdict_at(after, "915 I ST") == "not covered"
    assert after[0]["owner_class"] == "private"


def test_city_owner_override_is_normalised(capsys: pytest.CaptureFixture[str]) -> None:
    rows = check_csv(
        capsys, "--apn", "915 I ST", "--apn", "1000 I ST", "--city-owner", "city of  sacramento."
    )
    # only the exact normalised name now counts: "Sacramento, City of" no longer does
    assert [r["verdict"] for r in rows] == ["covered", "not covered"]


def test_scope_lots_and_garages(capsys: pytest.CaptureFixture[str]) -> None:
    rows = check_csv(
        capsys, "--apn", "915 I ST", "--apn", "1000 I ST", "--scope", "lots_and_garages"
    )
    assert verdict_at(rows, "915 I ST") == "not covered"
    assert verdict_at(rows, "1000 I ST") == "covered"
    assert "covers only city lots and garages" in rows[0]["reasons"]


def test_policy_version(capsys: pytest.CaptureFixture[str]) -> None:
    rows = check_csv(capsys, "--apn", "915 I ST", "--apn", "1201 I ST", "--policy", "lots_only")
    assert [r["verdict"] for r in rows] == ["not covered", "covered"]


def test_garage_use_override(capsys: pytest.CaptureFixture[str]) -> None:
    rows = check_csv(
        capsys, "--apn", "1000 I ST", "--scope", "lots_and_garages", "--garage-use", "ZZ"
    )
    assert rows[0]["site_kind"] == "other"
    assert rows[0]["verdict"] == "not covered"


def test_zone_distance_changes_membership(capsys: pytest.CaptureFixture[str]) -> None:
    near = check_csv(capsys, "--apn", "1000 I ST")
    far = check_csv(capsys, "--apn", "1000 I ST", "--zone-distance", "800")
    assert float(near[0]["distance_to_landmark_m"]) < 800
    assert near[0]["in_free_speech_zone"] == "False"
    assert far[0]["in_free_speech_zone"] == "True"


# --------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["check", "/nonexistent/parcels.zip"], "file not found"),
        (["check", SAMPLE, "--field", "bad"], "--field"),
        (["check", SAMPLE, "--field", "apn=NOPE"], "NOPE"),
        (["check", SAMPLE, "--profile", "/nonexistent/profile.toml"], "profile not found"),
        (["check", SAMPLE, "--apn-file", "/nonexistent/apns.txt"], "cannot read"),
        (["check", SAMPLE, "--zone-distance", "5000"], "zone distance"),
        (["check", SAMPLE, "--zone-distance", "0"], "zone distance"),
        (["check", SAMPLE, "--policy", "nope"], "no policy version"),
    ],
)
def test_bad_input_exits_2_with_one_error_line(
    capsys: pytest.CaptureFixture[str], args: list[str], needle: str
) -> None:
    status, out, err = run(capsys, *args)
    assert status == EXIT_BAD_INPUT == 2
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ")
    assert needle in lines[0]
    assert "Traceback" not in err


def test_bad_profile_toml(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    profile = tmp_path / "profile.toml"
    profile.write_text("[jurisdiction\nname = ", encoding="utf-8")
    status, _, err = run(capsys, "check", SAMPLE, "--profile", str(profile))
    assert status == 2
    assert err.startswith("error: profile profile.toml is not valid TOML")
    assert len(err.splitlines()) == 1


def test_bad_parcel_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "parcels.zip"
    path.write_text("not a zip", encoding="utf-8")
    status, _, err = run(capsys, "check", str(path))
    assert status == 2
    assert err == "error: parcels.zip is not a valid zip archive\n"


def test_argparse_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["check", SAMPLE, "--format", "xml"])
    assert info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


# --------------------------------------------------------------- subprocess


def test_python_m_geo_matches_main(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["check", SAMPLE, "--apn", "1000 I ST", "--apn", "nowhere", "--format", "csv"]
    status, expected, _ = run(capsys, *args)
    assert status == 0
    proc = subprocess.run(
        [sys.executable, "-m", "geo", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert untimed(proc.stdout) == untimed(expected)
    assert proc.stdout.startswith(HEADER + "\n")


def untimed(text: str) -> list[dict[str, str]]:
    """CSV rows without the time they were made."""
    return [
        {k: v for k, v in r.items() if k != "generated_at"}
        for r in csv.DictReader(io.StringIO(text))
    ]


def test_python_m_geo_bad_input_has_no_traceback() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "geo", "check", "/nonexistent/parcels.zip"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr == "error: file not found: /nonexistent/parcels.zip\n"


# ------------------------------------------------ lists as people save them

LOT, HALL = "006-0612-005-0000", "006-0609-001-0000"  # 1201 I ST (a city lot), 915 I ST


def check_file(
    capsys: pytest.CaptureFixture[str], path: Path, *args: str
) -> tuple[list[dict[str, str]], str]:
    """Run ``check SAMPLE --apn-file PATH ... --format csv``; return the rows and stderr."""
    status, out, err = run(
        capsys, "check", SAMPLE, "--apn-file", str(path), *args, "--format", "csv"
    )
    assert status == 0, err
    return list(csv.DictReader(io.StringIO(out))), err


def test_latin_1_csv_with_an_unfamiliar_header(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes(
        f"Parcel Number,Comment\r\n{LOT},lot on I\r\n{HALL},Peña\r\n".encode("latin-1")
    )
    rows, err = check_file(capsys, path)
    assert [r["query"] for r in rows] == [LOT, HALL]
    assert [r["address"] for r in rows] == ["1201 I ST", "915 I ST"]
    assert [r["verdict"] for r in rows] == ["covered", "covered"]
    assert [r["Comment"] for r in rows] == ["lot on I", "Peña"]
    assert err.count("\n") == 2 and "Latin-1" in err and "'Parcel Number'" in err  # + names note


def test_utf_16_list_checks_cleanly(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "unicode.txt"
    path.write_bytes(f"{LOT}\r\n915 I Street\r\nCity Hall\r\n".encode("utf-16"))
    rows, err = check_file(capsys, path)
    assert [r["query"] for r in rows] == [LOT, "915 I Street", "City Hall"]
    assert [r["address"] for r in rows] == ["1201 I ST", "915 I ST", "915 I ST"]
    assert "UTF-16 LE" in err


def test_xlsx_list(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in (["Site Address", "Who"], ["1201 I St", "Ana"], ["1210 I St", "Bo"]):
        sheet.append(row)
    path = tmp_path / "list.xlsx"
    book.save(path)
    rows, err = check_file(capsys, path)
    assert [r["verdict"] for r in rows] == ["covered", "not found"]
    assert [r["Who"] for r in rows] == ["Ana", "Bo"]
    assert rows[1]["suggestions"].split("; ")[:3] == ["1201 I ST", "1200 I ST", "1220 I ST"]
    assert "an Excel workbook" in err and "'Site Address'" in err


def test_xlsx_apns_stored_as_numbers(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in (["APN10"], [60710001], [60609001]):  # 0060710001 and 0060609001, zeros lost
        sheet.append(row)
    path = tmp_path / "numbers.xlsx"
    book.save(path)
    rows, _ = check_file(capsys, path)
    assert [r["address"] for r in rows] == ["1000 I ST", "915 I ST"]


def test_typed_queries_have_blank_list_columns(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "l.csv"
    path.write_text(f"apn,note\n{LOT},x\n", encoding="utf-8")
    rows, _ = check_file(capsys, path, "--apn", "915 I ST")
    assert [(r["query"], r["note"]) for r in rows] == [("915 I ST", ""), (LOT, "x")]


def test_a_list_column_named_like_a_check_column_is_kept_apart(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "l.csv"
    path.write_text(f"APN,Owner,verdict\n{LOT},me,mine\n", encoding="utf-8")
    rows, _ = check_file(capsys, path)
    assert rows[0]["owner"] == "CITY OF SACRAMENTO" and rows[0]["list_Owner"] == "me"
    assert rows[0]["verdict"] == "covered" and rows[0]["list_verdict"] == "mine"


def test_quiet_says_nothing_about_the_list(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "l.txt"
    path.write_text(f"{LOT}\n", encoding="utf-8")
    assert check_file(capsys, path, "--quiet")[1] == ""


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (bytes(range(256)) * 4, "not a text list"),
        (b"PK\x03\x04broken", "not a readable Excel workbook"),
        (b"", "is empty"),
        (b"apn\n", "lists no APN or address"),
        (b"a,b\nfoo,bar\nbaz,qux\n", "no column of APNs or addresses"),
    ],
)
def test_a_list_it_cannot_read_is_one_error_and_status_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "junk.csv"
    path.write_bytes(content)
    status, out, err = run(capsys, "check", SAMPLE, "--apn-file", str(path), "--quiet")
    assert status == EXIT_BAD_INPUT
    assert out == ""
    assert err.startswith("error: ") and err.count("\n") == 1 and message in err
    assert "unexpected" not in err


def test_the_issue_s_lists_exit_0_as_a_separate_process(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes(f"Parcel Number,Comment\n{LOT},lot on I\n".encode("cp1252"))
    junk = tmp_path / "junk.csv"
    junk.write_bytes(bytes(range(256)))
    command = [sys.executable, "-m", "geo", "check", SAMPLE, "--format", "csv", "--apn-file"]
    good = subprocess.run([*command, str(path)], capture_output=True, text=True, cwd=REPO)
    assert good.returncode == 0, good.stderr
    assert "lot on I" in good.stdout
    bad = subprocess.run([*command, str(junk)], capture_output=True, text=True, cwd=REPO)
    assert bad.returncode == EXIT_BAD_INPUT and bad.stderr.startswith("error: ")


# ------------------------------------------------------ search by name in check


def test_check_accepts_names(capsys: pytest.CaptureFixture[str]) -> None:
    rows = check_csv(capsys, "--apn", "City Hall", "--apn", "Cesar Chavez Plaza", "--apn", "Moss")
    assert [r["address"] for r in rows] == ["915 I ST", "910 I ST", "650 CAPITOL MALL"]


def test_check_a_public_owner_lists_its_parcels(capsys: pytest.CaptureFixture[str]) -> None:
    rows = check_csv(capsys, "--apn", "CITY OF SACRAMENTO")
    assert len(rows) == 13
    assert {r["owner_class"] for r in rows} == {"city"}
    assert "Sacramento, City of" in {r["owner"] for r in rows}


def test_check_a_street_lists_its_parcels(capsys: pytest.CaptureFixture[str]) -> None:
    rows = check_csv(capsys, "--apn", "I St")
    assert len(rows) == 97
    assert all(r["address"].endswith(" I ST") for r in rows)
    numbers = [int(r["address"].split()[0]) for r in rows]
    assert numbers == sorted(numbers)


def test_not_found_rows_carry_suggestions(capsys: pytest.CaptureFixture[str]) -> None:
    rows = check_csv(capsys, "--apn", "1210 I St", "--apn", "999-9999-999", "--apn", LOT)
    assert rows[0]["verdict"] == "not found"
    assert rows[0]["suggestions"].split("; ")[:3] == ["1201 I ST", "1200 I ST", "1220 I ST"]
    assert rows[1]["verdict"] == "not found" and rows[1]["suggestions"] == ""
    assert rows[2]["suggestions"] == ""
