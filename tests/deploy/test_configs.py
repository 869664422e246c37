"""The configurations civicmap writes are accepted by the servers they are for."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from bench_support import load_bench

from geo.errors import InputError
from layers.cli import main
from layers.deploy_files import (
    app_proxy_config,
    object_store_cors,
    replica_addresses,
    site_caddyfile,
    site_nginx,
    upload_limit_mb,
)

web_servers = load_bench("web_servers")
CADDY = web_servers.CADDY
NGINX = web_servers.NGINX
nginx_main_config = web_servers.nginx_main_config


def nginx_accepts(tmp_path: Path, http_body: str) -> None:
    work = tmp_path / "nginx"
    work.mkdir()
    config = work / "nginx.conf"
    config.write_text(nginx_main_config(work, http_body), "utf-8")
    test = subprocess.run(
        [NGINX, "-t", "-p", str(work), "-c", str(config), "-e", str(work / "error.log")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert test.returncode == 0, test.stderr


@pytest.mark.parametrize("affinity", ["cookie", "ip"])
def test_nginx_accepts_the_replicas_and_the_site_beside_them(
    tmp_path: Path, published: Path, affinity: str
) -> None:
    upstreams = replica_addresses("127.0.0.1", 8501, 3)
    text = app_proxy_config(upstreams, site_root=published, affinity=affinity)
    assert [line.strip() for line in text.splitlines() if line.strip().startswith("server 1")] == [
        "server 127.0.0.1:8501;",
        "server 127.0.0.1:8502;",
        "server 127.0.0.1:8503;",
    ]
    assert f"client_max_body_size {upload_limit_mb() + 1}m;" in text
    assert ("hash $civicmap_replica_key consistent;" in text) == (affinity == "cookie")
    assert ("ip_hash;" in text) == (affinity == "ip")
    assert f'root "{published}";' in text
    nginx_accepts(tmp_path, text)


def test_nginx_accepts_the_published_snippet(tmp_path: Path) -> None:
    nginx_accepts(tmp_path, site_nginx(str(tmp_path), "127.0.0.1:8080"))


def test_caddy_accepts_the_published_caddyfile(tmp_path: Path) -> None:
    caddyfile = tmp_path / "Caddyfile"
    caddyfile.write_text(site_caddyfile(str(tmp_path), "http://127.0.0.1:8080"), "utf-8")
    env = {"HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    check = subprocess.run(
        [CADDY, "validate", "--config", str(caddyfile), "--adapter", "caddyfile"],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert check.returncode == 0, check.stderr


def test_publish_writes_the_deploy_files(published: Path) -> None:
    assert sorted(p.name for p in (published / "deploy").iterdir()) == [
        "Caddyfile",
        "cors.json",
        "nginx.conf",
    ]
    rules = json.loads(object_store_cors())["CORSRules"][0]
    assert {"Range", "If-Match"} <= set(rules["AllowedHeaders"])
    assert "ETag" in rules["ExposeHeaders"]
    assert json.loads((published / "deploy" / "cors.json").read_text("utf-8")) == json.loads(
        object_store_cors()
    )


@pytest.mark.parametrize(
    "bad",
    [{"listen": "80; include /etc/shadow"}, {"server_name": "a b"}, {"site_root": "/srv/x y"}],
)
def test_nothing_but_an_address_or_a_folder_goes_into_a_configuration(bad: dict[str, str]) -> None:
    with pytest.raises(InputError):
        app_proxy_config(["127.0.0.1:8501"], **bad)  # type: ignore[arg-type]


def test_proxy_conf_writes_the_configuration(
    tmp_path: Path, published: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "civicmap.conf"
    argv = ["proxy-conf", "--app", "10.0.0.5:8501", "--app", "10.0.0.6:8501"]
    assert main([*argv, "--site", str(published), "--out", str(out)]) == 0
    text = out.read_text("utf-8")
    assert "server 10.0.0.5:8501;" in text and "server 10.0.0.6:8501;" in text
    assert main(["proxy-conf", "--site", str(tmp_path)]) == 2  # not a site
    assert "not a published site" in capsys.readouterr().err
