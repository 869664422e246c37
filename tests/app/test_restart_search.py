"""After a server restart, the first search the reader makes is kept (AppTest).

A page that outlives its server reconnects to a new session; that session's first run
carries the old link's ``?q=`` and the search box's new text together.
"""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def test_first_search_after_a_restart_is_kept() -> None:
    before = AppTest.from_file(APP, default_timeout=90)
    before.query_params["q"] = "1201 I ST"
    before.run()
    assert not before.exception
    assert before.text_input(key="q").value == "1201 I ST"  # the link is read on opening
    before.text_input(key="q").set_value("1420 E ST")
    typed = before._tree.get_widget_states()  # what the page sends when it reconnects

    after = AppTest.from_file(APP, default_timeout=90)  # the restarted server's new session
    after.query_params["q"] = "1201 I ST"
    after._run(widget_state=typed)
    assert not after.exception
    assert after.text_input(key="q").value == "1420 E ST"
    assert after.query_params.get("q") in (["1420 E ST"], "1420 E ST")
