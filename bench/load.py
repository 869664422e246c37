"""Load test on loopback: N Streamlit sessions at once, speaking Streamlit's own protocol.

No browser: each simulated session does what the page's frontend does to open a link to a
parcel (``?q=<APN>``): it asks ``/_stcore/health`` and ``/_stcore/host-config``, opens the
websocket ``/_stcore/stream`` (subprotocol ``streamlit``, no ``Origin``, so no XSRF token is
needed), sends a ``BackMsg`` whose ``rerun_script.query_string`` is ``q=<APN>`` (what starts
a session's first run) and reads the ``ForwardMsg``\\ s until ``script_finished``. A session
is *answered* when that run finished successfully, its deltas held a heading with that
parcel's APN (the answer card) and no exception element; its time to answer runs from the
health check to ``script_finished``. What a browser adds (drawing the map in the
streamlit-folium frame and reporting its view back, which reruns the script) is not
simulated, so these figures are the server's alone.

The app runs as ``streamlit run app.py`` on 127.0.0.1 and a free port with
``CIVICMAP_SOURCE`` set to a synthetic county (``bench/synth.py``, ``--n`` parcels) or to
``--source FILE``. After one warm-up session (which reads the county), each level opens that
many sessions at once, each asking for a different random parcel and bounded by
``--timeout`` seconds; the sessions stay connected until the whole level is done. Then the
limit is found: 1, 2, 4, 6, 8, 12, 16, ... sessions at once until one step's p95 passes 3 s
(or a session is not answered); ``--find-limit`` runs that alone.

One figure a line (``name: value unit  # detail``), per level: ``level_<N>_p50_s``,
``level_<N>_p95_s``, ``level_<N>_answered`` (with errors and timeouts), and the server's
peak and after-level RSS (``level_<N>_rss_peak_mb``, ``level_<N>_rss_after_mb``); the last
line is ``one server holds N sessions with p95 ≤ 3 s``.

``--url http://127.0.0.1:PORT`` sends the sessions to an app already running there (nginx in
front of replicas: ``bench/replicas_load.py``), serving the same county; no server is started
and the memory figures are NaN.

Run ``python bench/load.py [--levels 10,30,60] [--n 500000] [--timeout 180] [--find-limit]
[--url URL]``.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import math
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import _support
import crowd
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Subprotocol

ROOT = _support.ROOT
MAX_SESSIONS = 256  # the most sessions any level or step opens at once
LIMIT_STEPS = (1, 2, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256)
LIMIT_P95_S = 3.0
APN_POOL = 5_000  # random parcels the sessions ask for
SETTLE_S = 2.0  # pause between levels, so one level's leftover runs end before the next
_MD_ESCAPE = re.compile(r"\\(.)")


# --- one session --------------------------------------------------------------------------------


def unescape_markdown(text: str) -> str:
    """Markdown text without its backslash escapes (``006\\-0102`` is ``006-0102``)."""
    return _MD_ESCAPE.sub(r"\1", text)


@dataclass
class RunWatch:
    """Reads one script run's ``ForwardMsg``\\ s: did the answer card for ``apn`` come?"""

    apn: str
    answer_seen: bool = False
    exception: str = ""
    finished: bool = False
    status: int | None = None

    def feed(self, msg: ForwardMsg) -> None:
        """Take one message."""
        kind = msg.WhichOneof("type")
        if kind == "script_finished":
            if msg.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                return  # the app reran itself: another run follows
            self.finished, self.status = True, msg.script_finished
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            shown = element.WhichOneof("type")
            if shown == "exception":
                self.exception = self.exception or element.exception.message or "exception"
            elif shown == "heading" and self.apn in unescape_markdown(element.heading.body):
                self.answer_seen = True

    @property
    def answered(self) -> bool:
        """The run finished well with the parcel's card and no exception."""
        return (
            self.finished
            and self.status == ForwardMsg.FINISHED_SUCCESSFULLY
            and self.answer_seen
            and not self.exception
        )

    def failure(self) -> str:
        """Why the run does not count as answered (empty when it does)."""
        if self.answered:
            return ""
        if self.exception:
            return "exception"
        if not self.finished:
            return "closed before script_finished"
        if self.status != ForwardMsg.FINISHED_SUCCESSFULLY:
            return f"script_finished status {self.status}"
        return "no answer card"


@dataclass
class Outcome:
    """One session: ``answered``, ``error`` or ``timeout``, and its seconds to answer."""

    kind: str
    seconds: float | None = None
    why: str = ""


def rerun_request(apn: str) -> bytes:
    """The ``BackMsg`` that starts a session's first run on ``?q=<apn>``."""
    back = BackMsg()
    back.rerun_script.query_string = f"q={apn}"
    return back.SerializeToString()


class Level:
    """The sessions of one level: each reports once; all stay connected until all have."""

    def __init__(self, sessions: int) -> None:
        self.waiting = sessions
        self.all_reported = asyncio.Event()

    def report(self) -> None:
        """One session has its outcome."""
        self.waiting -= 1
        if self.waiting <= 0:
            self.all_reported.set()


async def connect_session(port: int, stack: contextlib.AsyncExitStack) -> ClientConnection:
    """Do what the frontend does before a run: health, host config, then the websocket."""
    http = crowd.HttpPool(port, size=1)
    try:
        for path in ("/_stcore/health", "/_stcore/host-config"):
            answer = await http.get(path)
            if answer.status != 200:
                raise crowd.HttpError(f"{path} answered {answer.status}")
    finally:
        await http.close()
    url = f"ws://{_support.LOOPBACK}:{port}/_stcore/stream"
    # no keepalive pings of our own: a browser sends none, and a busy server that answers a
    # ping late would have its connection closed by the client, not by anything it did
    opened = connect(
        url,
        subprotocols=[Subprotocol("streamlit")],
        max_size=None,
        compression=None,
        ping_interval=None,
    )
    return await stack.enter_async_context(opened)


async def ask(ws: ClientConnection, apn: str) -> RunWatch:
    """Start the first run on ``?q=<apn>`` and read until ``script_finished``."""
    await ws.send(rerun_request(apn))
    watch = RunWatch(apn)
    while not watch.finished:
        msg = ForwardMsg()
        try:
            msg.ParseFromString(await ws.recv())
        except ConnectionClosed:
            break
        watch.feed(msg)
    return watch


async def one_session(port: int, apn: str, timeout: float, level: Level) -> Outcome:
    """One session, given ``timeout`` seconds to answer; it disconnects with its level."""
    start = time.monotonic()
    async with contextlib.AsyncExitStack() as stack:
        try:
            async with asyncio.timeout(timeout):
                watch = await ask(await connect_session(port, stack), apn)
            if watch.answered:
                outcome = Outcome("answered", time.monotonic() - start)
            else:
                outcome = Outcome("error", why=watch.failure())
        except TimeoutError:
            outcome = Outcome("timeout", why=f"no answer in {timeout:g} s")
        except Exception as exc:  # refused, reset, a failed handshake
            outcome = Outcome("error", why=type(exc).__name__)
        level.report()
        await level.all_reported.wait()
    return outcome


async def run_level(port: int, apns: Sequence[str], timeout: float) -> list[Outcome]:
    """``len(apns)`` sessions at once, the i-th asking for ``apns[i]``."""
    level = Level(len(apns))
    return list(await asyncio.gather(*(one_session(port, apn, timeout, level) for apn in apns)))


# --- a level's figures --------------------------------------------------------------------------


@dataclass
class Tally:
    """What one level's sessions came to."""

    sessions: int
    times: list[float] = field(default_factory=list)
    errors: int = 0
    timeouts: int = 0
    why: collections.Counter[str] = field(default_factory=collections.Counter)

    @classmethod
    def of(cls, outcomes: Sequence[Outcome]) -> Tally:
        """Count the outcomes."""
        tally = cls(len(outcomes))
        for outcome in outcomes:
            if outcome.kind == "answered" and outcome.seconds is not None:
                tally.times.append(outcome.seconds)
            else:
                tally.errors += outcome.kind == "error"
                tally.timeouts += outcome.kind == "timeout"
                tally.why[outcome.why] += 1
        return tally

    @property
    def p50(self) -> float:
        """Median time to answer of the answered sessions (nearest rank)."""
        return crowd.percentile(self.times, 0.5)

    @property
    def p95(self) -> float:
        """95th percentile time to answer of the answered sessions (nearest rank)."""
        return crowd.percentile(self.times, 0.95)

    @property
    def all_answered(self) -> bool:
        """Every session answered."""
        return len(self.times) == self.sessions

    def reasons(self) -> str:
        """Why sessions failed, most common first."""
        return "; ".join(f"{n}× {why}" for why, n in self.why.most_common()) or "none failed"


def level_lines(name: str, tally: Tally, peak_mb: float, after_mb: float) -> list[str]:
    """The printed figures of one level."""
    over = f"{tally.sessions} sessions at once, of the {len(tally.times)} answered"
    return [
        crowd.figure(f"{name}_p50_s", tally.p50, "s", over),
        crowd.figure(f"{name}_p95_s", tally.p95, "s", over),
        crowd.figure(
            f"{name}_answered",
            len(tally.times),
            f"of {tally.sessions}",
            f"errors {tally.errors}, timeouts {tally.timeouts} ({tally.reasons()})",
        ),
        crowd.figure(f"{name}_rss_peak_mb", round(peak_mb), "MB", "server, sampled every 0.2 s"),
        crowd.figure(f"{name}_rss_after_mb", round(after_mb), "MB", "server, after the level"),
    ]


# --- the server ---------------------------------------------------------------------------------


def start_server(source: Path | None, port: int, log: Path, cache: Path) -> subprocess.Popen[bytes]:
    """``streamlit run app.py`` on 127.0.0.1:``port``, serving ``source`` (None: the sample)."""
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.port",
        str(port),
        "--server.address",
        _support.LOOPBACK,
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "CIVICMAP_CACHE": str(cache)}
    env.pop("CIVICMAP_SOURCE", None)
    if source is not None:
        env["CIVICMAP_SOURCE"] = str(source)
    with log.open("wb") as out:
        return subprocess.Popen(
            cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env, stdin=subprocess.DEVNULL
        )


def wait_healthy(port: int, proc: subprocess.Popen[bytes], timeout: float = 90.0) -> None:
    """Return once ``/_stcore/health`` answers ``ok``; raise when the server exits or is late."""
    url = f"http://{_support.LOOPBACK}:{port}/_stcore/health"
    _support.wait_answering(proc, url, lambda a: a.read() == b"ok", "server", timeout, 0.3)


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    """Terminate the server (kill it after 15 s)."""
    _support.stop_process(proc, 15)


def parcel_apns(source: Path | None, count: int, seed: int) -> list[str]:
    """Up to ``count`` distinct APNs of the served parcels, in random order."""
    from geo.profile import load_profile
    from geo.sources import read_parcels

    path = source or ROOT / "data" / "sacramento" / "sample" / "downtown_sample.zip"
    apns = read_parcels(path, load_profile())["apn"].dropna().astype(str).str.strip()
    unique = sorted(set(apns[apns != ""].tolist()))
    random.Random(seed).shuffle(unique)
    return unique[:count]


# --- the run ------------------------------------------------------------------------------------


class Crowd:
    """Opens levels of sessions against one running server, asking for random parcels."""

    def __init__(self, port: int, pid: int | None, apns: Sequence[str], timeout: float) -> None:
        self.port, self.pid, self.apns, self.timeout = port, pid, list(apns), timeout
        self._next = 0

    def pick(self, sessions: int) -> list[str]:
        """The next ``sessions`` APNs of the pool (cycling)."""
        chosen = [self.apns[(self._next + i) % len(self.apns)] for i in range(sessions)]
        self._next += sessions
        return chosen

    def level(self, sessions: int, timeout: float | None = None) -> tuple[Tally, float, float]:
        """Run ``sessions`` at once; the tally, the server's peak RSS and its RSS after.

        The memory figures are NaN for a server of no known process (``--url``).
        """
        time.sleep(SETTLE_S)
        apns, seconds = self.pick(sessions), timeout or self.timeout
        if self.pid is None:
            return Tally.of(asyncio.run(run_level(self.port, apns, seconds))), math.nan, math.nan
        with crowd.PeakMemory(self.pid) as memory:
            outcomes = asyncio.run(run_level(self.port, apns, seconds))
        return Tally.of(outcomes), memory.peak, crowd.rss_mb(self.pid)


def find_limit(crowd_: Crowd, most: int) -> int:
    """Step up the sessions until p95 passes 3 s or one fails; print each step; the limit."""
    held, passed_all = 0, True
    for sessions in (s for s in LIMIT_STEPS if s <= most):
        tally, peak, _ = crowd_.level(sessions)
        ok = tally.all_answered and tally.p95 <= LIMIT_P95_S
        print(
            crowd.figure(
                f"limit_step_{sessions}_p95_s",
                tally.p95,
                "s",
                f"{len(tally.times)} of {sessions} answered ({tally.reasons()}), p50 "
                f"{tally.p50:.2f} s, server RSS peak {peak:,.0f} MB, {'within' if ok else 'past'}"
                f" {LIMIT_P95_S:g} s",
            ),
            flush=True,
        )
        if not ok:
            passed_all = False
            break
        held = sessions
    print(
        crowd.figure(
            "limit_sessions",
            held,
            "sessions",
            f"most sessions at once with every one answered and p95 <= {LIMIT_P95_S:g} s",
        )
    )
    more = f" (at least: {held} is the most --max-sessions lets it try)" if passed_all else ""
    print(f"one server holds {held} sessions with p95 ≤ {LIMIT_P95_S:g} s{more}", flush=True)
    return held


def build_parser() -> argparse.ArgumentParser:
    """The command line of ``bench/load.py``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", default="10,30,60", help="sessions at once, comma-separated")
    _support.add_county_options(parser, "the synthetic county")
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds per session")
    parser.add_argument(
        "--warmup-timeout",
        type=float,
        default=900.0,
        help="seconds for the first session, which reads the county",
    )
    parser.add_argument(
        "--max-sessions",
        type=int,
        default=MAX_SESSIONS,
        help=f"the most sessions at once (at most {MAX_SESSIONS})",
    )
    parser.add_argument(
        "--find-limit", action="store_true", help="only step up the sessions until p95 passes 3 s"
    )
    parser.add_argument(
        "--url",
        help="an app already serving on this machine (e.g. nginx in front of replicas, "
        "http://127.0.0.1:8080): no server is started and no memory is measured",
    )
    return parser


def loopback_port(url: str) -> int:
    """The port of an ``http://127.0.0.1:PORT`` (or localhost) URL; ValueError otherwise."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "http" or parts.hostname not in ("127.0.0.1", "localhost"):
        raise ValueError(f"--url must be http://127.0.0.1:PORT on this machine, not {url!r}")
    if parts.port is None:
        raise ValueError(f"--url {url!r}: give the port")
    return parts.port


def parse_levels(text: str, most: int) -> list[int]:
    """``"10,30,60"`` as numbers of sessions, each at least 1 and at most ``most``."""
    try:
        levels = [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise ValueError(f"--levels must be whole numbers, not {text!r}") from None
    if not levels or min(levels) < 1:
        raise ValueError("--levels must be whole numbers of at least 1")
    return [min(level, most) for level in levels]


def measure(args: argparse.Namespace, work: Path) -> int:
    """Start the server on the county (unless ``--url``), warm it up, run levels and limit."""
    levels = parse_levels(args.levels, args.max_sessions)
    with _support.county(args) as source:
        what = source.name
        if args.source is None:
            what += f" ({args.n:,} synthetic parcels, seed {args.seed})"
        apns = parcel_apns(source, APN_POOL, args.seed)
        if args.url:  # the server there serves the same county (its CIVICMAP_SOURCE)
            return run_crowd(args, loopback_port(args.url), None, levels, apns, what, None)
        port = _support.free_port()
        log = work / "server.log"
        proc = start_server(source, port, log, work / "cache")
        try:
            wait_healthy(port, proc)
            return run_crowd(args, port, proc.pid, levels, apns, what, log)
        finally:
            stop_server(proc)


def run_crowd(
    args: argparse.Namespace,
    port: int,
    pid: int | None,
    levels: Sequence[int],
    apns: Sequence[str],
    what: str,
    log: Path | None,
) -> int:
    """The warm-up session, the levels and the limit against the server on ``port``."""
    import streamlit

    print(
        f"# server: streamlit {streamlit.__version__} on {_support.LOOPBACK}:{port}, "
        f"serving {what}; {os.cpu_count()} cores; {len(apns):,} parcels asked for at random",
        flush=True,
    )
    session = Crowd(port, pid, apns, args.timeout)
    warm, peak, after = session.level(1, args.warmup_timeout)
    print(
        crowd.figure(
            "warmup_s",
            warm.p50,
            "s",
            f"first session (reads the county; {warm.reasons()}), server RSS "
            f"peak {peak:,.0f} MB, after {after:,.0f} MB",
        ),
        flush=True,
    )
    if not warm.all_answered:
        print(f"error: the first session was not answered; server log: {log}", file=sys.stderr)
        if log is not None:
            print(log.read_text(errors="replace")[-3000:], file=sys.stderr)
        return 1
    if not args.find_limit:
        for sessions in levels:
            tally, peak, after = session.level(sessions)
            for line in level_lines(f"level_{sessions}", tally, peak, after):
                print(line, flush=True)
    find_limit(session, args.max_sessions)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the load test and print its figures; 2 on bad input, 1 when a step fails."""
    args = build_parser().parse_args(argv)
    try:
        parse_levels(args.levels, MAX_SESSIONS)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.n < 1 or not 1 <= args.max_sessions <= MAX_SESSIONS:
        print(
            f"error: --n must be at least 1 and --max-sessions 1 to {MAX_SESSIONS}", file=sys.stderr
        )
        return 2
    if args.url:
        try:
            loopback_port(args.url)
        except ValueError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    if args.source is not None and not args.source.exists():
        print(f"error: no such file: {args.source}", file=sys.stderr)
        return 2
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="civicmap-load-") as work:
        try:
            status = measure(args, Path(work))
        except RuntimeError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
    print(f"# total {time.monotonic() - start:.0f} s")
    return status


if __name__ == "__main__":
    raise SystemExit(main())
