"""HTML from the templates in ``layers/templates/``: autoescaped, braces included.

Every value a template writes goes through :func:`layers.elements.esc` (the environment's
``finalize``), which escapes HTML and also writes ``{``, ``}``, ``$`` and backticks as
entities: Folium reads some rendered text again as a Jinja template, so data text with
``{{ ... }}`` must never reach it as braces. No template has to remember a filter; only
values marked :class:`markupsafe.Markup` (HTML built by this module or from numbers alone)
are written as they are.

The templates are written one tag a line for reading: line breaks and the indentation
after them are dropped when a template loads (write a space that matters inside a line).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from layers.elements import esc

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"


def _finalize(value: Any) -> Any:
    """What a ``{{ ... }}`` writes: Markup as it is, anything else through :func:`esc`."""
    return value if isinstance(value, Markup) else Markup(esc(value))


class _OneLineLoader(FileSystemLoader):
    """Templates from a folder, each read as one line (line breaks and indentation dropped)."""

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        """The template's text joined into one line (see the module's note)."""
        source, filename, uptodate = super().get_source(environment, template)
        return "".join(line.strip() for line in source.splitlines()), filename, uptodate


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The one template environment (autoescape on, every value through :func:`esc`)."""
    return Environment(
        loader=_OneLineLoader(TEMPLATE_DIR),
        autoescape=True,
        finalize=_finalize,
        undefined=StrictUndefined,
        auto_reload=False,  # read each template once, not checked again on every render
    )


def macros(template: str) -> Any:
    """The macros of one template of ``layers/templates/``, as attributes (they return Markup)."""
    return environment().get_template(template).module


def render(template: str, /, **context: Any) -> str:
    """Render one template of ``layers/templates/``.

    Parameters
    ----------
    template : str
        The template's file name, e.g. ``"parcel_card.html"``.
    **context
        Its values (plain values are escaped; :class:`markupsafe.Markup` ones are not).

    Returns
    -------
    str
        HTML.
    """
    return str(environment().get_template(template).render(**context))
