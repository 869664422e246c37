"""Two app replicas behind Debian's nginx (deploy/app.nginx.conf.j2), with two browsers.

The replicas are started as ``make replicas`` starts them (``python -m panels.replicas``),
nginx with the configuration ``civicmap proxy-conf`` writes for them, plus, for this test
only, a log of which replica answered each request (and that address in a header). Each
browser context is a reader with its own routing cookie; contexts are opened until the two
land on different replicas, which shows both are used. One uploads a parcel file: it must
show the uploaded parcels while the other keeps the sample, and every request of each
session, its upload and its websocket included, must have gone to that session's replica.
"""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import ingest_fixtures as fx
import pytest
from bench_support import load_bench
from e2e_support import DESKTOP, is_local
from playwright.sync_api import Browser, BrowserContext, Page
from upload_browser import FIXTURE_METRICS, choose, metric_values, opened, wait_for_metrics

from geo.paths import CHECKOUT
from layers.deploy_files import app_proxy_config, replica_addresses

ROOT = CHECKOUT
web_servers = load_bench("web_servers")
free_port, free_ports, running_nginx = (
    web_servers.free_port,
    web_servers.free_ports,
    web_servers.running_nginx,
)

pytestmark = pytest.mark.e2e
START_TIMEOUT_S = 90.0
# The test's own additions to the app server block: which replica answered, logged and told.
TEST_LOG = "log_format replicas '$upstream_addr $request_method $uri $cookie_civicmap_replica';"
SEEN_UPSTREAM = "add_header X-Upstream $upstream_addr always;"


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
            return answer.status == 200
    except OSError:
        return False


@pytest.fixture(scope="module")
def replicas(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[str]]:
    """Two replicas on consecutive free ports, as ``make replicas REPLICAS=2`` starts them."""
    port = free_ports(2)
    log = tmp_path_factory.mktemp("replicas") / "replicas.log"
    command = [sys.executable, "-m", "panels.replicas", "--replicas", "2", "--port", str(port)]
    with log.open("wb") as out:
        proc = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    upstreams = replica_addresses("127.0.0.1", port, 2)
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while not all(_healthy(f"http://{u}") for u in upstreams):
            assert proc.poll() is None, log.read_text("utf-8", errors="replace")[-3000:]
            assert time.monotonic() < deadline, "the replicas did not start"
            time.sleep(0.5)
        yield upstreams
    finally:
        proc.terminate()  # the launcher stops both
        proc.wait(timeout=30)
    assert not any(_healthy(f"http://{u}") for u in upstreams)


@pytest.fixture(scope="module")
def proxy(
    replicas: list[str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Path]]:
    """nginx in front of the replicas on a free port; its URL and its log of upstreams."""
    work = tmp_path_factory.mktemp("proxy")
    port = free_port()
    config = app_proxy_config(replicas, listen=f"127.0.0.1:{port}")
    assert config.count("access_log off;") == 1
    access = work / "access.log"
    config = config.replace("access_log off;", f"access_log {access} replicas; {SEEN_UPSTREAM}")
    url = f"http://127.0.0.1:{port}"
    with running_nginx(work / "nginx", f"{TEST_LOG}\n{config}", f"{url}/_stcore/health"):
        yield url, access


def _routed_context(browser: Browser, url: str) -> tuple[BrowserContext, str]:
    """A new reader (context) whose first answer set its routing cookie; and its replica."""
    context = browser.new_context(viewport=DESKTOP)
    context.route(lambda u: not is_local(u), lambda route: route.abort())
    answer = context.request.get(url + "/")
    assert answer.ok
    return context, answer.headers["x-upstream"]


def _cookie(context: BrowserContext) -> str:
    return next(c["value"] for c in context.cookies() if c["name"] == "civicmap_replica")


def _requests_by_session(access: Path) -> dict[str, list[tuple[str, str, str]]]:
    """The proxy's log: for each routing cookie, (replica, method, path) of every request."""
    seen: dict[str, list[tuple[str, str, str]]] = {}
    for line in access.read_text("utf-8").splitlines():
        upstream, method, uri, *cookie = line.split(" ")
        seen.setdefault(cookie[0] if cookie else "", []).append((upstream, method, uri))
    return seen


def _shown_metrics(page: Page) -> list[str]:
    """The four verdict metrics, once the first run has drawn them."""
    page.wait_for_function(
        "document.querySelectorAll('[data-testid=\"stMetricValue\"]').length >= 4"
    )
    return metric_values(page)


def _page(context: BrowserContext) -> Page:
    page = context.new_page()
    page.set_default_timeout(60_000)
    return page


def test_each_session_keeps_its_replica_and_its_own_upload(
    browser: Browser, proxy: tuple[str, Path], replicas: list[str], tmp_path: Path
) -> None:
    url, access = proxy
    first, first_replica = _routed_context(browser, url)
    contexts = [first]
    for _ in range(16):  # a fresh cookie lands on either replica
        second, second_replica = _routed_context(browser, url)
        contexts.append(second)
        if second_replica != first_replica:
            break
    assert {first_replica, second_replica} == set(replicas), "one replica got every reader"
    try:
        uploader, reader = _page(first), _page(second)
        opened(uploader, url)
        opened(reader, url)
        sample = _shown_metrics(reader)
        assert sample != FIXTURE_METRICS and _shown_metrics(uploader) == sample
        choose(uploader, "my_county.zip", fx.write_county_zip(tmp_path))
        wait_for_metrics(uploader, FIXTURE_METRICS)  # the upload was accepted (not HTTP 400)
        reader.reload()  # the other session runs again: still the sample
        opened(reader, url)
        assert _shown_metrics(reader) == sample
        assert metric_values(uploader) == FIXTURE_METRICS
    finally:
        cookies = {_cookie(first): first_replica, _cookie(second): second_replica}
        for context in contexts:
            context.close()
    time.sleep(1)  # nginx logs a websocket when it closes
    seen = _requests_by_session(access)
    uploads = [r for r in seen[_cookie_of(cookies, first_replica)] if "upload_file" in r[2]]
    assert uploads and {r[0] for r in uploads} == {first_replica}
    assert any(r[1] == "PUT" for r in uploads)
    for cookie, replica in cookies.items():
        assert {r[0] for r in seen[cookie]} == {replica}  # every request of the session
        assert any(r[2] == "/_stcore/stream" for r in seen[cookie])  # its websocket too
    other = [r for r in seen[_cookie_of(cookies, second_replica)] if "upload_file" in r[2]]
    assert other == []


def _cookie_of(cookies: dict[str, str], replica: str) -> str:
    return next(c for c, r in cookies.items() if r == replica)
