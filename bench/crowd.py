"""What the two load tests (``load.py``, ``site_load.py``) share beyond ``_support``: a
server process's resident memory, nearest-rank percentiles, the printed figure lines, and a
small HTTP/1.1 client over asyncio streams (loopback only)."""

from __future__ import annotations

import asyncio
import math
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from _support import LOOPBACK

# --- servers ------------------------------------------------------------------------------------


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its direct children, in MB (from /proc)."""
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
        self.pid, self.peak, self._stop = pid, rss_mb(pid), threading.Event()
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
        self.peak = max(self.peak, rss_mb(self.pid))


# --- figures ------------------------------------------------------------------------------------


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile: the smallest value with ``share`` of the values at or below.

    NaN for no values. ``percentile([1, 2, 3, 4], 0.5)`` is 2; ``0.95`` of 1..20 is 19.
    """
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered) - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


def figure(name: str, value: float | int | str, unit: str = "", detail: str = "") -> str:
    """One printed figure, as ``bench/run.py`` prints them: ``name: value unit  # detail``."""
    if isinstance(value, float):
        shown = (
            "nan" if math.isnan(value) else f"{value:.3g}" if abs(value) < 10 else f"{value:.1f}"
        )
    else:
        shown = str(value)
    text = f"{name}: {shown}" + (f" {unit}" if unit else "")
    return f"{text}  # {detail}" if detail else text


# --- HTTP/1.1 over asyncio streams --------------------------------------------------------------


class HttpError(Exception):
    """A response that could not be read (closed early, malformed)."""


@dataclass
class Response:
    """One HTTP response, read whole."""

    status: int
    headers: dict[str, str]
    body: bytes
    keep_alive: bool = False


async def _read_head(reader: asyncio.StreamReader) -> tuple[str, int, dict[str, str]]:
    line = await reader.readline()
    if not line:
        raise HttpError("connection closed before the status line")
    parts = line.decode("latin-1").split(None, 2)
    if len(parts) < 2 or not parts[1].isdigit():
        raise HttpError(f"bad status line {line[:60]!r}")
    headers: dict[str, str] = {}
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    return parts[0], int(parts[1]), headers


async def _read_body(reader: asyncio.StreamReader, headers: dict[str, str]) -> tuple[bytes, bool]:
    """The body and whether it ended by its framing (else by the connection closing)."""
    if "chunked" in headers.get("transfer-encoding", "").lower():
        chunks: list[bytes] = []
        while True:
            size = int((await reader.readline()).split(b";")[0].strip() or b"0", 16)
            if size == 0:
                await reader.readline()
                return b"".join(chunks), True
            chunks.append(await reader.readexactly(size))
            await reader.readline()
    if "content-length" in headers:
        try:
            return await reader.readexactly(int(headers["content-length"])), True
        except asyncio.IncompleteReadError as exc:
            raise HttpError("connection closed mid-body") from exc
    return await reader.read(), False


@dataclass
class HttpPool:
    """Up to ``size`` connections to one loopback server, reused when the server keeps them.

    A browser opens at most six connections to one host; each visitor gets a pool of six.
    """

    port: int
    size: int = 6
    host: str = LOOPBACK
    _idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = field(default_factory=list)
    _slots: asyncio.Semaphore | None = None

    async def get(self, path: str, headers: dict[str, str] | None = None) -> Response:
        """GET ``path`` with ``headers``; the whole response."""
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.size)
        async with self._slots:
            reader, writer = (
                self._idle.pop()
                if self._idle
                else await asyncio.open_connection(self.host, self.port)
            )
            try:
                response = await self._exchange(reader, writer, path, headers or {})
            except BaseException:
                writer.close()
                raise
            if response.keep_alive:
                self._idle.append((reader, writer))
            else:
                writer.close()
            return response

    async def _exchange(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        path: str,
        headers: dict[str, str],
    ) -> Response:
        lines = [f"GET {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        await writer.drain()
        version, status, head = await _read_head(reader)
        body, framed = await _read_body(reader, head)
        connection = head.get("connection", "").lower()
        keep = framed and (
            connection == "keep-alive" or (version == "HTTP/1.1" and connection != "close")
        )
        return Response(status, head, body, keep)

    async def close(self) -> None:
        """Close the idle connections."""
        for _, writer in self._idle:
            writer.close()
        self._idle.clear()
