"""Private people stay private: by default a private owner reads as its class everywhere."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from parcel_helpers import SAMPLE_ZIP

from geo.analysis import Analysis, analyse, check_table
from geo.cli import main
from geo.errors import InputError
from geo.export import csv_bytes, parcels_geojson, parcels_table
from geo.i18n import translator
from geo.lookup import ParcelIndex
from geo.privacy import private_view, shown_owner
from geo.profile import Profile, load_profile
from geo.sources import read_parcels
from geo.vendor import read_vendor_files
from layers.compose import parcel_sheet
from layers.parcels import to_draw_frame
from layers.standalone import standalone_html

# A private and a public parcel of the bundled sample.
PRIVATE_APN, PRIVATE_NAME = "006-0102-001-0000", "ALDER AND PINE HOLDINGS LLC"
PUBLIC_APN, PUBLIC_NAME = "006-0612-005-0000", "CITY OF SACRAMENTO"
SOURCE = ("sample.zip", "2026-11-25", True)


@pytest.fixture(scope="module")
def sample() -> Analysis:
    """The bundled sample under the default policy."""
    profile = load_profile()
    return analyse(read_parcels(profile.sample_path(), profile), profile)  # type: ignore[arg-type]


def rows_of(analysis: Analysis, *apns: str) -> pd.DataFrame:
    """The sample's rows with these APNs, in that order."""
    parcels = analysis.parcels
    return pd.concat([parcels[parcels["apn"] == apn] for apn in apns])


def test_shown_owner_names_public_owners_only() -> None:
    owner = pd.Series(["JOHN SMITH", "CITY OF SACRAMENTO", "STATE OF CALIFORNIA", ""])
    classes = pd.Series(["private", "city", "state", "unknown"])
    hidden = shown_owner(owner, classes, False, translator("es"))
    assert hidden.tolist() == ["dueño privado", "CITY OF SACRAMENTO", "STATE OF CALIFORNIA", ""]
    assert shown_owner(owner, classes, True).tolist() == owner.tolist()


def test_explained_hides_private_names_in_owner_and_reasons(sample: Analysis) -> None:
    rows = rows_of(sample, PRIVATE_APN, PUBLIC_APN)
    hidden = sample.explained(rows)
    assert hidden["owner"].tolist()[0] == "private owner"
    assert hidden["owner"].tolist()[1].upper().startswith("CITY OF SACRAMENTO")
    assert PRIVATE_NAME not in json.dumps([list(r) for r in hidden["reasons"]])
    assert "private owner" in hidden["reasons"].iloc[0][0]
    assert hidden.attrs["owner_names"] == "hidden"
    shown = sample.explained(rows, owner_names=True)
    assert shown["owner"].tolist()[0] == PRIVATE_NAME
    assert PRIVATE_NAME in shown["reasons"].iloc[0][0]
    assert shown.attrs["owner_names"] == "shown"


def test_private_view_is_idempotent(sample: Analysis) -> None:
    once = sample.explained(rows_of(sample, PRIVATE_APN))
    twice = private_view(once, False)
    assert twice["owner"].tolist() == once["owner"].tolist()
    assert list(twice["reasons"].iloc[0]) == list(once["reasons"].iloc[0])


def test_exports_say_which_names_they_hold(sample: Analysis) -> None:
    rows = sample.explained(rows_of(sample, PRIVATE_APN, PUBLIC_APN))
    table = parcels_table(rows)
    assert set(table["owner_names"]) == {"hidden"}
    text = csv_bytes(table).decode("utf-8-sig")
    assert PRIVATE_NAME not in text and "private owner" in text
    features = json.loads(parcels_geojson(rows))["features"]
    assert {f["properties"]["owner_names"] for f in features} == {"hidden"}
    assert PRIVATE_NAME not in json.dumps(features)
    shown = parcels_table(sample.explained(rows_of(sample, PRIVATE_APN), owner_names=True))
    assert shown["owner_names"].tolist() == ["shown"] and PRIVATE_NAME in shown["owner"].tolist()


def test_check_table_hides_by_default(sample: Analysis, profile: Profile) -> None:
    index = ParcelIndex(sample.parcels, profile.landmarks, profile.place)
    table = check_table(sample, index, [PRIVATE_APN, PUBLIC_APN])
    assert table["owner"].tolist()[0] == "private owner"
    assert table.attrs["owner_names"] == "hidden"
    named = check_table(sample, index, [PRIVATE_APN], owner_names=True)
    assert named["owner"].tolist() == [PRIVATE_NAME]


def test_popups_hide_private_names(sample: Analysis) -> None:
    rows = rows_of(sample, PRIVATE_APN)
    popup = to_draw_frame(sample.explained(rows), "Moss")["popup"].iloc[0]
    assert PRIVATE_NAME not in popup and "private owner" in popup
    raw = to_draw_frame(rows.assign(reasons=[[]]), "Moss")["popup"].iloc[0]
    assert PRIVATE_NAME not in raw  # a frame not explained first is still hidden
    named = to_draw_frame(sample.explained(rows, owner_names=True), "Moss", owner_names=True)
    assert PRIVATE_NAME in named["popup"].iloc[0]


def test_sheet_hides_private_names(sample: Analysis, profile: Profile) -> None:
    position = int((sample.parcels["apn"] == PRIVATE_APN).to_numpy().nonzero()[0][0])
    html = parcel_sheet(sample, position, SOURCE, "?q=1", translator("en"), profile)
    assert "ALDER AND PINE" not in html and "private owner" in html
    named = parcel_sheet(sample, position, SOURCE, "?q=1", translator("en"), profile, "en", True)
    assert "ALDER AND PINE" in named


def test_offline_map_hides_private_names(sample: Analysis, profile: Profile) -> None:
    files = read_vendor_files()
    html = standalone_html(sample, profile, files, SOURCE)
    assert "ALDER AND PINE" not in html
    named = standalone_html(sample, profile, files, SOURCE, owner_names=True)
    assert "ALDER AND PINE" in named


def test_cli_check_hides_unless_asked(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(SAMPLE_ZIP), "--apn", PRIVATE_APN, "--format", "csv"]) == 0
    out, err = capsys.readouterr()
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0]["owner"] == "private owner" and PRIVATE_NAME not in out
    assert "hidden" in err
    args = ["check", str(SAMPLE_ZIP), "--apn", PRIVATE_APN, "--format", "csv", "--owner-names"]
    assert main(args) == 0
    out, err = capsys.readouterr()
    assert list(csv.DictReader(io.StringIO(out)))[0]["owner"] == PRIVATE_NAME
    assert "shown" in err


def test_cli_values_of_the_owner_field_hide_private_names_unless_asked(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``values SRC NAME`` lists public owners by name with their class, private ones as one
    "private owner" row; ``--owner-names`` lists them all."""
    assert main(["values", str(SAMPLE_ZIP), "NAME", "--format", "csv"]) == 0
    out, err = capsys.readouterr()
    rows = list(csv.DictReader(io.StringIO(out)))
    assert PRIVATE_NAME not in out and "hidden" in err
    private = [r for r in rows if r["owner_class"] == "private"]
    assert [r["value"] for r in private] == ["private owner"]
    assert {"value": PUBLIC_NAME, "owner_class": "city"}.items() <= rows[1].items()
    assert main(["values", str(SAMPLE_ZIP), "owner", "--format", "csv", "--owner-names"]) == 0
    out, err = capsys.readouterr()
    named = list(csv.DictReader(io.StringIO(out)))
    assert PRIVATE_NAME in {r["value"] for r in named} and "shown" in err
    assert sum(int(r["parcels"]) for r in named) == int(private[0]["parcels"]) + sum(
        int(r["parcels"]) for r in rows if r["owner_class"] != "private"
    )


def test_profile_names_the_operator_or_says_none(profile: Profile) -> None:
    assert profile.site.operator == "" and profile.site.contact == ""
    assert profile.site.owner_names is False


def test_a_stated_operator_and_contact_are_shown(profile: Profile, tmp_path: Path) -> None:
    from dataclasses import replace

    from geo.profile import SiteInfo
    from panels.about import operator_text

    t = translator("es")
    assert operator_text(profile, t) == t("operator.none")
    run = replace(profile, site=SiteInfo("Vecinos Unidos", "hola@example.org"))
    text = re.sub(r"\\(.)", r"\1", operator_text(run, t)).replace("\u2060", "")  # as read
    assert "Vecinos Unidos" in text and "hola@example.org" in text
    toml = tmp_path / "profile.toml"
    toml.write_text('[site]\noperator = "A"\nowner_names = "yes"\n', encoding="utf-8")
    with pytest.raises(InputError, match="owner_names"):
        load_profile(toml)
