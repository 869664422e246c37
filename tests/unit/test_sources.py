"""Tests for geo.sources: reading parcel files into the canonical schema."""

from __future__ import annotations

import warnings
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from parcel_helpers import SAMPLE_ZIP, square

from geo.errors import InputError
from geo.profile import Profile
from geo.schema import CANONICAL, parse_field_overrides, resolve_fields
from geo.sources import read_parcels

COLUMNS = [*CANONICAL, "geometry"]


def common_frame(crs: str | None = "EPSG:2226") -> gpd.GeoDataFrame:
    """Two parcels with field names the profile does not list (only the common names)."""
    return gpd.GeoDataFrame(
        {
            "PARCEL_ID": ["007-0111-017-0000", "007-0111-018-0000"],
            "OWNER_NAME": ["Sacramento, City of", "ACME LLC"],
            "SITUS": [" 1201 I ST ", "1200 I ST"],
            "LU_CODE": ["P2", "C1"],
            "OTHER": [1, 2],
        },
        geometry=[square(0), square(1)],
        crs=crs,
    )


def write_without_crs(path: Path) -> None:
    """Write :func:`common_frame` with no CRS at all (no .prj, no srs)."""
    frame = common_frame(crs=None)
    if path.suffix == ".parquet":
        frame.to_parquet(path)
        return
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "'crs' was not provided", UserWarning)
        frame.to_file(path)


@pytest.fixture(scope="module")
def sample(profile: Profile) -> gpd.GeoDataFrame:
    """The bundled illustrative sample, read once."""
    return read_parcels(SAMPLE_ZIP, profile)


# --------------------------------------------------------------------- sample


def test_sample_schema_and_crs(sample: gpd.GeoDataFrame) -> None:
    # the sample has APN_DASH and PARCEL_NUM: the second is kept as the other spelling
    assert list(sample.columns) == [*CANONICAL, "apn_alt", "geometry"]
    assert sample.crs is not None and sample.crs.to_epsg() == 2226
    assert len(sample) == 1567
    assert sample.geometry.name == "geometry"


def test_sample_address_assembled_from_number_and_street(sample: gpd.GeoDataFrame) -> None:
    assert (sample["address"] == "650 CAPITOL MALL").sum() == 1
    assert not sample["address"].str.startswith(" ").any()


def test_sample_attrs(sample: gpd.GeoDataFrame) -> None:
    fields = sample.attrs["source_fields"]
    assert fields["owner"] == "NAME"
    assert fields["land_use"] == "LANDUSE"
    assert fields["apn"] == "APN_DASH"
    assert fields["address_street"] == "STREET_NAM"
    assert sample.attrs["source_name"] == "downtown_sample.zip"
    report = sample.attrs["report"]
    assert report["parcels"] == 1567
    assert report["repaired"] == 0 and report["duplicate_apn"] == 0


def test_sample_labels_and_text(sample: gpd.GeoDataFrame) -> None:
    garage = sample[sample["address"] == "1000 I ST"].iloc[0]
    assert garage["land_use"] == "P2"
    assert garage["land_use_label"] == "Parking garage"
    assert garage["owner"] == "Sacramento, City of"
    assert (sample["owner"] == "PEÑA FAMILY TRUST").any()
    for column in CANONICAL:
        assert sample[column].map(type).eq(str).all(), column


def test_display_name(profile: Profile) -> None:
    frame = read_parcels(SAMPLE_ZIP, profile, display_name="Downtown")
    assert frame.attrs["source_name"] == "Downtown"


# --------------------------------------------------------- formats, common names


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg", ".parquet"])
def test_common_field_names_without_profile_mapping(
    tmp_path: Path, profile: Profile, suffix: str
) -> None:
    path = tmp_path / f"parcels{suffix}"
    source = common_frame()
    if suffix == ".parquet":
        source.to_parquet(path)
    else:
        source.to_file(path)
    frame = read_parcels(path, profile)
    assert list(frame.columns) == COLUMNS
    assert frame.crs is not None and frame.crs.to_epsg() == 2226
    assert frame["apn"].tolist() == ["007-0111-017-0000", "007-0111-018-0000"]
    assert frame["owner"].tolist() == ["Sacramento, City of", "ACME LLC"]
    assert frame["address"].tolist() == ["1201 I ST", "1200 I ST"]  # stripped
    assert frame["land_use"].tolist() == ["P2", "C1"]
    assert frame["land_use_label"].tolist() == ["Parking garage", "Commercial or office"]
    assert frame.attrs["source_fields"] == {
        "apn": "PARCEL_ID",
        "owner": "OWNER_NAME",
        "address": "SITUS",
        "land_use": "LU_CODE",
    }
    assert frame.geometry.iloc[0].equals(square(0))


def test_field_override(tmp_path: Path, profile: Profile) -> None:
    path = tmp_path / "p.gpkg"
    common_frame().rename(columns={"PARCEL_ID": "MY_KEY"}).to_file(path)
    frame = read_parcels(path, profile, {"apn": "my_key", "owner": "SITUS"})
    assert frame["apn"].iloc[0] == "007-0111-017-0000"
    assert frame["owner"].iloc[0] == "1201 I ST"
    assert frame.attrs["source_fields"]["apn"] == "MY_KEY"


def test_field_override_naming_a_missing_field(tmp_path: Path, profile: Profile) -> None:
    path = tmp_path / "p.gpkg"
    common_frame().to_file(path)
    with pytest.raises(InputError, match=r"--field apn=NOPE.*PARCEL_ID"):
        read_parcels(path, profile, {"apn": "NOPE"})


def test_no_apn_field(tmp_path: Path, profile: Profile) -> None:
    path = tmp_path / "p.gpkg"
    common_frame().drop(columns="PARCEL_ID").to_file(path)
    with pytest.raises(InputError) as info:
        read_parcels(path, profile)
    message = str(info.value)
    assert "--field apn=" in message
    for name in ("OWNER_NAME", "SITUS", "LU_CODE", "OTHER"):
        assert name in message


def test_resolve_fields_order(profile: Profile) -> None:
    # the profile's NAME wins over the common OWNER; the override beats both
    columns = ["apn", "OWNER", "Name", "LU_CODE"]
    assert resolve_fields(columns, profile, {})["owner"] == "Name"
    assert resolve_fields(columns, profile, {"owner": "owner"})["owner"] == "OWNER"
    assert resolve_fields(columns, profile, {})["apn"] == "apn"


# -------------------------------------------------------------------- refusals


def test_points_are_refused(tmp_path: Path, profile: Profile) -> None:
    path = tmp_path / "points.gpkg"
    points = common_frame()
    points.geometry = points.geometry.centroid
    points.to_file(path)
    with pytest.raises(InputError, match="Point.*must be polygons"):
        read_parcels(path, profile)


@pytest.mark.parametrize("name", ["nocrs.gpkg", "nocrs.parquet"])
def test_no_crs_needs_crs_option(tmp_path: Path, profile: Profile, name: str) -> None:
    path = tmp_path / name
    write_without_crs(path)
    with pytest.raises(InputError, match="--crs"):
        read_parcels(path, profile)
    frame = read_parcels(path, profile, crs="EPSG:2226")
    assert frame.crs is not None and frame.crs.to_epsg() == 2226
    assert len(frame) == 2


def test_shapefile_without_prj(tmp_path: Path, profile: Profile) -> None:
    path = tmp_path / "parcels.shp"
    write_without_crs(path)
    assert not path.with_suffix(".prj").exists()
    with pytest.raises(InputError, match="--crs"):
        read_parcels(path, profile)
    assert read_parcels(path, profile, crs="EPSG:2226")["owner"].iloc[1] == "ACME LLC"


def test_unknown_crs_option(tmp_path: Path, profile: Profile) -> None:
    path = tmp_path / "nocrs.gpkg"
    write_without_crs(path)
    with pytest.raises(InputError, match="not a coordinate system"):
        read_parcels(path, profile, crs="EPSG:999999")


def test_degrees_labelled_as_feet(tmp_path: Path, profile: Profile) -> None:
    path = tmp_path / "degrees.gpkg"
    frame = common_frame()
    frame.geometry = [
        shapely.box(-121.50, 38.57, -121.49, 38.58),
        shapely.box(-121.49, 38.57, -121.48, 38.58),
    ]
    frame.to_file(path)
    with pytest.raises(InputError, match="CRS is wrong"):
        read_parcels(path, profile)


def test_not_a_zip(tmp_path: Path, profile: Profile) -> None:
    path = tmp_path / "parcels.zip"
    path.write_text("this is not a zip archive")
    with pytest.raises(InputError, match="not a valid zip"):
        read_parcels(path, profile)


def test_empty_zip(tmp_path: Path, profile: Profile) -> None:
    path = tmp_path / "empty.zip"
    zipfile.ZipFile(path, "w").close()
    with pytest.raises(InputError, match="empty"):
        read_parcels(path, profile)


def test_zip_without_a_map_layer(tmp_path: Path, profile: Profile) -> None:
    path = tmp_path / "notes.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "no parcels here")
    with pytest.raises(InputError, match="readme.txt"):
        read_parcels(path, profile)


def test_zipped_shapefile_missing_dbf(tmp_path: Path, profile: Profile) -> None:
    common_frame().to_file(tmp_path / "p.shp")
    path = tmp_path / "p.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for ext in (".shp", ".shx", ".prj"):
            archive.write(tmp_path / f"p{ext}", f"p{ext}")
    with pytest.raises(InputError, match=r"\.dbf"):
        read_parcels(path, profile)


def test_zipped_shapefile_in_a_folder(tmp_path: Path, profile: Profile) -> None:
    common_frame().to_file(tmp_path / "p.shp")
    path = tmp_path / "county.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for ext in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
            archive.write(tmp_path / f"p{ext}", f"inner/parcels{ext}")
    assert read_parcels(path, profile)["apn"].tolist()[0] == "007-0111-017-0000"


def test_missing_file(tmp_path: Path, profile: Profile) -> None:
    with pytest.raises(InputError, match="file not found"):
        read_parcels(tmp_path / "nope.gpkg", profile)


def test_broken_geojson(tmp_path: Path, profile: Profile) -> None:
    path = tmp_path / "broken.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [')
    with pytest.raises(InputError, match="broken.geojson"):
        read_parcels(path, profile)


# ---------------------------------------------------------------------- repair


def test_bow_tie_is_repaired_and_counted(tmp_path: Path, profile: Profile) -> None:
    x, y = square(0).bounds[:2]
    bow_tie = shapely.Polygon([(x, y), (x + 100, y + 100), (x + 100, y), (x, y + 100)])
    assert not bow_tie.is_valid
    frame = common_frame()
    frame.geometry = [bow_tie, square(1)]
    path = tmp_path / "bowtie.gpkg"
    frame.to_file(path)
    parcels = read_parcels(path, profile)
    assert parcels.attrs["report"]["repaired"] == 1
    assert parcels.is_valid.all()
    assert parcels.geometry.iloc[0].area == pytest.approx(5000.0)  # two triangles
    assert parcels.geometry.iloc[1].equals(square(1))


def test_report_counts_blank_duplicate_apns_and_null_geometry(
    tmp_path: Path, profile: Profile
) -> None:
    frame = gpd.GeoDataFrame(
        {"APN": ["1", "1", "", "2"]},
        geometry=[square(0), square(1), square(2), None],
        crs="EPSG:2226",
    )
    path = tmp_path / "p.gpkg"
    frame.to_file(path)
    report = read_parcels(path, profile).attrs["report"]
    assert report == {
        "parcels": 4,
        "repaired": 0,
        "null_geometry": 1,
        "blank_apn": 1,
        "duplicate_apn": 2,
    }


def test_latin1_shapefile_without_cpg(tmp_path: Path, profile: Profile) -> None:
    frame = common_frame()
    frame["OWNER_NAME"] = ["PEÑA FAMILY TRUST", "MÜLLER"]
    path = tmp_path / "p.shp"
    frame.to_file(path, encoding="ISO-8859-1")
    path.with_suffix(".cpg").unlink(missing_ok=True)
    assert read_parcels(path, profile)["owner"].tolist() == ["PEÑA FAMILY TRUST", "MÜLLER"]


def test_numeric_apn_field_reads_as_digits(tmp_path: Path, profile: Profile) -> None:
    frame = gpd.GeoDataFrame(
        {"APN": [70111017.0, np.nan]}, geometry=[square(0), square(1)], crs="EPSG:2226"
    )
    path = tmp_path / "p.gpkg"
    frame.to_file(path)
    assert read_parcels(path, profile)["apn"].tolist() == ["70111017", ""]


# ------------------------------------------------------------ --field parsing


def test_parse_field_overrides() -> None:
    assert parse_field_overrides([]) == {}
    assert parse_field_overrides(["apn=PARCEL_ID", " Owner = OWNER1 "]) == {
        "apn": "PARCEL_ID",
        "owner": "OWNER1",
    }
    assert parse_field_overrides(["address_street=ST_NAME", "apn=A", "apn=B"]) == {
        "address_street": "ST_NAME",
        "apn": "B",
    }


@pytest.mark.parametrize("item", ["apn", "apn=", "=PARCEL_ID", "parcel=PARCEL_ID", ""])
def test_parse_field_overrides_refuses(item: str) -> None:
    with pytest.raises(InputError, match="CANONICAL=SOURCE"):
        parse_field_overrides([item])
