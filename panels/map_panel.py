"""The map tab: search, the map (a stable base map and the parcels of the view), the card."""

from __future__ import annotations

import folium
import geopandas as gpd
import numpy as np
import streamlit as st

from geo.errors import InputError
from geo.lookup import Match
from geo.tiles import CITY_LAYER, OTHER_LAYER
from layers.compose import map_content
from layers.map import MapFrame, assemble_map
from layers.parcel_tiles import TileLayer, TileSource
from layers.parcels import selection_script, to_draw_frame
from layers.view import MAX_FEATURES, ViewSelection
from layers.view_state import (
    View,
    clicked_point,
    parse_view,
    point_focus,
    rebuild_focus,
    view_to_draw,
)
from panels.card import answer_area
from panels.context import context_groups, context_kinds, context_legend_rows
from panels.dataset import Dataset
from panels.link import copy_link, write_link
from panels.loaders import (
    get_counts,
    get_draw_geometry,
    get_paint,
    get_rendered_map,
    get_streets,
    get_tiles,
    get_view,
    get_view_parcels,
)
from panels.map_render import RenderedMap, group_variable, render_map, show_map
from panels.page import Page
from panels.plan import drawn_zone, walk_distance, walk_places
from panels.state import Key, session

MAP_HEIGHT = 600


@st.fragment
def map_tab(page: Page) -> None:
    """Search a parcel or click one; the map follows and the card answers.

    A fragment: a search, a click on the map or a card's button reruns this tab alone,
    not the sidebar, the other tabs and the footer (a setting there reruns the page)."""
    t, index = page.t, page.index
    query = st.text_input(t("search.label"), placeholder=t("search.placeholder"), key=Key.SEARCH)
    match = index.find(query) if query.strip() else None
    if match is not None and match.found and session.changed(Key.LAST_SEARCHED, query):
        focus_on(page, match)
    report = session.map_report
    clicked = clicked_point(report.get("last_object_clicked"), report.get("last_clicked"))
    if clicked and session.changed(Key.LAST_CLICK, clicked):
        session.clicked = index.at_point(*clicked).positions
        match = None
    # a clicked parcel already shows its popup; outlining it too would redraw the
    # parcels and close that popup, so only a searched parcel is outlined
    selected = match.positions if match is not None else ()
    keep_view_on_rebuild((page.dataset.key, page.settings_key, page.lang, tuple(page.show.items())))
    with st.container(key=Key.MAP_ROW):
        beside_map, beside_answer = st.columns([3, 2], gap="small")
    with beside_map:
        map_panel(page, tuple(selected), walk_places(page))
        drawn_zone(page)  # a drawn shape's size and parcels, next to the map
    apn = clicked_apn(page, query)
    (lat, lon), zoom = start_view(page)
    links = write_link(
        page.profile,
        page.policy,
        page.distance,
        page.lang,
        query,
        apn,
        page.show["basemap"],
        start=(lat, lon, int(zoom)),
    )
    with beside_answer:
        answer_area(page, match, links.sheet)
    copy_link(links.share, t)


def clicked_apn(page: Page, query: str) -> str:
    """The APN of the parcel clicked on the map (when nothing is searched), for the link."""
    if query.strip() or not session.clicked:
        return ""
    return str(page.analysis.parcels["apn"].iloc[session.clicked[0]])


def focus_on(page: Page, match: Match) -> None:
    """Move the map to a found parcel."""
    draw = get_draw_geometry(page.dataset.key, page.dataset.parcels)
    point = draw.centre(match.positions)  # the shapes already in degrees
    if point is None:
        return
    session.focus = point_focus(point)
    session.focus_pending = True


def start_view(page: Page) -> tuple[tuple[float, float], int]:
    """Where the map opens: the profile's view on the sample, else the data's extent."""
    dataset: Dataset = page.dataset
    if dataset.illustrative:
        return page.profile.map_center, page.profile.map_zoom
    return get_view(dataset.key, dataset.parcels)


def map_view(page: Page) -> View:
    """The view to draw parcels for: the map's last report, a focus, or the start view."""
    return view_to_draw(
        parse_view(session.map_report), session.focus, session.focus_pending, start_view(page)
    )


def keep_view_on_rebuild(signature: tuple[object, ...]) -> None:
    """When the base map must be rebuilt (new settings), reopen it where the user was."""
    reported = parse_view(session.map_report)
    changed, focus = rebuild_focus(session.base_signature, signature, reported)
    if focus is not None:
        session.focus = focus
    if changed:
        session.base_signature = signature


def map_panel(page: Page, selected: tuple[int, ...], places: gpd.GeoDataFrame | None) -> None:
    """Draw the map: the rendered map of these settings, and the searched parcel's outline."""
    t = page.t
    url = tiles_url(page)
    rendered, chosen = shared_map(page, places, url)
    if not chosen.complete:
        shown, total = f"{len(chosen.positions):,}", f"{chosen.in_view:,}"
        st.caption(t("map.partial", shown=shown, total=total))
    focus = session.focus
    session.focus_pending = False
    show_map(
        rendered,
        Key.MAP,
        center=(focus[0], focus[1]) if focus else None,
        zoom=int(focus[2]) if focus else None,
        extra_groups=selection_groups(page, selected, rendered.group_count),
    )
    st.caption(t("locate.note"))


def returned_objects(page: Page, url: str | None) -> list[str]:
    """What the map reports back. Never the view: a small table is sent whole, a large one
    is drawn from its tiles in the browser, so panning asks the server for nothing (and
    "Where am I?" sends nothing); the link keeps the view the app last sent the map to."""
    wanted = ["last_clicked", "last_object_clicked", "all_drawings"]
    if len(page.dataset.parcels) > MAX_FEATURES and url is None:
        wanted += ["bounds", "zoom"]  # no tiles: the server draws each view's parcels
    return wanted


def shared_map(
    page: Page, places: gpd.GeoDataFrame | None, url: str | None
) -> tuple[RenderedMap, ViewSelection]:
    """The map of this run's settings, rendered once for every session that shows it."""
    view = map_view(page) if url is None else None
    contexts = tuple(kind for kind in context_kinds(page.profile) if session.context_shown(kind))
    signature = (
        page.dataset.key,
        page.settings_key,
        page.lang,
        tuple(page.show.items()),
        url,
        walk_distance(),
        view,
        contexts,
        start_view(page),
    )
    return get_rendered_map(signature, lambda: render_page_map(page, places, url, view))


def render_page_map(
    page: Page, places: gpd.GeoDataFrame | None, url: str | None, view: View | None
) -> tuple[RenderedMap, ViewSelection]:
    """Build and render the map of this run's settings (what :func:`shared_map` caches)."""
    fmap, groups, chosen = build_map(page, places, url, view)
    wanted = returned_objects(page, url)
    return render_map(fmap, groups, Key.MAP, MAP_HEIGHT, wanted), chosen


def selection_groups(page: Page, selected: tuple[int, ...], number: int) -> str:
    """The searched parcels' outline as the script of one more feature group ("" for none)."""
    if not selected:
        return ""
    draw = get_draw_geometry(page.dataset.key, page.dataset.parcels)
    landmark = page.analysis.zone.landmark.landmark.name
    frame = selected_frame(page, list(selected), draw.geoms[list(selected)], landmark)
    if frame is None or frame.empty:
        return ""
    return selection_script(frame, group_variable(number), "map_div")


def tiles_url(page: Page) -> str | None:
    """Where a large dataset's tiles are served (None for a small one, sent whole, or when
    the tiles cannot be built: then the server draws each view as before)."""
    dataset = page.dataset
    if len(dataset.parcels) <= MAX_FEATURES:
        return None
    try:
        with st.spinner(page.t("map.tiles_building")):
            return get_tiles(dataset.key, dataset.parcels, page.profile)
    except InputError:
        return None


def selected_frame(
    page: Page, positions: list[int], geoms: np.ndarray, landmark: str
) -> gpd.GeoDataFrame | None:
    """The searched parcels' outlines and popups (None when nothing is searched)."""
    if not positions:
        return None
    rows = page.explained(tuple(positions))
    return to_draw_frame(rows, landmark, geoms, None, page.t, screen=True)


def build_map(
    page: Page, places: gpd.GeoDataFrame | None, url: str | None, view: View | None
) -> tuple[folium.Map, list[folium.FeatureGroup], ViewSelection]:
    """The map and its groups (``url``: where the parcels' tiles are served, None to draw
    the parcels of ``view`` as shapes)."""
    analysis, dataset, profile, show, t = (
        page.analysis,
        page.dataset,
        page.profile,
        page.show,
        page.t,
    )
    draw = get_draw_geometry(dataset.key, dataset.parcels)
    landmark = analysis.zone.landmark.landmark.name
    if url is None:
        bounds, zoom = view if view is not None else map_view(page)
        frame, chosen = get_view_parcels(
            dataset.key,
            page.settings_key,
            page.lang,
            bounds,
            zoom,
            show["not_covered"],
            analysis,
            draw,
            page.categories,
        )
    else:  # every parcel comes from the tiles; only their colours are sent
        none = analysis.parcels.iloc[:0]
        frame = to_draw_frame(none, landmark, draw.geoms[:0], t=t)
        chosen = ViewSelection(np.arange(0), True, 0, False)
    streets = get_streets(str(profile.streets_path() or "")) if show["streets"] else None
    counts = get_counts(dataset.key, page.settings_key, page.categories)
    content = map_content(analysis, dataset.source, frame, streets, None, t, counts)
    content.context = context_legend_rows(profile, t)  # districts, city limits in the legend
    tiles = None
    if url is not None:
        content.paint = get_paint(dataset.key, page.settings_key, page.categories, content.counts)
        source = TileSource(url, CITY_LAYER, OTHER_LAYER)
        tiles = TileLayer(source, show_others=show["not_covered"])
    frame_of_map = MapFrame.around(
        analysis, profile, start_view(page), show["basemap"], places, tiles
    )
    built = assemble_map(content, frame_of_map, t)
    return built.base, built.groups + context_groups(profile, t), chosen  # districts, limits
