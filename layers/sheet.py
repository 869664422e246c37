"""Printable one-page sheets: a parcel's answer, or a place to assemble.

A sheet is one self-contained HTML page (inline CSS, an inline SVG map snippet, an inline
SVG QR code of the permalink), laid out for printing on one page. Every value from a data
file is escaped.
"""

from __future__ import annotations

import html
import math
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
from layers.style import BY_KEY, HIGHLIGHT_COLOUR, LANDMARK_COLOUR, PLACE_COLOUR, ZONE_COLOUR
from layers.templating import render


@dataclass
class Snippet:
    """A small map: shapes to draw, each with a fill and stroke (in a projected CRS).

    Attributes
    ----------
    shapes : list of (geometry, fill, stroke, width)
    focus : geometry
        What the snippet centres on.
    lines : list of (geometry, name)
        Street centrelines, drawn as lines and labelled once each by name.
    metres_per_unit : float, optional
        When given, a scale bar and a north arrow are drawn.
    dashes : dict
        Index in ``shapes`` to an SVG dash pattern.
    label : str
        What the image shows, for screen readers.
    """

    shapes: list[tuple[BaseGeometry, str, str, float]] = field(default_factory=list)
    focus: BaseGeometry | None = None
    lines: list[tuple[BaseGeometry, str]] = field(default_factory=list)
    metres_per_unit: float | None = None
    dashes: dict[int, str] = field(default_factory=dict)
    label: str = "Map of the parcel and its neighbours"
    north: str = "N"


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
    for i, (geom, fill, stroke, width) in enumerate(snippet.shapes):
        if geom is None or geom.is_empty or not geom.intersects(view):
            continue
        drawn = shapely.simplify(geom, 0.25 / scale, preserve_topology=True)  # quarter pixel
        d = _svg_path(drawn.intersection(view), x0, y1, scale)
        if d:
            dash = snippet.dashes.get(i)
            extra = f' stroke-dasharray="{dash}"' if dash else ""
            paths.append(
                f'<path d="{d}" fill="{fill}" stroke="{stroke}" stroke-width="{width}" '
                f'fill-rule="evenodd"{extra}/>'
            )
    paths.extend(_street_lines(snippet.lines, view, x0, y1, scale))
    if snippet.metres_per_unit:
        paths.append(_scale_bar(span * snippet.metres_per_unit, size))
        paths.append(_north_arrow(size, snippet.north))
    return (
        f'<svg class="snippet" xmlns="http://www.w3.org/2000/svg" width="{size}" '
        f'height="{size}" viewBox="0 0 {size} {size}" role="img" '
        f'aria-label="{html.escape(snippet.label, quote=True)}">'
        f'<rect width="{size}" height="{size}" fill="#FFFFFF"/>{"".join(paths)}</svg>'
    )


def _street_lines(
    lines: Sequence[tuple[BaseGeometry, str]],
    view: BaseGeometry,
    x0: float,
    y1: float,
    scale: float,
) -> list[str]:
    """Street centrelines in the view, and each street's name once, along its line."""
    out: list[str] = []
    labels: list[str] = []
    named: set[str] = set()
    taken: list[tuple[float, float]] = []
    for geom, name in lines:
        if geom is None or geom.is_empty or not geom.intersects(view):
            continue
        inside = geom.intersection(view)
        for part in shapely.get_parts(inside):
            if part.geom_type != "LineString" or part.length == 0:
                continue
            pts = [f"{(x - x0) * scale:.1f},{(y1 - y) * scale:.1f}" for x, y in part.coords]
            out.append(
                f'<polyline points="{" ".join(pts)}" fill="none" stroke="#FFFFFF" '
                'stroke-width="7" stroke-linecap="round"/>'
                f'<polyline points="{" ".join(pts)}" fill="none" stroke="#9E9E9E" '
                'stroke-width="1"/>'
            )
            text = str(name or "").strip()
            if not text or text in named or part.length * scale < 60:
                continue
            mid = part.interpolate(0.5, normalized=True)
            ahead = part.interpolate(min(part.length, part.project(mid) + 1.0))
            mx, my = (mid.x - x0) * scale, (y1 - mid.y) * scale
            if any(abs(mx - tx) < 40 and abs(my - ty) < 14 for tx, ty in taken):
                continue  # never on top of another label
            angle = math.degrees(math.atan2(-(ahead.y - mid.y), ahead.x - mid.x))
            if angle > 90:
                angle -= 180
            elif angle < -90:
                angle += 180
            named.add(text)
            taken.append((mx, my))
            labels.append(
                f'<text x="{mx:.1f}" y="{my:.1f}" transform="rotate({angle:.1f} {mx:.1f} '
                f'{my:.1f})" font-size="10" font-family="sans-serif" text-anchor="middle" '
                'dominant-baseline="middle" fill="#222" stroke="#FFFFFF" stroke-width="3" '
                f'paint-order="stroke">{html.escape(text)}</text>'
            )
    return out + labels


NICE_METRES = (5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000)


def _scale_bar(span_m: float, size: int) -> str:
    """A scale bar about a quarter of the snippet wide, in metres, bottom left."""
    length = max((m for m in NICE_METRES if m <= span_m / 4), default=NICE_METRES[0])
    width = length / span_m * size
    x, y = 10.0, size - 12.0
    return (
        f'<g font-family="sans-serif" font-size="10"><rect x="{x - 4}" y="{y - 16}" '
        f'width="{width + 8:.1f}" height="22" fill="#FFFFFF" opacity="0.85"/>'
        f'<path d="M{x},{y - 4} V{y} H{x + width:.1f} V{y - 4}" fill="none" '
        'stroke="#000" stroke-width="1.5"/>'
        f'<text x="{x + width / 2:.1f}" y="{y - 6}" text-anchor="middle">{length:,} m</text></g>'
    )


def _north_arrow(size: int, letter: str) -> str:
    """A north arrow in the top right corner (north is up)."""
    x, y = size - 18.0, 10.0
    return (
        f'<g><path d="M{x},{y} L{x + 7},{y + 20} L{x},{y + 15} L{x - 7},{y + 20} Z" '
        'fill="#000"/>'
        f'<text x="{x}" y="{y + 32}" text-anchor="middle" font-family="sans-serif" '
        f'font-size="11" font-weight="700">{html.escape(letter)}</text></g>'
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


def place_snippet(
    place: BaseGeometry,
    neighbours: Sequence[BaseGeometry],
    zone: BaseGeometry | None,
    landmark: BaseGeometry | None,
    streets: Sequence[tuple[BaseGeometry, str]],
    metres_per_unit: float,
    t: Translate = ENGLISH,
) -> Snippet:
    """A handout's map: neighbouring parcels, the zone, the landmark, the streets, the place.

    Parameters
    ----------
    place : geometry
        The place to assemble (projected CRS).
    neighbours : sequence of geometry
        Parcels around it.
    zone : geometry, optional
        The free speech zone (the public space).
    landmark : geometry, optional
        The zone's landmark (the Moss building's parcel).
    streets : sequence of (geometry, name)
        Street centrelines in the same CRS.
    metres_per_unit : float
        Of the CRS, for the scale bar.
    t : callable
        Translator.

    Returns
    -------
    Snippet
    """
    shapes: list[tuple[BaseGeometry, str, str, float]] = [
        (geom, "#EEEEEE", "#9E9E9E", 0.6) for geom in neighbours
    ]
    dashes = {}
    if zone is not None:
        dashes[len(shapes)] = "6 3"
        shapes.append((zone, ZONE_COLOUR + "40", ZONE_COLOUR, 1.5))
    if landmark is not None and landmark.geom_type in ("Polygon", "MultiPolygon"):
        shapes.append((landmark, "#555555", LANDMARK_COLOUR, 1.5))
    shapes.append((place, PLACE_COLOUR + "22", PLACE_COLOUR, 3.0))
    return Snippet(
        shapes,
        place,
        list(streets),
        metres_per_unit,
        dashes,
        t("sheet.map_label"),
        t("sheet.north"),
    )


def snippet_key(t: Translate = ENGLISH) -> str:
    """The handout map's key: the place, the zone, the landmark (inline SVG swatches)."""
    rows = [
        (f'fill="{PLACE_COLOUR}22" stroke="{PLACE_COLOUR}" stroke-width="3"', "sheet.key_place"),
        (
            f'fill="{ZONE_COLOUR}40" stroke="{ZONE_COLOUR}" stroke-width="1.5" '
            'stroke-dasharray="6 3"',
            "sheet.key_zone",
        ),
        (f'fill="#555555" stroke="{LANDMARK_COLOUR}"', "sheet.key_landmark"),
    ]
    return "".join(
        f'<div class="key"><svg width="22" height="14"><rect x="2" y="2" width="18" '
        f'height="10" {attrs}/></svg> {html.escape(t(key))}</div>'
        for attrs, key in rows
    )


def qr_svg(text: str) -> str:
    """An inline SVG QR code of a text (a permalink); "" when it is too long for any code."""
    try:
        code = segno.make(text, error="m")
    except segno.DataOverflowError:  # e.g. a very long search in the link: the text stays
        return ""
    return str(code.svg_inline(scale=3, dark="#000", light="#fff"))


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
    key: str = "",
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
    key : str
        Inline HTML of the map's key (trusted: from :func:`snippet_key`).

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
        key=Markup(key),
        lang=lang,
        qr=Markup(qr_svg(permalink) if permalink else ""),
        permalink=permalink,
        name=name,
        date=date,
        illustrative=illustrative,
        cited=cited,
    )
