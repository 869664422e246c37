"""``bench/load.py`` works: two sessions at once against a small synthetic county answer.

Checks the script, not its timings (those are for ``make bench``).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]


def test_load_bench_runs_two_sessions() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "load.py"), "--levels", "2", "--n", "500"],
        capture_output=True,
        text=True,
        timeout=400,
        check=True,
        cwd=ROOT,
    )
    rows = [line.split() for line in done.stdout.splitlines() if line.strip()[:1].isdigit()]
    assert len(rows) == 1, done.stdout
    sessions, answered, failed = rows[0][:3]
    assert (sessions, answered, failed) == ("2", "2", "0"), done.stdout
    assert float(rows[0][5].replace(",", "")) > 50  # the server's peak RSS, in MB
