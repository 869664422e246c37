"""A base for our own Leaflet elements whose script holds data.

Folium renders each element's script and then reads the result again as a Jinja template
(``branca.element.MacroElement.render``). For an element carrying thousands of parcels that
second reading costs more than building the data, and it would evaluate any ``{{ ... }}``
that reached the script. Elements built on :class:`PlainScript` put their script in the
page as plain text.

Text from a data file reaches a page only through :func:`esc` (or a template whose
environment applies it, see :mod:`layers.templating`), which writes braces as entities, so
that second reading finds no ``{{ ... }}`` in data even where it still happens.
"""

from __future__ import annotations

import html
from typing import Any

import numpy as np
from branca.element import Element, Figure, MacroElement
from jinja2 import Template

_ENTITIES = {"`": "&#96;", "$": "&#36;", "{": "&#123;", "}": "&#125;"}


def esc(value: object) -> str:
    """HTML-escape any value (``None``/NaN become ``""``), braces and JS quote marks too.

    Parameters
    ----------
    value : object

    Returns
    -------
    str
        The value's text with ``& < > " '`` escaped, and also ``$`` and backticks (Folium
        puts some text in JS template literals) and braces (Folium reads rendered text
        again as a Jinja template, where ``{{ ... }}`` would be evaluated) as entities.
    """
    return js_safe(html.escape(as_text(value), quote=True))


def as_text(value: object) -> str:
    """A data value as text (``None``/NaN become ``""``)."""
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)


def js_safe(text: str) -> str:
    """Write ``$``, backticks and braces of already HTML-escaped text as entities."""
    for char, entity in _ENTITIES.items():
        text = text.replace(char, entity)
    return text


def script_safe(text: str) -> str:
    """Text to put inside a ``<script>`` element, where ``</`` would end it early.

    Parameters
    ----------
    text : str
        JavaScript or JSON text.

    Returns
    -------
    str
        The same text with every ``</`` written ``<\\/`` (the same string to JavaScript).
    """
    return text.replace("</", "<\\/")


class RawText(Element):
    """Text put in the page as it is (never read as a template)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        """Return the text unchanged."""
        return self.text


class PlainScript(MacroElement):
    """A ``MacroElement`` whose ``script`` macro output is never read as a template."""

    def render(self, **kwargs: Any) -> str:
        """Add this element's script to the page (and render its children).

        Parameters
        ----------
        **kwargs
            Passed to the children.

        Returns
        -------
        str
            Nothing to put in place (the script went into the page's script part).
        """
        figure = self.get_root()
        if not isinstance(figure, Figure):
            raise TypeError("render an element only once it is in a Figure (e.g. a Map)")
        script = self._template.module.__dict__["script"]
        figure.script.add_child(RawText(script(self, kwargs)), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)
        return ""


class FileScript(PlainScript):
    """An element whose script comes from a file of ``static/app/`` (see :meth:`script_text`).

    Subclasses return the file's code and its call from :meth:`script_text`, worked out when
    the map is rendered (so the names of the element and its parent are the final ones).
    """

    _template = Template("{% macro script(this, kwargs) %}{{ this.script_text() }}{% endmacro %}")

    def script_text(self) -> str:
        """The element's JavaScript."""
        raise NotImplementedError

    def parent_name(self) -> str:
        """The JavaScript name of the map or layer this element was added to."""
        if self._parent is None:
            raise TypeError(f"add {type(self).__name__} to a map or layer before rendering it")
        return self._parent.get_name()
