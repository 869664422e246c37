"""Every answer says the data's as-of date, what that date is, and the policy version: the
printed sheet (with the council district when the profile has the districts), the offline
map's cards and list, and the exports."""

from __future__ import annotations

import io
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from parcel_helpers import SAMPLE_ZIP
from shapely.geometry import box

from geo.analysis import analyse
from geo.export import csv_bytes, parcels_table
from geo.profile import Profile
from geo.provenance import DateBasis, date_basis, provenance
from geo.sources import read_parcels
from geo.vendor import read_vendor_files
from layers.cli import main as civicmap
from layers.standalone import standalone_html

SAMPLE = str(SAMPLE_ZIP)


def test_the_date_basis_of_a_fetch_a_file_and_the_sample() -> None:
    assert (
        date_basis({"fetch": {"last_edit_date": "2025-12-01T00:00:00+00:00"}})
        is DateBasis.LAST_EDIT
    )
    assert date_basis({"fetch": {"last_edit_date": None}}) is DateBasis.FETCHED
    assert date_basis({"source_date": "2026-01-01"}) is DateBasis.FILE
    assert date_basis({}, sample=True) is DateBasis.SAMPLE


def test_an_export_names_its_as_of_date_and_basis(profile: Profile) -> None:
    analysis = analyse(read_parcels(SAMPLE, profile), profile)
    cited = provenance(profile, analysis.policy, 100, ("s", "2026-11-25", False), basis="file")
    table = pd.read_csv(
        io.BytesIO(csv_bytes(parcels_table(analysis.explained(analysis.parcels.head(2))), cited)),
        dtype=str,
    )
    assert set(table["data_date"]) == {"2026-11-25"} and set(table["data_date_basis"]) == {"file"}
    assert set(table["policy_version"]) == {"nov2025"}


def test_the_sheet_says_as_of_and_under_which_policy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "sheet.html"
    assert civicmap(["sheet", SAMPLE, "--apn", "1201 I St", "--out", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert "as of 2026-11-25 (the sample&#x27;s date)" in html
    assert "Policy applied: Nov 2025 proposal (nov2025)" in html
    assert "Council district" not in html  # the bundled profile has no district layer


def profile_with_districts(folder: Path, profile: Profile) -> Path:
    """The bundled profile (its sample named absolutely) with two hand-drawn districts."""
    sample = read_parcels(SAMPLE, profile).to_crs(2226)
    x0, y0, x1, y1 = sample.total_bounds
    mid = (x0 + x1) / 2
    gpd.GeoDataFrame(
        {"DISTNUM": [3, 4], "NAME": ["West Member", "East Member"]},
        geometry=[box(x0 - 9, y0 - 9, mid, y1 + 9), box(mid, y0 - 9, x1 + 9, y1 + 9)],
        crs=2226,
    ).to_crs(4326).to_file(folder / "districts.geojson", driver="GeoJSON")
    text = profile.path.read_text(encoding="utf-8").split("\n[context.")[0]
    text = text.replace('"sample/', f'"{(profile.path.parent / "sample").as_posix()}/')
    text += '\n[context.council_districts]\nfile = "districts.geojson"\n'
    text += 'label_fields = ["DISTNUM", "NAME"]\n'
    (folder / "profile.toml").write_text(text, encoding="utf-8")
    return folder / "profile.toml"


def test_the_sheet_names_the_council_district(
    tmp_path: Path, profile: Profile, capsys: pytest.CaptureFixture[str]
) -> None:
    with_districts = profile_with_districts(tmp_path, profile)
    out = tmp_path / "sheet.html"
    args = ["sheet", SAMPLE, "--profile", str(with_districts), "--apn", "1201 I St"]
    assert civicmap([*args, "--out", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert "<th>Council district</th>" in html
    assert "<td>4 · East Member</td>" in html or "<td>3 · West Member</td>" in html


def test_the_offline_map_says_as_of_on_every_card_and_in_its_list(profile: Profile) -> None:
    analysis = analyse(read_parcels(SAMPLE, profile), profile)
    source = ("sample.zip", "2026-11-25", True)
    html = standalone_html(analysis, profile, read_vendor_files(), source, basis="sample")
    assert "Data as of 2026-11-25 \\u00b7 policy nov2025" in html  # each card (JSON in the page)
    assert "as of 2026-11-25 (the sample" in html and "Policy applied: Nov 2025" in html
