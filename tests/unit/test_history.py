"""``civicmap fetch --history`` and ``civicmap changes`` against the ArcGIS stand-in.

The stand-in (``arcgis_standin``, a loopback server answering as an ArcGIS REST layer) serves
the sample; between two fetches it gets a month of edits (``layer_edits``): owners sold,
land uses changed, parcels retired and created, one split in two. ``changes`` must list
exactly those, with the verdicts that flip; a fetch killed half way leaves the snapshots as
they were, and the next run resumes and files its snapshot.
"""

from __future__ import annotations

import csv
import io
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from arcgis_standin import Faults, StandIn, county_parcels, serve
from layer_edits import (
    CITY_LOT,
    DAY_MS,
    EXPECTED,
    FLIPS,
    LOTS_ONLY_FLIPS,
    NEW,
    PARTS,
    SPLIT,
    a_month_later,
)
from parcel_helpers import REPO, SAMPLE_ZIP

from geo import history
from geo.cli import EXIT_BAD_INPUT, main
from geo.profile import Profile
from geo.site_changes import site_changes

FAST = ("--timeout", "30", "--retries", "3", "--backoff", "0", "--quiet")


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    """``civicmap`` in-process: (status, stdout, stderr)."""
    status = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return status, out, err


def rows(text: str) -> dict[str, dict[str, str]]:
    """CSV rows by APN, in their order."""
    return {r["apn"]: r for r in csv.DictReader(io.StringIO(text))}


def flips(found: dict[str, dict[str, str]]) -> dict[str, tuple[str, str]]:
    """The rows whose verdict before and after are both there and differ."""
    pairs = {apn: (r["verdict_before"], r["verdict_after"]) for apn, r in found.items()}
    return {apn: pair for apn, pair in pairs.items() if all(pair) and pair[0] != pair[1]}


@pytest.fixture(scope="module")
def two_fetches(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A history of two fetches of the stand-in, a month of edits between them."""
    folder = tmp_path_factory.mktemp("history") / "parcels"
    standin = StandIn(county_parcels())
    with serve(standin):
        assert main(["fetch", "--url", standin.url, "--history", str(folder), *FAST]) == 0
        standin.parcels = a_month_later(standin.parcels)
        standin.edited_ms += 30 * DAY_MS
        assert main(["fetch", "--url", standin.url, "--history", str(folder), *FAST]) == 0
    return folder


def test_changes_lists_exactly_the_edits_with_the_flips_first(
    two_fetches: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(capsys, "changes", two_fetches, "--format", "csv")
    assert status == 0, err
    found = rows(out)
    assert {apn: r["change"] for apn, r in found.items()} == EXPECTED
    assert flips(found) == FLIPS
    assert list(found)[: len(FLIPS)] == sorted(FLIPS)  # the flips first
    assert found[PARTS[0]]["related_apns"] == SPLIT and found[NEW]["verdict_before"] == ""
    assert {r["data_date"] for r in found.values()} == {"2025-12-31"}  # the later edit date
    assert {r["data_date_before"] for r in found.values()} == {"2025-12-01"}
    assert {r["data_date_basis"] for r in found.values()} == {"last_edit"}
    assert {r["policy_version"] for r in found.values()} == {"nov2025"}
    assert err.strip() == (
        "9 parcels changed (split 2, added 1, removed 2, owner 2, land use 2); "
        "2 verdicts flipped; data as of 2025-12-01, then as of 2025-12-31"
    )


def test_the_policy_options_decide_the_flips(
    two_fetches: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = history.latest_pair(two_fetches)
    status, out, _ = run(capsys, "changes", old, new, "--policy", "lots_only", "--format", "json")
    assert status == 0
    found = {r["apn"]: r for r in json.loads(out)}
    assert flips(found) == LOTS_ONLY_FLIPS
    assert all(isinstance(r["reasons"], list) for r in found.values())


def test_the_second_fetch_printed_its_changes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "h"
    standin = StandIn(county_parcels())
    with serve(standin):
        status, first, _ = run(capsys, "fetch", "--url", standin.url, "--history", folder, *FAST)
        assert status == 0 and "none to list yet" in first
        standin.parcels = a_month_later(standin.parcels)
        status, out, _ = run(
            capsys, "fetch", "--url", standin.url, "--history", folder, "--keep", "1",
            "--out", tmp_path / "latest.parquet", *FAST,
        )  # fmt: skip
    assert status == 0
    assert "changes since " in out and "9 parcels changed" in out and "2 verdicts flipped" in out
    assert all(apn in out for apn in EXPECTED)
    assert "history: 1 snapshot kept" in out and "removed 1 older" in out
    kept = history.snapshots(folder)
    assert len(kept) == 1 and (tmp_path / "latest.parquet").read_bytes() == kept[0].read_bytes()


def test_one_snapshot_is_not_enough(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "changes", tmp_path)
    assert status == EXIT_BAD_INPUT and err.startswith("error: ") and "needs two" in err
    status, _, err = run(capsys, "changes", SAMPLE_ZIP)
    assert status == EXIT_BAD_INPUT and "is not a folder" in err


def test_fetch_needs_out_or_history(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "fetch", "--url", "http://127.0.0.1:9/x/MapServer/0")
    assert status == EXIT_BAD_INPUT and "--history" in err


def _fetch_child(url: str, folder: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "geo", "fetch", "--url", url, "--history", str(folder), *FAST],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _kept_pages(folder: Path) -> int:
    try:
        manifest = json.loads((folder / "incoming.parquet.pages" / "manifest.json").read_text())
    except (OSError, ValueError):
        return 0
    return len(manifest.get("pages") or {})


def test_a_kill_during_a_fetch_leaves_the_snapshots_and_the_next_run_resumes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "h"
    standin = StandIn(county_parcels())
    with serve(standin):
        assert main(["fetch", "--url", standin.url, "--history", str(folder), *FAST]) == 0
        capsys.readouterr()
        (before,) = history.snapshots(folder)
        kept_bytes = before.read_bytes()
        standin.parcels = a_month_later(standin.parcels)
        standin.faults = Faults({600: ["slow"]}, slow_s=3.0)  # holds the fetch at page 4
        child = _fetch_child(standin.url, folder)
        try:
            deadline = time.monotonic() + 60
            while _kept_pages(folder) < 3:
                assert child.poll() is None, child.communicate()
                assert time.monotonic() < deadline, "the fetch never kept three pages"
                time.sleep(0.01)
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=30)
        finally:
            if child.poll() is None:
                child.kill()
        assert child.returncode == -signal.SIGKILL
        assert history.snapshots(folder) == [before] and before.read_bytes() == kept_bytes
        status, out, err = run(capsys, "fetch", "--url", standin.url, "--history", folder, *FAST)
    assert status == 0, err
    assert "(3 kept from an earlier run)" in out and "9 parcels changed" in out
    assert len(history.snapshots(folder)) == 2 and not (folder / "incoming.parquet").exists()
    assert not (folder / "incoming.parquet.pages").exists()


def test_a_finished_fetch_left_unfiled_is_filed_by_the_next_run(tmp_path: Path) -> None:
    folder = tmp_path / "h"
    standin = StandIn(county_parcels())
    with serve(standin):
        assert (
            main(["fetch", "--url", standin.url, "--out", str(tmp_path / "x.parquet"), *FAST]) == 0
        )
        folder.mkdir()
        (tmp_path / "x.parquet").rename(history.incoming_path(folder))  # killed before filing
        assert main(["fetch", "--url", standin.url, "--history", str(folder), *FAST]) == 0
    assert len(history.snapshots(folder)) == 2


def test_prune_keeps_the_newest(tmp_path: Path) -> None:
    names = ["20260101T000000Z", "20260201T000000Z", "20260201T000000Z-2", "20260301T000000Z"]
    for name in names:
        (tmp_path / f"{name}.parquet").write_bytes(b"x")
    (tmp_path / "notes.parquet").write_bytes(b"x")
    assert [p.stem for p in history.prune(tmp_path, 2)] == names[:2]
    assert [p.stem for p in history.snapshots(tmp_path)] == names[2:]
    assert (tmp_path / "notes.parquet").exists()


def test_keep_copy_links_the_file(tmp_path: Path) -> None:
    source = tmp_path / "parcels.parquet"
    source.write_bytes(b"parcels")
    first = history.keep_copy(tmp_path / "history", source)
    second = history.keep_copy(tmp_path / "history", source)
    assert first != second and first.read_bytes() == second.read_bytes() == b"parcels"
    assert first.stat().st_ino == source.stat().st_ino  # a hard link, not a copy
    assert not list((tmp_path / "history").glob("*.part"))


def test_the_sites_piece_says_as_of_and_lists_the_changes_per_version(
    two_fetches: Path, profile: Profile
) -> None:
    piece = site_changes(two_fetches, profile)
    assert json.loads(json.dumps(piece)) == piece  # JSON as it is
    assert (piece["as_of"], piece["as_of_basis"]) == ("2025-12-31", "last_edit")
    assert piece["previous_as_of"] == "2025-12-01" and piece["default_version"] == "nov2025"
    rows = piece["changed_since_previous"]
    assert {r["apn"]: ", ".join(r["change"]) for r in rows} == EXPECTED
    assert {r["apn"] for r in rows[: len(FLIPS)]} == set(FLIPS)  # the default's flips first
    for row in rows:
        assert set(row["verdicts"]) == set(profile.policies)
    by_apn = {r["apn"]: r for r in rows}
    assert by_apn[CITY_LOT]["flipped"] == ["lots_only"]
    assert by_apn[CITY_LOT]["verdicts"]["lots_only"] == ["not covered", "covered"]
    assert by_apn[PARTS[0]]["related_apns"] == [SPLIT]
    narrow = piece["order"]["lots_only"]  # each version's own flips first
    assert sorted(narrow) == list(range(len(rows)))
    assert {rows[i]["apn"] for i in narrow[: len(LOTS_ONLY_FLIPS)]} == set(LOTS_ONLY_FLIPS)
    assert "TWELVE OAKS" not in json.dumps(piece)  # no private owner's name
    assert len(site_changes(two_fetches, profile, limit=3)["changed_since_previous"]) == 3


def test_the_sites_piece_of_an_empty_history(tmp_path: Path, profile: Profile) -> None:
    assert site_changes(tmp_path, profile)["as_of"] is None
