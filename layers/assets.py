"""Where the map's JavaScript and CSS come from: the app's own static files, never a CDN.

Folium's classes point their ``default_js`` / ``default_css`` at CDNs. Every element we put
on a map is pointed at the copies that setup installs from the npm registry (pinned in
``package-lock.json``) and that Streamlit serves from ``./static/`` at ``/app/static/``.
"""

from __future__ import annotations

from collections.abc import Iterable

import folium
from branca.element import Element

STATIC_URL = "/app/static/vendor"

# Element class name -> (js files, css files), relative to the vendor folder. The map's
# script is one file, built at setup from the four below (see the Makefile), so the page
# loads one script instead of four in a row; the plugins then need only their CSS.
MAP_BUNDLE = "map.js"
BUNDLED_JS = (
    "leaflet/leaflet.js",
    "leaflet-draw/leaflet.draw.js",
    "leaflet-measure/leaflet-measure.js",
    "locatecontrol/L.Control.Locate.min.js",
)
LOCAL_ASSETS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "Map": ((MAP_BUNDLE,), ("leaflet/leaflet.css",)),
    "Draw": ((), ("leaflet-draw/leaflet.draw.css",)),
    "MeasureControl": ((), ("leaflet-measure/leaflet-measure.css",)),
    "LocateControl": ((), ("locatecontrol/L.Control.Locate.min.css",)),
}


def local_links(kind: str, base_url: str = STATIC_URL) -> tuple[list, list]:
    """The (name, url) lists an element of this class should load.

    Parameters
    ----------
    kind : str
        The element's class name (a key of :data:`LOCAL_ASSETS`).
    base_url : str
        Where the vendor folder is served.

    Returns
    -------
    (list, list)
        ``default_js`` and ``default_css`` lists of ``(name, url)`` pairs.
    """
    js, css = LOCAL_ASSETS[kind]
    return (
        [(f"{kind.lower()}_{i}", f"{base_url}/{path}") for i, path in enumerate(js)],
        [(f"{kind.lower()}_css_{i}", f"{base_url}/{path}") for i, path in enumerate(css)],
    )


def _walk(element: Element) -> Iterable[Element]:
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


def use_local_assets(fmap: folium.Map, base_url: str = STATIC_URL) -> folium.Map:
    """Point every element of a map at the locally served JS and CSS.

    Parameters
    ----------
    fmap : folium.Map
        A map whose elements are all of classes listed in :data:`LOCAL_ASSETS` or load
        no assets of their own.
    base_url : str
        Where the vendor folder is served.

    Returns
    -------
    folium.Map
        The same map.

    Raises
    ------
    ValueError
        When an element would load assets from elsewhere (a class we have not vendored).
    """
    for element in _walk(fmap):
        kind = type(element).__name__
        if kind in LOCAL_ASSETS:
            js, css = local_links(kind, base_url)
            setattr(element, "default_js", js)  # noqa: B010 - an instance override
            setattr(element, "default_css", css)  # noqa: B010
        elif getattr(element, "default_js", None) or getattr(element, "default_css", None):
            raise ValueError(f"{kind} loads assets that are not vendored; add it to LOCAL_ASSETS")
    return fmap
