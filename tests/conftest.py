"""Fixtures for every test: fetched files go to a folder of the test run, never to the
user's own cache (where a fetched county file would change what the app starts on)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from geo.county_cache import CACHE_ENV


@pytest.fixture(scope="session", autouse=True)
def test_run_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Point ``CIVICMAP_CACHE`` at an empty folder for the whole run (servers included)."""
    before = os.environ.get(CACHE_ENV)
    os.environ[CACHE_ENV] = str(tmp_path_factory.mktemp("civicmap-cache"))
    yield
    if before is None:
        os.environ.pop(CACHE_ENV, None)
    else:
        os.environ[CACHE_ENV] = before
