"""Tests for the vector tiles (geo.tiles, ``civicmap tiles``, ``civicmap ingest``).

The archive is decoded with the ``pmtiles`` reader and ``mapbox-vector-tile``: every parcel
that any policy version (and either scope) covers or sends to review must be in the ``city``
layer at the archive's lowest zoom, under its GeoParquet row as id and with its APN.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import mapbox_vector_tile
import pandas as pd
import pytest
from pmtiles.reader import MmapSource, Reader, all_tiles

import geo.tiles
from geo.classify import classify
from geo.cli import main
from geo.profile import Profile
from geo.sources import read_parcels
from geo.tiles import CITY_LAYER, OTHER_LAYER, cached_tiles_path, ensure_tiles

Feature = tuple[str, int, str]  # layer, id, apn


def decoded(path: Path) -> Iterator[tuple[int, dict[str, dict]]]:
    """Every tile of an archive as (zoom, layers)."""
    with open(path, "rb") as handle:
        for (z, _x, _y), data in all_tiles(MmapSource(handle)):
            yield z, mapbox_vector_tile.decode(gzip.decompress(data))


def features_at(path: Path, zoom: int) -> set[Feature]:
    """The (layer, id, apn) of every feature in the tiles of one zoom."""
    found: set[Feature] = set()
    for z, layers in decoded(path):
        if z == zoom:
            for name, layer in layers.items():
                found |= {(name, f["id"], f["properties"]["apn"]) for f in layer["features"]}
    return found


def header(path: Path) -> dict:
    with open(path, "rb") as handle:
        return dict(Reader(MmapSource(handle)).header())


def flagged(parcels: pd.DataFrame, profile: Profile) -> set[tuple[int, str]]:
    """(row, apn) of parcels covered or needing review under any version and scope."""
    rows: set[tuple[int, str]] = set()
    for version in profile.policies:
        for scope in ("all", "lots_and_garages"):
            policy = replace(profile.policy_version(version), scope=scope)
            verdicts = classify(parcels, policy, reasons=False)["verdict"].astype(str)
            hit = verdicts.isin(["covered", "needs review"]).to_numpy()
            apns = parcels["apn"][hit]
            rows |= {(int(i), str(a)) for i, a in zip(hit.nonzero()[0], apns, strict=True)}
    return rows


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory, profile: Profile) -> Path:
    """The bundled sample, ingested with its tiles (``civicmap ingest``)."""
    out = tmp_path_factory.mktemp("tiles") / "sample.parquet"
    assert main(["ingest", str(profile.sample_path()), "--out", str(out), "--quiet"]) == 0
    return out


def test_ingest_caches_tiles_keyed_by_content(ingested: Path) -> None:
    """``ingest`` leaves one archive beside the GeoParquet, named by the file's digest."""
    archives = list(ingested.parent.glob("sample.tiles-*.pmtiles"))
    assert archives == [cached_tiles_path(ingested)]
    assert header(archives[0])["min_zoom"] == geo.tiles.MIN_ZOOM


def test_every_flagged_parcel_is_at_the_lowest_zoom(ingested: Path, profile: Profile) -> None:
    """Covered and needs-review parcels are in the city layer at the lowest zoom, id = row."""
    parcels = read_parcels(ingested, profile)
    expected = flagged(parcels, profile)
    assert len(expected) >= 10  # the sample has city lots, garages and unclear owners
    archive = cached_tiles_path(ingested)
    lowest = features_at(archive, header(archive)["min_zoom"])
    city = {(row, apn) for layer, row, apn in lowest if layer == CITY_LAYER}
    assert expected <= city
    assert all(parcels["apn"].iloc[row] == apn for row, apn in city)


def test_other_parcels_are_all_there_at_the_highest_zoom(ingested: Path, profile: Profile) -> None:
    """At the highest zoom every parcel is in one of the two layers, with its APN."""
    parcels = read_parcels(ingested, profile)
    archive = cached_tiles_path(ingested)
    top = features_at(archive, header(archive)["max_zoom"])
    assert {row for _, row, _ in top} == set(range(len(parcels)))
    assert {layer for layer, _, _ in top} == {CITY_LAYER, OTHER_LAYER}


def test_reopening_never_rebuilds(
    ingested: Path, profile: Profile, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second ``ensure_tiles`` on the same file answers from the cache."""
    archive = cached_tiles_path(ingested)
    before = archive.stat().st_mtime_ns

    def no_build(*_args: object, **_kwargs: object) -> Path:
        raise AssertionError("the cached archive was rebuilt")

    monkeypatch.setattr(geo.tiles, "build_tiles", no_build)
    parcels = read_parcels(ingested, profile)
    assert ensure_tiles(parcels, ingested) == archive
    assert archive.stat().st_mtime_ns == before


def test_tiles_command_writes_the_archive_alone(
    tmp_path: Path, profile: Profile, capsys: pytest.CaptureFixture[str]
) -> None:
    """``civicmap tiles SRC --out FILE.pmtiles`` writes an archive; a wrong suffix is refused."""
    out = tmp_path / "parcels.pmtiles"
    assert main(["tiles", str(profile.sample_path()), "--out", str(out), "--quiet"]) == 0
    assert "wrote:" in capsys.readouterr().out
    layers = {name for _, tile in decoded(out) for name in tile}
    assert layers == {CITY_LAYER, OTHER_LAYER}
    assert main(["tiles", str(profile.sample_path()), "--out", str(tmp_path / "x.mbtiles")]) == 2
    assert capsys.readouterr().err.startswith("error: --out x.mbtiles")


def test_the_other_layer_starts_at_street_zoom_and_tiles_stay_small(ingested: Path) -> None:
    """Below zoom 12 the tiles hold the city layer alone; no tile passes 500 KB."""
    archive = cached_tiles_path(ingested)
    for z, layers in decoded(archive):
        assert (OTHER_LAYER in layers) <= (z >= geo.tiles.OTHER_MIN_ZOOM), z
    sizes = geo.tiles.largest_tiles(archive)
    assert set(sizes) == set(range(geo.tiles.MIN_ZOOM, geo.tiles.MAX_ZOOM + 1))
    assert max(sizes.values()) <= geo.tiles.MAX_TILE_BYTES


def test_a_tile_too_big_drops_other_parcels_never_the_citys(
    tmp_path: Path, profile: Profile, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a tiny share for the other layer, its dense tiles lose parcels while every city
    parcel stays: the city layer is never thinned."""
    parcels = classify(read_parcels(profile.sample_path(), profile), profile.policy_version())
    full = geo.tiles.build_tiles(parcels, tmp_path / "full.pmtiles")
    monkeypatch.setattr(geo.tiles, "OTHER_TILE_BYTES", 4_000)
    thin = geo.tiles.build_tiles(parcels, tmp_path / "thin.pmtiles")
    zoom = geo.tiles.OTHER_MIN_ZOOM
    full_at, thin_at = features_at(full, zoom), features_at(thin, zoom)
    city = {f for f in full_at if f[0] == CITY_LAYER}
    assert city and city <= thin_at
    assert len([f for f in thin_at if f[0] == OTHER_LAYER]) < len(
        [f for f in full_at if f[0] == OTHER_LAYER]
    )


def test_the_sites_archive_carries_versions_not_apns(tmp_path: Path, profile: Profile) -> None:
    """Extra integer properties reach the city layer's features; without APNs none has one."""
    parcels = classify(read_parcels(profile.sample_path(), profile), profile.policy_version())
    marks = {"c0": (parcels.index.to_numpy() % 4)}
    out = geo.tiles.build_tiles(parcels, tmp_path / "site.pmtiles", None, marks, with_apn=False)
    for _z, layers in decoded(out):
        for f in layers.get(CITY_LAYER, {}).get("features", []):
            assert f["properties"] == {"c0": int(marks["c0"][f["id"]])}
        for f in layers.get(OTHER_LAYER, {}).get("features", []):
            assert f["properties"] == {}
