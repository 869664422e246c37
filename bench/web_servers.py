"""Debian's nginx and Caddy, started on loopback with a configuration given to them
(``free_port`` from ``_support``, which this module hands on).

Each runs in the foreground as a child of the caller (a test, a bench script), as the current
user, with its own prefix, pid file, logs and temporary folders under the folder it is given.
"""

from __future__ import annotations

import grp
import os
import pwd
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from _support import free_port, stop_process

from layers.deploy_files import PLACEHOLDER_LISTEN, PLACEHOLDER_ROOT

NGINX = "/usr/sbin/nginx"
CADDY = "/usr/bin/caddy"
BROTLI_STATIC_MODULE = "/usr/lib/nginx/modules/ngx_http_brotli_static_module.so"
START_TIMEOUT_S = 20.0


def free_ports(count: int) -> int:
    """The first of ``count`` consecutive ports free on 127.0.0.1."""
    for _ in range(50):
        first = free_port()
        if first + count > 65535:
            continue
        try:
            for port in range(first, first + count):
                with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
                    sock.bind(("127.0.0.1", port))
        except OSError:
            continue
        return first
    raise RuntimeError(f"no {count} consecutive free ports")


def nginx_main_config(
    work: Path, http_body: str, brotli: bool = False, workers: str = "1", connections: int = 512
) -> str:
    """A whole nginx.conf around ``http_body`` (what goes inside ``http { }``): ``workers``
    processes (``auto``: one a core) of ``connections`` connections each."""
    user = ""
    if os.geteuid() == 0:  # workers would switch to a user who cannot read the caller's files
        names = pwd.getpwuid(os.geteuid()).pw_name, grp.getgrgid(os.getegid()).gr_name
        user = f"user {names[0]} {names[1]};"
    module = f"load_module {BROTLI_STATIC_MODULE};" if brotli else ""
    temp = "\n".join(
        f"    {kind}_temp_path {work / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""{module}
{user}
daemon off;
worker_processes {workers};
worker_rlimit_nofile {connections * 2};
pid {work / "nginx.pid"};
error_log {work / "error.log"} warn;
events {{
    worker_connections {connections};
}}
http {{
{temp}
{http_body}
}}
"""


@contextmanager
def running_nginx(
    work: Path,
    http_body: str,
    url: str,
    brotli: bool = False,
    workers: str = "1",
    connections: int = 512,
) -> Iterator[Path]:
    """nginx with ``http_body`` until the block ends; yields its error log."""
    work.mkdir(parents=True, exist_ok=True)
    config = work / "nginx.conf"
    config.write_text(nginx_main_config(work, http_body, brotli, workers, connections), "utf-8")
    log = work / "error.log"
    test = subprocess.run(
        [NGINX, "-t", "-p", str(work), "-c", str(config), "-e", str(log)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert test.returncode == 0, f"nginx -t refused the configuration:\n{test.stderr}"
    command = [NGINX, "-p", str(work), "-c", str(config), "-e", str(log)]
    with _running(command, url, log) as _:
        yield log


def site_nginx_config(site: Path, port: int) -> str:
    """The ``deploy/nginx.conf`` that ``publish`` wrote, as an operator edits it: the folder,
    the address on loopback, brotli on."""
    text = (site / "deploy" / "nginx.conf").read_text("utf-8")
    edits = {
        f"listen {PLACEHOLDER_LISTEN};": f"listen 127.0.0.1:{port};",
        f'root "{PLACEHOLDER_ROOT}";': f'root "{site}";',
        "# brotli_static on;": "brotli_static on;",
    }
    for old, new in edits.items():
        if text.count(old) != 1:
            raise ValueError(f"{site / 'deploy' / 'nginx.conf'}: expected {old!r} once")
        text = text.replace(old, new)
    return text


@contextmanager
def running_caddy(work: Path, caddyfile: str, url: str) -> Iterator[Path]:
    """Caddy with ``caddyfile`` (its admin endpoint off) until the block ends; yields its log."""
    work.mkdir(parents=True, exist_ok=True)
    config = work / "Caddyfile"
    config.write_text("{\n\tadmin off\n\tauto_https off\n}\n\n" + caddyfile, "utf-8")
    env = {
        **os.environ,
        "HOME": str(work),
        "XDG_DATA_HOME": str(work / "data"),
        "XDG_CONFIG_HOME": str(work / "config"),
    }
    command = [CADDY, "run", "--config", str(config), "--adapter", "caddyfile"]
    with _running(command, url, work / "caddy.log", env) as _:
        yield work / "caddy.log"


@contextmanager
def _running(
    command: list[str], url: str, log: Path, env: dict[str, str] | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """Run ``command`` until ``url`` answers (any status); stop it when the block ends."""
    with (log.with_suffix(".out")).open("wb") as out:
        proc = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env
        )
    try:
        wait_answering(proc, url, log)
        yield proc
    finally:
        stop_process(proc, 10)


def wait_answering(proc: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"{proc.args[0]} exited ({proc.returncode}):\n{_logs(log)}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answers
        except (urllib.error.URLError, OSError):
            time.sleep(0.1)
    raise AssertionError(f"{url} did not answer within {START_TIMEOUT_S:.0f} s:\n{_logs(log)}")


def _logs(log: Path) -> str:
    texts = []
    for path in (log, log.with_suffix(".out")):
        if path.exists():
            texts.append(path.read_text("utf-8", errors="replace")[-3000:])
    return "\n".join(texts) or "(no log)"
