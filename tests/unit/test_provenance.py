"""Every export and sheet says which policy, which data and when."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest

from geo.analysis import Analysis, analyse
from geo.cli import main as library
from geo.export import csv_bytes, parcels_geojson, parcels_table
from geo.profile import Profile
from geo.provenance import provenance
from geo.sources import read_parcels
from layers.cli import main as civicmap
from layers.sheet import qr_svg

SAMPLE = str(Path(__file__).resolve().parents[2] / "data/sacramento/sample/downtown_sample.zip")
FIELDS = ("policy_version", "policy_terms", "data_source", "data_date", "generated_at")


@pytest.fixture(scope="module")
def sample(profile: Profile) -> Analysis:
    """The bundled sample, analysed under the default policy."""
    return analyse(read_parcels(SAMPLE, profile), profile)


def test_csv_and_geojson_name_their_policy_and_data(profile: Profile, sample: Analysis) -> None:
    cited = provenance(profile, sample.policy, 100, ("sample.zip", "2026-11-25", True))
    rows = sample.explained(sample.parcels.head(3))
    table = pd.read_csv(io.BytesIO(csv_bytes(parcels_table(rows), cited)), dtype=str)
    assert set(FIELDS) <= set(table.columns)
    assert set(table["policy_version"]) == {"nov2025"}
    assert table["policy_terms"].str.contains("zone_distance_m=100").all()
    assert table["data_source"].str.contains("illustrative").all()
    collection = json.loads(parcels_geojson(rows, cited))
    assert collection["provenance"]["data_date"] == "2026-11-25"
    assert len(collection["features"]) == 3


def test_check_csv_carries_provenance_columns(capsys: pytest.CaptureFixture[str]) -> None:
    assert library(["check", SAMPLE, "--apn", "1201 I St", "--format", "csv"]) == 0
    table = pd.read_csv(io.StringIO(capsys.readouterr().out), dtype=str)
    assert set(FIELDS) <= set(table.columns)
    assert table["data_date"].iloc[0] == "2026-11-25"  # the data's own date, not today's


def test_a_sheet_links_to_the_parcel_with_the_same_policy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "sheet.html"
    args = ["sheet", SAMPLE, "--apn", "1201 I St", "--policy", "lots_only", "--lang", "es"]
    assert civicmap([*args, "--base-url", "https://example.org/map/", "--out", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    link = "https://example.org/map/?q=006-0612-005-0000&policy=lots_only&lang=es"
    assert link.replace("&", "&amp;") in html
    assert qr_svg(link) in html  # the QR code opens the same link
    assert "Política aplicada" in html and "lots_only" in html
    assert '<html lang="es">' in html


def test_many_parcels_need_a_folder(tmp_path: Path) -> None:
    args = ["sheet", SAMPLE, "--apn", "1201 I St", "--apn", "City Hall", "--quiet"]
    assert civicmap([*args, "--out", str(tmp_path / "one.html")]) == 2
    assert civicmap([*args, "--out", str(tmp_path / "sheets")]) == 0
    assert len(list((tmp_path / "sheets").glob("parcel-*.html"))) == 2


def test_the_offline_map_says_which_policy_and_data(profile: Profile, sample: Analysis) -> None:
    from geo.vendor import read_vendor_files
    from layers.standalone import standalone_html

    html = standalone_html(sample, profile, read_vendor_files(), ("s.zip", "2026-11-25", True))
    assert "Policy applied: Nov 2025 proposal (nov2025)" in html
    assert "zone_distance_m=100" in html


def test_a_link_too_long_for_a_qr_code_gets_none() -> None:
    """A link longer than any QR code holds (a long search) leaves the code out, no error."""
    assert qr_svg("?q=" + "L" * 5000) == ""
    assert qr_svg("?q=1").startswith("<svg")
