"""A static file server that answers HTTP range requests, on this machine only by default.

The published site (``civicmap publish``) reads its PMTiles archive by byte ranges, so the
server must answer ``Range: bytes=A-B`` with ``206 Partial Content``. Python's own
``http.server`` does not; this one does (one range per request, as PMTiles asks).

Run ``python -m layers.site_server DIR [--port 8000] [--bind 127.0.0.1]``.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import os
import re
import sys
import threading
from collections.abc import Sequence
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

_RANGE = re.compile(r"bytes=(\d*)-(\d*)$")


class RangeRequestHandler(SimpleHTTPRequestHandler):
    """Static files with single byte ranges (``206``), and no directory listings."""

    _remaining: int | None = None

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Log nothing: the site keeps no record of who asked for what."""

    def list_directory(self, path: str | os.PathLike[str]) -> None:
        """Refuse to list a folder."""
        self.send_error(HTTPStatus.NOT_FOUND)
        return None

    def send_head(self):  # type: ignore[no-untyped-def]
        """Answer a range request with the asked bytes; anything else as usual."""
        wanted = self.headers.get("Range")
        path = Path(self.translate_path(self.path))
        if not wanted or not path.is_file():
            return super().send_head()
        match = _RANGE.match(wanted.strip())
        size = path.stat().st_size
        if match is None or (not match.group(1) and not match.group(2)):
            self.send_error(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
            return None
        if match.group(1):
            start = int(match.group(1))
            end = min(int(match.group(2)), size - 1) if match.group(2) else size - 1
        else:
            start, end = max(0, size - int(match.group(2))), size - 1
        if start > end or start >= size:
            self.send_response(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
            self.send_header("Content-Range", f"bytes */{size}")
            self.end_headers()
            return None
        handle = open(path, "rb")  # noqa: SIM115 - closed by copyfile's caller
        handle.seek(start)
        self._remaining = end - start + 1
        self.send_response(HTTPStatus.PARTIAL_CONTENT)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(self._remaining))
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        return handle

    def copyfile(self, source, outputfile):  # type: ignore[no-untyped-def]
        """Copy the whole file, or only the asked range."""
        remaining = getattr(self, "_remaining", None)
        if remaining is None:
            return super().copyfile(source, outputfile)
        self._remaining = None
        while remaining > 0:
            chunk = source.read(min(65536, remaining))
            if not chunk:
                break
            outputfile.write(chunk)
            remaining -= len(chunk)
        return None


RangeRequestHandler.extensions_map = {
    **SimpleHTTPRequestHandler.extensions_map,
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".json": "application/json",
    ".geojson": "application/geo+json",
    ".pmtiles": "application/octet-stream",
}


class SiteServer(ThreadingHTTPServer):
    """A thread a connection, with room for a crowd's connections to queue.

    ``socketserver`` listens with a backlog of 5: a crowd's sixth connection at once was
    dropped and retried by the client a second or more later (``bench/site_load.py``).
    """

    request_queue_size = 1024


def serve(folder: str | Path, port: int = 8000, bind: str = "127.0.0.1") -> ThreadingHTTPServer:
    """A server of ``folder`` (not started: call ``serve_forever`` or :func:`start`)."""
    handler = functools.partial(RangeRequestHandler, directory=str(folder))
    return SiteServer((bind, port), handler)


def start(folder: str | Path, port: int = 0, bind: str = "127.0.0.1") -> ThreadingHTTPServer:
    """Serve ``folder`` in a background thread; ``server.server_address`` has the port."""
    server = serve(folder, port, bind)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main(argv: Sequence[str] | None = None) -> int:
    """Serve a published folder until Ctrl-C."""
    parser = argparse.ArgumentParser(prog="python -m layers.site_server")
    parser.add_argument("folder")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--bind", default="127.0.0.1", help="0.0.0.0 serves the network")
    args = parser.parse_args(argv)
    server = serve(args.folder, args.port, args.bind)
    print(f"serving {args.folder} at http://{args.bind}:{args.port}/ (Ctrl-C stops)")
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
