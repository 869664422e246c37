"""The legend, the data notice and the map's own CSS, as elements inside the map."""

from __future__ import annotations

from branca.element import Element, MacroElement
from jinja2 import Template

from geo.i18n import Translate
from layers.parcels import ENGLISH, esc
from layers.style import CATEGORIES, ZONE_COLOUR, Category

MAP_CSS = """
.cm-legend, .cm-source { background: rgba(255,255,255,0.95); padding: 8px 10px;
  border-radius: 6px; box-shadow: 0 1px 4px rgba(0,0,0,0.35); color: #111;
  font: 14px/1.35 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; max-width: 270px; }
.cm-legend h4 { margin: 0; font-size: 14px; display: inline; }
.cm-legend summary { cursor: pointer; min-height: 24px; }
.cm-legend details[open] summary { margin-bottom: 6px; }
.cm-legend .cm-row { display: flex; align-items: center; gap: 8px; margin: 3px 0; }
.cm-legend .cm-swatch { flex: 0 0 22px; height: 16px; box-sizing: border-box; }
.cm-source { font-size: 12px; max-width: 320px; }
@media (max-width: 600px) { .cm-source { font-size: 11px; max-width: 240px; } }
.cm-source .cm-illustrative { color: #8A1C00; font-weight: 700; }
.cm-landmark.cm-left { text-align: right; }
.cm-landmark { font: 700 12px/1.2 system-ui, sans-serif; color: #000; white-space: nowrap;
  text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 3px #fff; }
.cm-street { font: 600 10px/1.2 system-ui, sans-serif; color: #444; text-align: center;
  white-space: nowrap; text-shadow: 0 0 2px #fff, 0 0 2px #fff; }
.cm-landmark-icon, .cm-street-icon { background: none; border: none; }
.cm-lowzoom .cm-street { display: none; }
.cm-lowzoom .cm-landmark { font-size: 10px; }
.cm-card { font: 13px/1.4 system-ui, sans-serif; }
.cm-card .cm-verdict { font-weight: 700; font-size: 15px; margin-bottom: 4px; }
.cm-card ul { margin: 2px 0 0 16px; padding: 0; }
.leaflet-control-layers-toggle { width: 44px; height: 44px; }
.leaflet-touch .leaflet-bar a { width: 36px; height: 36px; line-height: 36px; }
"""

_CONTROL = Template(
    """
    {% macro script(this, kwargs) %}
    (function() {
      var ctl = L.control({position: {{ this.position|tojson }}});
      ctl.onAdd = function() {
        var div = L.DomUtil.create('div', {{ this.css_class|tojson }});
        div.innerHTML = {{ this.html|tojson }};
        var fold = div.querySelector('details');
        if (fold && window.innerWidth < 600) { fold.removeAttribute('open'); }
        L.DomEvent.disableClickPropagation(div);
        L.DomEvent.disableScrollPropagation(div);
        return div;
      };
      ctl.addTo({{ this._parent.get_name() }});
    })();
    {% endmacro %}
    """
)


_ZOOM_CLASS = Template(
    """
    {% macro script(this, kwargs) %}
    (function() {
      var map = {{ this._parent.get_name() }};
      function mark() {
        map.getContainer().classList.toggle('cm-lowzoom', map.getZoom() < {{ this.zoom }});
      }
      map.on('zoomend', mark);
      mark();
    })();
    {% endmacro %}
    """
)


class HideLabelsBelowZoom(MacroElement):
    """Hide street and landmark labels below a zoom, where they would pile up.

    Parameters
    ----------
    zoom : int
        Labels show at this zoom and above.
    """

    _template = _ZOOM_CLASS

    def __init__(self, zoom: int = 15) -> None:
        super().__init__()
        self._name = "HideLabelsBelowZoom"
        self.zoom = int(zoom)


_STILL = Template(
    """
    {% macro script(this, kwargs) %}
    (function() {
      var box = {{ this._parent.get_name() }}.getContainer();
      box.focus = function() { HTMLElement.prototype.focus.call(box, {preventScroll: true}); };
    })();
    {% endmacro %}
    """
)


class KeepPageStill(MacroElement):
    """Keep the page from jumping when the map takes keyboard focus on a click.

    Leaflet focuses the map on mouse-down (for keyboard panning); the browser then scrolls
    the page to show the whole map, and the click lands elsewhere. Focus without scrolling.
    """

    _template = _STILL

    def __init__(self) -> None:
        super().__init__()
        self._name = "KeepPageStill"


class HtmlControl(MacroElement):
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

    _template = _CONTROL

    def __init__(self, html: str, position: str, css_class: str) -> None:
        super().__init__()
        self._name = "HtmlControl"
        self.html = html
        self.position = position
        self.css_class = css_class


def _swatch(cat: Category) -> str:
    border = "dashed" if cat.dash else "solid"
    width = max(1, round(cat.weight))
    return (
        f'<span class="cm-swatch" style="background:{cat.fill};opacity:1;'
        f'border:{width}px {border} {cat.stroke}"></span>'
    )


def legend_html(counts: dict[str, int] | None = None, t: Translate = ENGLISH) -> str:
    """The legend: each category in words, with its count when given.

    Parameters
    ----------
    counts : dict, optional
        Category key to number of parcels.
    t : callable
        Translator.

    Returns
    -------
    str
        HTML.
    """
    rows = []
    for cat in CATEGORIES:
        count = f" ({counts.get(cat.key, 0):,})" if counts is not None else ""
        rows.append(
            f'<div class="cm-row" title="{esc(t(f"category.{cat.key}.meaning"))}">'
            f"{_swatch(cat)}<span>{esc(t(f'category.{cat.key}'))}{count}</span></div>"
        )
    zone = (
        f'<div class="cm-row"><span class="cm-swatch" style="background:{ZONE_COLOUR}33;'
        f'border:2px dashed {ZONE_COLOUR}"></span><span>{esc(t("legend.zone"))}</span></div>'
    )
    return (
        f"<details open><summary><h4>{esc(t('legend.title'))}</h4></summary>"
        f"{''.join(rows)}{zone}</details>"
    )


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
    warning = f'<div class="cm-illustrative">{esc(t("map.illustrative"))}</div>'
    data = esc(t("map.data", name=name, date=date))
    return f"{warning if illustrative else ''}<div>{data}</div>"


def map_css() -> Element:
    """The map's own stylesheet, inline (no external file)."""
    return Element(f"<style>{MAP_CSS}</style>")
