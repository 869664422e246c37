"""The published site through Debian's nginx, configured by the snippet ``publish`` wrote."""

from __future__ import annotations

from pathlib import Path

from bench_support import load_bench
from site_reads import check_headers, check_precompressed, check_tile_range

from layers.deploy_files import PLACEHOLDER_LISTEN, PLACEHOLDER_ROOT

web_servers = load_bench("web_servers")
free_port = web_servers.free_port
running_nginx = web_servers.running_nginx


def served_config(site: Path, port: int) -> str:
    """``deploy/nginx.conf`` as an operator edits it: the folder, the address, brotli on."""
    text = (site / "deploy" / "nginx.conf").read_text("utf-8")
    edits = {
        f"listen {PLACEHOLDER_LISTEN};": f"listen 127.0.0.1:{port};",
        f'root "{PLACEHOLDER_ROOT}";': f'root "{site}";',
        "# brotli_static on;": "brotli_static on;",
    }
    for old, new in edits.items():
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def test_nginx_serves_a_tile_range_and_the_precompressed_files(
    published: Path, tmp_path: Path
) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    with running_nginx(tmp_path / "nginx", served_config(published, port), base, brotli=True):
        check_tile_range(base, published)
        check_precompressed(base, published)
        check_headers(base, published)
