"""``deploy/refresh-site.sh``: fetch with history, publish into a new folder, swap atomically.

The script is run as a timer or cron would run it, with a fake ``civicmap`` (a shell script
written here) standing in for the fetch and the publish: the fake fetch writes a numbered
"parcel file", the fake publish writes a site from it and records which site was being
served while it worked. Real fetches and publishes are tested elsewhere; this tests the
swap: the old site serves until the new one is complete, a failure changes nothing served,
old releases are pruned, and two runs never overlap.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
from pathlib import Path

import pytest
from parcel_helpers import REPO

SCRIPT = REPO / "deploy" / "refresh-site.sh"
FAKE = r"""#!/bin/sh
# a stand-in for civicmap: `fetch ... --out FILE` and `publish SRC --out DIR`
set -eu
log="$FAKE_DIR/calls.log"
echo "$*" >> "$log"
command=$1; shift
out=""; src=""
while [ "$#" -gt 0 ]; do
  case "$1" in
    --out) out=$2; shift 2 ;;
    --*) shift ;;
    *) [ -z "$src" ] && src=$1; shift ;;
  esac
done
if [ "$command" = fetch ]; then
  [ -n "${FAKE_FETCH_FAILS:-}" ] && { echo "error: the county did not answer" >&2; exit 2; }
  n=$(( $(cat "$FAKE_DIR/count" 2>/dev/null || echo 0) + 1 ))
  echo "$n" > "$FAKE_DIR/count"
  echo "parcels v$n" > "$out.tmp" && mv "$out.tmp" "$out"
  exit 0
fi
mkdir -p "$out/data"
old=$(cat "$FAKE_ROOT/current/index.html" 2>/dev/null || echo none)
echo "serving while publishing: $old" >> "$log"
cp "$src" "$out/data/parcels.txt"
[ -n "${FAKE_PUBLISH_FAILS:-}" ] && { echo "error: tiles failed" >&2; exit 1; }
echo "site of $(cat "$src")" > "$out/index.html"
"""


@pytest.fixture
def fake(tmp_path: Path) -> Path:
    """A fake ``civicmap`` in ``tmp_path/bin``."""
    (tmp_path / "bin").mkdir()
    path = tmp_path / "bin" / "civicmap"
    path.write_text(FAKE, encoding="utf-8")
    path.chmod(0o755)
    return path


def refresh(tmp_path: Path, fake: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """One run of the script, as a timer would start it."""
    root = tmp_path / "site"
    settings = {
        "PATH": os.environ["PATH"],
        "CIVICMAP": str(fake),
        "FAKE_DIR": str(tmp_path),
        "FAKE_ROOT": str(root),
        **env,
    }
    return subprocess.run(
        ["sh", str(SCRIPT), str(tmp_path / "history"), str(root)],
        env=settings,
        capture_output=True,
        text=True,
        timeout=60,
    )


def served(tmp_path: Path) -> str:
    return (tmp_path / "site" / "current" / "index.html").read_text(encoding="utf-8").strip()


def releases(tmp_path: Path) -> list[str]:
    return sorted(p.name for p in (tmp_path / "site" / "releases").iterdir())


def test_the_new_site_replaces_the_old_only_once_complete(tmp_path: Path, fake: Path) -> None:
    first = refresh(tmp_path, fake)
    assert first.returncode == 0, first.stderr
    assert served(tmp_path) == "site of parcels v1"
    second = refresh(tmp_path, fake)
    assert second.returncode == 0, second.stderr
    assert served(tmp_path) == "site of parcels v2"
    log = (tmp_path / "calls.log").read_text(encoding="utf-8").splitlines()
    assert "serving while publishing: none" in log
    assert "serving while publishing: site of parcels v1" in log  # the old site meanwhile
    fetches = [line for line in log if line.startswith("fetch ")]
    assert fetches and all(f"--history {tmp_path / 'history'}" in f for f in fetches)
    assert all("--keep 12" in f for f in fetches)
    publishes = [line for line in log if line.startswith("publish ")]
    assert publishes and all(f"--history {tmp_path / 'history'}" in p for p in publishes)
    current = tmp_path / "site" / "current"
    assert current.is_symlink() and os.readlink(current).startswith("releases/")
    assert len(releases(tmp_path)) == 2 and not list((tmp_path / "site").glob(".current.*"))


def test_a_failed_publish_leaves_the_old_site_served(tmp_path: Path, fake: Path) -> None:
    assert refresh(tmp_path, fake).returncode == 0
    failed = refresh(tmp_path, fake, FAKE_PUBLISH_FAILS="1")
    assert failed.returncode != 0 and "tiles failed" in failed.stderr
    assert served(tmp_path) == "site of parcels v1"
    assert len(releases(tmp_path)) == 1  # no half-written release left
    assert refresh(tmp_path, fake).returncode == 0 and served(tmp_path) == "site of parcels v3"


def test_a_failed_fetch_publishes_nothing(tmp_path: Path, fake: Path) -> None:
    assert refresh(tmp_path, fake).returncode == 0
    failed = refresh(tmp_path, fake, FAKE_FETCH_FAILS="1")
    assert failed.returncode == 2 and "did not answer" in failed.stderr
    log = (tmp_path / "calls.log").read_text(encoding="utf-8")
    assert log.count("publish ") == 1 and served(tmp_path) == "site of parcels v1"


def test_old_releases_are_pruned_never_the_served_one(tmp_path: Path, fake: Path) -> None:
    for _ in range(4):
        assert refresh(tmp_path, fake, KEEP_SITES="2", KEEP_SNAPSHOTS="5").returncode == 0
    assert len(releases(tmp_path)) == 2 and served(tmp_path) == "site of parcels v4"
    target = os.readlink(tmp_path / "site" / "current").split("/")[-1]
    assert target == releases(tmp_path)[-1]
    assert "--keep 5" in (tmp_path / "calls.log").read_text(encoding="utf-8")


def test_a_second_run_while_one_runs_does_nothing(tmp_path: Path, fake: Path) -> None:
    assert refresh(tmp_path, fake).returncode == 0
    with (tmp_path / "site" / ".refresh.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        second = refresh(tmp_path, fake)
    assert second.returncode == 0 and "another refresh is running" in second.stderr
    assert served(tmp_path) == "site of parcels v1" and len(releases(tmp_path)) == 1


def test_usage_is_two_folders(tmp_path: Path) -> None:
    done = subprocess.run(["sh", str(SCRIPT)], capture_output=True, text=True, timeout=10)
    assert done.returncode == 2 and done.stderr.startswith("usage: ")
