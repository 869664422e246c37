"""Uploads that used to crash or lose the map are refused with one message, or loaded."""

from __future__ import annotations

from pathlib import Path

import pytest
import upload_cases as cases

from geo import checks, reading
from geo.errors import InputError
from geo.profile import Profile, load_profile
from panels.uploads import read_upload


@pytest.fixture(scope="module")
def profile() -> Profile:
    return load_profile(None)


def refused(path: Path, name: str, profile: Profile, **options: str) -> str:
    """The message an upload is refused with."""
    with pytest.raises(InputError) as caught:
        read_upload(path.read_bytes(), name, profile, **options)
    return caught.value.for_app()


def test_wrong_extension_is_refused_by_name(tmp_path: Path, profile: Profile) -> None:
    message = refused(cases.renamed_zip(tmp_path), "parcels.exe", profile)
    assert message.startswith("parcels.exe:") and ".exe" in message and "GeoPackage" in message


def test_no_extension_is_refused(tmp_path: Path, profile: Profile) -> None:
    assert "no extension" in refused(cases.renamed_zip(tmp_path), "parcels", profile)


def test_two_layers_are_listed_and_one_can_be_chosen(tmp_path: Path, profile: Profile) -> None:
    path = cases.two_layer_gpkg(tmp_path / "two.gpkg")
    message = refused(path, "county.gpkg", profile)
    assert "2 map layers (parcels, parcels_2020)" in message and "Layer box" in message
    frame = read_upload(path.read_bytes(), "county.gpkg", profile, layer="PARCELS_2020")
    assert len(frame) == 5
    assert "no layer 'roads'" in refused(path, "county.gpkg", profile, layer="roads")


def test_latin1_without_cpg_is_detected_and_said(tmp_path: Path, profile: Profile) -> None:
    frame = read_upload(cases.latin1_zip(tmp_path / "l.zip").read_bytes(), "l.zip", profile)
    assert set(frame["owner"]) == {cases.LATIN_OWNER}
    assert frame.attrs["encoding"] == "ISO-8859-1"
    assert frame.attrs["encoding_reason"] == "no_cpg"


def test_lying_cpg_is_read_as_latin1_and_said(tmp_path: Path, profile: Profile) -> None:
    path = cases.latin1_zip(tmp_path / "l.zip", cpg_text="UTF-8")
    frame = read_upload(path.read_bytes(), "lying.zip", profile)
    assert set(frame["owner"]) == {cases.LATIN_OWNER}
    assert frame.attrs["encoding_reason"] == "cpg_wrong"


def test_utf8_file_has_no_encoding_note(tmp_path: Path, profile: Profile) -> None:
    frame = read_upload(cases.renamed_zip(tmp_path).read_bytes(), "good.zip", profile)
    assert "encoding_reason" not in frame.attrs


def test_vertex_budget_per_feature_is_checked_before_decoding(
    tmp_path: Path, profile: Profile, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = cases.huge_parcel_gpkg(tmp_path / "huge.gpkg", vertices=200_000)

    def never(*args: object) -> None:
        raise AssertionError("geometry decoded before the budget was checked")

    monkeypatch.setattr(reading, "_decode", never)
    message = refused(path, "huge.gpkg", profile)
    assert "huge.gpkg has a feature with about 200,00" in message and "100,000" in message


def test_vertex_budget_per_file(
    tmp_path: Path, profile: Profile, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(checks, "MAX_FILE_VERTICES", 20)
    message = refused(cases.renamed_zip(tmp_path), "county.zip", profile)
    assert "more than 20 vertices in all" in message


def test_cli_names_the_layer_option_and_reads_it(tmp_path: Path) -> None:
    """``--layer`` chooses among several layers; without it, one ``error:`` line, status 2."""
    import subprocess
    import sys

    path = cases.two_layer_gpkg(tmp_path / "two.gpkg")
    command = [sys.executable, "-m", "geo", "check", str(path), "--apn", "006-0010-002-0000"]
    refused = subprocess.run(command, capture_output=True, text=True)
    assert refused.returncode == 2
    assert refused.stderr.strip().endswith("name it with --layer NAME"), refused.stderr
    chosen = subprocess.run([*command, "--layer", "parcels_2020"], capture_output=True, text=True)
    assert chosen.returncode == 0 and "CITY OF SACRAMENTO" in chosen.stdout, chosen.stderr
