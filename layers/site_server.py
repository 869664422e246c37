"""``civicmap serve DIR``: a published site, served as a real web server would serve it.

On this machine only unless ``--bind`` says otherwise. It follows :mod:`layers.site_rules`:
single byte ranges (``206``, ``416``: the PMTiles reader reads the archive in parts), the
``.br``/``.gz`` siblings ``civicmap publish`` wrote when the client accepts them, the archive
never compressed, ``ETag``/``Last-Modified`` and ``304`` answers, a year's cache on
content-hashed paths and a minute's on the rest, a strict Content-Security-Policy and
``nosniff`` on every answer. It lists no folder, serves nothing outside ``DIR`` (no dot
files either) and logs no request.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import socket
import threading
from email.utils import formatdate, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from geo.errors import InputError
from layers.site_rules import (
    CORS_HEADERS,
    CORS_PREFLIGHT_HEADERS,
    ENCODINGS,
    SECURITY_HEADERS,
    cache_control,
    content_type,
    is_compressible,
)

SERVE_HELP = "serve a published site (ranges, precompressed files, strict headers)"
_RANGE = re.compile(r"bytes=(\d*)-(\d*)$")


def accepted_encodings(header: str) -> set[str]:
    """The content codings an ``Accept-Encoding`` value allows (``q=0`` refuses one)."""
    allowed: set[str] = set()
    refused: set[str] = set()
    for item in header.lower().split(","):
        name, _, params = item.strip().partition(";")
        quality = params.strip().removeprefix("q=")
        (refused if params and _is_zero(quality) else allowed).add(name.strip())
    if "*" in allowed:
        allowed |= {coding for coding, _ in ENCODINGS}
    return allowed - refused


def _is_zero(quality: str) -> bool:
    try:
        return float(quality) == 0
    except ValueError:
        return False


def byte_range(header: str, size: int) -> tuple[int, int] | None | str:
    """``(first, last)`` of a single range; ``None`` to ignore it; ``"unsatisfiable"``."""
    match = _RANGE.match(header.strip().replace(" ", ""))
    if match is None or not (match.group(1) or match.group(2)):
        return None  # several ranges or another unit: answered whole (RFC 9110 allows it)
    if match.group(1):
        first = int(match.group(1))
        last = min(int(match.group(2)), size - 1) if match.group(2) else size - 1
        if match.group(2) and int(match.group(2)) < first:
            return None  # an invalid range is ignored
    else:
        first, last = max(0, size - int(match.group(2))), size - 1
    if first >= size or last < first:
        return "unsatisfiable"
    return first, last


def entity_tag(info: os.stat_result) -> str:
    """A strong ETag of one file's bytes: its change time (in ns) and size."""
    return f'"{info.st_mtime_ns:x}-{info.st_size:x}"'


class SiteRequestHandler(BaseHTTPRequestHandler):
    """GET, HEAD and OPTIONS of a published folder's files (``server.root``)."""

    server: SiteServer
    protocol_version = "HTTP/1.1"  # a browser's six connections each ask many files
    server_version = "civicmap"
    timeout = 30  # an idle connection is closed
    error_message_format = "%(code)d %(message)s\n"
    error_content_type = "text/plain; charset=utf-8"

    def version_string(self) -> str:
        """The Server header: no Python version."""
        return self.server_version

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Log nothing: the site keeps no record of who asked for what."""

    def end_headers(self) -> None:
        """Every answer, errors included, carries the security headers."""
        for name, value in SECURITY_HEADERS.items():
            self.send_header(name, value)
        super().end_headers()

    def do_OPTIONS(self) -> None:  # noqa: N802 - the name http.server calls
        """A CORS preflight (another origin reading with Range or If-Match)."""
        self.send_response(HTTPStatus.NO_CONTENT)
        for name, value in CORS_PREFLIGHT_HEADERS.items():
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_HEAD(self) -> None:  # noqa: N802
        """The headers a GET would send."""
        self._answer(body=False)

    def do_GET(self) -> None:  # noqa: N802
        """A file, a range of it, or a 304, 404, 416."""
        self._answer(body=True)

    def _answer(self, body: bool) -> None:
        url_path = unquote(urlsplit(self.path).path)
        path = self.server.file_of(url_path)
        if path is not None and path.is_dir():
            self._redirect_to_folder()
            return
        if path is None:
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        if url_path.endswith("/"):
            url_path += "index.html"
        sent, encoding = self._representation(path)
        info = sent.stat()
        tag = entity_tag(info)
        if self._not_modified(tag, info):
            self._send_headers(HTTPStatus.NOT_MODIFIED, path, url_path, tag, info, encoding)
            self.end_headers()
            return
        span = self._range(tag, info.st_size) if encoding is None else None
        if span == "unsatisfiable":
            self.send_response(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
            self.send_header("Content-Range", f"bytes */{info.st_size}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        first, last = span if isinstance(span, tuple) else (0, info.st_size - 1)
        status = HTTPStatus.PARTIAL_CONTENT if isinstance(span, tuple) else HTTPStatus.OK
        self._send_headers(status, path, url_path, tag, info, encoding)
        if status == HTTPStatus.PARTIAL_CONTENT:
            self.send_header("Content-Range", f"bytes {first}-{last}/{info.st_size}")
        self.send_header("Content-Length", str(last - first + 1))
        self.end_headers()
        if body:
            self._send_bytes(sent, first, last - first + 1)

    def _redirect_to_folder(self) -> None:
        """A folder asked without its slash: send the browser to it (then its index.html)."""
        parts = urlsplit(self.path)
        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", parts.path + "/" + (f"?{parts.query}" if parts.query else ""))
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _representation(self, path: Path) -> tuple[Path, str | None]:
        """The file to send and its Content-Encoding: a fresh sibling the client accepts."""
        if self.headers.get("Range") is not None or not is_compressible(path.name):
            return path, None
        accepted = accepted_encodings(self.headers.get("Accept-Encoding", ""))
        changed = path.stat().st_mtime_ns
        for encoding, suffix in ENCODINGS:
            sibling = path.with_name(path.name + suffix)
            if encoding in accepted and _newer_file(sibling, changed):  # not a stale one
                return sibling, encoding
        return path, None

    def _not_modified(self, tag: str, info: os.stat_result) -> bool:
        """Whether the client's copy is current (If-None-Match, else If-Modified-Since)."""
        match = self.headers.get("If-None-Match")
        if match is not None:
            tags = {t.strip().removeprefix("W/") for t in match.split(",")}
            return "*" in tags or tag in tags
        since = self.headers.get("If-Modified-Since")
        if since is None:
            return False
        try:
            return int(info.st_mtime) <= parsedate_to_datetime(since).timestamp()
        except (TypeError, ValueError):
            return False

    def _range(self, tag: str, size: int) -> tuple[int, int] | None | str:
        """The asked range, unless there is none or If-Range names another version."""
        wanted = self.headers.get("Range")
        if wanted is None:
            return None
        if_range = self.headers.get("If-Range")
        if if_range is not None and if_range.strip() != tag:
            return None  # the client's part is of another version: send it all
        return byte_range(wanted, size)

    def _send_headers(
        self,
        status: HTTPStatus,
        path: Path,
        url_path: str,
        tag: str,
        info: os.stat_result,
        encoding: str | None,
    ) -> None:
        """The status line and the headers every answer about a file carries."""
        self.send_response(status)
        self.send_header("Content-Type", content_type(path.name))
        if encoding is not None:
            self.send_header("Content-Encoding", encoding)
        if is_compressible(path.name):
            self.send_header("Vary", "Accept-Encoding")
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("ETag", tag)
        self.send_header("Last-Modified", formatdate(path.stat().st_mtime, usegmt=True))
        self.send_header("Cache-Control", cache_control(url_path))
        for name, value in CORS_HEADERS.items():
            self.send_header(name, value)

    def _send_bytes(self, path: Path, offset: int, count: int) -> None:
        """``count`` bytes of ``path`` from ``offset``, straight from the file to the socket."""
        try:
            with path.open("rb") as handle:
                self.wfile.flush()
                self.connection.sendfile(handle, offset, count)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True


def _newer_file(path: Path, than_ns: int) -> bool:
    """Whether ``path`` is a file changed no earlier than ``than_ns``."""
    try:
        return path.is_file() and path.stat().st_mtime_ns >= than_ns
    except OSError:
        return False


class SiteServer(ThreadingHTTPServer):
    """A thread a connection, with room for a crowd's connections to queue.

    ``socketserver`` listens with a backlog of 5: a crowd's sixth connection at once was
    dropped and retried by the client a second or more later (``bench/site_load.py``).
    """

    request_queue_size = 1024
    block_on_close = False  # closing does not wait for idle keep-alive connections

    def __init__(self, address: tuple[str, int], root: str | Path) -> None:
        self.root = Path(root).resolve()
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, SiteRequestHandler)

    def file_of(self, url_path: str) -> Path | None:
        """The file (or folder) a URL path names inside the root; None when there is none.

        A folder stands for its ``index.html`` when the path ends with ``/``. ``..``, dot
        files and links out of the root name nothing.
        """
        parts = [p for p in url_path.split("/") if p]
        if "\0" in url_path or any(p.startswith(".") for p in parts):
            return None
        path = self.root.joinpath(*parts)
        with contextlib.suppress(OSError):
            real = path.resolve(strict=True)
            if real != self.root and not real.is_relative_to(self.root):
                return None
            if real.is_dir() and url_path.endswith("/"):
                index = real / "index.html"
                return index if index.is_file() else None
            if real.is_dir() or real.is_file():
                return real
        return None


def serve(folder: str | Path, port: int = 8000, bind: str = "127.0.0.1") -> SiteServer:
    """A server of ``folder`` (not started: call ``serve_forever`` or :func:`start`)."""
    return SiteServer((bind, port), folder)


def start(folder: str | Path, port: int = 0, bind: str = "127.0.0.1") -> SiteServer:
    """Serve ``folder`` in a background thread; ``server.server_address`` has the port."""
    server = serve(folder, port, bind)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def add_serve_arguments(parser: argparse.ArgumentParser) -> None:
    """DIR, ``--port`` and ``--bind``."""
    parser.add_argument("folder", metavar="DIR", help="a folder written by civicmap publish")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument(
        "--bind", default="127.0.0.1", help="the address to listen on (0.0.0.0: the network)"
    )


def run_serve(args: argparse.Namespace) -> int:
    """Serve a published folder until Ctrl-C."""
    folder = Path(args.folder)
    if not (folder / "index.html").is_file():
        raise InputError(f"{folder}: not a published site (no index.html); civicmap publish")
    try:
        server = serve(folder, args.port, args.bind)
    except OSError as exc:
        raise InputError(f"cannot listen on {args.bind}:{args.port}: {exc.strerror}") from None
    host = f"[{args.bind}]" if ":" in args.bind else args.bind
    print(f"serving {folder} at http://{host}:{server.server_address[1]}/ (Ctrl-C stops)")
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    server.server_close()
    return 0
