"""What the bench scripts share: where the checkout is, the synthetic county and its
options, loopback ports, starting and stopping servers, timing one call, and a command's
peak memory.

Every script imports this module from beside it (``bench/`` is not a package; a script run
as ``python bench/NAME.py`` has its folder on the path).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import synth

from geo.paths import CHECKOUT

T = TypeVar("T")
ROOT = CHECKOUT
BENCH = ROOT / "bench"
DEFAULT_WORKDIR = BENCH / "out"  # ignored by git
LOOPBACK = "127.0.0.1"
CHROMIUM = "/usr/bin/chromium"


# --- the county ---------------------------------------------------------------------------------


def county_source(workdir: Path, n: int, seed: int = 1) -> tuple[Path, bool]:
    """``workdir/synth-n<n>-seed<seed>/county_synth.zip``, generated unless already there.

    Returns
    -------
    (Path, bool)
        The zip and whether this call generated it (the caller removes it unless kept).
    """
    folder = workdir / f"synth-n{n}-seed{seed}"
    zip_path = folder / synth.ZIP_NAME
    if zip_path.exists():
        return zip_path, False
    synth.generate(n, folder, seed)
    return zip_path, True


@contextlib.contextmanager
def county(args: argparse.Namespace) -> Iterator[Path]:
    """The parcel file the county options name: ``--source``, else the synthetic county
    (generated when missing, and then removed at the end unless ``--keep``)."""
    if args.source is not None:
        yield args.source.resolve()
        return
    source, made = county_source(args.workdir, args.n, args.seed)
    try:
        yield source
    finally:
        if made and not args.keep:
            shutil.rmtree(source.parent, ignore_errors=True)


def add_county_options(parser: argparse.ArgumentParser, what: str = "the county") -> None:
    """``--n``, ``--source``, ``--seed``, ``--workdir`` and ``--keep``: which county to use."""
    parser.add_argument("--n", type=int, default=500_000, help="synthetic county parcels")
    parser.add_argument("--source", type=Path, help="use this parcel file instead of --n")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic county")
    parser.add_argument(
        "--workdir",
        type=Path,
        default=DEFAULT_WORKDIR,
        help=f"where {what} is made (reused when kept)",
    )
    parser.add_argument("--keep", action="store_true", help=f"keep {what}")


# --- servers ------------------------------------------------------------------------------------


def free_port() -> int:
    """A TCP port free on the loopback interface now."""
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


def wait_answering(
    proc: subprocess.Popen[bytes],
    url: str,
    answered: Callable[[Any], bool],
    what: str,
    timeout: float,
    pause: float,
) -> None:
    """Return once ``url`` answers as ``answered`` says; raise when ``proc`` exits or is late."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the {what} exited before it answered")
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=2) as answer:
            if answered(answer):
                return
        time.sleep(pause)
    raise RuntimeError(f"the {what} did not answer in time")


def stop_process(proc: subprocess.Popen[bytes], grace: float) -> None:
    """Terminate a server (kill it after ``grace`` seconds)."""
    proc.terminate()
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=grace)


# --- timing -------------------------------------------------------------------------------------


# Runs one ``civicmap`` command and prints its peak resident memory (MB): the larger of its
# own and its children's (tippecanoe's), as ``getrusage`` gives them.
_PEAK_CHILD = (
    "import json, resource, sys\n"
    "from layers.cli import main\n"
    "status = main(json.loads(sys.argv[1]))\n"
    "own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
    "kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "print(max(own, kids) / 1024, flush=True)\n"
    "sys.exit(status)\n"
)


def command_peak(args: list[str]) -> tuple[float, float]:
    """``civicmap ARGS`` in a child process: its seconds and peak memory (MB)."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _PEAK_CHILD, json.dumps(args)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return time.perf_counter() - start, float(done.stdout.strip().splitlines()[-1])


def timed(fn: Callable[[], T]) -> tuple[float, T]:
    """Run ``fn`` once after a garbage collection; return (seconds, result)."""
    gc.collect()
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result
