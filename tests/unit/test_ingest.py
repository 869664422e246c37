"""Tests for reading parcel files (geo.archive, geo.sources) and ``civicmap ingest / values``.

Every file is built in ``tmp_path`` by :mod:`ingest_fixtures`. Bad input must end the command
line with status 2 and exactly one ``error:`` line, and be refused by ``read_parcels`` with an
:class:`~geo.errors.InputError` carrying the same message.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

import geopandas as gpd
import ingest_fixtures as fx
import pyarrow.parquet as pq
import pytest
import shapely

from geo import archive
from geo.archive import open_archive
from geo.cli import main
from geo.errors import InputError
from geo.profile import Profile, load_profile
from geo.sources import METADATA_KEY, read_parcels

Builder = Callable[[Path], Path]


@pytest.fixture(scope="module")
def profile() -> Profile:
    """The bundled Sacramento profile."""
    return load_profile()


def run_cli(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    """Run ``civicmap`` in process; return (status, stdout, stderr)."""
    capsys.readouterr()
    status = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return status, out, err


def check_rows(capsys: pytest.CaptureFixture[str], src: Path, *args: object) -> list[dict]:
    """``civicmap check SRC --format json`` as a list of row dicts (status must be 0), without
    the columns that say where and when the answers came from."""
    status, out, err = run_cli(capsys, "check", src, "--quiet", "--format", "json", *args)
    assert status == 0, err
    cited = {"data_source", "data_date", "data_date_basis", "generated_at"}
    return [{k: v for k, v in row.items() if k not in cited} for row in json.loads(out)]


def verdicts(rows: Sequence[dict]) -> dict[str, tuple[str, bool]]:
    """APN to (verdict, in the free speech zone)."""
    return {r["apn"]: (r["verdict"], r["in_free_speech_zone"]) for r in rows}


def assert_refused(
    capsys: pytest.CaptureFixture[str],
    profile: Profile,
    path: Path,
    words: Sequence[str],
    *args: str,
) -> str:
    """The CLI and ``read_parcels`` both refuse ``path``, with a message holding ``words``."""
    status, out, err = run_cli(capsys, "check", path, "--quiet", *args)
    assert status == 2, (out, err)
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ")
    assert "Traceback" not in err
    message = lines[0].removeprefix("error: ")
    for word in words:
        assert word.lower() in message.lower(), message
    with pytest.raises(InputError) as caught:
        read_parcels(path, profile)
    assert str(caught.value) == message
    return message


# --- bad files --------------------------------------------------------------------------------


def _no_apn(tmp: Path) -> Path:
    frame = fx.county_frame().rename(columns={"APN_DASH": "PARCELKEY"})
    return fx.write_geojson(frame, tmp / "parcels.geojson")


def _degrees(tmp: Path) -> Path:
    boxes = [
        shapely.box(-121.502, 38.577, -121.5015, 38.5775),
        shapely.box(-121.5, 38.578, -121.4995, 38.5785),
    ]
    return fx.write_zipped_shapefile(fx.frame_of(boxes), tmp / "parcels.zip")


def _degrees_esri_prj(tmp: Path) -> Path:
    boxes = [shapely.box(-121.502, 38.577, -121.5015, 38.5775)]
    shp = fx.write_shapefile(fx.frame_of(boxes), tmp / "parts")
    shp.with_suffix(".prj").write_text(fx.esri_prj(), encoding="ascii")
    return fx.zip_files(sorted(shp.parent.iterdir()), tmp / "parcels.zip")


def _points(tmp: Path) -> Path:
    frame = fx.frame_of([fx.square(0).centroid, fx.square(1).centroid])
    return fx.write_gpkg(frame, tmp / "parcels.gpkg")


def _lines(tmp: Path) -> Path:
    frame = fx.frame_of([fx.square(0).boundary, fx.square(1).boundary])
    return fx.write_zipped_shapefile(frame, tmp / "parcels.zip")


BAD_FILES = [
    pytest.param(
        lambda t: fx.text_file(t / "parcels.zip"), ["parcels.zip", "not a valid zip"], id="text-zip"
    ),
    pytest.param(lambda t: fx.text_file(t / "parcels.gpkg"), ["parcels.gpkg"], id="text-gpkg"),
    pytest.param(lambda t: fx.empty_zip(t / "parcels.zip"), ["empty archive"], id="empty-zip"),
    pytest.param(
        lambda t: fx.write_county_zip(t, "parcels.zip", drop=(".dbf",)),
        ["parcels.shp", "no .dbf"],
        id="no-dbf",
    ),
    pytest.param(
        lambda t: fx.write_county_zip(t, "parcels.zip", drop=(".shx",)),
        ["parcels.shp", "no .shx"],
        id="no-shx",
    ),
    pytest.param(
        lambda t: fx.write_county_zip(t, "parcels.zip", drop=(".prj",)),
        ["coordinate system", "--crs"],
        id="no-prj",
    ),
    pytest.param(_degrees, ["EPSG:2226", "CRS is wrong", "degrees"], id="degrees-as-feet"),
    pytest.param(_degrees_esri_prj, ["EPSG:2226", "CRS is wrong"], id="degrees-esri-prj"),
    pytest.param(_points, ["Point", "must be polygons"], id="points"),
    pytest.param(_lines, ["LineString", "must be polygons"], id="lines"),
    pytest.param(
        lambda t: fx.empty_feature_collection(t / "parcels.geojson"),
        ["parcels.geojson", "no features"],
        id="empty-geojson",
    ),
    pytest.param(
        lambda t: fx.empty_gpkg(t / "parcels.gpkg"),
        ["parcels.gpkg", "no features"],
        id="empty-gpkg",
    ),
    pytest.param(
        lambda t: fx.truncated_geojson(t / "parcels.geojson"),
        ["parcels.geojson", "GeoJSON"],
        id="truncated-geojson",
    ),
    pytest.param(
        _no_apn,
        [
            "no APN field",
            "PARCELKEY",
            "STREET_NBR",
            "STREET_NAM",
            "NAME",
            "LANDUSE",
            "--field apn=",
        ],
        id="no-apn-field",
    ),
    pytest.param(
        lambda t: fx.zip_with_member_names(t / "parcels.zip", ["../evil.shp"]),
        ["leaves the archive", "../evil.shp"],
        id="zip-slip-relative",
    ),
    pytest.param(
        lambda t: fx.zip_with_member_names(t / "parcels.zip", ["/abs/evil.shp"]),
        ["leaves the archive", "/abs/evil.shp"],
        id="zip-slip-absolute",
    ),
]


@pytest.mark.parametrize(("build", "words"), BAD_FILES)
def test_bad_file_is_refused_with_one_error_line(
    build: Builder,
    words: Sequence[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    profile: Profile,
) -> None:
    """Each bad file: status 2, one ``error:`` line saying what is wrong, InputError."""
    assert_refused(capsys, profile, build(tmp_path), words)


def test_text_named_gpkg_says_it_is_not_a_geopackage(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], profile: Profile
) -> None:
    """The message says the file is not what its name says, without GDAL driver advice."""
    message = assert_refused(
        capsys, profile, fx.text_file(tmp_path / "parcels.gpkg"), ["parcels.gpkg", "GeoPackage"]
    )
    assert "does not match its name" in message, message
    assert "<DRIVER>" not in message, message


def test_truncated_geojson_says_it_is_broken(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], profile: Profile
) -> None:
    """A GeoJSON cut short is reported as damaged, with where it breaks, not as another format."""
    src = fx.truncated_geojson(tmp_path / "parcels.geojson")
    message = assert_refused(capsys, profile, src, ["parcels.geojson"])
    assert "does not match its name" not in message, message
    assert "line" in message.lower(), message


def test_missing_prj_is_read_with_crs_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], profile: Profile
) -> None:
    """A shapefile without ``.prj`` is refused, then read with ``--crs EPSG:2226``."""
    src = fx.write_county_zip(tmp_path, "parcels.zip", drop=(".prj",))
    assert "--crs" in assert_refused(capsys, profile, src, ["coordinate system"])
    assert verdicts(check_rows(capsys, src, "--crs", "EPSG:2226")) == verdicts(
        check_rows(capsys, fx.write_county_zip(tmp_path, "full.zip"))
    )
    frame = read_parcels(src, profile, crs="EPSG:2226")
    assert frame.crs is not None and frame.crs.to_epsg() == 2226


@pytest.mark.parametrize("name", ["../evil.shp", "/abs/evil.shp", "county/../../evil.shp"])
def test_zip_slip_writes_nothing_outside(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], profile: Profile
) -> None:
    """A member path leaving the archive is refused and no ``evil.shp`` appears anywhere near."""
    inside = tmp_path / "inside"
    inside.mkdir()
    src = fx.zip_with_member_names(inside / "parcels.zip", [name, "parcels.shp"])
    before = set(tmp_path.parent.iterdir())
    assert_refused(capsys, profile, src, ["leaves the archive"])
    with pytest.raises(InputError, match="leaves the archive"):
        open_archive(src)
    assert set(tmp_path.parent.iterdir()) == before
    assert not list(tmp_path.rglob("evil.shp"))
    assert not (tmp_path.parent / "evil.shp").exists()
    assert not Path("/abs/evil.shp").exists()


# --- archive sizes ----------------------------------------------------------------------------


def test_declared_size_over_cap_refused_before_inflating(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 5,000-byte member against a 1,000-byte cap is refused from the declared sizes."""
    src = fx.zip_of_size(tmp_path / "parcels.zip", 5000, "parcels.gpkg")

    def never(*args: object) -> bool:
        raise AssertionError("the archive was inflated before its declared size was checked")

    monkeypatch.setattr(archive, "_inflate", never)
    with pytest.raises(InputError, match="refused"):
        open_archive(src, max_inflated=1000)


def test_declared_size_message_states_real_sizes(tmp_path: Path) -> None:
    """The size message gives both sizes in words (not "0 MB, more than the 0 MB")."""
    src = fx.zip_of_size(tmp_path / "parcels.zip", 5000, "parcels.gpkg")
    with pytest.raises(InputError) as caught:
        open_archive(src, max_inflated=1000)
    message = str(caught.value)
    assert "5,000 bytes" in message and "1,000 bytes" in message, message
    assert "0 MB" not in message, message


def test_inflate_counts_real_bytes(tmp_path: Path) -> None:
    """``_inflate`` refuses once the bytes it really inflates pass the cap.

    An honest archive (declared size == real size) is used, with a cap between its
    compressed and inflated sizes; ``open_archive`` would refuse it earlier, from the
    declared size, so the counter is called directly.
    """
    src = fx.zip_of_size(tmp_path / "parcels.zip", 200_000, "parcels.gpkg")
    with zipfile.ZipFile(src) as z:
        infos = z.infolist()
    cap = 50_000
    assert infos[0].compress_size < cap < infos[0].file_size
    with pytest.raises(InputError, match="inflates past"):
        archive._inflate(src, infos, cap, None)
    assert archive._inflate(src, infos, 200_000, None) is True


@pytest.mark.parametrize("prefix_crc", [False, True], ids=["crc-of-all", "crc-of-prefix"])
def test_zip_lying_about_size_is_refused(prefix_crc: bool, tmp_path: Path) -> None:
    """A member declared as 100 bytes that inflates to 200,000 is refused by counting.

    Hand-crafted: an honest zip whose local and central ``file_size`` fields are patched
    to 100 (and, for ``crc-of-prefix``, whose CRC fields are patched to the CRC of the
    first 100 bytes, so a reader stopping at the declared size sees nothing wrong).
    """
    src = fx.lying_zip(
        tmp_path / "parcels.zip", bytes(200_000), 100, "parcels.gpkg", prefix_crc=prefix_crc
    )
    with zipfile.ZipFile(src) as z:
        assert z.infolist()[0].file_size == 100
    with pytest.raises(InputError, match="parcels.zip inflates past 1,000 bytes"):
        open_archive(src, max_inflated=1000)
    with pytest.raises(InputError, match="says it holds 100 bytes but inflates to"):
        open_archive(src)


def test_lying_zip_is_refused_before_gdal_reads_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], profile: Profile
) -> None:
    """A GeoJSON member declared at its valid length, with garbage after it, never reaches GDAL.

    GDAL's ``/vsizip/`` inflates past the declared size (it would read the garbage), so the
    archive must be refused before it is opened.
    """
    good = fx.write_geojson(fx.county_frame(), tmp_path / "good.geojson").read_bytes()
    src = fx.lying_zip(
        tmp_path / "parcels.zip",
        good + b"}GARBAGE" * 10_000,
        len(good),
        "parcels.geojson",
        prefix_crc=True,
    )
    assert_refused(capsys, profile, src, ["parcels.zip", "inflates to", "forged"])


def test_archive_member_in_a_folder(tmp_path: Path) -> None:
    """The shapefile is found in ``county/`` inside the archive, without extracting."""
    src = fx.write_county_zip(tmp_path, "parcels.zip", folder="county")
    member = open_archive(src)
    assert member.member == "county/parcels.shp"
    assert member.gdal_path == f"/vsizip/{src}/county/parcels.shp"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["parcels.zip"]


def test_metadata_json_beside_shapefile_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A county zip with ``metadata.json`` beside its shapefile folder is still read."""
    src = fx.write_county_zip(tmp_path, "parcels.zip", folder="county")
    with zipfile.ZipFile(src, "a") as z:
        z.writestr("metadata.json", json.dumps({"title": "Parcels", "updated": "2026-11-01"}))
    assert len(check_rows(capsys, src)) == len(fx.ROWS)


# --- good files -------------------------------------------------------------------------------


def _county_zip(tmp: Path) -> Path:
    return fx.write_county_zip(tmp, "county.zip")


def _nested_zip(tmp: Path) -> Path:
    return fx.write_county_zip(tmp, "nested.zip", folder="county")


def _geojson_4326(tmp: Path) -> Path:
    return fx.write_geojson(fx.one_address_frame(fx.GEOJSON_NAMES), tmp / "parcels.geojson")


def _odd_gpkg(tmp: Path) -> Path:
    return fx.write_gpkg(fx.one_address_frame(fx.ODD_NAMES), tmp / "parcels.gpkg")


def _geoparquet(tmp: Path) -> Path:
    return fx.write_parquet(fx.county_frame(), tmp / "parcels.parquet")


ODD_ARGS = [a for option in fx.ODD_FIELD_OPTIONS for a in ("--field", option)]
GOOD_FILES = [
    pytest.param(_county_zip, [], id="county-zip"),
    pytest.param(_nested_zip, [], id="zip-with-folder"),
    pytest.param(_geojson_4326, [], id="geojson-4326"),
    pytest.param(_odd_gpkg, ODD_ARGS, id="gpkg-field-mapping"),
    pytest.param(_geoparquet, [], id="geoparquet"),
]
# The zone is public space: only the city's own parcels are in it (not the federal landmark,
# not the parcel whose owner needs review, not the private office).
EXPECTED_IN_ZONE = {apn: apn in (fx.ROWS[1][0], fx.ROWS[2][0]) for apn in fx.EXPECTED_VERDICTS}


@pytest.mark.parametrize(("build", "args"), GOOD_FILES)
def test_good_file_gives_the_verdicts(
    build: Builder, args: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every format and schema gives the same verdicts (the city garage is covered)."""
    rows = check_rows(capsys, build(tmp_path), *args)
    assert verdicts(rows) == {
        apn: (verdict, EXPECTED_IN_ZONE[apn]) for apn, verdict in fx.EXPECTED_VERDICTS.items()
    }
    garage = next(r for r in rows if r["apn"] == fx.GARAGE_APN)
    assert garage["owner"] == "CITY OF SACRAMENTO"
    assert garage["site_kind"] == "parking garage"
    assert garage["address"] == "700 CAPITOL MALL"


def test_geojson_keeps_source_crs_and_maps_fields(tmp_path: Path, profile: Profile) -> None:
    """The GeoJSON stays in EPSG:4326 and its fields map to the canonical columns."""
    frame = read_parcels(_geojson_4326(tmp_path), profile)
    assert frame.crs is not None and frame.crs.to_epsg() == 4326
    assert frame.attrs["source_fields"]["apn"] == "PARCEL_ID"
    assert frame.attrs["source_fields"]["owner"] == "OWNER_NAME"
    assert frame.attrs["source_fields"]["address"] == "SITUS"
    assert frame.attrs["source_fields"]["land_use"] == "LU_CODE"
    assert list(frame.columns) == [
        "apn",
        "address",
        "owner",
        "land_use",
        "land_use_label",
        "geometry",
    ]
    assert frame.loc[frame["apn"] == fx.GARAGE_APN, "land_use_label"].item() == "Parking garage"


def test_odd_names_need_the_field_mapping(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], profile: Profile
) -> None:
    """Without ``--field`` the odd-named GeoPackage is refused with its fields listed."""
    src = _odd_gpkg(tmp_path)
    assert_refused(capsys, profile, src, ["PARCEL_KEY", "TITLEHOLDER", "ADDR", "USECD"])
    status, _, err = run_cli(capsys, "check", src, "--quiet", "--field", "apn=NOPE")
    assert status == 2 and err.startswith("error: --field apn=NOPE")


def test_bow_ties_are_repaired_and_counted(tmp_path: Path, profile: Profile) -> None:
    """Self-crossing polygons are made valid and counted in the report."""
    frame = fx.frame_of([fx.bow_tie(0), fx.square(1), fx.bow_tie(2)])
    assert (~frame.geometry.is_valid).sum() == 2
    parcels = read_parcels(fx.write_zipped_shapefile(frame, tmp_path / "p.zip"), profile)
    assert parcels.attrs["report"]["repaired"] == 2
    assert parcels.geometry.is_valid.all()
    assert set(parcels.geom_type) <= {"Polygon", "MultiPolygon"}
    assert len(parcels) == 3


@pytest.mark.parametrize("writer", ["zip", "gpkg", "geojson"])
def test_null_geometry_is_kept_and_counted(
    writer: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], profile: Profile
) -> None:
    """A parcel without geometry stays in the table, is counted and can still be checked."""
    frame = fx.frame_of([fx.square(0), None, fx.square(2)])
    src = {
        "zip": lambda: fx.write_zipped_shapefile(frame, tmp_path / "p.zip"),
        "gpkg": lambda: fx.write_gpkg(frame, tmp_path / "p.gpkg"),
        "geojson": lambda: fx.write_geojson(frame, tmp_path / "p.geojson"),
    }[writer]()
    parcels = read_parcels(src, profile)
    assert len(parcels) == 3
    assert parcels.attrs["report"]["null_geometry"] == 1
    missing = frame["APN_DASH"][1]
    assert parcels.loc[parcels["apn"] == missing, "geometry"].isna().all()
    rows = check_rows(capsys, src, "--apn", missing)
    assert [r["apn"] for r in rows] == [missing]
    assert rows[0]["verdict"] == "covered"


def test_duplicate_apns_are_reported_not_dropped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], profile: Profile
) -> None:
    """Two parcels with one APN both stay and are counted."""
    apns = ["006-0020-001-0000", "006-0020-001-0000", "006-0020-002-0000"]
    src = fx.write_gpkg(
        fx.frame_of([fx.square(i) for i in range(3)], apns=apns), tmp_path / "p.gpkg"
    )
    parcels = read_parcels(src, profile)
    assert parcels["apn"].tolist() == apns
    assert parcels.attrs["report"]["duplicate_apn"] == 2
    assert len(check_rows(capsys, src, "--apn", apns[0])) == 2


OWNERS = ["PEÑA FAMILY TRUST", "PEÑA ÁLVAREZ"]


def test_cpg_utf8_shapefile_reads_accents(tmp_path: Path, profile: Profile) -> None:
    """A zipped shapefile whose ``.cpg`` says UTF-8 reads ``PEÑA``."""
    frame = fx.frame_of([fx.square(0), fx.square(1)], owners=OWNERS)
    src = fx.write_zipped_shapefile(frame, tmp_path / "p.zip")
    with zipfile.ZipFile(src) as z:
        assert z.read("parcels.cpg").strip() == b"UTF-8"
    assert read_parcels(src, profile)["owner"].tolist() == OWNERS


@pytest.mark.parametrize("zipped", [True, False], ids=["zipped", "loose"])
def test_latin1_dbf_without_cpg_reads_accents(
    zipped: bool, tmp_path: Path, capsys: pytest.CaptureFixture[str], profile: Profile
) -> None:
    """A latin-1 ``.dbf`` with no ``.cpg`` reads ``PEÑA ÁLVAREZ``, zipped or loose."""
    frame = fx.frame_of([fx.square(0), fx.square(1)], owners=OWNERS)
    shp = fx.write_shapefile(frame, tmp_path / "parts", encoding="ISO-8859-1", cpg=False)
    dbf = shp.with_suffix(".dbf").read_bytes()
    assert "PEÑA ÁLVAREZ".encode("latin-1") in dbf and "Ñ".encode() not in dbf
    assert not shp.with_suffix(".cpg").exists()
    src = shp
    if zipped:
        src = fx.zip_files(sorted(shp.parent.iterdir()), tmp_path / "p.zip")
        assert open_archive(src).encoding == "ISO-8859-1"
    assert read_parcels(src, profile)["owner"].tolist() == OWNERS
    assert [r["owner"] for r in check_rows(capsys, src, "--owner-names")] == OWNERS


# --- ingest, values, city lists ---------------------------------------------------------------


def test_ingest_writes_geoparquet_and_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], profile: Profile
) -> None:
    """``ingest`` writes GeoParquet with a bbox column and our metadata, and a summary."""
    src, out = _county_zip(tmp_path), tmp_path / "x.parquet"
    status, stdout, err = run_cli(capsys, "ingest", src, "--out", out, "--quiet")
    assert status == 0, err
    lines = stdout.splitlines()
    assert "parcels: 5" in lines
    by_verdict = next(line for line in lines if line.startswith("by verdict: "))
    counts = dict(
        part.rsplit(" ", 1) for part in by_verdict.removeprefix("by verdict: ").split(", ")
    )
    assert counts == {"covered": "2", "needs review": "1", "not covered": "2"}
    assert lines[-1] == f"wrote: {out}"

    schema = pq.read_schema(out)
    assert "bbox" in schema.names
    meta = json.loads(schema.metadata[METADATA_KEY])
    assert meta["ingested"] is True
    assert meta["source_name"] == "county.zip"
    assert meta["report"]["parcels"] == 5
    assert meta["source_fields"]["apn"] == "APN_DASH"
    geo_meta = json.loads(schema.metadata[b"geo"])
    assert "covering" in geo_meta["columns"]["geometry"]

    back = read_parcels(out, profile)
    assert back.attrs["source_name"] == "county.zip"
    assert isinstance(back, gpd.GeoDataFrame) and len(back) == 5


def test_check_on_ingested_parquet_matches_source(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``check x.parquet --apn ...`` gives the rows ``check SRC --apn ...`` gives."""
    src, out = _county_zip(tmp_path), tmp_path / "x.parquet"
    assert run_cli(capsys, "ingest", src, "--out", out, "--quiet")[0] == 0
    queries = ["--apn", fx.GARAGE_APN, "--apn", "0060010004", "--apn", "999-9999-999-9999"]
    from_source = check_rows(capsys, src, *queries)
    assert check_rows(capsys, out, *queries) == from_source
    assert [r["verdict"] for r in from_source] == ["covered", "needs review", "not found"]
    assert check_rows(capsys, out) == check_rows(capsys, src)


def test_values_lists_codes_with_counts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``values SRC LANDUSE`` counts each land-use code, with its description and site kind;
    a missing field is an error."""
    src = _county_zip(tmp_path)
    status, out, err = run_cli(capsys, "values", src, "LANDUSE", "--format", "csv")
    assert status == 0, err
    lines = out.splitlines()
    assert lines[0] == "value,description,parcels,site_kind"
    assert {line.split(",")[0]: line.split(",")[2] for line in lines[1:]} == {
        "P1": "2",
        "P2": "1",
        "G1": "1",
        "C1": "1",
    }
    assert lines[1] == "P1,Parking lot (surface),2,parking lot"
    status, _, err = run_cli(capsys, "values", src, "ZONING")
    assert status == 2 and err.count("\n") == 1
    assert "ZONING" in err and "LANDUSE" in err


def test_values_on_ingested_parquet_by_source_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``values x.parquet LANDUSE`` answers as ``values SRC LANDUSE`` does."""
    src, out = _county_zip(tmp_path), tmp_path / "x.parquet"
    assert run_cli(capsys, "ingest", src, "--out", out, "--quiet")[0] == 0
    expected = run_cli(capsys, "values", src, "LANDUSE")
    assert run_cli(capsys, "values", out, "land_use") == expected
    assert run_cli(capsys, "values", out, "LANDUSE") == expected


CITY_LISTS = [
    pytest.param(lambda t: fx.apn_csv(t / "list.csv", [fx.GARAGE_APN]), id="csv-apn-header"),
    pytest.param(lambda t: fx.apn_csv(t / "list.txt", ["0060010002"], header=None), id="bare"),
    pytest.param(
        lambda t: fx.write_geojson(fx.county_frame().iloc[[1]], t / "list.geojson"), id="layer"
    ),
]


@pytest.mark.parametrize("build", CITY_LISTS)
def test_city_list_marks_parcels_city_owned(
    build: Builder, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With owners blank, a listed parcel becomes city-owned and covered."""
    src = fx.write_county_zip(tmp_path, "blank.zip", blank_owners=True)
    city_list = build(tmp_path)
    before = {r["apn"]: r for r in check_rows(capsys, src)}
    after = {r["apn"]: r for r in check_rows(capsys, src, "--city-list", city_list)}
    assert before[fx.GARAGE_APN]["verdict"] == "needs review"
    assert after[fx.GARAGE_APN]["verdict"] == "covered"
    assert after[fx.GARAGE_APN]["owner_class"] == "city"
    assert after[fx.GARAGE_APN]["owner"] == ""
    others = [apn for apn in after if apn != fx.GARAGE_APN]
    assert all(after[a]["verdict"] == before[a]["verdict"] == "needs review" for a in others)

    out = tmp_path / "x.parquet"
    status, stdout, err = run_cli(
        capsys, "ingest", src, "--out", out, "--quiet", "--city-list", city_list
    )
    assert status == 0, err
    assert "by verdict: needs review 4, covered 1" in stdout.splitlines()


def test_ingest_refuses_a_non_parquet_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``ingest --out x.txt`` exits 2 with one error line and writes nothing."""
    src, out = _county_zip(tmp_path), tmp_path / "x.txt"
    status, stdout, err = run_cli(capsys, "ingest", src, "--out", out, "--quiet")
    assert status == 2 and stdout == ""
    assert err.count("\n") == 1 and err.startswith("error: ") and ".parquet" in err
    assert not out.exists()
