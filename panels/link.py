"""The page's URL: a permalink read once per session, and the link that reproduces a view."""

from __future__ import annotations

from typing import Any

import streamlit as st

from geo import permalink
from geo.profile import Policy, Profile
from layers.view_state import FOCUS_ZOOM, parse_view, view_focus
from panels.language import browser_language
from panels.state import Key, session


def read_link() -> dict[str, Any]:
    """Settings from the page's URL, read once per session (a permalink being opened).

    A page that reconnects after a server restart starts a new session whose first run
    carries both the old link's ``?q=`` and what the reader typed since: the typed search
    is kept, not overwritten by the link.
    """
    if session.url is None:
        url = permalink.decode(dict(st.query_params))
        session.url = url
        opened = permalink.opening(url)
        if opened.query is not None and not session.sent_by_browser(Key.SEARCH):
            session.query = opened.query
        if opened.distance is not None:
            session.distance = opened.distance
        if opened.center is not None:
            session.focus = (*opened.center, opened.zoom or FOCUS_ZOOM)
    return dict(session.url or {})


def write_link(profile: Profile, policy: Policy, distance: float, lang: str, query: str) -> str:
    """Put this view's settings in the page's URL; return the absolute link a sheet cites."""
    reported = parse_view(session.map_report)
    focus = view_focus(reported) if reported is not None else None
    params = permalink.link_params(profile, policy, distance, lang, query, focus)
    if "lang" not in params and lang != browser_language():
        params["lang"] = lang  # a choice against the browser's language sticks in the link
    st.query_params.from_dict(params)
    return sheet_link(params, policy, lang)


def sheet_link(params: dict[str, str], policy: Policy, lang: str) -> str:
    """The absolute, encoded link of a printed sheet (this app's own address)."""
    cited = permalink.cited_params(params, policy, lang)
    return permalink.absolute_link(page_address(), cited)


def page_address() -> str:
    """Where this app is served, as the visitor's browser sees it."""
    try:
        return str(st.context.url or "")
    except (AttributeError, RuntimeError):
        return ""
