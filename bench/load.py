"""Load test on loopback: N browser sessions at once against one server with a county loaded.

Starts the app (``streamlit run app.py`` on 127.0.0.1 and a free port) with
``CIVICMAP_SOURCE`` set to a synthetic county written by ``bench/synth.py``, then for each
level opens that many headless Chromium contexts at once; each loads the page and waits
for the answer (the four verdict metrics and the map's parcels drawn). It prints, per level,
the p50 and p95 time to the answer, the sessions that failed or timed out, and the
server's resident memory (peak during the level). Bounded: at most ``--max-sessions``
sessions, each given ``--timeout`` seconds; every request stays on this machine (a request
to any other host is aborted).

Run ``python bench/load.py [--levels 10,30,60] [--n 50000]``. The browsers run on the same
machine as the server, so the figures are a floor on what one server holds.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from playwright.async_api import Browser, async_playwright

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PARCELS = "path.leaflet-interactive"
MAX_SESSIONS = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MB (from /proc)."""
    total = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for each in pids:
        try:
            for line in Path(f"/proc/{each}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


class PeakMemory:
    """Samples a process's RSS every 0.2 s on a thread; ``peak`` in MB."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self._stop = pid, 0.0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_mb(self.pid))
            time.sleep(0.2)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def start_server(source: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
           "--server.address", "127.0.0.1", "--server.headless", "true",
           "--browser.gatherUsageStats", "false"]  # fmt: skip
    env = {**os.environ, "CIVICMAP_SOURCE": str(source), "PYTHONUNBUFFERED": "1"}
    with log.open("wb") as out:
        return subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env,
                                stdin=subprocess.DEVNULL)  # fmt: skip


def wait_healthy(url: str, proc: subprocess.Popen[bytes], timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("error: the server exited before it answered")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.read() == b"ok":
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit("error: the server did not answer in time")


async def one_session(browser: Browser, url: str, timeout: float) -> float | None:
    """Seconds from opening the page to the answer on screen; None when it failed."""
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    await context.route(lambda u: not u.startswith(url), lambda route: route.abort())
    page = await context.new_page()
    start = time.monotonic()
    try:
        await page.goto(url + "/", wait_until="domcontentloaded", timeout=timeout * 1000)
        while time.monotonic() - start < timeout:
            metrics = await page.locator('[data-testid="stMetricValue"]').count()
            drawn = 0
            for frame in page.frames:
                try:
                    drawn = max(drawn, await frame.locator(PARCELS).count())
                except Exception:  # a frame replaced during a rerun
                    continue
            errors = await page.locator('[data-testid="stException"]').count()
            if errors:
                return None
            if metrics >= 4 and drawn:
                return time.monotonic() - start
            await asyncio.sleep(0.25)
        return None
    except Exception:
        return None
    finally:
        await context.close()


async def level(url: str, sessions: int, timeout: float) -> list[float | None]:
    async with async_playwright() as driver:
        browser = await driver.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            return list(await asyncio.gather(
                *(one_session(browser, url, timeout) for _ in range(sessions))
            ))  # fmt: skip
        finally:
            await browser.close()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", default="10,30,60")
    parser.add_argument("--n", type=int, default=50_000, help="synthetic county parcels")
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds per session")
    args = parser.parse_args(argv)
    levels = [min(int(x), MAX_SESSIONS) for x in args.levels.split(",") if x.strip()]
    with tempfile.TemporaryDirectory(prefix="civicmap-load-") as work:
        subprocess.run([sys.executable, str(ROOT / "bench" / "synth.py"), "--n", str(args.n),
                        "--out", work], check=True, stdout=subprocess.DEVNULL)  # fmt: skip
        source = Path(work) / "county_synth.zip"
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        proc = start_server(source, port, Path(work) / "server.log")
        try:
            wait_healthy(url, proc)
            warm = asyncio.run(level(url, 1, args.timeout))  # reads the county once
            print(f"county: {args.n:,} synthetic parcels; first session {warm[0] or 0:.1f} s; "
                  f"server RSS {rss_mb(proc.pid):,.0f} MB")  # fmt: skip
            print("sessions  answered  failed  p50_s  p95_s  server_rss_peak_mb  rss_after_mb")
            for sessions in levels:
                with PeakMemory(proc.pid) as memory:
                    times = asyncio.run(level(url, sessions, args.timeout))
                done = [t for t in times if t is not None]
                p50 = statistics.median(done) if done else float("nan")
                p95 = percentile(done, 0.95) if done else float("nan")
                print(f"{sessions:8d}  {len(done):8d}  {sessions - len(done):6d}  {p50:5.1f}  "
                      f"{p95:5.1f}  {memory.peak:18,.0f}  {rss_mb(proc.pid):12,.0f}",
                      flush=True)  # fmt: skip
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
