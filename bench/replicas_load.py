"""Sessions held by one app replica and by two, each behind Debian's nginx, on loopback.

For each count of replicas (``--replicas 1,2``) it starts them as ``make replicas`` does
(``python -m panels.replicas``, ``CIVICMAP_SOURCE`` the synthetic county of ``--n`` parcels
or ``--source FILE``), nginx in front with the configuration ``civicmap proxy-conf`` writes
(cookie affinity; the bench's sessions carry no cookie, so each lands on a replica at random,
as new readers do), warms every replica on its own port (the first session reads the
county), then steps up the sessions at once through nginx until p95 passes 3 s
(``bench/load.py``'s ``find_limit``, the same sessions, each opening a parcel link). The
client runs on the same machine and shares its cores.

One figure a line: ``replicas_<R>_sessions`` for each count and ``replicas_gain`` (the most
replicas' figure over one's).

Run ``python bench/replicas_load.py [--n 20000] [--replicas 1,2] [--max-sessions 256]``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import _support
import crowd
import load
import web_servers

from layers.deploy_files import app_proxy_config, replica_addresses

ROOT = _support.ROOT


@contextmanager
def running_replicas(
    replicas: int, source: Path, work: Path
) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """``replicas`` app servers on consecutive free ports; the launcher and the first port."""
    port = web_servers.free_ports(replicas)
    env = {**os.environ, "CIVICMAP_SOURCE": str(source), "CIVICMAP_CACHE": str(work / "cache")}
    command = [sys.executable, "-m", "panels.replicas", "--replicas", str(replicas)]
    log = work / f"replicas-{replicas}.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [*command, "--port", str(port)], cwd=ROOT, env=env, stdout=out, stderr=out
        )
    try:
        for each in range(port, port + replicas):
            load.wait_healthy(each, proc)
        yield proc, port
    finally:
        _support.stop_process(proc, 30)


def sessions_held(args: argparse.Namespace, replicas: int, source: Path, work: Path) -> int:
    """The most sessions at once that ``replicas`` replicas behind nginx answer in 3 s."""
    apns = load.parcel_apns(source, load.APN_POOL, args.seed)
    with running_replicas(replicas, source, work) as (proc, port):
        for each in range(port, port + replicas):  # warm each one: it reads the county
            warm, _, _ = load.Crowd(each, None, apns, args.warmup_timeout).level(1)
            if not warm.all_answered:
                raise RuntimeError(f"replica on port {each} did not answer: {warm.reasons()}")
        proxy_port = web_servers.free_port()
        upstreams = replica_addresses(_support.LOOPBACK, port, replicas)
        config = app_proxy_config(upstreams, listen=f"{_support.LOOPBACK}:{proxy_port}")
        health = f"http://{_support.LOOPBACK}:{proxy_port}/_stcore/health"
        with web_servers.running_nginx(work / f"nginx-{replicas}", config, health):
            print(f"# {replicas} replica(s) behind nginx on port {proxy_port}", flush=True)
            session = load.Crowd(proxy_port, proc.pid, apns, args.timeout)
            return load.find_limit(session, args.max_sessions)


def parse_counts(text: str) -> list[int]:
    """``"1,2"`` as counts of replicas (each at least 1)."""
    counts = [int(x) for x in text.split(",") if x.strip()]
    if not counts or min(counts) < 1:
        raise ValueError("--replicas: whole numbers of at least 1")
    return counts


def main(argv: Sequence[str] | None = None) -> int:
    """Print the sessions each count of replicas holds, and the gain."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    _support.add_county_options(parser, "the synthetic county")
    parser.add_argument("--replicas", default="1,2", help="counts of replicas, comma-separated")
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds per session")
    parser.add_argument("--warmup-timeout", type=float, default=900.0)
    parser.add_argument("--max-sessions", type=int, default=load.MAX_SESSIONS)
    args = parser.parse_args(argv)
    counts = parse_counts(args.replicas)
    start = time.monotonic()
    held: dict[int, int] = {}
    with (
        _support.county(args) as source,
        tempfile.TemporaryDirectory(prefix="civicmap-replicas-") as work,
    ):
        for count in counts:
            held[count] = sessions_held(args, count, source, Path(work))
    for count, sessions in held.items():
        print(crowd.figure(f"replicas_{count}_sessions", sessions, "sessions", "p95 <= 3 s"))
    if len(held) > 1 and held[min(held)] > 0:
        gain = held[max(held)] / held[min(held)]
        print(crowd.figure("replicas_gain", round(gain, 2), "x", f"{max(held)} over {min(held)}"))
    print(f"# total {time.monotonic() - start:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
