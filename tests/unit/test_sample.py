"""Tests for the illustrative downtown sample and its generator, make_sample.py."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
import zipfile
from pathlib import Path
from types import ModuleType

import geopandas as gpd
import pyogrio
import pytest
import shapely
from pyproj import CRS, Geod

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "data" / "sacramento"
GENERATOR = SAMPLE_DIR / "make_sample.py"
ZIP_PATH = SAMPLE_DIR / "sample" / "downtown_sample.zip"
STREETS_PATH = SAMPLE_DIR / "sample" / "downtown_streets.geojson"
LAYER = f"/vsizip/{ZIP_PATH}/downtown_sample/parcels.shp"

LANDMARKS = ["650 CAPITOL MALL", "501 I ST", "915 I ST", "1000 I ST", "1201 I ST"]
MOSS_POINT = (38.5778, -121.5018)  # lat, lon


def load_generator() -> ModuleType:
    """Import make_sample.py from its path (it is a script, not a package module)."""
    spec = importlib.util.spec_from_file_location("make_sample", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


FIELDS = list(load_generator().FIELDS)  # the county's field names, as the generator writes them


@pytest.fixture(scope="module")
def parcels() -> gpd.GeoDataFrame:
    """The committed sample parcels, read back through GDAL's zip reader."""
    return pyogrio.read_dataframe(LAYER)


@pytest.fixture(scope="module")
def addresses(parcels: gpd.GeoDataFrame) -> list[str]:
    """Each parcel's address as ``number street``."""
    return (parcels["STREET_NBR"] + " " + parcels["STREET_NAM"]).tolist()


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_regenerated_files_reproduce_the_committed_ones(tmp_path: Path) -> None:
    made_zip, made_streets = load_generator().generate(tmp_path)
    assert made_streets.read_bytes() == STREETS_PATH.read_bytes()
    made, committed = _members(made_zip), _members(ZIP_PATH)
    assert sorted(made) == sorted(committed)
    for name, data in committed.items():
        if name.endswith(".prj"):  # WKT spelling may differ between GDAL releases
            assert CRS.from_wkt(made[name].decode()) == CRS.from_wkt(data.decode())
        else:
            assert made[name] == data, f"{name} differs: run make_sample.py and commit"


def test_main_writes_into_out_dir(tmp_path: Path) -> None:
    assert load_generator().main(["--out-dir", str(tmp_path)]) == 0
    assert _members(tmp_path / "downtown_sample.zip").keys() == _members(ZIP_PATH).keys()


def test_zip_layout_and_size() -> None:
    with zipfile.ZipFile(ZIP_PATH) as archive:
        names = archive.namelist()
        cpg = archive.read("downtown_sample/parcels.cpg").decode("ascii").strip()
    assert sorted(names) == names
    assert {Path(n).suffix for n in names} == {".shp", ".shx", ".dbf", ".prj", ".cpg"}
    assert all(n.startswith("downtown_sample/parcels.") for n in names)
    assert cpg.upper().replace("-", "") == "UTF8"
    assert ZIP_PATH.stat().st_size < 2 * 1024 * 1024


def test_crs_and_fields(parcels: gpd.GeoDataFrame) -> None:
    assert parcels.crs is not None and parcels.crs.to_epsg() == 2226
    assert [c for c in parcels.columns if c != "geometry"] == FIELDS
    assert set(parcels["JURISDICTI"]) == {"SACRAMENTO"}


def test_apns_are_unique_and_well_formed(parcels: gpd.GeoDataFrame) -> None:
    dashed = parcels["APN_DASH"]
    assert dashed.is_unique
    assert dashed.map(lambda s: re.fullmatch(r"\d{3}-\d{4}-\d{3}-\d{4}", s) is not None).all()
    digits = dashed.str.replace("-", "", regex=False)
    assert (parcels["PARCEL_NUM"] == digits).all()
    assert (parcels["APN10"] == digits.str[:10]).all()


def test_geometries_are_valid_polygons(parcels: gpd.GeoDataFrame) -> None:
    assert (parcels.geom_type == "Polygon").all()
    assert parcels.is_valid.all()
    assert (parcels["LOTSIZE"] - parcels.area).abs().max() < 1


def test_parcels_do_not_overlap(parcels: gpd.GeoDataFrame) -> None:
    left, right = parcels.sindex.query(parcels.geometry, predicate="intersects")
    pairs = left < right
    geoms = parcels.geometry.values
    overlap = shapely.area(shapely.intersection(geoms[left[pairs]], geoms[right[pairs]]))
    assert overlap.sum() < 1.0


@pytest.mark.parametrize("address", LANDMARKS)
def test_landmark_address_appears_once(addresses: list[str], address: str) -> None:
    assert addresses.count(address) == 1


def test_non_ascii_owner_reads_back(parcels: gpd.GeoDataFrame) -> None:
    assert (parcels["NAME"] == "PEÑA FAMILY TRUST").any()


def test_moss_parcel_is_near_its_reference_point(
    parcels: gpd.GeoDataFrame, addresses: list[str]
) -> None:
    moss = parcels.iloc[[addresses.index("650 CAPITOL MALL")]]
    assert moss["NAME"].iloc[0] == "UNITED STATES OF AMERICA"
    centre = moss.geometry.centroid.to_crs(4326).iloc[0]
    _, _, metres = Geod(ellps="WGS84").inv(centre.x, centre.y, MOSS_POINT[1], MOSS_POINT[0])
    assert metres < 1000


def test_streets_geojson() -> None:
    data = json.loads(STREETS_PATH.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection"
    names = {f["properties"]["name"]: f["properties"]["kind"] for f in data["features"]}
    assert names["9TH ST"] == "numbered"
    assert names["CAPITOL MALL"] == "lettered"
    assert len(names) == 31
    for feature in data["features"]:
        assert feature["geometry"]["type"] == "LineString"
        for lon, lat in feature["geometry"]["coordinates"]:
            assert -121.52 < lon < -121.47 and 38.56 < lat < 38.60
