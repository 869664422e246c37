"""What the map is about: the proposal and its colours, notices, and the privacy note."""

from __future__ import annotations

import streamlit as st

from geo.i18n import Translate, is_reviewed
from geo.profile import Profile
from geo.safe_text import md_escape


def proposal_panel(profile: Profile, illustrative: bool, lang: str, t: Translate) -> None:
    """Notices (sample data, unreviewed translation) and the proposal, part by part."""
    if illustrative:
        st.warning(t("notice.illustrative"), icon="⚠️")
    if not is_reviewed(lang):
        st.info(t("notice.unreviewed_translation"))
    with st.expander(t("proposal.header")):
        st.markdown(t("about.what"))
        for i, part in enumerate(profile.proposal_parts, start=1):
            where = t("proposal.on_map") if part.get("on_map") else t("proposal.not_on_map")
            title = part.get(f"title_{lang}") or part.get("title", "")
            text = part.get(f"text_{lang}") or part.get("text", "")
            st.markdown(f"**{i}. {md_escape(title)}** ({where})  \n{md_escape(text)}")
        st.markdown(t("about.colors"))
        for key in ("city_lot_garage", "city_other", "review", "not_covered"):
            st.markdown(f"- **{t(f'category.{key}')}**: {t(f'category.{key}.meaning')}")
        st.markdown(t("about.covered_means"))
        st.caption(t("proposal.not_law"))


def privacy_panel(t: Translate) -> None:
    """What the app keeps about its users (nothing)."""
    with st.expander(t("privacy.header")):
        st.markdown(t("privacy.text"))
