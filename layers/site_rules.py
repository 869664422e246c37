"""How the published site is served: types, compression, cache lifetimes and headers.

One place for the rules that ``civicmap serve`` (:mod:`layers.site_server`) follows and that
the nginx and Caddy snippets ``civicmap publish`` writes (:mod:`layers.deploy_files`) spell
out for those servers, so the three serve the folder alike.

- Text files (:data:`COMPRESSIBLE`) have ``.br`` and ``.gz`` siblings written at publish
  (:mod:`layers.precompress`); a server sends one when the client accepts it. The PMTiles
  archive is never compressed on the way: its tiles are gzipped inside, and a host that
  compresses the file again breaks the reader's byte ranges.
- A path with a content-hashed folder (a segment of 8 or more hex digits, as in
  ``data/search/<digest>/``) never changes, so it is cached for a year; everything else
  (``index.html`` first) briefly, so a site published again is seen within a minute.
- A strict Content-Security-Policy: everything from the site itself, checked in Chromium
  against the published page (``tests/e2e/test_site_policy.py``): MapLibre starts its worker
  from its own module file, so no ``blob:`` worker is allowed; its controls draw ``data:``
  SVG icons. Any page may frame the site (``frame-ancestors *``): a newsroom embeds the map
  in an iframe, and the site has no account, form or action that a framing page could trick
  a reader into. The iframe must not be sandboxed without ``allow-same-origin``: the page
  would then have no origin, and its worker and its files would not be its own.
"""

from __future__ import annotations

import re

PMTILES_TYPE = "application/vnd.pmtiles"
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".geojson": "application/geo+json",
    ".webmanifest": "application/manifest+json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".txt": "text/plain; charset=utf-8",
    ".pmtiles": PMTILES_TYPE,
}
DEFAULT_TYPE = "application/octet-stream"
# The files written with precompressed siblings, and served with them.
COMPRESSIBLE = (".html", ".js", ".mjs", ".css", ".json", ".geojson", ".webmanifest", ".svg")
# (Content-Encoding, the sibling's suffix), in the order a server prefers them.
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))
# A path segment that names content by its digest: what it holds never changes.
HASHED_SEGMENT = "[0-9a-f]{8,}"
_HASHED_FOLDER = re.compile(f"(?:^|/){HASHED_SEGMENT}/")
LONG_CACHE = "public, max-age=31536000, immutable"
SHORT_CACHE = "public, max-age=60"
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",  # MapLibre's controls draw data: SVG icons
        "worker-src 'self'",  # MapLibre's worker is a module file of the site (no blob:)
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors *",
    )
)
# Sent with every answer, errors included.
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
# Another origin may read the files (a newsroom's own map of the archive, say): the PMTiles
# reader sends Range (and If-Match) and reads ETag to notice an archive published again.
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag, Content-Range, Content-Length, Accept-Ranges",
}
CORS_PREFLIGHT_HEADERS = {
    **CORS_HEADERS,
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "Range, If-Match, If-None-Match",
    "Access-Control-Max-Age": "86400",
}


def content_type(name: str) -> str:
    """The Content-Type of a file by its name's suffix."""
    dot = name.rfind(".")
    return CONTENT_TYPES.get(name[dot:].lower(), DEFAULT_TYPE) if dot >= 0 else DEFAULT_TYPE


def is_compressible(name: str) -> bool:
    """Whether a file of this name is sent compressed when the client accepts it."""
    return name.lower().endswith(COMPRESSIBLE)


def is_content_hashed(url_path: str) -> bool:
    """Whether a path sits in a content-hashed folder (``.../<8+ hex digits>/...``)."""
    return _HASHED_FOLDER.search(url_path) is not None


def cache_control(url_path: str) -> str:
    """The Cache-Control of a file: a year when its path is content-hashed, else a minute."""
    return LONG_CACHE if is_content_hashed(url_path) else SHORT_CACHE
