"""``bench/site_load.py``: the tiles' byte ranges, the page's files, and 5 visitors at once.

The crowd runs against a site published from the bundled sample and served on loopback by
``civicmap serve`` in its own process (started here); no timing is asserted.
"""

from __future__ import annotations

import gzip
import math
import random
import sys
from pathlib import Path

import pytest
from bench_support import in_own_loop, load_bench
from pmtiles.reader import MmapSource, Reader
from pmtiles.tile import Compression, TileType, zxy_to_tileid
from pmtiles.writer import Writer

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sacramento" / "sample" / "downtown_sample.zip"


site_load = load_bench("site_load")
crowd = sys.modules["crowd"]
_support = sys.modules["_support"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site published from the bundled sample."""
    out = tmp_path_factory.mktemp("site") / "site"
    site_load.publish(SAMPLE, out)
    return out


def tile_lat(y: int, z: int = 14) -> float:
    """The latitude of a tile row's north edge."""
    return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / 2**z))))


def leafy_archive(path: Path, side: int = 200) -> dict[tuple[int, int, int], bytes]:
    """A PMTiles archive of ``side``² distinct zoom-14 tiles: too many for the root alone."""
    rng = random.Random(7)
    x0, y0 = 2700, 6300
    tiles = {
        (14, x, y): rng.randbytes(rng.randint(1, 40))
        for x in range(x0, x0 + side)
        for y in range(y0, y0 + side)
    }
    west, east = x0 / 2**14 * 360 - 180, (x0 + side) / 2**14 * 360 - 180
    north, south = tile_lat(y0), tile_lat(y0 + side)
    with path.open("wb") as handle:
        writer = Writer(handle)
        for key in sorted(tiles, key=lambda k: zxy_to_tileid(*k)):
            writer.write_tile(zxy_to_tileid(*key), tiles[key])
        writer.finalize(
            {
                "tile_type": TileType.MVT,
                "tile_compression": Compression.NONE,
                "min_lon_e7": round(west * 1e7) + 100,  # inside the block's edge tiles
                "min_lat_e7": round(south * 1e7) + 100,
                "max_lon_e7": round(east * 1e7) - 100,
                "max_lat_e7": round(north * 1e7) - 100,
                "center_zoom": 14,
                "center_lon_e7": 0,
                "center_lat_e7": 0,
            },
            {},
        )
    return tiles


def read_range(path: Path, wanted: object) -> bytes:
    data = path.read_bytes()
    return data[wanted.offset : wanted.offset + wanted.length]  # type: ignore[attr-defined]


def test_ranges_through_leaf_directories_give_each_tile(tmp_path: Path) -> None:
    """Every tile found by its ranges (root, then a leaf) is that tile's bytes."""
    path = tmp_path / "leafy.pmtiles"
    tiles = leafy_archive(path)
    archive = site_load.tile_ranges(path, zooms=(12, 13, 14))
    header = Reader(MmapSource(path.open("rb"))).header()
    assert header["leaf_directory_length"] > 0  # the case pmtiles.js reads leaves for
    inside = {k for k in tiles if k in archive.tiles}
    assert inside == set(tiles) == set(archive.tiles)  # every tile in the bounds
    data = path.read_bytes()
    for key in random.Random(1).sample(sorted(inside), 300):
        fetch = archive.tiles[key]
        assert len(fetch.directories) == 1
        leaf = fetch.directories[0]
        assert header["leaf_directory_offset"] <= leaf.offset < header["tile_data_offset"]
        assert data[fetch.tile.offset : fetch.tile.offset + fetch.tile.length] == tiles[key]
    assert archive.head.length == 16_384 and archive.head.header() == "bytes=0-16383"


def test_ranges_of_the_published_sample(site: Path) -> None:
    """On a real archive: each range holds the tile the pmtiles reader returns, and views hold
    only tiles that exist, at zooms 12-14."""
    path = site / site_load.TILES_NAME
    archive = site_load.tile_ranges(path)
    reader = Reader(MmapSource(path.open("rb")))
    assert archive.tiles and {z for z, _, _ in archive.tiles} <= {12, 13, 14}
    for (z, x, y), fetch in archive.tiles.items():
        assert fetch.directories == ()  # a small archive: the root holds every tile
        assert read_range(path, fetch.tile) == reader.get(z, x, y)
        assert gzip.decompress(read_range(path, fetch.tile))  # a gzipped vector tile
    assert reader.get(12, 0, 0) is None and (12, 0, 0) not in archive.tiles
    assert archive.head.length == min(16_384, path.stat().st_size)
    assert archive.opening and all(t.z == archive.opening_zoom for t in archive.opening)
    view = site_load.random_view(archive, random.Random(2))
    assert view and all((t.z, t.x, t.y) in archive.tiles for t in view)


def test_screen_tiles_cover_a_screen() -> None:
    """A 1280x800 screen of 512-pixel tiles centred on a tile's centre spans 3 x 3 tiles."""
    shown = sorted(site_load.screen_tiles(14, (2700.5) / 2**14, (6300.5) / 2**14))
    assert shown == [(x, y) for x in (2699, 2700, 2701) for y in (6299, 6300, 6301)]


def test_page_files_are_what_the_page_loads(site: Path) -> None:
    page = site_load.page_files(site)
    (assets,) = (p.name for p in (site / "assets").iterdir())
    for path in (
        "site.css",
        "site.js",
        "search_index.js",  # imported by site.js
        "vendor/pmtiles/pmtiles.js",
        "vendor/maplibre-gl/maplibre-gl.css",
        "vendor/maplibre-gl/maplibre-gl.mjs",  # imported by site.js
        "vendor/maplibre-gl/maplibre-gl-worker.mjs",
    ):
        assert f"assets/{assets}/{path}" in page.files
    assert "data/site.json" in page.data and "data/words-en.json" in page.data
    assert "data/search/index.json" not in page.data  # read on the first search only
    assert not [p for p in page.data if p.startswith("data/cards/")]  # on the first card
    assert all((site / p).is_file() for p in page.all())


def test_five_visitors_against_the_site_server(site: Path, tmp_path: Path) -> None:
    """Five visitors at once get every file and range whole, with no error."""
    plan = site_load.make_plan(site)
    port = _support.free_port()
    proc = site_load.start_site_server(site, port, tmp_path / "server.log")
    try:
        site_load.wait_serving(port, proc)
        stats, seconds = in_own_loop(site_load.run_crowd(port, plan, 5, seed=1, timeout=60))
    finally:
        site_load.stop(proc)
    assert stats.errors == {} and stats.timeouts == 0
    assert len(stats.visits) == 5
    per_visit = 1 + len(plan.page.files) + len(plan.page.data) + 1
    assert len(stats.latencies) >= 5 * (per_visit + site_load.VIEWS)
    page_bytes = sum(plan.sizes.values()) + plan.archive.head.length
    assert stats.bytes > 5 * page_bytes
    lines = site_load.crowd_lines(stats, seconds, 5, 20.0)
    assert any(line.startswith("site_errors: 0 errors") for line in lines)
    assert any(line.startswith("site_requests_per_s: ") for line in lines)
