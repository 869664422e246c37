"""Fixtures for the tests that serve the site and the app through real web servers."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.profile import load_profile
from layers.cli import main


@pytest.fixture(scope="session")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample published (``civicmap publish``) to a folder of the test run."""
    folder = tmp_path_factory.mktemp("published") / "site"
    assert (
        main(["publish", str(load_profile().sample_path()), "--out", str(folder), "--quiet"]) == 0
    )
    return folder
