"""The tiles map's pieces: the paint of one set of settings and the archive the app serves."""

from __future__ import annotations

import re

import numpy as np
import pytest

from layers.parcel_tiles import paint_codes
from layers.style import CATEGORIES
from panels import tile_files

KEYS = [c.key for c in CATEGORIES]


def test_paint_codes_list_the_ids_of_every_category_but_not_covered() -> None:
    cats = np.array(["not_covered", "review", "city_lot_garage", "not_covered", "city_other"])
    codes = paint_codes(cats, {"review": 1, "city_lot_garage": 1, "city_other": 1})
    listed = dict(zip(codes["categories"], codes["rows"], strict=True))  # type: ignore[call-overload]
    assert listed == {
        KEYS.index("city_lot_garage"): [2],
        KEYS.index("city_other"): [4],
        KEYS.index("review"): [1],
    }
    assert codes["counts"]["not_covered"] == " (0)"  # type: ignore[index]
    other = paint_codes(np.array(["not_covered"] * 5), {})
    assert other["stamp"] != codes["stamp"]
    assert other["rows"] == [[], [], []]


def test_a_served_archive_is_named_by_a_digest_and_cleared_at_start(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:  # noqa: ANN001
    monkeypatch.setattr(tile_files, "TILES_DIR", tmp_path / "tiles")
    name = tile_files.served_name("upload:abc|parcels.zip")
    assert re.fullmatch(r"[0-9a-f]{20}\.pmtiles", name)
    assert "parcels" not in name
    (tmp_path / "tiles").mkdir()
    (tmp_path / "tiles" / name).write_bytes(b"x")
    (tmp_path / "tiles" / "keep.txt").write_text("x")
    tile_files.clear_served_tiles()
    assert [p.name for p in (tmp_path / "tiles").iterdir()] == ["keep.txt"]


def test_a_served_geoparquet_uses_the_tiles_its_ingest_cached(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:  # noqa: ANN001
    monkeypatch.setattr(tile_files, "TILES_DIR", tmp_path / "tiles")
    parquet = tmp_path / "county.parquet"
    parquet.write_bytes(b"not read here")
    cached = tile_files.cached_tiles_path(parquet)
    cached.write_bytes(b"archive bytes")
    url = tile_files.serve_tiles(f"served:{parquet}", None, None)  # type: ignore[arg-type]
    served = tmp_path / "tiles" / url.rsplit("/", 1)[1]
    assert url.startswith("/app/static/tiles/")
    assert served.read_bytes() == b"archive bytes"
