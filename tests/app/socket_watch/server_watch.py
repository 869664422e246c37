"""Run ``make run``'s command with every socket call of the server recorded (a test helper).

The streamlit command line is read from the Makefile's ``run`` target (not run through
make, whose setup target would install things), started on a free loopback port with this
folder on ``PYTHONPATH`` so :mod:`sitecustomize` records each connect and name lookup.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import os
import re
import shlex
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[3]
WATCH_FOLDER = Path(__file__).resolve().parent
START_TIMEOUT_S = 90.0
STOP_TIMEOUT_S = 20.0
# urllib without the environment's proxies: the test's own requests stay on this machine
LOCAL_ONLY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@dataclass(frozen=True)
class WatchedServer:
    """A running server: its base URL, its socket log and its output log."""

    base_url: str
    socket_log: Path
    output_log: Path
    command: list[str]


def run_command(port: int, makefile: Path = REPO / "Makefile") -> list[str]:
    """The ``run`` target's command line, with the Makefile's variables filled in."""
    text = makefile.read_text(encoding="utf-8")
    recipe = re.search(r"^run:.*\n\t(.+)$", text, re.MULTILINE)
    if recipe is None:
        raise AssertionError("the Makefile has no run target with a command")
    defaults = dict(re.findall(r"^([A-Z_]+) \?= (\S+)$", text, re.MULTILINE))
    values = {"BIN": str(REPO / ".venv" / "bin"), **defaults, "PORT": str(port)}
    line = re.sub(r"\$\((\w+)\)", lambda m: values[m.group(1)], recipe.group(1))
    if "$" in line:
        raise AssertionError(f"unfilled variable in the run command: {line}")
    return shlex.split(line)


def free_port() -> int:
    """A TCP port nobody listens on at the moment, on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get(url: str, timeout: float = 5.0) -> tuple[int, bytes]:
    """GET a loopback URL; (status, body), status 0 when nothing answered."""
    try:
        with LOCAL_ONLY.open(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""
    except (urllib.error.URLError, OSError):
        return 0, b""


def _stop(child: subprocess.Popen[bytes]) -> None:
    if child.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(child.pid, signal.SIGTERM)
    try:
        child.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGKILL)
        child.wait(timeout=STOP_TIMEOUT_S)


@contextlib.contextmanager
def watched_server(folder: Path) -> Iterator[WatchedServer]:
    """Start the app as ``make run`` would, socket calls recorded; stop it on exit."""
    port = free_port()
    command = run_command(port)
    socket_log, output_log = folder / "sockets.jsonl", folder / "server.log"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(WATCH_FOLDER), os.environ.get("PYTHONPATH")])
        ),
        "CIVICMAP_SOCKET_LOG": str(socket_log),
    }
    with output_log.open("wb") as output:
        child = subprocess.Popen(
            command, cwd=REPO, env=env, stdout=output, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
    try:
        base_url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + START_TIMEOUT_S
        while get(f"{base_url}/_stcore/health", timeout=2)[0] != 200:
            if child.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"the server did not start:\n{output_log.read_text()}")
            time.sleep(0.25)
        yield WatchedServer(base_url, socket_log, output_log, command)
    finally:
        _stop(child)


def records(log: Path) -> list[tuple[str, Any]]:
    """The recorded calls, in order."""
    if not log.exists():
        return []
    return [tuple(json.loads(line)) for line in log.read_text(encoding="utf-8").splitlines()]


def is_loopback_host(host: Any) -> bool:
    """Whether a host (name, address or None) stays on this machine."""
    if host is None or host in ("", "localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


def outside_calls(log: Path) -> list[tuple[str, Any]]:
    """Recorded connects and look-ups that name anything but loopback or a unix socket."""
    outside = []
    for call, address in records(log):
        if call == "watching":
            continue
        if isinstance(address, str) and call in ("connect", "connect_ex", "sendto"):
            continue  # a unix socket path
        host = address[0] if isinstance(address, list) and address else address
        if not is_loopback_host(host):
            outside.append((call, address))
    return outside
