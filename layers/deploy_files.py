"""Web server configurations: the published site's (nginx, Caddy, an object store's CORS) and
the app's replicas behind nginx.

``civicmap publish`` writes ``deploy/nginx.conf``, ``deploy/Caddyfile`` and
``deploy/cors.json`` into the site's folder (:func:`write_site_deploy`), each following
:mod:`layers.site_rules` as ``civicmap serve`` does. ``civicmap proxy-conf`` renders the
repository's ``deploy/app.nginx.conf.j2`` for N app replicas, with the site beside them
(:func:`app_proxy_config`). The templates are files: ``layers/templates/deploy/`` and
``deploy/``.
"""

from __future__ import annotations

import argparse
import re
import tomllib
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from geo.atomic import write_text
from geo.errors import InputError
from geo.paths import DEPLOY_DIR, STREAMLIT_CONFIG
from layers import site_rules

SITE_TEMPLATES = Path(__file__).resolve().parent / "templates" / "deploy"
APP_TEMPLATES = DEPLOY_DIR
# What the published snippets say until the operator writes the real place and address.
PLACEHOLDER_ROOT = "/srv/civicmap/site"
PLACEHOLDER_LISTEN = "80"
PLACEHOLDER_ADDRESS = ":80"
# A listen address, host:port or server name as the configurations take them, nothing else.
_ADDRESS = re.compile(r"[A-Za-z0-9_.:/\[\]*-]+")
_UNSAFE_PATH = re.compile(r"[\"'\\$;{}\s#]")


def _config_string(value: object) -> str:
    """A value as a double-quoted nginx/Caddy string (refused if it holds a quote)."""
    text = str(value)
    if '"' in text or "\\" in text or "\n" in text:
        raise InputError(f"{text!r} cannot go into a server configuration")
    return f'"{text}"'


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The configuration templates (plain text: nothing is escaped for HTML)."""
    env = Environment(  # noqa: S701 - configuration files, not HTML
        loader=FileSystemLoader([SITE_TEMPLATES, APP_TEMPLATES]),
        autoescape=False,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["nginx_string"] = _config_string
    env.filters["caddy_string"] = _config_string
    return env


def _rules() -> dict[str, object]:
    """What every template takes from :mod:`layers.site_rules`."""
    return {
        "types": {
            suffix.lstrip("."): kind.split(";")[0]
            for suffix, kind in site_rules.CONTENT_TYPES.items()
        },
        "full_types": {s.lstrip("."): kind for s, kind in site_rules.CONTENT_TYPES.items()},
        "hashed_folder": f"(^|/){site_rules.HASHED_SEGMENT}/",
        "long_cache": site_rules.LONG_CACHE,
        "short_cache": site_rules.SHORT_CACHE,
        "security_headers": site_rules.SECURITY_HEADERS,
        "cors_headers": site_rules.CORS_PREFLIGHT_HEADERS,
        "headers": {**site_rules.SECURITY_HEADERS, **site_rules.CORS_PREFLIGHT_HEADERS},
    }


def site_nginx(root: str = PLACEHOLDER_ROOT, listen: str = PLACEHOLDER_LISTEN) -> str:
    """The site's nginx configuration (http level: a ``map`` and a ``server``)."""
    template = environment().get_template("site.nginx")
    context = {**_rules(), "standalone": True, "server_name": "_"}
    return template.render(root=_checked_path(root), listen=_checked(listen), **context)


def site_caddyfile(root: str = PLACEHOLDER_ROOT, address: str = PLACEHOLDER_ADDRESS) -> str:
    """The site's Caddyfile."""
    template = environment().get_template("Caddyfile")
    return template.render(root=_checked_path(root), address=_checked(address), **_rules())


def object_store_cors() -> str:
    """The CORS rules an S3-style object store takes for the site's bucket (JSON)."""
    allowed = site_rules.CORS_PREFLIGHT_HEADERS["Access-Control-Allow-Headers"].split(", ")
    exposed = site_rules.CORS_HEADERS["Access-Control-Expose-Headers"].split(", ")
    template = environment().get_template("cors.json")
    return template.render(allowed_headers=allowed, exposed_headers=exposed)


def write_site_deploy(folder: str | Path) -> list[Path]:
    """Write ``deploy/nginx.conf``, ``deploy/Caddyfile`` and ``deploy/cors.json`` in a site."""
    target = Path(folder) / "deploy"
    target.mkdir(parents=True, exist_ok=True)
    files = {
        "nginx.conf": site_nginx(),
        "Caddyfile": site_caddyfile(),
        "cors.json": object_store_cors(),
    }
    for name, text in files.items():
        write_text(target / name, text)
    return [target / name for name in files]


def upload_limit_mb(config: Path = STREAMLIT_CONFIG) -> int:
    """The app's upload limit in MB (``server.maxUploadSize``; Streamlit's default 200)."""
    if not config.is_file():
        return 200
    with config.open("rb") as handle:
        return int(tomllib.load(handle).get("server", {}).get("maxUploadSize", 200))


def replica_addresses(address: str, port: int, replicas: int) -> list[str]:
    """``address:port``, ``address:port+1``, ... for ``replicas`` app servers."""
    if replicas < 1:
        raise InputError("give at least one replica")
    return [f"{address}:{port + i}" for i in range(replicas)]


def app_proxy_config(
    upstreams: Sequence[str],
    listen: str = "127.0.0.1:8080",
    server_name: str = "_",
    site_root: str | Path | None = None,
    site_listen: str = "127.0.0.1:8081",
    affinity: str = "cookie",
) -> str:
    """nginx in front of the app's replicas (and the published site, when given).

    Parameters
    ----------
    upstreams : sequence of str
        The replicas, ``host:port`` each (another machine's address is fine).
    listen, server_name : str
        Where nginx answers for the app.
    site_root : str or Path, optional
        A published site's folder, served beside the app on ``site_listen``.
    site_listen : str
    affinity : {"cookie", "ip"}
        How a browser is kept on one replica: a routing cookie, or the client's address.

    Returns
    -------
    str
        The configuration (http level: put it in ``conf.d``).
    """
    if affinity not in ("cookie", "ip"):
        raise InputError(f"affinity {affinity!r}: give cookie or ip")
    if not upstreams:
        raise InputError("give at least one replica")
    return (
        environment()
        .get_template("app.nginx.conf.j2")
        .render(
            upstreams=[_checked(u) for u in upstreams],
            listen=_checked(listen),
            server_name=_checked(server_name),
            site_root=_checked_path(str(site_root)) if site_root is not None else None,
            site_listen=_checked(site_listen),
            site_server_name="_",
            affinity=affinity,
            upload_mb=upload_limit_mb(),
            **_rules(),
        )
    )


def _checked(value: str) -> str:
    """An address or name as it may go into a configuration (no spaces, quotes or ``;``)."""
    if not _ADDRESS.fullmatch(value):
        raise InputError(f"{value!r} is not an address, port or server name")
    return value


def _checked_path(value: str) -> str:
    """A folder's absolute path as it may go into a configuration."""
    if not value.startswith("/") or _UNSAFE_PATH.search(value):
        raise InputError(f"{value!r}: give an absolute path without spaces, quotes or ;")
    return value


PROXY_CONF_HELP = "nginx's configuration for app replicas (and a published site beside them)"


def add_proxy_conf_arguments(parser: argparse.ArgumentParser) -> None:
    """The replicas (as ``make replicas`` starts them, or ``--app`` each), nginx's side."""
    parser.add_argument("--replicas", type=int, default=2, help="replicas on PORT, PORT+1, ...")
    parser.add_argument("--address", default="127.0.0.1", help="the replicas' address")
    parser.add_argument("--port", type=int, default=8501, help="the first replica's port")
    parser.add_argument(
        "--app",
        action="append",
        default=[],
        metavar="HOST:PORT",
        help="a replica anywhere (repeatable; replaces --replicas/--address/--port)",
    )
    parser.add_argument("--listen", default="127.0.0.1:8080", help="where nginx serves the app")
    parser.add_argument("--server-name", default="_")
    parser.add_argument("--site", metavar="DIR", help="a published site to serve beside it")
    parser.add_argument("--site-listen", default="127.0.0.1:8081")
    parser.add_argument("--affinity", choices=("cookie", "ip"), default="cookie")
    parser.add_argument("--out", metavar="FILE", help="write here (default: print it)")


def run_proxy_conf(args: argparse.Namespace) -> int:
    """Write (or print) the configuration."""
    upstreams = args.app or replica_addresses(args.address, args.port, args.replicas)
    site = Path(args.site).resolve() if args.site else None
    if site is not None and not (site / "index.html").is_file():
        raise InputError(f"--site {args.site}: not a published site (no index.html)")
    text = app_proxy_config(
        upstreams, args.listen, args.server_name, site, args.site_listen, args.affinity
    )
    if args.out:
        write_text(Path(args.out), text)
        print(f"wrote: {args.out} ({len(upstreams)} replicas; check it with nginx -t)")
    else:
        print(text, end="")
    return 0
