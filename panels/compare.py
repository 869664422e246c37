"""The compare tab: parcels whose verdict differs between two policy versions."""

from __future__ import annotations

import geopandas as gpd
import streamlit as st

from geo.i18n import Translate
from geo.profile import Profile
from panels.loaders import get_comparison
from panels.state import Key


def compare_panel(profile: Profile, parcels: gpd.GeoDataFrame, data_key: str, t: Translate) -> None:
    """Pick two versions; list the parcels they decide differently."""
    versions = list(profile.policies)
    c1, c2 = st.columns(2)
    first = c1.selectbox(
        t("compare.first"),
        versions,
        0,
        format_func=lambda k: profile.policies[k].title,
        key=Key.COMPARE_FIRST,
    )
    second = c2.selectbox(
        t("compare.second"),
        versions,
        min(1, len(versions) - 1),
        format_func=lambda k: profile.policies[k].title,
        key=Key.COMPARE_SECOND,
    )
    changed = get_comparison(data_key, str(first), str(second), parcels, profile)
    st.write(t("compare.count", count=f"{len(changed):,}"))
    st.dataframe(changed, hide_index=True, width="stretch")
