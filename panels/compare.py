"""The compare tab: parcels whose verdict differs between two policy versions."""

from __future__ import annotations

import streamlit as st

from geo.explain import localized_table
from geo.export import flat
from panels.loaders import get_comparison
from panels.page import Page
from panels.state import Key


def compare_panel(page: Page) -> None:
    """Pick two versions; list the parcels they decide differently."""
    profile, t, lang = page.profile, page.t, page.lang
    versions = list(profile.policies)
    c1, c2 = st.columns(2)
    first = c1.selectbox(
        t("compare.first"),
        versions,
        0,
        format_func=lambda k: profile.policies[k].text("title", lang),
        key=Key.COMPARE_FIRST,
    )
    second = c2.selectbox(
        t("compare.second"),
        versions,
        min(1, len(versions) - 1),
        format_func=lambda k: profile.policies[k].text("title", lang),
        key=Key.COMPARE_SECOND,
    )
    changed = get_comparison(
        page.dataset.key, str(first), str(second), page.dataset.parcels, profile, lang
    )
    st.write(t("compare.count", count=f"{len(changed):,}"))
    st.dataframe(localized_table(flat(changed), t), hide_index=True, width="stretch")
