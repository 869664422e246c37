"""The published site through ``civicmap serve``: the same answers as nginx and Caddy give."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bench_support import load_bench
from site_reads import check_headers, check_precompressed, check_tile_range

web_servers = load_bench("web_servers")
free_port = web_servers.free_port
wait_answering = web_servers.wait_answering

ROOT = Path(__file__).resolve().parents[2]


def test_civicmap_serve_serves_a_tile_range_and_the_precompressed_files(
    published: Path, tmp_path: Path
) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    command = [sys.executable, "-m", "layers", "serve", str(published), "--port", str(port)]
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_answering(proc, base, log)
        check_tile_range(base, published)
        check_precompressed(base, published)
        check_headers(base, published)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    said = log.read_text("utf-8")
    assert said == f"serving {published} at {base} (Ctrl-C stops)\n"  # and no request logged
