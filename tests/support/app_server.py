"""The app's server for tests: ``streamlit run app.py`` on a free loopback port, and the
flags of Debian's Chromium that the browser tests launch."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
# WebGL in headless Chromium (SwiftShader), for the maps MapLibre draws.
WEBGL_ARGS = [
    *(a for a in LAUNCH_ARGS if a != "--disable-gpu"),
    "--use-gl=angle",
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
]
SERVER_TIMEOUT_S = 60.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _tail(path: Path, lines: int = 40) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        return f"(could not read {path.name}: {exc})"
    return "\n".join(text.splitlines()[-lines:]) or "(empty)"


def _healthy(base_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as resp:
            return resp.status == 200 and resp.read().decode().strip() == "ok"
    except (urllib.error.URLError, OSError, ValueError):
        return False


@contextmanager
def running_app(log_path: Path, extra_env: dict[str, str] | None = None) -> Iterator[str]:
    """Run ``streamlit run app.py`` on a free localhost port; yield its base URL."""
    with running_streamlit("app.py", log_path, REPO_ROOT, extra_env) as base_url:
        yield base_url


@contextmanager
def running_streamlit(
    script: str, log_path: Path, cwd: Path, extra_env: dict[str, str] | None = None
) -> Iterator[str]:
    """Run ``streamlit run SCRIPT`` in ``cwd`` on a free localhost port; yield its base URL."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        script,
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]
    env = {**os.environ, "PYTHONUNBUFFERED": "1", **(extra_env or {})}
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            cmd,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
        )
    try:
        deadline = time.monotonic() + SERVER_TIMEOUT_S
        while not _healthy(base_url):
            if proc.poll() is not None:
                pytest.fail(
                    f"streamlit exited with code {proc.returncode} before {base_url}"
                    f"/_stcore/health answered 'ok'.\nLog tail ({log_path}):\n{_tail(log_path)}"
                )
            if time.monotonic() > deadline:
                pytest.fail(
                    f"{base_url}/_stcore/health did not answer 'ok' within "
                    f"{SERVER_TIMEOUT_S:.0f} s.\nLog tail ({log_path}):\n{_tail(log_path)}"
                )
            time.sleep(0.25)
        yield base_url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
