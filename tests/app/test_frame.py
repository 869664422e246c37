"""app.py is a frame: importing it runs nothing; Streamlit (and AppTest) run it as __main__."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]


def test_importing_the_app_does_not_run_it(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the app ran on import")

    monkeypatch.setattr(st, "set_page_config", refuse)
    monkeypatch.syspath_prepend(str(ROOT))
    monkeypatch.delitem(sys.modules, "app", raising=False)
    app = importlib.import_module("app")
    assert callable(app.main)
    with pytest.raises(AssertionError, match="ran on import"):
        app.main()  # the same function does run when called


def test_apptest_runs_the_app_as_main() -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.title) == 1
    assert len(at.metric) == 4  # drawn by main() only


def test_the_frame_stays_small() -> None:
    lines = (ROOT / "app.py").read_text(encoding="utf-8").splitlines()
    assert len(lines) < 250
