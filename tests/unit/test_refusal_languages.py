"""Every refusal a reader meets in the sidebar or on the command line, in Spanish and Hmong.

Each case raises a refusal from the library (with the ingest fixtures' bad files), then
renders it as the app and as the command line would in ``es`` and ``hmn``: no English
sentence from the catalog may remain, and the values that came from the file (its name,
its layers, its fields) must still be there.
"""

from __future__ import annotations

import codecs
import re
import string
import zipfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from arcgis_standin import Faults, StandIn, county_parcels, serve
from ingest_fixtures import (
    ODD_NAMES,
    county_frame,
    empty_gpkg,
    empty_zip,
    frame_of,
    lying_zip,
    one_address_frame,
    square,
    text_file,
    write_county_zip,
    write_gpkg,
    write_zipped_shapefile,
    zip_of_size,
    zip_with_member_names,
)
from pyproj import CRS
from upload_cases import huge_parcel_gpkg, two_layer_gpkg

from geo import checks
from geo.archive import open_archive
from geo.atomic import check_writable
from geo.errors import InputError, Term, refusal_text
from geo.fetch import fetch_layer
from geo.fetch.protocol import LayerInfo, RetryPolicy
from geo.i18n import load_catalog, translator
from geo.ingest import read_city_list, write_geoparquet
from geo.lists import read_query_file, read_query_list
from geo.profile import Profile, load_profile
from geo.records import check_record_template
from geo.schema import parse_field_overrides
from geo.sources import read_field, read_parcels
from geo.zone import metres_per_unit
from panels.uploads import read_upload

Raise = Callable[[Path, Profile], object]


def _bzip2_zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_BZIP2) as archive:
        archive.writestr("parcels.geojson", "{}" * 50)
    return path


def _points_gpkg(path: Path) -> Path:
    frame = county_frame()
    frame["geometry"] = [square(i).centroid for i in range(len(frame))]
    return write_gpkg(frame, path)


def _few_vertices(tmp: Path, profile: Profile) -> object:
    checks.MAX_FILE_VERTICES = 10  # restored by the fixture below
    return read_parcels(write_county_zip(tmp), profile)


CASES: dict[str, Raise] = {
    "upload_suffix": lambda tmp, p: read_upload(b"x", "parcels.exe", p),
    "upload_no_suffix": lambda tmp, p: read_upload(b"x", "parcels", p),
    "not_found": lambda tmp, p: read_parcels(tmp / "missing_parcels.zip", p),
    "folder": lambda tmp, p: read_parcels(tmp, p),
    "not_zip": lambda tmp, p: read_parcels(text_file(tmp / "notazip.zip"), p),
    "empty_zip": lambda tmp, p: read_parcels(empty_zip(tmp / "nothing.zip"), p),
    "unsafe_member": lambda tmp, p: open_archive(
        zip_with_member_names(tmp / "evil.zip", ["../evil.shp"])
    ),
    "no_layer_file": lambda tmp, p: open_archive(
        zip_with_member_names(tmp / "docs.zip", ["readme_first.txt"])
    ),
    "no_shx": lambda tmp, p: read_parcels(write_county_zip(tmp, drop=(".shx",)), p),
    "no_shx_dbf": lambda tmp, p: read_parcels(write_county_zip(tmp, drop=(".shx", ".dbf")), p),
    "declared_too_large": lambda tmp, p: open_archive(
        zip_of_size(tmp / "big.zip", 5000, "big.geojson"), max_inflated=1000
    ),
    "inflates_past": lambda tmp, p: open_archive(
        lying_zip(tmp / "liar.zip", bytes(5000), 10, "liar.geojson"), max_inflated=1000
    ),
    "size_lie": lambda tmp, p: open_archive(
        lying_zip(tmp / "forged.zip", bytes(5000), 10, "forged.geojson")
    ),
    "compression": lambda tmp, p: open_archive(_bzip2_zip(tmp / "bz.zip")),
    "no_features": lambda tmp, p: read_parcels(empty_gpkg(tmp / "empty_layer.gpkg"), p),
    "several_layers": lambda tmp, p: read_parcels(two_layer_gpkg(tmp / "two.gpkg"), p),
    "no_layer": lambda tmp, p: read_parcels(two_layer_gpkg(tmp / "two.gpkg"), p, layer="nope"),
    "feature_vertices": lambda tmp, p: read_parcels(
        huge_parcel_gpkg(tmp / "huge.gpkg", vertices=150_000), p
    ),
    "file_vertices": _few_vertices,
    "not_a": lambda tmp, p: read_parcels(text_file(tmp / "fake.gpkg"), p),
    "not_geoparquet": lambda tmp, p: read_parcels(_plain_parquet(tmp / "table.parquet"), p),
    "no_crs": lambda tmp, p: read_parcels(
        write_zipped_shapefile(county_frame(), tmp / "noprj.zip", drop=(".prj",)), p
    ),
    "unknown_crs": lambda tmp, p: read_parcels(
        write_zipped_shapefile(county_frame(), tmp / "noprj.zip", drop=(".prj",)),
        p,
        crs="EPSG:nonsense",
    ),
    "crs_wrong": lambda tmp, p: read_parcels(
        write_gpkg(county_frame().set_crs("EPSG:4326", allow_override=True), tmp / "deg.gpkg"),
        p,
    ),
    "no_geometries": lambda tmp, p: read_parcels(
        write_gpkg(frame_of([None, None]), tmp / "blank.gpkg"), p
    ),
    "not_polygons": lambda tmp, p: read_parcels(_points_gpkg(tmp / "points.gpkg"), p),
    "field_missing": lambda tmp, p: read_parcels(
        write_county_zip(tmp), p, field_overrides={"apn": "PARCEL_KEY"}
    ),
    "no_apn": lambda tmp, p: read_parcels(
        write_gpkg(one_address_frame(ODD_NAMES), tmp / "odd_names.gpkg"), p
    ),
    "no_apn_upload": lambda tmp, p: read_upload(
        write_gpkg(one_address_frame(ODD_NAMES), tmp / "odd.gpkg").read_bytes(),
        "my_odd_file.gpkg",
        p,
    ),
    "field_syntax": lambda tmp, p: parse_field_overrides(["parcel_key"]),
    "no_field": lambda tmp, p: read_field(write_county_zip(tmp), "NO_SUCH_FIELD", p),
    "out_parquet": lambda tmp, p: write_geoparquet(county_frame(), tmp / "out.csv"),
    "city_list_not_found": lambda tmp, p: read_city_list(tmp / "city_list.csv", p),
    "list_cannot_read": lambda tmp, p: read_query_file(tmp / "queries.csv"),
    "xls": lambda tmp, p: read_query_list(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64), "o.xls"),
    "list_empty": lambda tmp, p: read_query_list(b"\n\n", "blank.csv"),
    "bad_bom": lambda tmp, p: read_query_list(codecs.BOM_UTF8 + b"\xff\xfe\xfa", "bom.csv"),
    "binary": lambda tmp, p: read_query_list(bytes(range(1, 32)) * 20, "noise.csv"),
    "no_query_column": lambda tmp, p: read_query_list(b"colour,size\nred,big\n", "sizes.csv"),
    "no_apn_column": lambda tmp, p: read_query_list(
        b"colour,size\nred,big\n", "sizes.csv", apn_only=True
    ),
    "bad_workbook": lambda tmp, p: read_query_list(b"PK\x03\x04" + bytes(60), "broken.xlsx"),
    "fetch_out": lambda tmp, p: fetch_layer("https://example.invalid/0", p, tmp / "o.csv"),
    "fetch_format": lambda tmp, p: fetch_layer(
        "https://example.invalid/0", p, tmp / "o.parquet", fmt="xml"
    ),
    "fetch_not_http": lambda tmp, p: fetch_layer("ftp://layer", p, tmp / "o.parquet"),
    "not_a_layer": lambda tmp, p: LayerInfo.from_json("https://example.invalid/0", {}),
    "write_no_folder": lambda tmp, p: check_writable(tmp / "no_such_folder" / "out.parquet"),
    "write_is_folder": lambda tmp, p: check_writable(tmp),
    "write_not_folder": lambda tmp, p: check_writable(text_file(tmp / "plain.txt") / "out.csv"),
    "not_projected": lambda tmp, p: metres_per_unit(CRS.from_epsg(4326)),
    "kept_failing": lambda tmp, p: _fetch_from_failing_service(tmp, p),
    "no_policy": lambda tmp, p: p.policy_version("no_such_version"),
    "no_landmark": lambda tmp, p: p.landmark("no_such_landmark"),
    "scope": lambda tmp, p: p.policy_version().with_changes(scope="every_lot"),
    "profile_not_found": lambda tmp, p: load_profile(tmp / "missing_profile.toml"),
    "profile_toml": lambda tmp, p: load_profile(_written(tmp / "bad_profile.toml", "a = [")),
    "record_https": lambda tmp, p: check_record_template("ftp://records.example/{apn}"),
    "record_placeholders": lambda tmp, p: check_record_template("https://r.example/{owner}"),
}


def _written(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _fetch_from_failing_service(tmp: Path, profile: Profile) -> object:
    """A fetch from the loopback stand-in whose first page always answers HTTP 500."""
    retry = RetryPolicy(attempts=2, backoff_s=0.0, max_backoff_s=0.0, timeout_s=30.0)
    stand_in = StandIn(county_parcels().iloc[:20].copy(), faults=Faults(always_500={0}))
    with serve(stand_in) as server:
        return fetch_layer(
            server.url, profile, tmp / "f.parquet", retry=retry, sleep=lambda _: None
        )


def _plain_parquet(path: Path) -> Path:
    pd.DataFrame({"APN": ["1"]}).to_parquet(path)
    return path


@pytest.fixture(autouse=True)
def _vertex_budget() -> object:
    saved = checks.MAX_FILE_VERTICES
    yield
    checks.MAX_FILE_VERTICES = saved


def refused(case: str, tmp_path: Path, profile: Profile) -> InputError:
    with pytest.raises(InputError) as caught:
        CASES[case](tmp_path, profile)
    assert caught.value.key, f"{case}: {caught.value} has no catalog key"
    return caught.value


def english_fragments(key: str) -> list[str]:
    """The words of a key's English text between its placeholders that a translation must
    not keep (fragments the translation has too, such as ``--field``, are allowed)."""
    english = load_catalog("en")[0][key]
    fragments = [lit for lit, _, _, _ in string.Formatter().parse(english)]
    return [f.strip(" ;:()") for f in fragments if sum(c.isalpha() for c in f) >= 3]


def file_values(error: InputError) -> list[str]:
    values = [v for v in error.values.values() if isinstance(v, str) and not isinstance(v, Term)]
    return [v for v in [*values, error.file] if v]


@pytest.mark.parametrize("lang", ["es", "hmn"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_refusal_is_said_in_the_readers_language(
    case: str, lang: str, tmp_path: Path, profile: Profile
) -> None:
    error = refused(case, tmp_path, profile)
    t = translator(lang)
    translated = load_catalog(lang)[0]
    keys = [error.key, error.cli_key, error.app_key]
    for text in (error.for_app(t), error.for_cli(t), refusal_text(error, t, app=False)):
        for value in file_values(error):
            assert value in text, (case, value, text)
        words = text
        for value in file_values(error):  # a file named bad_profile.toml is not English text
            words = words.replace(value, " ")
        for key in filter(None, keys):
            assert key in translated, f"{lang}.po lacks {key}"
            for fragment in english_fragments(key):
                if fragment and fragment not in translated[key]:
                    assert fragment not in words, (case, lang, fragment, text)
    assert error.for_app(t) != error.for_app(), "the translation is the English text"


def test_refusals_keep_their_english_wording(tmp_path: Path, profile: Profile) -> None:
    upload = refused("upload_suffix", tmp_path, profile)
    assert str(upload) == (
        "parcels.exe: load a zipped shapefile (.zip), GeoPackage, GeoJSON, GeoParquet or "
        "FlatGeobuf file (this one ends in .exe)"
    )
    layers = refused("several_layers", tmp_path, profile)
    assert str(layers) == (
        "two.gpkg holds 2 map layers (parcels, parcels_2020); say which one holds the "
        "parcels; name it with --layer NAME"
    )
    assert layers.for_app().endswith("Layer box under “If the file is not recognised”")


def test_an_upload_refusal_names_the_users_file_not_the_copy(
    tmp_path: Path, profile: Profile
) -> None:
    error = refused("no_apn_upload", tmp_path, profile)
    for lang in ("en", "es", "hmn"):
        said = error.for_app(translator(lang))
        assert said.startswith("my_odd_file.gpkg: ") and "upload.gpkg" not in said
        assert "PARCEL_KEY" in said


def test_spanish_refusal_reads_as_spanish(tmp_path: Path, profile: Profile) -> None:
    said = refused("several_layers", tmp_path, profile).for_app(translator("es"))
    assert said == (
        "two.gpkg tiene 2 capas de mapa (parcels, parcels_2020); diga cuál tiene las "
        "parcelas; escriba su nombre en la casilla Capa, en “Si no se reconoce el archivo”"
    )
    missing = refused("no_shx_dbf", tmp_path, profile).for_app(translator("hmn"))
    assert ".shx los yog .dbf" in missing


def test_the_command_line_says_a_refusal_in_its_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from geo.cli import main

    assert main(["check", str(tmp_path / "missing_parcels.zip"), "--lang", "es"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: no se encontró el archivo: ") and "missing_parcels.zip" in err
    assert main(["diff", str(tmp_path / "x.zip"), "--policy", "nov2025", "--lang", "hmn"]) == 2
    assert capsys.readouterr().err == (
        "error: diff piv rau ob lub version: muab --policy A --policy B\n"
    )
    assert main(["diff", str(tmp_path / "x.zip"), "--policy", "nov2025"]) == 2
    assert "diff compares two versions" in capsys.readouterr().err


def test_every_error_key_in_the_library_is_in_every_catalog() -> None:
    """A key written in geo/ but missing from en.po would show as the key itself."""
    root = Path(__file__).resolve().parents[2] / "geo"
    written = set()
    for module in root.rglob("*.py"):
        written |= set(re.findall(r'"(error\.[a-z0-9_.]+)"', module.read_text()))
    assert len(written) > 60
    for lang in ("en", "es", "hmn"):
        known = set(load_catalog(lang)[0])
        assert written <= known, sorted(written - known)
