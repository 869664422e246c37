"""Tests for geo.atomic.atomic_folder: a folder replaced whole, or left as it was."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from geo import atomic
from geo.atomic import atomic_folder, part_path


def _tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): p.read_text() for p in folder.rglob("*") if p.is_file()
    }


def test_a_new_folder_appears_whole(tmp_path: Path) -> None:
    target = tmp_path / "site"
    with atomic_folder(target) as staging:
        (staging / "index.html").write_text("new")
        assert not target.exists()  # nothing shows before the block ends
    assert _tree(target) == {"index.html": "new"}
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "two-renames"])
def test_an_old_folder_is_replaced_with_nothing_of_it_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exchange: bool
) -> None:
    if not exchange:
        monkeypatch.setattr(atomic, "_exchange", lambda a, b: False)
    target = tmp_path / "site"
    (target / "data").mkdir(parents=True)
    (target / "index.html").write_text("old")
    (target / "data" / "gone.json").write_text("old")
    with atomic_folder(target) as staging:
        (staging / "index.html").write_text("new")
        assert _tree(target) == {"index.html": "old", "data/gone.json": "old"}
    assert _tree(target) == {"index.html": "new"}
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_a_failure_keeps_the_old_folder(tmp_path: Path) -> None:
    target = tmp_path / "site"
    target.mkdir()
    (target / "index.html").write_text("old")
    with pytest.raises(RuntimeError), atomic_folder(target) as staging:
        (staging / "index.html").write_text("half")
        raise RuntimeError("the tiles failed")
    assert _tree(target) == {"index.html": "old"}
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_a_killed_writers_folder_is_removed_by_the_next(tmp_path: Path) -> None:
    target = tmp_path / "site"
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    left = part_path(target, child.pid)
    (left / "data").mkdir(parents=True)
    (left / "data" / "half.json").write_text("{")
    with atomic_folder(target) as staging:
        (staging / "index.html").write_text("new")
    assert not left.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
