"""Folded sections whose contents are built only while they are open.

A closed expander of Streamlit still carries everything inside it to the browser, which
renders it all before the page settles: the proposal's text, the share link's code block,
the policy terms' pickers and the data report cost a county's first map paint about as much
as the map itself. A fold tells the app whether it is open, so a closed one sends its label
alone; opening it reruns the page with its contents.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import streamlit as st

from panels.state import session


@contextmanager
def fold(label: str, key: str, keeps: Iterable[str] = (), where: Any = st) -> Iterator[bool]:
    """An expander (in ``where``: ``st`` or ``st.sidebar``) that yields whether it is open.

    ``keeps``: the keys of widgets inside it, whose values outlive the runs it is closed."""
    box = where.expander(label, key=key, on_change="rerun")
    is_open = bool(box.open)
    if not is_open:
        session.keep(keeps)
    with box:
        yield is_open
