"""The map's own JavaScript and CSS: files under ``static/app/``, put inline in the page.

Each script file defines one function; an element's script is that file followed by one
call of the function, whose data travel as JSON arguments (never formatted into the code).
Inline text is the way both pages get them: the app's map (the component runs each
element's script) and the offline map, which must work from ``file://`` with no server.
Streamlit serves the same folder at :data:`APP_STATIC_URL`.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from geo.paths import APP_STATIC_DIR
from layers.elements import script_safe

STATIC_DIR = APP_STATIC_DIR
APP_STATIC_URL = "/app/static/app"

# A page's references to script and stylesheet files (as Folium writes them).
SCRIPT_SRC = re.compile(r'<script src="(?P<url>[^"]+)"></script>')
STYLESHEET_LINK = re.compile(r'<link rel="stylesheet" href="(?P<url>[^"]+)"\s*/?>')
_JS_NAME = re.compile(r"[A-Za-z_$][\w$]*")


@lru_cache(maxsize=32)
def static_text(name: str) -> str:
    """The text of one file of ``static/app/`` (read once).

    Parameters
    ----------
    name : str
        File name, e.g. ``"parcel_layer.js"``.

    Returns
    -------
    str
    """
    return (STATIC_DIR / name).read_text(encoding="utf-8")


def style_safe(text: str) -> str:
    """CSS text to put inside a ``<style>`` element (``<\\/`` is ``</`` to CSS too)."""
    return text.replace("</", "<\\/")


def to_json(value: Any) -> str:
    """A value as JSON text that is safe inside a ``<script>`` element (ASCII only)."""
    return script_safe(json.dumps(value, ensure_ascii=True))


def js_call(
    file: str,
    function: str,
    names: Sequence[str],
    data: Sequence[str] = (),
    result: str | None = None,
) -> str:
    """A script file's code and one call of the function it defines.

    Parameters
    ----------
    file : str
        The script's name in ``static/app/``.
    function : str
        The function the file defines.
    names : sequence of str
        JavaScript variables passed first (the map or layer, by Folium's element names).
    data : sequence of str
        JSON texts passed after them (see :func:`to_json`); made script-safe again here.
    result : str, optional
        A variable (declared with ``var``) that keeps what the function returns.

    Returns
    -------
    str
        JavaScript.

    Raises
    ------
    ValueError
        When a name is not a plain JavaScript identifier.
    """
    for name in (function, *names, *([result] if result else [])):
        if not _JS_NAME.fullmatch(name):
            raise ValueError(f"not a JavaScript name: {name!r}")
    args = ", ".join([*names, *(script_safe(text) for text in data)])
    keep = f"var {result} = " if result else ""
    return f"{script_safe(static_text(file))}\n{keep}{function}({args});\n"


def script_element(code: str) -> str:
    """A ``<script>`` element holding the code (which cannot end it early)."""
    return "<script>" + code.replace("</script", "<\\/script") + "</script>"


def script_file_element(src: str, module: bool = False) -> str:
    """A ``<script>`` element that loads a file beside the page (``src`` is a plain path)."""
    kind = ' type="module"' if module else ""
    return f'<script{kind} src="{html.escape(src, quote=True)}"></script>'


def style_element(css: str) -> str:
    """A ``<style>`` element holding the CSS (which cannot end it early)."""
    return "<style>" + css.replace("</style", "<\\/style") + "</style>"


def inline_style(name: str) -> str:
    """A ``<style>`` element holding one CSS file of ``static/app/``."""
    return style_element(style_safe(static_text(name)))
