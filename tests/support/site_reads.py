"""What every real server of the published site must answer alike (nginx, Caddy)."""

from __future__ import annotations

import gzip
import urllib.request
from pathlib import Path

import brotli

from layers.site_rules import CONTENT_SECURITY_POLICY, LONG_CACHE, PMTILES_TYPE, SHORT_CACHE


def get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    """Status, headers (names in lower case) and body of one GET on loopback."""
    request = urllib.request.Request(
        url, headers={k.replace("_", "-"): v for k, v in headers.items()}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, {k.lower(): v for k, v in answer.headers.items()}, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def check_tile_range(base: str, site: Path) -> None:
    """A range of the archive: 206 and exactly those bytes, never compressed."""
    archive = (site / "parcels.pmtiles").read_bytes()
    status, headers, body = get(
        base + "parcels.pmtiles", Range="bytes=127-16510", Accept_Encoding="gzip, br"
    )
    assert status == 206
    assert body == archive[127:16511]
    assert headers["content-range"] == f"bytes 127-16510/{len(archive)}"
    assert headers["content-type"] == PMTILES_TYPE
    assert "content-encoding" not in headers
    assert headers["etag"].startswith('"')  # strong: the PMTiles reader ignores a weak one


def check_precompressed(base: str, site: Path) -> None:
    """The text files' siblings: gzip or br as accepted, the same bytes once decoded."""
    page = (site / "index.html").read_bytes()
    status, headers, body = get(base + "index.html", Accept_Encoding="gzip")
    assert status == 200 and headers["content-encoding"] == "gzip"
    assert gzip.decompress(body) == page
    assert "Accept-Encoding" in headers["vary"]
    assert headers["content-type"].startswith("text/html")
    status, headers, body = get(base + "index.html", Accept_Encoding="br, gzip")
    assert headers["content-encoding"] == "br" and brotli.decompress(body) == page
    library = next(site.glob("assets/*/vendor/maplibre-gl/maplibre-gl.mjs"))
    script = library.read_bytes()
    status, headers, body = get(base + library.relative_to(site).as_posix(), Accept_Encoding="gzip")
    assert headers["content-type"].startswith("text/javascript")
    assert headers["cache-control"] == LONG_CACHE  # assets/<digest>/: named by contents
    assert gzip.decompress(body) == script and len(body) < len(script) / 3


def check_headers(base: str, site: Path) -> None:
    """The policy, nosniff and the cache rules; no listing of a folder."""
    _, headers, _ = get(base)
    assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["cache-control"] == SHORT_CACHE
    assert headers["access-control-allow-origin"] == "*"
    assert "ETag" in headers["access-control-expose-headers"]
    shard = next((site / "data" / "search").glob("*/apn-0.json")).relative_to(site)
    _, headers, _ = get(base + shard.as_posix())
    assert headers["cache-control"] == LONG_CACHE
    status, _, body = get(base + "data/")
    assert status == 404 and b"categories" not in body
    for hidden in (".draft.pmtiles", "data/.env"):
        status, _, body = get(base + hidden)
        assert status == 404 and b"not-for-readers" not in body and b"not for" not in body
    status, headers, _ = get(
        base + "data/words-en.json", If_None_Match=get(base + "data/words-en.json")[1]["etag"]
    )
    assert status == 304
