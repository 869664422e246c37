"""The .br and .gz siblings of a published folder's text files (layers.precompress)."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import brotli

from layers.precompress import MIN_BYTES, precompress

TEXT = '{"apn": "006-0602-005-0000", "address": "201 I ST"}\n' * 100


def test_text_files_get_siblings_that_decode_to_them(tmp_path: Path) -> None:
    for name in (
        "index.html",
        "site.js",
        "lib.mjs",
        "site.css",
        "data.json",
        "zone.geojson",
        "app.webmanifest",
        "icon.svg",
    ):
        (tmp_path / name).write_text(TEXT, "utf-8")
    written = precompress(tmp_path)
    assert len(written) == 16
    for name in ("index.html", "data.json", "zone.geojson", "app.webmanifest"):
        assert brotli.decompress((tmp_path / f"{name}.br").read_bytes()).decode() == TEXT
        assert gzip.decompress((tmp_path / f"{name}.gz").read_bytes()).decode() == TEXT


def test_tiny_files_the_archive_and_other_files_are_left_alone(tmp_path: Path) -> None:
    (tmp_path / "tiny.json").write_text("{}", "utf-8")
    (tmp_path / "parcels.pmtiles").write_bytes(TEXT.encode())
    (tmp_path / "LICENSE.txt").write_text(TEXT, "utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "shard.json").write_text(TEXT, "utf-8")
    written = precompress(tmp_path)
    assert written == [tmp_path / "sub" / "shard.json.br", tmp_path / "sub" / "shard.json.gz"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "LICENSE.txt",
        "parcels.pmtiles",
        "sub",
        "tiny.json",
    ]


def test_a_second_run_removes_stale_siblings_and_keeps_the_sites_own_gz(tmp_path: Path) -> None:
    (tmp_path / "gone.json").write_text(TEXT, "utf-8")
    (tmp_path / "shrunk.json").write_text(TEXT, "utf-8")
    (tmp_path / "changed.json").write_text(TEXT, "utf-8")
    (tmp_path / "download.tar.gz").write_bytes(b"the site's own file")
    precompress(tmp_path)
    (tmp_path / "gone.json").unlink()
    (tmp_path / "shrunk.json").write_text("x" * (MIN_BYTES - 1), "utf-8")
    (tmp_path / "changed.json").write_text(TEXT.replace("201", "999"), "utf-8")
    precompress(tmp_path)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [
        "changed.json",
        "changed.json.br",
        "changed.json.gz",
        "download.tar.gz",
        "shrunk.json",
    ]
    assert b"999" in gzip.decompress((tmp_path / "changed.json.gz").read_bytes())


def test_a_sibling_that_would_not_be_smaller_is_not_written(tmp_path: Path) -> None:
    (tmp_path / "random.json").write_bytes(os.urandom(4096))  # incompressible
    (tmp_path / "random.json.gz").write_bytes(b"stale")
    assert precompress(tmp_path) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["random.json"]
