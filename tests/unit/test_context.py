"""Context layers from the profile: council districts from a file or a (stand-in) ArcGIS
layer, and the district each parcel lies in. The districts are drawn by the test."""

from __future__ import annotations

from pathlib import Path

import folium
import geopandas as gpd
import pytest
from arcgis_standin import StandIn, serve
from shapely.geometry import box

from geo.context import (
    LABEL,
    context_layers,
    fetch_context,
    label_at,
    read_context,
    with_labels,
)
from geo.errors import InputError
from geo.fetch.protocol import RetryPolicy
from geo.i18n import translator
from geo.profile import Profile, load_profile
from geo.sources import read_parcels
from layers.context import context_layer, context_legend
from layers.legend import legend_html

STEADY = RetryPolicy(attempts=2, backoff_s=0.0, max_backoff_s=0.0, timeout_s=30.0)


def districts(parcels: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Two hand-made districts splitting the parcels' extent west and east (EPSG:2226)."""
    x0, y0, x1, y1 = parcels.to_crs(2226).total_bounds
    mid = (x0 + x1) / 2
    return gpd.GeoDataFrame(
        {
            "OBJECTID": [1, 2],
            "DISTNUM": [3, 4],
            "NAME": ["West Member", "East Member"],
            "geometry": [box(x0 - 10, y0 - 10, mid, y1 + 10), box(mid, y0 - 10, x1 + 10, y1 + 10)],
        },
        crs=2226,
    )


def profile_with(profile: Profile, folder: Path, section: str) -> Profile:
    """The bundled profile plus a ``[context.council_districts]`` section, in ``folder``."""
    text = profile.path.read_text(encoding="utf-8").split("\n[context.")[0]  # its own out
    path = folder / "profile.toml"
    path.write_text(text + "\n[context.council_districts]\n" + section, encoding="utf-8")
    return load_profile(path)


@pytest.fixture(scope="module")
def parcels(profile: Profile) -> gpd.GeoDataFrame:
    return read_parcels(profile.sample_path(), profile)  # type: ignore[arg-type]


def test_districts_from_a_file_name_each_parcels_district(
    tmp_path: Path, profile: Profile, parcels: gpd.GeoDataFrame
) -> None:
    districts(parcels).to_crs(4326).to_file(tmp_path / "districts.geojson", driver="GeoJSON")
    linked = profile_with(
        profile, tmp_path, 'file = "districts.geojson"\nlabel_fields = ["DISTNUM", "NAME"]\n'
    )
    layer = context_layers(linked)["council_districts"]
    shapes = read_context(layer, linked)
    assert shapes is not None and shapes.crs.to_epsg() == 4326
    assert sorted(shapes[LABEL]) == ["3 · West Member", "4 · East Member"]
    named = label_at(parcels, shapes)
    assert set(named) == {"3 · West Member", "4 · East Member"}
    west = (
        parcels.geometry.to_crs(2226).representative_point().x
        < districts(parcels).geometry[0].bounds[2]
    )
    assert (named[west] == "3 · West Member").all() and (named[~west] == "4 · East Member").all()


def test_the_bundled_profile_bundles_no_boundaries(profile: Profile) -> None:
    assert all(layer.file is None for layer in context_layers(profile).values())


def test_a_url_layer_is_fetched_only_when_asked_and_kept(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    profile: Profile,
    parcels: gpd.GeoDataFrame,
) -> None:
    monkeypatch.setenv("CIVICMAP_CACHE", str(tmp_path / "cache"))
    with serve(StandIn(districts(parcels), max_record_count=1)) as standin:
        linked = profile_with(
            profile, tmp_path, f'url = "{standin.url}"\nlabel_fields = ["distnum"]\n'
        )
        layer = context_layers(linked)["council_districts"]
        assert read_context(layer, linked) is None and standin.requests == []
        seen: list[int] = []
        fetch_context(layer, linked, retry=STEADY, progress=seen.append)
        assert seen == [1, 2]  # one feature a page, two pages
        shapes = read_context(layer, linked)
        assert shapes is not None and sorted(shapes[LABEL]) == ["3", "4"]


def test_a_bad_context_section_is_refused(tmp_path: Path, profile: Profile) -> None:
    linked = profile_with(profile, tmp_path, 'url = "ftp://x.example/1"\n')
    with pytest.raises(InputError, match="must start with https"):
        context_layers(linked)


def test_the_map_draws_districts_with_their_names_escaped_and_a_legend_row(
    parcels: gpd.GeoDataFrame,
) -> None:
    shapes = with_labels(districts(parcels).assign(NAME=["<b>West</b>", "East"]), ("NAME",))
    group = context_layer(shapes, "council_districts", "Council districts")
    html = folium.Map(tiles=None).add_child(group).get_root().render()
    assert "\\u0026lt;b\\u0026gt;West" in html and "<b>West" not in html  # escaped, in JSON
    legend = legend_html({}, translator("en"), [context_legend("council_districts", "Districts")])
    assert "Districts" in legend and "dashed #6a3d9a" in legend
    assert "Districts" not in legend_html({}, translator("en"))
