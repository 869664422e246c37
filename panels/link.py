"""The page's URL: a permalink read once per session, and the link that reproduces a view."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import streamlit as st

from geo import permalink
from geo.i18n import Translate
from geo.policy.terms import Policy
from geo.profile import Profile
from layers.view_state import FOCUS_ZOOM, Focus, link_focus, reported_focus
from panels.folds import fold
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
            if opened.query is not None:  # the link's own view wins over the parcel's
                session.last_searched = opened.query
        if opened.basemap is not None:
            session.basemap = opened.basemap
    return dict(session.url or {})


@dataclass(frozen=True)
class Links:
    """This view's links: the one a printed sheet cites, and the one to share."""

    sheet: str
    share: str


def write_link(
    profile: Profile,
    policy: Policy,
    distance: float,
    lang: str,
    query: str,
    apn: str = "",
    basemap: bool = False,
    start: Focus | None = None,
) -> Links:
    """Put this view (map, parcel, settings, language, basemap) in the page's URL; return
    the absolute links that reopen it.

    ``start`` is the map's start view: what the map reports before it is moved to a focus."""
    report = session.map_report
    if session.link_focus_for != session.focus:  # the app moved the map since
        session.link_focus_for = session.focus
        session.stale_report = reported_focus(report)
    focus = link_focus(report, session.focus, (session.stale_report, start))
    params = permalink.link_params(
        profile, policy, distance, lang, query, focus, apn=apn, basemap=basemap
    )
    if "lang" not in params and lang != browser_language():
        params["lang"] = lang  # a choice against the browser's language sticks in the link
    if dict(st.query_params) != params:
        st.query_params.from_dict(params)
    return Links(sheet_link(params, policy, lang), permalink.absolute_link(page_address(), params))


def copy_link(link: str, t: Translate) -> None:
    """The link to this view, with a button that copies it (drawn in the browser)."""
    with fold(t("link.copy"), Key.LINK_FOLD) as is_open:
        if is_open:
            st.caption(t("link.copy_help"))
            st.code(link, language=None, wrap_lines=True)


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
