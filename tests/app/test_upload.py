"""Tests for loading parcel files in the Streamlit app (``sidebar_data``, ``get_upload``).

The app runs headless under ``streamlit.testing``. Files are built in ``tmp_path`` by the
builders in ``tests/support/ingest_fixtures.py``. A good upload replaces the metrics; a bad one
shows an error naming the user's file and keeps what was shown before.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import ingest_fixtures as fx
import pytest
from upload_driver import FIXTURE_METRICS, captions, errors, metrics, ok, start, upload


def _no_apn(tmp: Path) -> Path:
    frame = fx.county_frame().rename(columns={"APN_DASH": "PARCELKEY"})
    return fx.write_geojson(frame, tmp / "upload-source.geojson")


BAD_UPLOADS: list[tuple[str, Callable[[Path], Path]]] = [
    ("county_parcels.zip", lambda t: fx.text_file(t / "bad.zip")),
    ("broken parcels.geojson", lambda t: fx.truncated_geojson(t / "bad.geojson")),
    ("no_apn_parcels.geojson", _no_apn),
]


def test_valid_upload_then_bad_uploads_keep_it(tmp_path: Path) -> None:
    """A good zip replaces the metrics; three bad files each show an error and keep it."""
    at = start()
    sample = metrics(at)
    assert sample != FIXTURE_METRICS
    upload(at, "my_county.zip", fx.write_county_zip(tmp_path))
    assert metrics(at) == FIXTURE_METRICS
    assert not errors(at) and not at.error
    assert not any(c.startswith("Still showing") for c in captions(at))

    for name, build in BAD_UPLOADS:
        upload(at, name, build(tmp_path))
        shown = errors(at)
        assert len(shown) == 1, shown
        assert "not loaded" in shown[0], shown[0]
        assert "civicmap-" not in shown[0] and "upload." not in shown[0], shown[0]
        assert metrics(at) == FIXTURE_METRICS
        assert "Still showing: my_county.zip" in captions(at)


@pytest.mark.parametrize(
    ("name", "build", "words"),
    [
        pytest.param(*BAD_UPLOADS[0], ["not a valid zip"], id="text-as-zip"),
        pytest.param(*BAD_UPLOADS[1], ["GeoJSON"], id="broken-geojson"),
        pytest.param(
            *BAD_UPLOADS[2],
            ["no APN field", "PARCELKEY"],
            id="no-apn-field",
        ),
    ],
)
def test_bad_upload_error_names_the_users_file(
    name: str, build: Callable[[Path], Path], words: list[str], tmp_path: Path
) -> None:
    """The error names the file as the user called it, and says what is wrong."""
    at = upload(start(), name, build(tmp_path))
    (shown,) = errors(at)
    for word in words:
        assert word in shown, shown
    assert "upload." not in shown and "/tmp" not in shown, shown
    assert name in shown, shown


def test_file_without_crs_loads_after_typing_one(tmp_path: Path) -> None:
    """A shapefile with no ``.prj`` is refused, then read once the CRS input says EPSG:2226."""
    at = start()
    sample = metrics(at)
    upload(at, "no_prj.zip", fx.write_county_zip(tmp_path, drop=(".prj",)))
    (shown,) = errors(at)
    assert "no_prj.zip" in shown and "coordinate system" in shown
    assert metrics(at) == sample
    ok(at.sidebar.text_input(key="crs").set_value("EPSG:2226").run())
    assert not errors(at)
    assert metrics(at) == FIXTURE_METRICS


def test_field_mapping_inputs_load_odd_names(tmp_path: Path) -> None:
    """The four field inputs make a GeoPackage with odd field names load."""
    at = start()
    sample = metrics(at)
    src = fx.write_gpkg(fx.one_address_frame(fx.ODD_NAMES), tmp_path / "odd.gpkg")
    upload(at, "odd_names.gpkg", src)
    (shown,) = errors(at)
    assert "PARCEL_KEY" in shown and "TITLEHOLDER" in shown
    assert metrics(at) == sample
    for option in fx.ODD_FIELD_OPTIONS:
        role, field = option.split("=")
        at.sidebar.text_input(key=f"field_{role}").set_value(field)
    ok(at.run())
    assert not errors(at)
    assert metrics(at) == FIXTURE_METRICS


def test_city_list_upload_raises_covered_count(tmp_path: Path) -> None:
    """With blank owners nothing is covered; a CSV of APNs makes the listed garage covered."""
    at = upload(start(), "blank_owners.zip", fx.write_county_zip(tmp_path, blank_owners=True))
    assert metrics(at) == ["0", "5", "0", "0"]  # no owner known: no parcel is the city's
    city_list = fx.apn_csv(tmp_path / "city.csv", [fx.GARAGE_APN])
    upload(at, "city_property.csv", city_list, which=1)
    assert not errors(at)
    assert metrics(at) == ["1", "4", "0", "1"]  # the listed garage is city land in the zone


@pytest.mark.parametrize(
    ("name", "build", "flag"),
    [
        pytest.param(
            "no_prj.zip",
            lambda t: fx.write_county_zip(t, drop=(".prj",)),
            "--crs",
            id="no-crs",
        ),
        pytest.param("no_apn.geojson", _no_apn, "--field", id="no-apn-field"),
    ],
)
def test_app_errors_do_not_give_command_line_advice(
    name: str, build: Callable[[Path], Path], flag: str, tmp_path: Path
) -> None:
    """The app's advice points to its own inputs, not to command-line options."""
    at = upload(start(), name, build(tmp_path))
    (shown,) = errors(at)
    assert flag not in shown, shown
