"""One self-contained HTML map: JS and CSS inlined, data embedded, no request elsewhere.

Organizers take it away on a phone and open it with no connection. The map is built as in
the app, rendered, and every ``<script src>`` / stylesheet ``<link>`` that points at the
vendored files is replaced by the file's content (images inside the CSS become data URIs).
This module does no file I/O: the caller hands it the vendored files' bytes.
"""

from __future__ import annotations

import base64
import mimetypes
import posixpath
import re
from collections.abc import Mapping

import geopandas as gpd
import numpy as np

from geo.analysis import Analysis
from geo.i18n import Translate, translator
from geo.profile import Profile
from geo.provenance import provenance
from geo.spaces import assembly_places
from layers.compose import map_content
from layers.holdings import HoldingsList, holdings_summary, offline_rows
from layers.map import MapFrame, assemble_map
from layers.offline_tools import offline_tools, open_on_zone
from layers.parcels import to_draw_frame
from layers.static_files import SCRIPT_SRC, STYLESHEET_LINK, script_element, style_element
from layers.view import DRAW_CRS, STREET_ZOOM

OFFLINE_ZOOM = STREET_ZOOM  # shapes simplified as sharp as a street view needs
_CSS_URL = re.compile(r"""url\((?P<q>['"]?)(?P<path>[^'")]+)(?P=q)\)""")


def _data_uri(path: str, content: bytes) -> str:
    kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
    return f"data:{kind};base64,{base64.b64encode(content).decode('ascii')}"


def _inline_css(url: str, css: str, files: Mapping[str, bytes]) -> str:
    folder = posixpath.dirname(url)

    def swap(match: re.Match[str]) -> str:
        target = match.group("path")
        if target.startswith("data:"):
            return match.group(0)
        full = posixpath.normpath(posixpath.join(folder, target))
        if full not in files:
            return "url()"  # never leave a reference that would load from elsewhere
        return f'url("{_data_uri(full, files[full])}")'

    return _CSS_URL.sub(swap, css)


def inline_assets(html: str, files: Mapping[str, bytes]) -> str:
    """Replace references to vendored files with their content.

    Parameters
    ----------
    html : str
        A rendered page.
    files : mapping
        URL path (as in the page, e.g. ``/app/static/vendor/leaflet/leaflet.js``) to bytes;
        CSS images are looked up by their resolved URL path.

    Returns
    -------
    str

    Raises
    ------
    KeyError
        When the page references a script or stylesheet that is not in ``files``.
    """

    def script(match: re.Match[str]) -> str:
        return script_element(files[match.group("url")].decode("utf-8"))

    def link(match: re.Match[str]) -> str:
        url = match.group("url")
        return style_element(_inline_css(url, files[url].decode("utf-8"), files))

    return STYLESHEET_LINK.sub(link, SCRIPT_SRC.sub(script, html))


def standalone_html(
    analysis: Analysis,
    profile: Profile,
    files: Mapping[str, bytes],
    source: tuple[str, str, bool],
    streets: gpd.GeoDataFrame | None = None,
    lang: str = "en",
    owner_names: bool = False,
    within_m: float | None = None,
    basis: str = "",
) -> str:
    """The whole map as one offline HTML page.

    Parameters
    ----------
    analysis : Analysis
    profile : Profile
    files : mapping
        The vendored files' bytes, keyed by URL path (``/app/static/vendor/...``).
    source : (str, str, bool)
        Data name, date, illustrative flag.
    streets : geopandas.GeoDataFrame, optional
        Street centrelines.
    lang : str
        Interface language.
    owner_names : bool
        Name private owners in the popups (by default they read as their class).
    within_m : float, optional
        Walking distance for the places to assemble (the profile's when omitted).
    basis : str
        What the data's date is (:class:`geo.provenance.DateBasis`), said beside it.

    Returns
    -------
    str
    """
    t = translator(lang)
    within = profile.assembly.within_m
    positions = offline_rows(analysis, within)
    held = analysis.parcels.iloc[positions]
    shapes = held.geometry.to_crs(DRAW_CRS) if held.crs is not None else held.geometry
    geoms = np.asarray(shapes.values, dtype=object)
    rows = analysis.explained(held, t, owner_names)
    name = analysis.zone.landmark.landmark.name
    version = analysis.policy.version or profile.default_policy
    as_of = f"{t('card.as_of_short', date=source[1])} · {t('sheet.policy_short', version=version)}"
    frame = to_draw_frame(rows, name, geoms, OFFLINE_ZOOM, t, True, owner_names, as_of=as_of)
    content = map_content(analysis, source, frame, streets, None, t)
    bounds = frame.geometry if len(frame) else gpd.GeoSeries(geoms)
    lon0, lat0, lon1, lat1 = bounds.total_bounds
    center = (float(np.mean([lat0, lat1])), float(np.mean([lon0, lon1])))
    places = assembly_places(analysis, profile.assembly, profile.rules, within_m, lang)
    view = MapFrame.around(analysis, profile, (center, profile.map_zoom), False, places)
    built = assemble_map(content, view, t)
    offline_tools(built.base, rows, places, t)  # search, "Where am I?", the places list
    fmap = built.whole()
    holds = holdings_summary(analysis, positions, within, t)
    HoldingsList(
        held, geoms, f"{holds} {cited_words(analysis, profile, source, lang, t, basis)}", t
    ).add_to(fmap)
    open_on_zone(fmap, analysis)
    return inline_assets(fmap.get_root().render(), files)


def cited_words(
    analysis: Analysis,
    profile: Profile,
    source: tuple[str, str, bool],
    lang: str,
    t: Translate,
    basis: str = "",
) -> str:
    """Which data (as of when), policy, terms and time the offline map rests on, in the
    reader's words."""
    stamp = provenance(profile, analysis.policy, analysis.zone.distance_m, source, basis=basis)
    version = profile.policies.get(stamp.policy_version)
    title = version.text("title", lang) if version is not None else stamp.policy_title
    name, date, _ = source
    data = (
        t("card.as_of", name=name, date=date, basis=t(f"asof.basis.{stamp.data_date_basis}"))
        if stamp.data_date_basis
        else t("map.data", name=name, date=date)
    )
    return " ".join(
        [
            data,
            t("sheet.policy", title=title, version=stamp.policy_version),
            t("sheet.terms", terms=stamp.policy_terms),
            t("sheet.generated", when=stamp.generated_at, version=stamp.app_version),
        ]
    )
