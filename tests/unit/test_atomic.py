"""Tests for geo.atomic and the writers that use it: whole files or none, folders checked first."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import ingest_fixtures as fx
import pytest
from parcel_helpers import REPO, SAMPLE_ZIP

from geo import atomic
from geo.atomic import atomic_path, check_writable, part_path, pid_alive, remove_stale_parts
from geo.cli import EXIT_BAD_INPUT
from geo.errors import InputError
from layers.cli import main  # the whole civicmap command, maps included


def dead_pid() -> int:
    """The id of a process that has ended."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_pid_alive() -> None:
    assert pid_alive(os.getpid())
    assert not pid_alive(dead_pid())
    assert not pid_alive(0)


def test_atomic_path_replaces_only_when_whole(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old")
    with atomic_path(target) as part:
        part.write_text("new")
        assert target.read_text() == "old"  # not yet
        assert part.parent == tmp_path and part.name.endswith(".part")
    assert target.read_text() == "new"
    assert list(tmp_path.iterdir()) == [target]


def test_atomic_path_failure_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old")
    with pytest.raises(KeyboardInterrupt), atomic_path(target) as part:
        part.write_text("half")
        raise KeyboardInterrupt
    assert target.read_text() == "old"
    assert list(tmp_path.iterdir()) == [target]


def test_full_disk_is_one_error_and_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.bin"
    target.write_bytes(b"old")

    def full(_descriptor: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(atomic.os, "fsync", full)
    with pytest.raises(InputError, match="No space left"):
        atomic.write_bytes(target, b"new" * 1000)
    assert target.read_bytes() == b"old"
    assert list(tmp_path.iterdir()) == [target]


def test_stale_parts_of_dead_processes_are_removed(tmp_path: Path) -> None:
    target = tmp_path / "parcels.parquet"
    stale = part_path(target, dead_pid())
    live = part_path(target, os.getpid())
    other = tmp_path / "other.parquet.1.part"
    for path in (stale, live, other):
        path.write_bytes(b"x")
    assert remove_stale_parts(target) == [stale]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([live.name, other.name])


def test_check_writable(tmp_path: Path) -> None:
    assert check_writable(tmp_path / "a.parquet") == tmp_path / "a.parquet"
    with pytest.raises(InputError, match="does not exist"):
        check_writable(tmp_path / "missing" / "a.parquet")
    with pytest.raises(InputError, match="is a folder"):
        check_writable(tmp_path)
    (tmp_path / "file").write_text("")
    with pytest.raises(InputError, match="not a folder"):
        check_writable(tmp_path / "file" / "a.parquet")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        with pytest.raises(InputError, match="read-only"):
            check_writable(locked / "a.parquet")
    finally:
        locked.chmod(0o755)
    assert list(locked.iterdir()) == []


@pytest.mark.parametrize(
    "command",
    [
        ["ingest", "{src}", "--out", "{out}/x.parquet"],
        ["zone", "{src}", "--out", "{out}/zone.geojson"],
        ["map", "{src}", "--out", "{out}/map.html"],
    ],
)
def test_output_folder_is_checked_before_the_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    # the source is not even a parcel file: the folder's error shows it was never read
    src = fx.text_file(tmp_path / "not-parcels.zip")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        for out in (locked, tmp_path / "missing"):
            args = [a.format(src=src, out=out) for a in command]
            assert main(args) == EXIT_BAD_INPUT
            err = capsys.readouterr().err
            assert err.count("\n") == 1 and err.startswith("error: cannot write "), err
            assert "not-parcels" not in err
    finally:
        locked.chmod(0o755)
    assert list(locked.iterdir()) == []


def test_zone_and_map_write_whole_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    zone, page = tmp_path / "zone.geojson", tmp_path / "map.html"
    stale = part_path(zone, dead_pid())
    stale.write_text("left by a killed run")
    assert main(["zone", str(SAMPLE_ZIP), "--out", str(zone)]) == 0
    assert main(["map", str(SAMPLE_ZIP), "--out", str(page)]) == 0
    capsys.readouterr()
    assert zone.read_text(encoding="utf-8").startswith("{")
    assert page.read_text(encoding="utf-8").rstrip().endswith("</html>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.html", "zone.geojson"]


def test_read_only_folder_in_a_subprocess(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "geo",
                "ingest",
                str(SAMPLE_ZIP),
                "--out",
                f"{locked}/x.parquet",
            ],
            capture_output=True,
            text=True,
            cwd=REPO,
            timeout=120,
        )
    finally:
        locked.chmod(0o755)
    assert result.returncode == EXIT_BAD_INPUT
    assert result.stderr.splitlines() == [
        f"error: cannot write {locked}/x.parquet: the folder {locked} is read-only"
    ]
    assert result.stdout == ""
