"""Street names from parcel addresses, for a county handout without a street layer.

The sample comes with its street centrelines (drawn from the downtown grid), so the lines
made from the parcels' addresses alone can be held against them: each must run along its
street (within the street's half width of its centreline, and parallel to it).
"""

from __future__ import annotations

import re

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
import shapely

from geo.analysis import Analysis, analyse
from geo.profile import Profile
from geo.sources import read_parcels
from geo.spaces import assembly_places, place_geometry
from geo.street_names import street_of, streets_from_addresses
from layers.compose import place_sheet

HALF_STREET_M = 15.0  # the grid's streets are 80 ft (24 m) wide
FEET = 0.3048006096012192


@pytest.fixture(scope="module")
def parcels(profile: Profile) -> gpd.GeoDataFrame:
    return read_parcels(profile.sample_path(), profile).to_crs(2226)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def centrelines(profile: Profile) -> gpd.GeoDataFrame:
    return pyogrio.read_dataframe(profile.streets_path()).to_crs(2226)


def angle(line: shapely.LineString) -> float:
    (x0, y0), (x1, y1) = line.coords[0], line.coords[-1]
    return float(np.degrees(np.arctan2(y1 - y0, x1 - x0)) % 180)


@pytest.mark.parametrize("address", ["915 I ST", "650 CAPITOL MALL", "201 N ST"])
def test_each_line_runs_along_its_street(
    parcels: gpd.GeoDataFrame, centrelines: gpd.GeoDataFrame, address: str
) -> None:
    focus = parcels.geometry[parcels["address"] == address].iloc[0]
    found = streets_from_addresses(parcels, focus.centroid.buffer(1500))
    assert len(found) >= 5 and found.crs == parcels.crs
    for name, line in zip(found["name"], found.geometry, strict=True):
        centre = centrelines.geometry[centrelines["name"] == name].iloc[0]
        far = max(centre.distance(shapely.Point(c)) for c in line.coords) * FEET
        assert far <= HALF_STREET_M, (name, far)
        turn = abs(angle(line) - angle(centre)) % 180
        assert min(turn, 180 - turn) < 5, (name, turn)


def test_streets_of_addresses() -> None:
    assert street_of("1201 I ST") == "I ST"
    assert street_of("650  Capitol   Mall, Sacramento") == "CAPITOL MALL"
    assert street_of("12B-3 N ST") == "N ST"
    assert street_of("") == street_of("CAPITOL MALL") == ""


def test_a_handout_without_a_street_layer_names_the_streets(profile: Profile) -> None:
    """A county file (here the sample, not marked illustrative) and no centreline layer."""
    sample: Analysis = analyse(read_parcels(profile.sample_path(), profile), profile)  # type: ignore[arg-type]
    places = assembly_places(sample, profile.assembly, profile.rules, 800)
    pick = int(places.index[places["address"] == "915 I ST"][0])
    row = {str(k): v for k, v in places.drop(columns="geometry").iloc[pick].items()}
    shape = place_geometry(places, pick, sample.zone.crs)
    sheet = place_sheet(sample, row, shape, [], ("county.parquet", "2026-12-01", False), "?q=x")
    names = set(re.findall(r"<text [^>]*>([^<]+)</text>", sheet))
    assert {"I ST", "J ST"} <= names, names
