"""Print how much memory reading an uploaded parcel file takes, per megabyte uploaded.

Run ``python bench/upload_memory.py FILE [FILE...]`` (e.g. the zip of ``bench/synth.py`` and
its ingested GeoParquet). Each file is read in a fresh process the way the app reads an
upload: its bytes held in memory (as Streamlit holds an upload), a second copy (the app's
``getvalue()``), then :func:`panels.uploads.read_upload` and the policy classification. The
process's resident memory is sampled every 5 ms; one line per file::

    FILE: 32.7 MB upload -> peak 1,234 MB resident (+1,000 MB over the imports; 30.6 MB per MB)
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import _support

ROOT = _support.ROOT

CHILD = r"""
import json, sys, threading, time
from pathlib import Path
sys.path.insert(0, sys.argv[2])

def rss_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0

peak = [0.0]
def sample():
    while True:
        peak[0] = max(peak[0], rss_mb())
        time.sleep(0.005)

from geo.classify import classify
from geo.profile import load_profile
from panels.uploads import read_upload
profile = load_profile()
threading.Thread(target=sample, daemon=True).start()
time.sleep(0.05)
base = rss_mb()
path = Path(sys.argv[1])
held = path.read_bytes()
copy = bytes(bytearray(held))
frame = read_upload(copy, path.name, profile)
classified = classify(frame, profile.policy_version(), reasons=False)
time.sleep(0.05)
print(json.dumps({"size_mb": len(held) / 1e6, "base_mb": base, "peak_mb": peak[0],
                  "parcels": len(classified)}))
"""


def measure(path: Path) -> dict[str, float]:
    """Peak resident memory of a fresh process reading ``path`` as an upload."""
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), str(ROOT)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.splitlines()[-1])


def main(argv: list[str]) -> int:
    """Measure each file named on the command line."""
    for name in argv:
        m = measure(Path(name))
        extra = m["peak_mb"] - m["base_mb"]
        print(
            f"{Path(name).name}: {m['size_mb']:.1f} MB upload, {m['parcels']:,} parcels -> "
            f"peak {m['peak_mb']:,.0f} MB resident (+{extra:,.0f} MB over the imports; "
            f"{extra / m['size_mb']:.1f} MB per MB uploaded)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
