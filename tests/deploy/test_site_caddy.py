"""The published site through Debian's Caddy, configured by the Caddyfile ``publish`` wrote."""

from __future__ import annotations

from pathlib import Path

from bench_support import load_bench
from site_reads import check_headers, check_precompressed, check_tile_range

from layers.deploy_files import PLACEHOLDER_ADDRESS, PLACEHOLDER_ROOT

web_servers = load_bench("web_servers")
free_port = web_servers.free_port
running_caddy = web_servers.running_caddy


def served_caddyfile(site: Path, port: int) -> str:
    """``deploy/Caddyfile`` as an operator edits it: the folder and the address."""
    text = (site / "deploy" / "Caddyfile").read_text("utf-8")
    edits = {
        f"{PLACEHOLDER_ADDRESS} {{": f"http://127.0.0.1:{port} {{",
        f'root * "{PLACEHOLDER_ROOT}"': f'root * "{site}"',
    }
    for old, new in edits.items():
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def test_caddy_serves_a_tile_range_and_the_precompressed_files(
    published: Path, tmp_path: Path
) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    with running_caddy(tmp_path / "caddy", served_caddyfile(published, port), base):
        check_tile_range(base, published)
        check_precompressed(base, published)
        check_headers(base, published)
