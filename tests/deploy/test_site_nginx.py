"""The published site through Debian's nginx, configured by the snippet ``publish`` wrote."""

from __future__ import annotations

from pathlib import Path

from bench_support import load_bench
from site_reads import check_headers, check_precompressed, check_tile_range

web_servers = load_bench("web_servers")
free_port = web_servers.free_port
running_nginx = web_servers.running_nginx
site_nginx_config = web_servers.site_nginx_config


def test_nginx_serves_a_tile_range_and_the_precompressed_files(
    published: Path, tmp_path: Path
) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    with running_nginx(tmp_path / "nginx", site_nginx_config(published, port), base, brotli=True):
        check_tile_range(base, published)
        check_precompressed(base, published)
        check_headers(base, published)
