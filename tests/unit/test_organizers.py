"""What organizers take away: the place handout, the offline map and a drawn shape's exports,
in the reader's language, with the streets around the place."""

from __future__ import annotations

import json
import re

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely

from geo.analysis import Analysis, analyse
from geo.drawn import drawn_geojson, shape_summary, touched_parcels
from geo.i18n import translator
from geo.profile import Profile
from geo.sources import read_parcels
from geo.spaces import assembly_places, place_geometry
from geo.vendor import read_vendor_files
from layers.compose import place_sheet
from layers.standalone import standalone_html

SOURCE = ("sample", "2026-11-25", True)


@pytest.fixture(scope="module")
def sample(profile: Profile) -> Analysis:
    """The bundled sample, analysed under the default policy."""
    return analyse(read_parcels(profile.sample_path(), profile), profile)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def streets(profile: Profile) -> gpd.GeoDataFrame:
    """The sample's street centrelines."""
    return pyogrio.read_dataframe(profile.streets_path())


def handout(sample: Analysis, profile: Profile, streets: gpd.GeoDataFrame, where: str) -> str:
    """The Spanish handout of the zone's streets (``row``) or of City Hall (``hall``)."""
    places = assembly_places(sample, profile.assembly, profile.rules, 800, "es")
    pick = 0 if where == "row" else int(places.index[places["address"] == "915 I ST"][0])
    row = {str(k): v for k, v in places.drop(columns="geometry").iloc[pick].items()}
    rules = places.attrs["rules"][row["place_id"]]
    link = "http://localhost:8501/?distance=150&lang=es"
    shape = place_geometry(places, pick, sample.zone.crs)
    return place_sheet(sample, row, shape, rules, SOURCE, link, translator("es"), streets, "es")


def test_the_street_handout_is_spanish_and_shows_the_streets_and_the_zone(
    sample: Analysis, profile: Profile, streets: gpd.GeoDataFrame
) -> None:
    sheet = handout(sample, profile, streets, "row")
    assert '<html lang="es">' in sheet
    assert "Calles y aceras en la zona de libertad de expresión" in sheet
    assert "Quédese en la acera" in sheet  # the sidewalk rule, in Spanish
    assert "Deje un paso libre" in sheet
    names = set(re.findall(r"<text [^>]*>([^<]+)</text>", sheet))
    assert {"CAPITOL MALL", "6TH ST", "7TH ST"} <= names  # the streets around Moss, named
    assert re.search(r">\d+ m</text>", sheet), "no scale bar"
    assert ">N</text>" in sheet, "no north arrow"
    assert "Edificio de referencia" in sheet and "Este lugar" in sheet  # the map's key
    assert "lang=es" in sheet and "distance=150" in sheet


def test_city_hall_handout_counts_its_plaza_not_its_parcel(
    sample: Analysis, profile: Profile, streets: gpd.GeoDataFrame
) -> None:
    sheet = handout(sample, profile, streets, "hall")
    assert "1,800 m²" in sheet and "no toda la parcela" in sheet
    assert "10,240" not in sheet  # the whole block's loose capacity is gone
    assert "1,937" in sheet


def test_the_offline_map_is_spanish_with_search_places_and_locate(
    sample: Analysis, profile: Profile, streets: gpd.GeoDataFrame
) -> None:
    html = standalone_html(
        sample, profile, read_vendor_files(), SOURCE, streets, "es", within_m=800
    )
    assert "cmOfflineTools" in html and "Direcci\\u00f3n o APN" in html
    assert "Lugares para reunirse" in html
    assert "Calles y aceras en la zona" in html  # the streets are a place in the list
    assert "Qué significan los colores" in html or "Qu\\u00e9 significan los colores" in html
    assert "L.control.locate(" in html  # "Where am I?", in the browser only
    call = re.search(r"cmOfflineTools\([^,]+, (\{.*?\})\);", html, re.S)
    assert call, "the offline tools are not called"
    data = json.loads(call.group(1))
    assert any(r[1] == "650 CAPITOL MALL" for r in data["index"])  # search finds Moss
    assert data["places"][0][1].count("·") == 2  # capacities: loose · dense · packed
    opening = re.search(
        r"\.fitBounds\(\s*\[\[([-\d.]+), ([-\d.]+)\], \[([-\d.]+), ([-\d.]+)\]\],\s*(\{[^}]*\})",
        html,
    )
    assert opening, "the map does not open on a place"
    south, west, north, east = (float(v) for v in opening.groups()[:4])
    assert north - south < 0.01 and east - west < 0.01  # the zone (a few hundred m), not the rings
    assert json.loads(opening.group(5))["maxZoom"] == 17  # at a zoom where labels can be read


def test_a_drawn_shape_lists_its_parcels_with_verdicts_as_csv_and_geojson(
    sample: Analysis,
) -> None:
    hall = sample.parcels[sample.parcels["address"] == "915 I ST"].geometry.iloc[0]
    shape = gpd.GeoSeries([hall.buffer(150)], crs=sample.parcels.crs).to_crs(4326).iloc[0]
    summary = shape_summary(sample, shape)
    touched = touched_parcels(sample, shape, summary)
    assert len(touched) == summary.parcels > 1
    assert {"verdict", "in_free_speech_zone", "overlap_m2"} <= set(touched.columns)
    inside = touched[touched["apn"] == "006-0609-001-0000"].iloc[0]
    assert inside["overlap_m2"] == pytest.approx(9513.3, abs=1)
    collection = json.loads(drawn_geojson(shape, summary, touched))
    kinds = [f["properties"]["kind"] for f in collection["features"]]
    assert kinds[0] == "drawn_shape" and kinds.count("parcel") == summary.parcels
    assert collection["features"][0]["properties"]["area_m2"] == pytest.approx(
        summary.area_m2, abs=0.1
    )
    assert isinstance(pd.DataFrame(touched.drop(columns="geometry")).to_csv(), str)
    assert shapely.geometry.shape(collection["features"][0]["geometry"]).equals_exact(shape, 1e-9)
