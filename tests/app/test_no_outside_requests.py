"""The server makes no outside request: ``make run``'s command, every socket call recorded.

Streamlit, started headless without an address, looks up ``checkip.amazonaws.com`` at start
to print a "Network URL" (and opens a UDP socket towards 8.8.8.8 to find its own address).
``.streamlit/config.toml`` and the Makefile's ``ADDRESS`` prevent both; this test runs the
``run`` target's command with a ``sitecustomize`` that records each connect and name
look-up, opens pages over loopback, stops the server and reads the record.
"""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _load_watch() -> ModuleType:
    """Import ``tests/app/socket_watch/server_watch.py`` (not a package on the path)."""
    path = ROOT / "tests" / "app" / "socket_watch" / "server_watch.py"
    spec = importlib.util.spec_from_file_location("server_watch", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


watch = _load_watch()


def test_make_run_listens_on_loopback_by_default() -> None:
    command = watch.run_command(8501)
    assert command[:5] == [
        str(ROOT / ".venv" / "bin" / "python"),
        "-m",
        "panels.serve",
        "run",
        "app.py",
    ]
    address = command[command.index("--server.address") + 1]
    assert address == "127.0.0.1"


def test_the_watch_sees_an_outside_address(tmp_path: Path) -> None:
    """The recorder itself: a UDP connect (which sends nothing) to a documentation address."""
    log = tmp_path / "sockets.jsonl"
    code = (
        "import socket\n"
        "socket.getaddrinfo('127.0.0.1', 80)\n"
        "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
        "s.connect(('192.0.2.1', 9))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(watch.WATCH_FOLDER), "CIVICMAP_SOCKET_LOG": str(log)}
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=60)
    calls = watch.records(log)
    assert calls[0][0] == "watching"
    assert ("getaddrinfo", "127.0.0.1") in calls
    assert watch.outside_calls(log) == [("connect", ["192.0.2.1", 9])]


def test_server_makes_no_outside_request(tmp_path: Path) -> None:
    with watch.watched_server(tmp_path) as server:
        status, page = watch.get(f"{server.base_url}/")
        assert status == 200 and b"<html" in page.lower()
        assert watch.get(f"{server.base_url}/_stcore/health") == (200, b"ok")
        time.sleep(3)  # whatever the server does on its own after start
    calls = watch.records(server.socket_log)
    assert calls and calls[0][0] == "watching", "the socket watch did not load in the server"
    output = server.output_log.read_text(encoding="utf-8", errors="replace")
    assert watch.outside_calls(server.socket_log) == [], output
    assert "External URL" not in output and "Network URL" not in output


def test_foreign_origin_costs_no_lookup_once_kept_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """A WebSocket from another site is refused without asking the network (panels.offline)."""
    from streamlit import net_util
    from streamlit.web.server import server_util

    from panels.offline import keep_server_offline

    for name in ("get_internal_ip", "get_external_ip"):  # restored after the test
        monkeypatch.setattr(net_util, name, getattr(net_util, name))
    seen: list[object] = []
    real_getaddrinfo, real_connect = socket.getaddrinfo, socket.socket.connect

    def getaddrinfo(host: object, *args: object, **kwargs: object) -> object:
        seen.append(host)
        return real_getaddrinfo(host, *args, **kwargs)  # type: ignore[arg-type]

    def connect(self: socket.socket, address: object) -> None:
        seen.append(address)
        real_connect(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", connect)
    keep_server_offline()
    assert not server_util.is_url_from_allowed_origins("http://elsewhere.example")
    assert server_util.is_url_from_allowed_origins("http://localhost:8501")
    assert server_util.is_url_from_allowed_origins("http://127.0.0.1:8501")
    assert seen == []
