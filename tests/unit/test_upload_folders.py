"""Upload folders: private, named after their process, and cleaned up after a killed server."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from panels.uploads import UPLOAD_PREFIX, remove_stale_upload_folders, upload_folder


def dead_pid() -> int:
    """The id of a process that has ended."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def make_folder(root: Path, name: str, age_minutes: float) -> Path:
    """A folder with a file in it, last changed ``age_minutes`` ago."""
    folder = root / name
    folder.mkdir()
    (folder / "upload.zip").write_bytes(b"PK")
    stamp = time.time() - age_minutes * 60
    os.utime(folder, (stamp, stamp))
    return folder


def test_upload_folder_names_its_process() -> None:
    with upload_folder() as folder:
        name = Path(folder).name
        assert name.startswith(f"{UPLOAD_PREFIX}{os.getpid()}-")
        assert Path(folder).stat().st_mode & 0o077 == 0  # private to this user
    assert not Path(folder).exists()


def test_only_old_folders_of_gone_processes_are_removed(tmp_path: Path) -> None:
    gone = dead_pid()
    stale = make_folder(tmp_path, f"civicmap-{gone}-abc123", 120)
    young = make_folder(tmp_path, f"civicmap-{gone}-young1", 5)
    running = make_folder(tmp_path, f"civicmap-{os.getpid()}-mine12", 120)
    old_style = make_folder(tmp_path, "civicmap-k2j3h4", 120)
    young_old_style = make_folder(tmp_path, "civicmap-z9y8x7", 1)
    other = make_folder(tmp_path, f"other-{gone}-abc123", 120)
    removed = remove_stale_upload_folders(max_age_minutes=60, root=tmp_path)
    assert sorted(removed) == sorted([stale, old_style])
    assert not stale.exists() and not old_style.exists()
    assert all(p.exists() for p in (young, running, young_old_style, other))


def test_missing_root_is_no_error(tmp_path: Path) -> None:
    assert remove_stale_upload_folders(root=tmp_path / "missing") == []
