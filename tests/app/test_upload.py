"""Tests for loading parcel files in the Streamlit app (``sidebar_data``, ``get_upload``).

The app runs headless under ``streamlit.testing``. Files are built in ``tmp_path`` by the
builders in ``tests/unit/ingest_fixtures.py``. A good upload replaces the metrics; a bad one
shows an error naming the user's file and keeps what was shown before.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest
from shown import plain
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"


def _load_fixtures() -> ModuleType:
    """Import ``tests/unit/ingest_fixtures.py`` (not on the path when this file runs alone)."""
    if "ingest_fixtures" in sys.modules:
        return sys.modules["ingest_fixtures"]
    spec = importlib.util.spec_from_file_location(
        "ingest_fixtures", ROOT / "tests" / "unit" / "ingest_fixtures.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


fx = _load_fixtures()

# Covered / Needs review / Not covered / In the free speech zone for the five fixture
# parcels: two city lots or garages, one "ET AL" owner, the federal landmark and a private
# office; every parcel but the landmark's lies within 100 m of it, and the zone (public
# space only) holds the two city parcels.
FIXTURE_METRICS = ["2", "1", "2", "2"]
MIME = {
    ".zip": "application/zip",
    ".geojson": "application/geo+json",
    ".gpkg": "application/geopackage+sqlite3",
    ".csv": "text/csv",
}


class AppCrashed(RuntimeError):
    """The app itself raised (kept apart from assertion failures, which xfail expects)."""


def ok(at: AppTest) -> AppTest:
    """``at`` after a run that raised nothing."""
    if at.exception:
        raise AppCrashed("; ".join(str(e.value) for e in at.exception))
    return at


def start() -> AppTest:
    """A fresh app showing the bundled sample."""
    at = ok(AppTest.from_file(str(APP), default_timeout=90).run())
    assert at.sidebar.file_uploader[0].label == "Load a parcel file"
    assert at.sidebar.file_uploader[1].label == "City property list (optional)"
    return at


def upload(at: AppTest, name: str, path: Path, which: int = 0) -> AppTest:
    """Give ``path``'s bytes to a sidebar uploader under the user's file ``name``, and rerun."""
    mime = MIME.get(Path(name).suffix, "application/octet-stream")
    return ok(at.sidebar.file_uploader[which].set_value((name, path.read_bytes(), mime)).run())


def metrics(at: AppTest) -> list[str]:
    """The values of the four verdict metrics, in order."""
    labels = [m.label.lower() for m in at.metric][:4]
    assert len(labels) == 4, labels
    assert labels[0].startswith("covered") and labels[1].startswith("needs review"), labels
    assert labels[2].startswith("not covered") and "free speech zone" in labels[3], labels
    return [m.value for m in at.metric][:4]


def errors(at: AppTest) -> list[str]:
    """Every error shown in the sidebar."""
    return [plain(e.value) for e in at.sidebar.error]


def captions(at: AppTest) -> list[str]:
    """Every caption shown in the sidebar."""
    return [plain(c.value) for c in at.sidebar.caption]


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
