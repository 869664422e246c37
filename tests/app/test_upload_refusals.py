"""Every upload is refused cleanly or loaded, and the map keeps what it had (AppTest).

The uploads that used to crash the app or replace the map with nothing useful: a wrong
extension, a GeoPackage with two parcel layers, Latin-1 text without a ``.cpg`` or with a
``.cpg`` that lies, a 1,000,000-vertex parcel, a file over the size limit, and the upload
widget emptied after a good file (as the browser does when it refuses one).
"""

from __future__ import annotations

from pathlib import Path

import ingest_fixtures as fx
import pytest
import upload_cases as cases
from app_driver import start as driver_start
from streamlit import config
from streamlit.testing.v1 import AppTest
from upload_driver import FIXTURE_METRICS, captions, errors, metrics, ok, start, upload


def good(tmp_path: Path) -> AppTest:
    """The app after a good upload of the five fixture parcels."""
    at = upload(start(), "my_county.zip", fx.write_county_zip(tmp_path))
    assert metrics(at) == FIXTURE_METRICS and not errors(at)
    return at


def still_good(at: AppTest) -> None:
    """The good upload is still on the map, and the sidebar says so."""
    assert not at.exception
    assert metrics(at) == FIXTURE_METRICS
    assert "Still showing: my_county.zip" in captions(at)


def test_wrong_extension_after_a_good_upload_keeps_it(tmp_path: Path) -> None:
    at = upload(good(tmp_path), "parcels.exe", cases.renamed_zip(tmp_path))
    (shown,) = errors(at)
    assert "parcels.exe" in shown and ".exe" in shown
    still_good(at)


def test_two_layers_are_listed_then_the_layer_box_loads_one(tmp_path: Path) -> None:
    at = upload(good(tmp_path), "two.gpkg", cases.two_layer_gpkg(tmp_path / "two.gpkg"))
    (shown,) = errors(at)
    assert "parcels, parcels_2020" in shown and "Layer box" in shown
    still_good(at)
    ok(at.sidebar.text_input(key="layer").set_value("parcels_2020").run())
    assert not errors(at)
    assert metrics(at) == FIXTURE_METRICS
    assert "Still showing: my_county.zip" not in captions(at)


@pytest.mark.parametrize(
    ("cpg", "said"),
    [(None, "no .cpg file"), ("UTF-8", "names a text encoding its text is not in")],
    ids=["no-cpg", "lying-cpg"],
)
def test_latin1_text_is_detected_and_the_encoding_named(
    tmp_path: Path, cpg: str | None, said: str
) -> None:
    at = upload(start(), "latin.zip", cases.latin1_zip(tmp_path / "latin.zip", cpg))
    assert not errors(at)
    assert metrics(at) == ["0", "0", "5", "0"]  # no city owner; no private parcel in the zone
    notes = [c for c in captions(at) if "ISO-8859-1" in c]
    assert len(notes) == 1 and said in notes[0] and "latin.zip" in notes[0], captions(at)


def test_huge_parcel_is_refused_and_keeps_the_map(tmp_path: Path) -> None:
    at = upload(good(tmp_path), "huge.gpkg", cases.huge_parcel_gpkg(tmp_path / "huge.gpkg"))
    (shown,) = errors(at)
    assert "about 1,000,00" in shown and "100,000" in shown
    still_good(at)


def test_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    at = good(tmp_path)
    at.sidebar.file_uploader[0].set_value(("big.zip", b"x" * (2 * 2**20), "application/zip"))
    config.set_option("server.maxUploadSize", 1)
    try:
        ok(at.run())
    finally:
        config.set_option("server.maxUploadSize", 256)
    (shown,) = errors(at)
    assert "big.zip is 2 MB, more than the 1 MB" in shown
    still_good(at)


def test_emptied_upload_widget_keeps_the_good_data(tmp_path: Path) -> None:
    """The browser empties the widget when it refuses a file: the map keeps the good one."""
    at = good(tmp_path)
    ok(at.sidebar.file_uploader[0].set_value(None).run())
    assert metrics(at) == FIXTURE_METRICS and not errors(at)
    ok(at.sidebar.button(key="back_to_default").click().run())
    assert metrics(at) != FIXTURE_METRICS


def test_a_session_may_read_only_so_many_files_a_minute(tmp_path: Path) -> None:
    """The per-session cap on work: the seventh file in a minute is refused, the map kept."""
    at = start()
    for number in range(6):
        upload(at, f"county_{number}.zip", fx.write_county_zip(tmp_path, f"c{number}.zip"))
        assert not errors(at), number
    upload(at, "one_more.zip", fx.write_county_zip(tmp_path, "more.zip"))
    (shown,) = errors(at)
    assert "6 files in the last minute" in shown
    assert metrics(at) == FIXTURE_METRICS
    assert "Still showing: county_5.zip" in captions(at)


@pytest.mark.parametrize(
    ("lang", "said", "hint"),
    [
        ("es", "tiene 2 capas de mapa (parcels, parcels_2020); diga cuál tiene las parcelas",
         "escriba su nombre en la casilla Capa"),
        ("hmn", "muaj 2 txheej daim ntawv qhia chaw (parcels, parcels_2020)",
         "lub thawv Txheej (layer)"),
    ],
)  # fmt: skip
def test_a_refusal_is_shown_in_the_pages_language(
    tmp_path: Path, lang: str, said: str, hint: str
) -> None:
    """``?lang=es``: the refusal of a two-layer GeoPackage is in Spanish, its names kept."""
    at = driver_start({"lang": lang})
    upload(at, "two <b>layers</b>.gpkg", cases.two_layer_gpkg(tmp_path / "two.gpkg"))
    (shown,) = errors(at)
    assert "two <b>layers</b>.gpkg " + said in shown and hint in shown, shown
    assert "say which one holds the parcels" not in shown and "Layer box" not in shown
    raw = [e.value for e in at.sidebar.error][0]
    assert "<b>" not in raw  # the file's name is escaped where it is shown


def test_a_refusal_follows_a_change_of_language(tmp_path: Path) -> None:
    """Refused in Spanish, then Hmong chosen: the same refusal is said again in Hmong."""
    at = driver_start({"lang": "es"})
    upload(at, "two.gpkg", cases.two_layer_gpkg(tmp_path / "two.gpkg"))
    assert "diga cuál tiene las parcelas" in errors(at)[0]
    ok(at.radio(key="lang").set_value("hmn").run())
    (shown,) = errors(at)
    assert "two.gpkg muaj 2 txheej daim ntawv qhia chaw (parcels, parcels_2020)" in shown, shown
    assert "diga cuál" not in shown
