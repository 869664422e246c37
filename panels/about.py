"""What the map is about: a compact notice, the proposal, the data, who runs the site, privacy."""

from __future__ import annotations

from importlib import metadata
from typing import Any

import streamlit as st

from geo.i18n import LANGUAGES, Translate, is_reviewed
from geo.profile import Profile
from geo.safe_text import md_escape
from panels.dataset import Dataset
from panels.folds import fold
from panels.state import Key


def notices(illustrative: bool, lang: str, t: Translate) -> None:
    """One line that says the data is a sample (and the translation unchecked); it opens
    to the whole notice. Nothing when the data is real and the language reviewed."""
    parts = []
    if illustrative:
        parts.append(t("notice.illustrative_short"))
    if not is_reviewed(lang):
        parts.append(t("notice.unreviewed_short"))
    if not parts:
        return
    with st.container(key=Key.NOTICE_BOX), st.expander("⚠️ " + " · ".join(parts)):
        if illustrative:
            st.warning(t("notice.illustrative"), icon="⚠️")
        if not is_reviewed(lang):
            st.info(t("notice.unreviewed_translation"))


def proposal_panel(profile: Profile, lang: str, t: Translate) -> None:
    """The proposal, part by part, and what the colours mean."""
    with fold(t("proposal.header"), Key.PROPOSAL_FOLD) as is_open:
        if not is_open:
            return
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
        st.caption(operator_text(profile, t))  # "tell the people who run this site": who


def operator_text(profile: Profile, t: Translate) -> str:
    """Who runs this copy and how to reach them, or that this copy names no one."""
    site = profile.site
    if not site.operator and not site.contact:
        return t("operator.none")
    who = md_escape(site.operator) or t("operator.unnamed")
    contact = md_escape(site.contact) if site.contact else t("operator.no_contact")
    return t("operator.named", operator=who, contact=contact)


def privacy_panel(profile: Profile, t: Translate) -> None:
    """What the app keeps about its users (nothing), whose names it shows, who runs it."""
    with fold(t("privacy.header"), Key.PRIVACY_FOLD) as is_open:
        if not is_open:
            return
        st.markdown(t("privacy.text"))
        st.markdown(t("privacy.owner_names"))
        st.markdown(operator_text(profile, t))


def app_version() -> str:
    """The installed version of this app (``unknown`` when it is run from a bare checkout)."""
    try:
        return metadata.version("civicmap")
    except metadata.PackageNotFoundError:
        return "unknown"


def about_data_panel(
    profile: Profile, dataset: Dataset, info: dict[str, Any], lang: str, t: Translate
) -> None:
    """About the data: what it is, source and date, size, what is illustrative, how verdicts
    are made, the policy versions, the languages, privacy, who runs it, the version."""
    with fold(t("aboutdata.header"), Key.ABOUT_FOLD) as is_open:
        if not is_open:
            return
        st.markdown(
            t(
                "aboutdata.source",
                name=md_escape(dataset.name),
                date=md_escape(dataset.date),
                count=f"{int(info.get('parcels', len(dataset.parcels))):,}",
            )
        )
        st.markdown(t("aboutdata.illustrative" if dataset.illustrative else "aboutdata.real"))
        st.markdown(t("aboutdata.verdicts"))
        st.markdown(t("aboutdata.versions"))
        for key, version in profile.policies.items():
            title = md_escape(version.text("title", lang))
            status = md_escape(version.text("status", lang))
            st.markdown(f"- **{title}** (`{md_escape(key)}`): {status}")
        st.markdown(t("aboutdata.languages"))
        for code, name in LANGUAGES.items():
            state = t("aboutdata.reviewed" if is_reviewed(code) else "aboutdata.unreviewed")
            st.markdown(f"- {name}: {state}")
        st.markdown(t("privacy.owner_names"))
        st.markdown(operator_text(profile, t))
        st.caption(t("aboutdata.version", version=md_escape(app_version())))
