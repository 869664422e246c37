"""The reader's language: on the page itself, first from the link, then from the browser."""

from __future__ import annotations

from typing import Any

import streamlit as st

from geo.i18n import DEFAULT_LANGUAGE, LANGUAGES, pick_language
from panels.state import Key

LABEL = "Language · Idioma · Hom lus"


def browser_language() -> str:
    """The first of our languages the browser asks for (``es-US`` gives ``es``), else ours."""
    try:
        locale = str(st.context.locale or "")
    except (AttributeError, RuntimeError):
        locale = ""
    header = st.context.headers.get("Accept-Language", "") if _has_headers() else ""
    return language_from(locale, header)


def language_from(locale: str, accept_language: str = "") -> str:
    """Our language for a browser's locale (``es-US``) or ``Accept-Language`` header
    (``fr;q=0.9, es-MX;q=0.8``): the first tag whose language we have, else English."""
    for tag in [locale, *_accepted(accept_language)]:
        code = tag.split(";")[0].strip().lower().replace("_", "-").split("-")[0]
        if code in LANGUAGES:
            return code
    return DEFAULT_LANGUAGE


def _has_headers() -> bool:
    try:
        return st.context.headers is not None
    except (AttributeError, RuntimeError):
        return False


def _accepted(header: str) -> list[str]:
    """The language tags of an ``Accept-Language`` header, in the order given."""
    return [part.strip() for part in str(header).split(",") if part.strip()]


def language_picker(url: dict[str, Any]) -> str:
    """The language choice at the top of the page (the link's, else the browser's)."""
    codes = list(LANGUAGES)
    start = pick_language(url.get("lang")) if url.get("lang") else browser_language()
    with st.container(key=Key.LANG_BOX):
        lang = st.radio(
            LABEL,
            codes,
            index=codes.index(start),
            format_func=LANGUAGES.__getitem__,
            horizontal=True,
            key=Key.LANG,
            label_visibility="collapsed",
        )
    return str(lang)
