"""The answer card: a found or clicked parcel's verdict, reasons and printable sheet.

Beside the map on a wide screen; on a phone (``page.css``) a sheet over the bottom of the
map, so a tapped parcel's answer shows where it was tapped, with one button to close it.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from geo.explain import land_use_text, reason_list, zone_word
from geo.i18n import Translate
from geo.lookup import Match
from geo.policy import Verdict
from geo.safe_text import md_escape
from layers.compose import parcel_sheet
from panels.context import district_names
from panels.page import Page
from panels.record import record_link
from panels.state import Key, session

MAX_CARDS = 20


def suggestion_buttons(match: Match, t: Translate) -> None:
    """Close addresses, landmarks, owners or streets as buttons that search them."""
    if not match.options:
        return
    st.caption(t("search.try"))
    columns = st.columns(min(len(match.options), 3))
    for i, option in enumerate(match.options):
        columns[i % len(columns)].button(
            option.label,
            key=Key.suggestion(i),
            on_click=search_for,
            args=(option.query,),
            help=t("search.try_help", count=f"{option.count:,}"),
        )


def search_for(query: str) -> None:
    """Put a query in the search box (run before the box is drawn again)."""
    session.query = query


def close_answer() -> None:
    """Forget the searched or tapped parcel (run before the search box is drawn again)."""
    session.query = ""
    session.clicked = ()


def answer_area(page: Page, match: Match | None, link: str) -> None:
    """The answer of a searched or tapped parcel, or the hint of how to get one."""
    if match is None and not session.clicked:
        st.caption(page.t("search.hint"))
        return
    with st.container(key=Key.ANSWER_BOX):
        st.button(
            "✕ " + page.t("card.close"), key=Key.CARD_CLOSE, on_click=close_answer, type="tertiary"
        )
        answer_card(page, match or Match("", tuple(session.clicked)), link)


def owner_text(owner: str, owner_class: str, t: Translate) -> str:
    """The owner as the card names it: "name not shown" for a private owner kept private."""
    if owner and owner == t(f"owner_class.{owner_class}"):
        return t("card.name_hidden")
    return md_escape(owner) or t("card.blank")


def as_of_line(page: Page) -> str:
    """The data's as-of date (and what it is) and the policy version the answer rests on."""
    t, (name, date, _) = page.t, page.dataset.source
    basis = t(f"asof.basis.{page.dataset.date_basis}")
    data = t("card.as_of", name=md_escape(name), date=md_escape(date), basis=basis)
    cited = page.cited()
    version = page.profile.policies.get(cited.policy_version)
    title = version.text("title", page.lang) if version is not None else cited.policy_title
    policy = t("sheet.policy", title=md_escape(title), version=md_escape(cited.policy_version))
    return f"{data} {policy}"


def answer_card(page: Page, match: Match, link: str) -> None:
    """One card per matching parcel (at most :data:`MAX_CARDS`), or close addresses."""
    analysis, t = page.analysis, page.t
    if not match.found:
        st.info(t("search.none", query=md_escape(match.query)))
        suggestion_buttons(match, t)
        return
    landmark = analysis.zone.landmark.landmark.name
    positions = list(match.positions[:MAX_CARDS])
    shown = page.explained(tuple(positions))
    districts = district_names(page.profile, analysis.parcels.iloc[positions])
    for pos, (_, row) in zip(positions, shown.iterrows(), strict=True):
        address = md_escape(row["address"]) or t("card.no_address")
        st.subheader(f"{address} · APN {md_escape(row['apn'])}")
        st.markdown(f"**{t('verdict.' + row['verdict'])}**")
        st.markdown(t(f"card.means.{Verdict(row['verdict']).key}"))
        if row["verdict"] == Verdict.NEEDS_REVIEW:
            st.markdown(t("card.review_hint"))
        st.markdown("\n".join(f"- {md_escape(r)}" for r in reason_list(row["reasons"])))
        zone = zone_word(row.to_dict(), t)
        st.caption(
            t(
                "card.facts",
                owner=owner_text(row["owner"], row["owner_class"], t),
                owner_class=t(f"owner_class.{row['owner_class']}"),
                land_use=md_escape(land_use_text(page.profile, row.to_dict(), page.lang, t)),
                zone=zone,
                distance=f"{row['distance_to_landmark_m']:,.0f}",
                landmark=md_escape(landmark),
            )
        )
        st.caption(as_of_line(page))
        district = None if districts is None else str(districts.iloc[positions.index(pos)])
        if district is not None:  # from the district layer's own fields
            st.caption(t("card.district", district=md_escape(district) or t("card.no_district")))
        record_link(page.profile, row["apn"], Key.record(pos), t)  # the county's own record
        st.download_button(
            t("card.sheet"),
            sheet_maker(page, pos, link, district),  # built only when asked for
            file_name=f"parcel-{row['apn'] or pos}.html",
            mime="text/html",
            key=Key.parcel_sheet(pos),
            on_click="ignore",
        )


def sheet_maker(page: Page, position: int, link: str, district: str | None) -> Callable[[], bytes]:
    """The printable sheet of one parcel, made when its button is clicked (``district``:
    its council district, "" outside every one, None without a district layer)."""

    def make() -> bytes:
        sheet = parcel_sheet(
            page.analysis,
            position,
            page.dataset.source,
            link,
            page.t,
            page.profile,
            page.lang,
            page.owner_names,
            cited=page.cited(),
            district="" if district is None else (district or page.t("card.no_district")),
        )
        return sheet.encode("utf-8")

    return make
