"""Printable one-page sheets: a parcel's answer, or a place to assemble.

A sheet is one self-contained HTML page (inline CSS, an inline SVG map snippet, an inline
SVG QR code of the permalink), laid out for printing on one page. Every value from a data
file is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import segno
import shapely
from markupsafe import Markup
from shapely.geometry.base import BaseGeometry

from geo.i18n import Translate
from geo.provenance import Provenance
from layers.parcels import ENGLISH
from layers.static_files import static_text, style_safe
from layers.style import BY_KEY, HIGHLIGHT_COLOUR, ZONE_COLOUR
from layers.templating import render


@dataclass
class Snippet:
    """A small map: shapes to draw, each with a fill and stroke (in a projected CRS).

    Attributes
    ----------
    shapes : list of (geometry, fill, stroke, width)
    focus : geometry
        What the snippet centres on.
    """

    shapes: list[tuple[BaseGeometry, str, str, float]] = field(default_factory=list)
    focus: BaseGeometry | None = None


def _ring_path(coords: np.ndarray, x0: float, y1: float, scale: float) -> str:
    pts = [f"{(x - x0) * scale:.1f},{(y1 - y) * scale:.1f}" for x, y in coords]
    return "M" + " L".join(pts) + " Z"


def _svg_path(geom: BaseGeometry, x0: float, y1: float, scale: float) -> str:
    parts = []
    for poly in getattr(geom, "geoms", [geom]):
        if poly.geom_type != "Polygon":
            continue
        parts.append(_ring_path(np.asarray(poly.exterior.coords), x0, y1, scale))
        parts.extend(_ring_path(np.asarray(r.coords), x0, y1, scale) for r in poly.interiors)
    return " ".join(parts)


def snippet_svg(snippet: Snippet, size: int = 300, margin: float = 0.6) -> str:
    """Draw a snippet as an inline SVG (north up, in the snippet's projected CRS).

    Parameters
    ----------
    snippet : Snippet
    size : int
        Width and height in pixels.
    margin : float
        How much room to leave around the focus, as a share of its size.

    Returns
    -------
    str
    """
    if snippet.focus is None or snippet.focus.is_empty:
        return ""
    minx, miny, maxx, maxy = snippet.focus.bounds
    span = max(maxx - minx, maxy - miny, 1.0) * (1 + 2 * margin)
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    x0, y1, scale = cx - span / 2, cy + span / 2, size / span
    view = shapely.box(cx - span / 2, cy - span / 2, cx + span / 2, cy + span / 2)
    paths = []
    for geom, fill, stroke, width in snippet.shapes:
        if geom is None or geom.is_empty or not geom.intersects(view):
            continue
        drawn = shapely.simplify(geom, 0.25 / scale, preserve_topology=True)  # quarter pixel
        d = _svg_path(drawn.intersection(view), x0, y1, scale)
        if d:
            paths.append(
                f'<path d="{d}" fill="{fill}" stroke="{stroke}" stroke-width="{width}" '
                'fill-rule="evenodd"/>'
            )
    return (
        f'<svg class="snippet" xmlns="http://www.w3.org/2000/svg" width="{size}" '
        f'height="{size}" viewBox="0 0 {size} {size}" role="img" aria-label="Map of the '
        f'parcel and its neighbours">{"".join(paths)}</svg>'
    )


def parcel_snippet(
    focus: BaseGeometry,
    neighbours: Sequence[tuple[BaseGeometry, str]],
    zone: BaseGeometry | None,
) -> Snippet:
    """A snippet of one parcel among its neighbours, coloured by category.

    Parameters
    ----------
    focus : geometry
        The parcel (projected CRS).
    neighbours : sequence of (geometry, category key)
    zone : geometry, optional
        The free speech zone.

    Returns
    -------
    Snippet
    """
    shapes: list[tuple[BaseGeometry, str, str, float]] = []
    for geom, key in neighbours:
        cat = BY_KEY.get(key, BY_KEY["not_covered"])
        shapes.append((geom, cat.fill, cat.stroke, 0.8))
    if zone is not None:
        shapes.append((zone, "none", ZONE_COLOUR, 2.0))
    shapes.append((focus, "none", HIGHLIGHT_COLOUR, 3.0))
    return Snippet(shapes, focus)


def qr_svg(text: str) -> str:
    """An inline SVG QR code of a text (a permalink)."""
    return str(segno.make(text, error="m").svg_inline(scale=3, dark="#000", light="#fff"))


def sheet_html(
    title: str,
    verdict: str,
    facts: Sequence[tuple[str, str]],
    reasons: Sequence[str],
    snippet: str,
    permalink: str,
    source: tuple[str, str, bool],
    t: Translate = ENGLISH,
    cited: Provenance | None = None,
    lang: str = "en",
) -> str:
    """A one-page printable sheet.

    Parameters
    ----------
    title : str
        The heading (an address, a place name).
    verdict : str
        The answer in words.
    facts : sequence of (label, value)
        Rows of the fact table (plain text; escaped here).
    reasons : sequence of str
        Why (plain text; escaped here).
    snippet : str
        Inline SVG from :func:`snippet_svg` (trusted: built from numbers only).
    permalink : str
        The link that shows the same thing in the app (printed and as a QR code).
    source : (str, str, bool)
        Data name, date, and whether it is the illustrative sample.
    t : callable
        Translator for the sheet's own words.
    cited : Provenance, optional
        The policy, terms, data and time the answer rests on (printed at its foot).
    lang : str
        The page's language.

    Returns
    -------
    str
        A complete HTML document.
    """
    name, date, illustrative = source
    return render(
        "sheet.html",
        t=t,
        css=Markup(style_safe(static_text("sheet.css"))),
        title=title,
        verdict=verdict,
        facts=list(facts),
        reasons=list(reasons),
        snippet=Markup(snippet),
        qr=Markup(qr_svg(permalink) if permalink else ""),
        permalink=permalink,
        name=name,
        date=date,
        illustrative=illustrative,
        cited=cited,
        lang=lang,
    )
