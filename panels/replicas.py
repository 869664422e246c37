"""``python -m panels.replicas --replicas N``: N app servers on one machine, for a proxy.

Replica ``i`` listens on ``--address`` and port ``--port + i`` (``make replicas REPLICAS=N``;
``civicmap proxy-conf`` writes nginx's configuration for the same ports). Each is
``python -m panels.serve run app.py``. They share one cookie secret, so a browser moved to
another replica (one stopped) keeps a valid XSRF cookie, and the served tiles of
``static/tiles/`` are cleared once here, not by each replica (they share that folder).
Ctrl-C or SIGTERM stops them all; so does any one of them exiting.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Sequence

from geo.paths import CHECKOUT

ROOT = CHECKOUT
# Set for the replicas: the server start leaves static/tiles/ to the launcher.
SHARED_STATIC_ENV = "CIVICMAP_SHARED_STATIC"
COOKIE_SECRET_ENV = "STREAMLIT_SERVER_COOKIE_SECRET"


def replica_command(address: str, port: int, extra: Sequence[str] = ()) -> list[str]:
    """The command line of one replica."""
    return [
        sys.executable,
        "-m",
        "panels.serve",
        "run",
        "app.py",
        "--server.port",
        str(port),
        "--server.address",
        address,
        *extra,
    ]


def replica_environment() -> dict[str, str]:
    """The replicas' environment: one cookie secret for all (kept if one is set)."""
    env = {**os.environ, SHARED_STATIC_ENV: "1"}
    env.setdefault(COOKIE_SECRET_ENV, secrets.token_hex(32))
    return env


def start_replicas(
    replicas: int, address: str, port: int, extra: Sequence[str] = ()
) -> list[subprocess.Popen[bytes]]:
    """Start ``replicas`` servers on ``port``, ``port + 1``, ... (not waiting for them)."""
    from panels.tile_files import clear_served_tiles  # only the launcher clears the folder

    clear_served_tiles()
    env = replica_environment()
    return [
        subprocess.Popen(replica_command(address, port + i, extra), cwd=ROOT, env=env)
        for i in range(replicas)
    ]


def stop_all(procs: Sequence[subprocess.Popen[bytes]], timeout: float = 10.0) -> None:
    """Terminate every replica; kill those still running after ``timeout`` seconds."""
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()
    deadline = time.monotonic() + timeout
    for proc in procs:
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _interrupt(_signum: int, _frame: object) -> None:
    """SIGTERM unwinds like Ctrl-C, so the replicas are stopped too."""
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    """Run the replicas until Ctrl-C, SIGTERM or one of them exits."""
    parser = argparse.ArgumentParser(prog="python -m panels.replicas")
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--address", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8501)
    args, extra = parser.parse_known_args(argv)
    if args.replicas < 1:
        parser.error("--replicas: give 1 or more")
    signal.signal(signal.SIGTERM, _interrupt)
    procs = start_replicas(args.replicas, args.address, args.port, extra)
    ports = range(args.port, args.port + args.replicas)
    print(f"{args.replicas} replicas on {args.address}, ports {ports[0]}-{ports[-1]}", flush=True)
    print(
        "nginx in front: civicmap proxy-conf "
        f"--replicas {args.replicas} --address {args.address} --port {args.port}",
        flush=True,
    )
    try:
        while all(proc.poll() is None for proc in procs):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        stop_all(procs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
