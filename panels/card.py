"""The answer card: a found or clicked parcel's verdict, reasons and printable sheet."""

from __future__ import annotations

import streamlit as st

from geo.explain import land_use_text, reason_list
from geo.lookup import Match
from geo.policy import Verdict
from layers.compose import parcel_sheet
from panels.page import Page
from panels.state import Key

MAX_CARDS = 20


def answer_card(page: Page, match: Match, link: str) -> None:
    """One card per matching parcel (at most :data:`MAX_CARDS`), or close addresses."""
    analysis, t, source = page.analysis, page.t, page.dataset.source
    if not match.found:
        close = ", ".join(match.suggestions)
        st.info(
            t("search.none", query=match.query) + (t("search.close", close=close) if close else "")
        )
        return
    landmark = analysis.zone.landmark.landmark.name
    positions = list(match.positions[:MAX_CARDS])
    shown = analysis.explained(analysis.parcels.iloc[positions], t)
    for pos, (_, row) in zip(positions, shown.iterrows(), strict=True):
        st.subheader(f"{row['address'] or t('card.no_address')} · APN {row['apn']}")
        st.markdown(f"**{t('verdict.' + row['verdict'])}**")
        if row["verdict"] == Verdict.NEEDS_REVIEW:
            st.markdown(t("card.review_hint"))
        st.markdown("\n".join(f"- {r}" for r in reason_list(row["reasons"])))
        zone = t("card.yes") if row["in_free_speech_zone"] else t("card.no")
        st.caption(
            t(
                "card.facts",
                owner=row["owner"] or t("card.blank"),
                owner_class=t(f"owner_class.{row['owner_class']}"),
                land_use=land_use_text(page.profile, row.to_dict(), page.lang, t),
                zone=zone,
                distance=f"{row['distance_to_landmark_m']:,.0f}",
                landmark=landmark,
            )
        )
        st.caption(t("card.source", name=source[0], date=source[1]))
        sheet = parcel_sheet(analysis, pos, source, link, t, page.profile, page.lang)
        st.download_button(
            t("card.sheet"),
            sheet.encode("utf-8"),
            file_name=f"parcel-{row['apn'] or pos}.html",
            mime="text/html",
            key=Key.parcel_sheet(pos),
        )
