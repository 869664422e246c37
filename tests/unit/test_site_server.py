"""``civicmap serve``'s server (layers.site_server) on a small hand-made site, on loopback."""

from __future__ import annotations

import gzip
import http.client
import os
from collections.abc import Iterator
from pathlib import Path

import brotli
import pytest

from layers.cli import main
from layers.precompress import precompress
from layers.site_rules import LONG_CACHE, SHORT_CACHE
from layers.site_server import SiteServer, accepted_encodings, byte_range, start

ARCHIVE = bytes(range(256)) * 40  # 10,240 bytes whose every offset is known
DIGEST = "c8e0fa4b19429b6e"
PAGE = "<!doctype html><title>site</title>" + "<p>parcel</p>" * 200


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """index.html, a shard in a hashed folder, an archive, a bare folder, a dot file, a link."""
    root = tmp_path_factory.mktemp("served") / "site"
    (root / "data" / "search" / DIGEST).mkdir(parents=True)
    (root / "empty").mkdir()
    (root / "index.html").write_text(PAGE, "utf-8")
    (root / "data" / "search" / DIGEST / "apn-0.json").write_text('["006"]' * 400, "utf-8")
    (root / "data" / "tiny.json").write_text("{}", "utf-8")
    (root / "parcels.pmtiles").write_bytes(ARCHIVE)
    (root / ".secret").write_text("hidden", "utf-8")
    (root.parent / "outside.txt").write_text("outside", "utf-8")
    (root / "out.txt").symlink_to(root.parent / "outside.txt")
    precompress(root)
    (root / "parcels.pmtiles.gz").write_bytes(gzip.compress(ARCHIVE))  # must never be sent
    return root


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[SiteServer]:
    running = start(site)
    yield running
    running.shutdown()
    running.server_close()


def ask(
    server: SiteServer, path: str, method: str = "GET", **headers: str
) -> tuple[http.client.HTTPResponse, bytes]:
    """One request, the path sent exactly as given; the answer and its body."""
    connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=10)
    connection.putrequest(method, path, skip_accept_encoding=True)
    for name, value in headers.items():
        connection.putheader(name.replace("_", "-"), value)
    connection.endheaders()
    answer = connection.getresponse()
    body = answer.read()
    connection.close()
    return answer, body


def test_a_range_is_answered_with_exactly_its_bytes(server: SiteServer) -> None:
    answer, body = ask(server, "/parcels.pmtiles", Range="bytes=100-199")
    assert answer.status == 206
    assert body == ARCHIVE[100:200]
    assert answer.headers["Content-Range"] == f"bytes 100-199/{len(ARCHIVE)}"
    assert answer.headers["Content-Length"] == "100"
    assert ask(server, "/parcels.pmtiles", Range="bytes=-5")[1] == ARCHIVE[-5:]
    assert ask(server, "/parcels.pmtiles", Range="bytes=10230-")[1] == ARCHIVE[10230:]
    end = ask(server, "/parcels.pmtiles", Range="bytes=10200-99999")  # cut at the end
    assert end[0].status == 206 and end[1] == ARCHIVE[10200:]


def test_a_range_past_the_end_is_416_with_the_size(server: SiteServer) -> None:
    answer, body = ask(server, "/parcels.pmtiles", Range=f"bytes={len(ARCHIVE)}-")
    assert answer.status == 416
    assert answer.headers["Content-Range"] == f"bytes */{len(ARCHIVE)}"
    assert body == b""


def test_several_ranges_or_another_unit_are_answered_whole(server: SiteServer) -> None:
    for wanted in ("bytes=0-1,5-6", "items=0-1"):
        answer, body = ask(server, "/parcels.pmtiles", Range=wanted)
        assert answer.status == 200 and body == ARCHIVE


def test_the_archive_is_never_compressed(server: SiteServer) -> None:
    """A .pmtiles.gz beside it is ignored: the archive goes as it is, typed as PMTiles."""
    for extra in ({}, {"Range": "bytes=0-9"}):
        answer, body = ask(server, "/parcels.pmtiles", Accept_Encoding="gzip, br", **extra)
        assert answer.headers["Content-Encoding"] is None
        assert answer.headers["Content-Type"] == "application/vnd.pmtiles"
        assert body == ARCHIVE[: len(body)]


def test_the_precompressed_sibling_the_client_accepts_is_sent(server: SiteServer) -> None:
    br, br_body = ask(server, "/index.html", Accept_Encoding="gzip, deflate, br")
    assert br.headers["Content-Encoding"] == "br"
    assert brotli.decompress(br_body).decode() == PAGE
    gz, gz_body = ask(server, "/", Accept_Encoding="br;q=0, gzip")
    assert gz.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(gz_body).decode() == PAGE
    plain, plain_body = ask(server, "/index.html")
    assert plain.headers["Content-Encoding"] is None and plain_body.decode() == PAGE
    for answer in (br, gz, plain):
        assert answer.headers["Vary"] == "Accept-Encoding"
        assert answer.headers["Content-Type"] == "text/html; charset=utf-8"
    assert br.headers["ETag"] != gz.headers["ETag"] != plain.headers["ETag"]


def test_a_range_of_a_text_file_is_of_its_own_bytes(server: SiteServer) -> None:
    answer, body = ask(server, "/index.html", Accept_Encoding="gzip", Range="bytes=0-14")
    assert answer.status == 206 and answer.headers["Content-Encoding"] is None
    assert body == PAGE[:15].encode()


def test_a_sibling_older_than_its_file_is_not_sent(site: Path, server: SiteServer) -> None:
    shard = site / "data" / "search" / DIGEST / "apn-0.json"
    for suffix in (".br", ".gz"):
        sibling = shard.with_name(shard.name + suffix)
        os.utime(sibling, ns=(shard.stat().st_mtime_ns - 10**9,) * 2)
    try:
        answer, body = ask(server, f"/data/search/{DIGEST}/apn-0.json", Accept_Encoding="gzip")
        assert answer.headers["Content-Encoding"] is None and body == shard.read_bytes()
    finally:
        precompress(site)


def test_content_hashed_paths_are_cached_for_a_year_the_rest_briefly(server: SiteServer) -> None:
    assert ask(server, f"/data/search/{DIGEST}/apn-0.json")[0].headers["Cache-Control"] == (
        LONG_CACHE
    )
    for path in ("/", "/index.html", "/parcels.pmtiles", "/data/tiny.json"):
        assert ask(server, path)[0].headers["Cache-Control"] == SHORT_CACHE


def test_a_current_copy_is_answered_304(server: SiteServer) -> None:
    first, _ = ask(server, "/parcels.pmtiles")
    tag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert tag.startswith('"') and modified
    again, body = ask(server, "/parcels.pmtiles", If_None_Match=tag)
    assert again.status == 304 and body == b"" and again.headers["ETag"] == tag
    assert ask(server, "/parcels.pmtiles", If_None_Match='"other"')[0].status == 200
    assert ask(server, "/parcels.pmtiles", If_Modified_Since=modified)[0].status == 304
    # If-Range with another version: the whole file, not a part of the wrong one
    stale = ask(server, "/parcels.pmtiles", Range="bytes=0-9", If_Range='"old"')
    assert stale[0].status == 200 and stale[1] == ARCHIVE


def test_every_answer_carries_the_policy_and_nosniff(server: SiteServer) -> None:
    for path in ("/", "/parcels.pmtiles", "/missing.js", "/empty/"):
        answer, _ = ask(server, path)
        policy = answer.headers["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "script-src 'self'" in policy
        assert "frame-ancestors *" in policy and "'unsafe-inline'" not in policy
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
        assert answer.headers["Server"] == "civicmap"


def test_no_folder_is_listed(server: SiteServer) -> None:
    for path in ("/empty/", "/data/", "/data/search/"):
        answer, body = ask(server, path)
        assert answer.status == 404 and b"apn-0" not in body and b"tiny" not in body
    moved, _ = ask(server, "/data?x=1")
    assert moved.status == 301 and moved.headers["Location"] == "/data/?x=1"


def test_nothing_outside_the_folder_nor_a_dot_file_is_served(server: SiteServer) -> None:
    for path in (
        "/../outside.txt",
        "/%2e%2e/outside.txt",
        "/data/..%2f..%2foutside.txt",
        "/out.txt",
        "/.secret",
        "/%2esecret",
    ):
        answer, body = ask(server, path)
        assert answer.status == 404, path
        assert b"outside" not in body and b"hidden" not in body


def test_head_and_the_cors_preflight(server: SiteServer) -> None:
    head, body = ask(server, "/parcels.pmtiles", "HEAD")
    assert head.status == 200 and body == b""
    assert head.headers["Content-Length"] == str(len(ARCHIVE))
    assert head.headers["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in head.headers["Access-Control-Expose-Headers"]
    preflight, _ = ask(server, "/parcels.pmtiles", "OPTIONS")
    assert preflight.status == 204
    assert "Range" in preflight.headers["Access-Control-Allow-Headers"]
    assert "If-Match" in preflight.headers["Access-Control-Allow-Headers"]


def test_no_request_is_logged(server: SiteServer, capfd: pytest.CaptureFixture[str]) -> None:
    ask(server, "/index.html")
    ask(server, "/missing")
    ask(server, "/", "DELETE")
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_the_server_keeps_a_backlog_for_a_crowd() -> None:
    assert SiteServer.request_queue_size >= 1024


def test_serve_refuses_a_folder_that_is_not_a_site(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", str(tmp_path)]) == 2
    assert "not a published site" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("gzip, deflate, br", {"gzip", "deflate", "br"}),
        ("br;q=0, gzip;q=0.5", {"gzip"}),
        ("*", {"*", "br", "gzip"}),
        ("*, gzip;q=0", {"*", "br"}),
        ("", {""}),
    ],
)
def test_accepted_encodings(header: str, expected: set[str]) -> None:
    assert accepted_encodings(header) == expected


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("bytes=0-9", (0, 9)),
        ("bytes=5-", (5, 99)),
        ("bytes=-10", (90, 99)),
        ("bytes=-500", (0, 99)),
        ("bytes=90-500", (90, 99)),
        ("bytes=100-", "unsatisfiable"),
        ("bytes=-0", "unsatisfiable"),
        ("bytes=9-2", None),
        ("bytes=0-1,4-5", None),
        ("bytes=-", None),
        ("lines=1-2", None),
    ],
)
def test_byte_range(header: str, expected: object) -> None:
    assert byte_range(header, 100) == expected
