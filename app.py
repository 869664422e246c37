"""Streamlit app: which city property the staging proposal covers, and the free speech zone.

A frame: page setup, header, tabs and one call per panel. The panels, the cached loaders and
the session state live in ``panels``; the rules in ``geo``, the drawing in ``layers``, the
words in ``data/i18n``. Nothing a user types or clicks is logged or stored.
"""

from __future__ import annotations

import os
from typing import Any

import streamlit as st

from geo.i18n import Translate, translator
from geo.profile import Profile
from layers.static_files import inline_style
from panels.about import about_data_panel, notices, privacy_panel, proposal_panel
from panels.compare import compare_panel
from panels.data import load_summary, sidebar_data
from panels.dataset import Dataset
from panels.language import language_picker
from panels.link import read_link
from panels.lists import list_panel
from panels.loaders import get_profile, get_summary
from panels.map_panel import map_tab
from panels.metrics import verdict_metrics
from panels.offline import keep_server_offline
from panels.page import Page, build_page
from panels.plan import plan_panel
from panels.sidebar import sidebar_layers, sidebar_owner_names, sidebar_policy
from panels.state import TAB_WIDGETS, Key, session
from panels.table import table_panel


def header(profile: Profile, dataset: Dataset, lang: str, t: Translate) -> None:
    """The title, the subtitle (not on a phone) and the one-line notice: the map follows."""
    st.title(t("app.title", place=profile.name))
    with st.container(key=Key.SUBTITLE_BOX):
        st.caption(t("app.subtitle"))
    notices(dataset.illustrative, lang, t)


def footer(page: Page, info: dict[str, Any]) -> None:
    """Below the map: the proposal, the data, privacy and who runs the site."""
    proposal_panel(page.profile, page.lang, page.t)
    about_data_panel(page.profile, page.dataset, info, page.lang, page.t)
    privacy_panel(page.profile, page.t)


def tabs(page: Page) -> None:
    """The five tabs. Only the open tab's content is built and sent (a county's table alone
    is megabytes), except the map's, which stays mounted so it keeps its view."""
    t = page.t
    session.keep(TAB_WIDGETS)
    tab_map, tab_plan, tab_list, tab_table, tab_compare = st.tabs(
        [t("tab.map"), t("tab.plan"), t("tab.list"), t("tab.table"), t("tab.compare")],
        key=Key.TAB,
        on_change="rerun",
    )
    with tab_map:
        map_tab(page)
    with tab_plan:
        if tab_plan.open:
            plan_panel(page)
    with tab_list:
        if tab_list.open:
            list_panel(page)
    with tab_table:
        if tab_table.open:
            table_panel(page)
    with tab_compare:
        if tab_compare.open:
            compare_panel(page)


def main() -> None:
    """One run of the app."""
    keep_server_offline()  # also when started by plain ``streamlit run``
    st.set_page_config(
        page_title="City property and free speech map",
        page_icon="🗺️",
        layout="wide",
        initial_sidebar_state="auto",
    )
    # the page's own style (static/app/page.css; no file from any other site)
    st.markdown(inline_style("page.css"), unsafe_allow_html=True)
    url = read_link()
    lang = language_picker(url)
    t = translator(lang)
    profile = get_profile(os.environ.get("CIVICMAP_PROFILE", ""))
    dataset = sidebar_data(profile, t)
    header(profile, dataset, lang, t)
    policy, distance = sidebar_policy(profile, dataset.parcels, url, t, lang)
    show = sidebar_layers(t)
    names = sidebar_owner_names(profile, t)
    page = build_page(profile, dataset, policy, distance, show, lang, t, names)
    info = get_summary(dataset.key, page.settings_key, page.analysis)
    load_summary(dataset, info, t)
    tabs(page)
    verdict_metrics(info, t)
    footer(page, info)


if __name__ == "__main__":
    main()
