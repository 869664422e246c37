"""The card's link to the county's own record of a parcel (from the profile's template)."""

from __future__ import annotations

import streamlit as st

from geo.i18n import Translate
from geo.profile import Profile
from geo.records import record_url


def record_link(profile: Profile, apn: object, key: str, t: Translate) -> None:
    """A button that opens the county's record of the parcel; nothing without a template."""
    url = record_url(profile.record_template, apn)
    if url:
        st.link_button(t("card.record"), url, help=t("card.record_help"), key=key)
