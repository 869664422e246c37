"""A base for our own Leaflet elements whose script holds data.

Folium renders each element's script and then reads the result again as a Jinja template
(``branca.element.MacroElement.render``). For an element carrying thousands of parcels that
second reading costs more than building the data, and it would evaluate any ``{{ ... }}``
that reached the script. Elements built on :class:`PlainScript` put their script in the
page as plain text.
"""

from __future__ import annotations

from typing import Any

from branca.element import Element, Figure, MacroElement


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


class _Text(Element):
    """Text put in the page as it is."""

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
        figure.script.add_child(_Text(script(self, kwargs)), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)
        return ""
