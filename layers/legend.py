"""The legend, the data notice and the map's own CSS, as elements inside the map."""

from __future__ import annotations

from collections.abc import Sequence

from geo.i18n import Translate
from layers.elements import FileScript, RawText
from layers.parcels import ENGLISH
from layers.static_files import inline_style, js_call, to_json
from layers.style import (
    CATEGORIES,
    LANDMARK_COLOUR,
    PLACE_COLOUR,
    RING_COLOUR,
    ZONE_COLOUR,
    Category,
)
from layers.templating import render


class HideLabelsBelowZoom(FileScript):
    """Hide street and landmark labels below a zoom, where they would pile up.

    Parameters
    ----------
    zoom : int
        Labels show at this zoom and above.
    """

    def __init__(self, zoom: int = 15) -> None:
        super().__init__()
        self._name = "HideLabelsBelowZoom"
        self.zoom = int(zoom)

    def script_text(self) -> str:
        """``zoom_labels.js`` and its call for the map."""
        map_name = self.parent_name()
        return js_call(
            "zoom_labels.js", "cmHideLabelsBelowZoom", (map_name,), (to_json(self.zoom),)
        )


class KeepPageStill(FileScript):
    """Keep the page from jumping when the map takes keyboard focus on a click.

    Leaflet focuses the map on mouse-down (for keyboard panning); the browser then scrolls
    the page to show the whole map, and the click lands elsewhere. Focus without scrolling.
    """

    def __init__(self) -> None:
        super().__init__()
        self._name = "KeepPageStill"

    def script_text(self) -> str:
        """``keep_still.js`` and its call for the map."""
        return js_call("keep_still.js", "cmKeepPageStill", (self.parent_name(),))


class HtmlControl(FileScript):
    """A Leaflet control holding fixed HTML (the caller escapes any data in it).

    Parameters
    ----------
    html : str
        The control's content.
    position : str
        Leaflet corner, e.g. ``"bottomright"``.
    css_class : str
        Class of the control's ``div``.
    """

    def __init__(self, html: str, position: str, css_class: str) -> None:
        super().__init__()
        self._name = "HtmlControl"
        self.html = html
        self.position = position
        self.css_class = css_class

    def script_text(self) -> str:
        """``control.js`` and its call with the control's content."""
        options = {"position": self.position, "css_class": self.css_class, "html": self.html}
        return js_call("control.js", "cmHtmlControl", (self.parent_name(),), (to_json(options),))


def legend_count(counts: dict[str, int], key: str) -> str:
    """The count a legend row shows after its category's name."""
    return f" ({counts.get(key, 0):,})"


def _legend_row(cat: Category, counts: dict[str, int] | None, t: Translate) -> dict[str, object]:
    """What the legend shows of one category."""
    return {
        "key": cat.key,
        "meaning": t(f"category.{cat.key}.meaning"),
        "name": t(f"category.{cat.key}"),
        "count": legend_count(counts, cat.key) if counts is not None else "",
        "fill": cat.fill,
        "stroke": cat.stroke,
        "width": max(1, round(cat.weight)),
        "border": "dashed" if cat.dash else "solid",
    }


def legend_html(
    counts: dict[str, int] | None = None,
    t: Translate = ENGLISH,
    context: Sequence[tuple[str, str, str]] = (),
) -> str:
    """The legend: each category in words, with its count when given.

    Parameters
    ----------
    counts : dict, optional
        Category key to number of parcels.
    t : callable
        Translator.
    context : sequence of (str, str, str), optional
        Context layers drawn (council districts, city limits): name, colour, border style.

    Returns
    -------
    str
        HTML.
    """
    rows = [_legend_row(cat, counts, t) for cat in CATEGORIES]
    return render(
        "legend.html",
        t=t,
        rows=rows,
        zone_colour=ZONE_COLOUR,
        extra=_overlay_rows(t),
        context=context,
    )


def _overlay_rows(t: Translate) -> list[dict[str, str]]:
    """Legend rows of what is drawn over the parcels: places, rings, landmarks."""
    return [
        {
            "name": t("legend.places"),
            "style": f"background:transparent;border:3px solid {PLACE_COLOUR}",
        },
        {
            "name": t("legend.rings"),
            "style": f"background:transparent;border:0;border-top:2px dashed {RING_COLOUR};"
            "height:0;margin-top:7px",
        },
        {
            "name": t("legend.landmark"),
            "style": f"background:{LANDMARK_COLOUR};border:2px solid #FFFFFF;border-radius:50%;"
            "box-shadow:0 0 0 1px #000",
        },
    ]


def source_html(name: str, date: str, illustrative: bool, t: Translate = ENGLISH) -> str:
    """The data line on the map: what file, what date, and whether it is illustrative.

    Parameters
    ----------
    name : str
        The data's name.
    date : str
        Its date.
    illustrative : bool
        True for the bundled sample.
    t : callable
        Translator.

    Returns
    -------
    str
        HTML.
    """
    return render("source.html", t=t, name=name, date=date, illustrative=illustrative)


def map_css() -> RawText:
    """The map's own stylesheet (``static/app/map.css``), inline in the page."""
    return RawText(inline_style("map.css"))
