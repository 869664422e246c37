"""Folded sections: closed, they send only their label; their widgets' values outlive them."""

from __future__ import annotations

from app_driver import open_fold, start
from streamlit.testing.v1 import AppTest

from geo.i18n import translator
from panels.state import Key

WORDS = translator("en")


def headline(at: AppTest) -> dict[str, str]:
    """The verdict metrics as the page shows them."""
    return {m.label: str(m.value) for m in at.metric}


def test_closed_folds_send_their_labels_only() -> None:
    at = start()
    labels = [e.label for e in at.expander]
    for key in ("policy.terms", "data.not_recognised", "link.copy", "proposal.header"):
        assert WORDS(key) in labels
    assert not at.code and not at.sidebar.text_area and not at.sidebar.multiselect
    assert Key.CRS not in [box.key for box in at.sidebar.text_input]  # "not recognised?"
    open_fold(at, Key.TERMS_FOLD)
    assert at.sidebar.text_area(key=Key.CITY_NAMES) and at.sidebar.multiselect(key=Key.LOT_CODES)


def test_the_terms_picked_stay_in_force_after_their_fold_is_closed() -> None:
    at = open_fold(start(), Key.TERMS_FOLD)
    before = headline(at)
    at.sidebar.text_area(key=Key.CITY_NAMES).set_value("NO SUCH OWNER").run()
    picked = headline(at)
    assert picked != before  # no owner counts as the city now: fewer parcels covered
    at.session_state[Key.TERMS_FOLD] = False
    at.run()
    at.run()  # a second run: Streamlit forgets an undrawn widget's value after one
    assert not at.exception
    assert not at.sidebar.text_area
    assert headline(at) == picked
    assert open_fold(at, Key.TERMS_FOLD).sidebar.text_area(key=Key.CITY_NAMES).value == (
        "NO SUCH OWNER"
    )
