"""``civicmap ingest`` interrupted while it writes: the old output stays, no partial file stays.

A synthetic county (``bench/synth.py``) is big enough that writing its GeoParquet takes a
visible moment; the test waits for the ``.part`` file to appear and then signals the process.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bench_support import load_bench
from parcel_helpers import REPO, SAMPLE_ZIP

from geo.cli import main

PARCELS = 100_000


@pytest.fixture(scope="module")
def big_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic county of 100,000 parcels as a zipped shapefile."""
    folder = tmp_path_factory.mktemp("synth")
    assert load_bench("synth").main(["--n", str(PARCELS), "--out", str(folder)]) == 0
    return folder / "county_synth.zip"


@pytest.fixture
def old_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A good earlier output: the sample, ingested."""
    out = tmp_path / "parcels.parquet"
    assert main(["ingest", str(SAMPLE_ZIP), "--out", str(out), "--quiet"]) == 0
    capsys.readouterr()
    return out


def _parts(out: Path) -> list[Path]:
    return sorted(out.parent.glob(out.name + ".*.part"))


def _signal_while_writing(src: Path, out: Path, signum: int) -> subprocess.CompletedProcess[str]:
    """Start ``civicmap ingest`` and send ``signum`` once its ``.part`` file exists."""
    child = subprocess.Popen(
        [sys.executable, "-m", "geo", "ingest", str(src), "--out", str(out), "--quiet"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # a child of a shell job may start with SIGINT ignored; Ctrl-C must reach it
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    part = out.with_name(f"{out.name}.{child.pid}.part")
    deadline = time.monotonic() + 180
    try:
        while not part.exists():
            assert child.poll() is None, "ingest ended before it began to write"
            assert time.monotonic() < deadline, "ingest never began to write"
            time.sleep(0.002)
        child.send_signal(signum)
        stdout, stderr = child.communicate(timeout=120)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    return subprocess.CompletedProcess(child.args, child.returncode, stdout, stderr)


@pytest.mark.parametrize(
    ("signum", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 128 + signal.SIGTERM)]
)
def test_interrupt_keeps_the_old_output(
    big_source: Path, old_output: Path, signum: int, status: int
) -> None:
    before = old_output.read_bytes()
    result = _signal_while_writing(big_source, old_output, signum)
    assert result.returncode == status, result.stderr
    assert result.stderr == "interrupted\n"  # one line, no traceback
    assert result.stdout == ""
    assert old_output.read_bytes() == before
    assert _parts(old_output) == []


def test_kill_keeps_the_old_output_and_the_next_run_cleans_up(
    big_source: Path, old_output: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = old_output.read_bytes()
    result = _signal_while_writing(big_source, old_output, signal.SIGKILL)
    assert result.returncode == -signal.SIGKILL
    assert old_output.read_bytes() == before
    assert len(_parts(old_output)) == 1  # what a killed process leaves
    assert main(["ingest", str(SAMPLE_ZIP), "--out", str(old_output), "--quiet"]) == 0
    capsys.readouterr()
    assert _parts(old_output) == []
