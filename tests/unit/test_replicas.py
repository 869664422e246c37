"""``make replicas``' launcher (panels.replicas) and ``bench/load.py --url``."""

from __future__ import annotations

import pytest
from bench_support import load_bench

from panels.replicas import (
    COOKIE_SECRET_ENV,
    SHARED_STATIC_ENV,
    replica_command,
    replica_environment,
)


def test_each_replica_is_the_app_on_its_own_port() -> None:
    command = replica_command("0.0.0.0", 8502, ["--server.maxUploadSize", "64"])
    assert command[1:5] == ["-m", "panels.serve", "run", "app.py"]
    assert command[5:9] == ["--server.port", "8502", "--server.address", "0.0.0.0"]
    assert command[-2:] == ["--server.maxUploadSize", "64"]


def test_the_replicas_share_one_secret_and_leave_the_tiles_to_the_launcher(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(COOKIE_SECRET_ENV, raising=False)
    first, second = replica_environment(), replica_environment()
    assert len(first[COOKIE_SECRET_ENV]) == 64 and first[SHARED_STATIC_ENV] == "1"
    assert first[COOKIE_SECRET_ENV] != second[COOKIE_SECRET_ENV]  # a new one each launch
    monkeypatch.setenv(COOKIE_SECRET_ENV, "the operator's")
    assert replica_environment()[COOKIE_SECRET_ENV] == "the operator's"  # kept


def test_the_load_test_goes_only_to_this_machine() -> None:
    load = load_bench("load")
    assert load.loopback_port("http://127.0.0.1:8080") == 8080
    assert load.loopback_port("http://localhost:8081/") == 8081
    for url in ("http://10.0.0.5:8080", "https://127.0.0.1:8080", "http://127.0.0.1"):
        with pytest.raises(ValueError):
            load.loopback_port(url)
    assert load.main(["--url", "http://192.168.1.2:80"]) == 2
