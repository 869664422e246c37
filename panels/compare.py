"""The compare tab: two policy versions' terms side by side and the parcels they decide
differently, with a map of those parcels and a download."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.compare import OWNER_TERMS, SITE_TERMS, differing_pair, same_terms, terms_side_by_side
from geo.explain import joined
from geo.export import csv_bytes, flat
from geo.i18n import Translate
from geo.profile import Profile
from geo.safe_text import md_escape
from layers.changes import changes_svg
from panels.loaders import get_comparison
from panels.page import Page
from panels.state import Key, session


def compare_panel(page: Page) -> None:
    """Pick two versions (opening on a pair that differs); show terms, changes, map, CSV."""
    profile, t, lang = page.profile, page.t, page.lang
    versions = list(profile.policies)
    if not session.has(Key.COMPARE_FIRST) or not session.has(Key.COMPARE_SECOND):
        first_default, second_default = differing_pair(profile)
        session.set_compare(first_default, second_default)
    c1, c2 = st.columns(2)
    title = lambda k: profile.policies[k].text("title", lang)  # noqa: E731
    first = str(
        c1.selectbox(t("compare.first"), versions, format_func=title, key=Key.COMPARE_FIRST)
    )
    second = str(
        c2.selectbox(t("compare.second"), versions, format_func=title, key=Key.COMPARE_SECOND)
    )
    a, b = profile.policy_version(first), profile.policy_version(second)
    st.subheader(t("compare.terms"))
    st.dataframe(terms_view(profile, first, second, lang, t), hide_index=True, width="stretch")
    if same_terms(a, b):
        st.info(md_escape(t("compare.same", first=title(first), second=title(second))))
        return
    changed = get_comparison(page.dataset.key, first, second, page.dataset.parcels, profile, lang)
    st.write(t("compare.count", count=f"{len(changed):,}"))
    if changed.empty:
        st.info(t("compare.none"))
        return
    names = [c.removeprefix("verdict_") for c in changed.columns if c.startswith("verdict_")]
    shown = changes_view(changed, names, (title(first), title(second)), t)
    st.dataframe(shown, hide_index=True, width="stretch")
    changes_map(page, changed, names[-1], title(second))
    st.download_button(
        t("compare.csv"),
        lambda: csv_bytes(flat(changed), page.cited()),
        f"changes_{first}_{second}.csv",
        "text/csv",
        key=Key.COMPARE_CSV,
    )


def term_label(term: str, t: Translate) -> str:
    """A term's name in the reader's language."""
    if term == "scope":
        return t("policy.scope")
    if term == "include_city_agencies":
        return t("policy.agencies")
    if term in OWNER_TERMS:
        return t("compare.term.owners", owner_class=t(f"owner_class.{term}"))
    return t("compare.term.sites", site_kind=t(f"site_kind.{term}"))


def term_text(term: str, value: object, profile: Profile, lang: str, t: Translate) -> str:
    """A term's value in the reader's language (land-use codes with their labels)."""
    if term == "scope":
        return t(f"policy.scope.{value}")
    if isinstance(value, bool):
        return t("card.yes") if value else t("card.no")
    items = [str(v) for v in value] if isinstance(value, tuple | list) else [str(value)]
    if term in SITE_TERMS:
        items = [f"{v} {profile.land_use_label(v, lang)}".strip() for v in items]
    return "; ".join(items) if items else t("compare.none_listed")


def terms_view(profile: Profile, first: str, second: str, lang: str, t: Translate) -> pd.DataFrame:
    """Both versions' terms, one row per term, in the reader's language."""
    terms = terms_side_by_side(profile.policy_version(first), profile.policy_version(second))
    title_a = profile.policies[first].text("title", lang)
    title_b = profile.policies[second].text("title", lang)
    if title_a == title_b:
        title_b = f"{title_b} (2)"
    return pd.DataFrame(
        {
            t("compare.term"): [term_label(k, t) for k in terms["term"]],
            title_a: [
                term_text(k, v, profile, lang, t)
                for k, v in zip(terms["term"], terms["first"], strict=True)
            ],
            title_b: [
                term_text(k, v, profile, lang, t)
                for k, v in zip(terms["term"], terms["second"], strict=True)
            ],
            t("compare.differs"): [t("card.yes") if d else "" for d in terms["differs"]],
        }
    )


def changes_view(
    changed: pd.DataFrame, names: list[str], titles: tuple[str, str], t: Translate
) -> pd.DataFrame:
    """The changed parcels with both verdicts and both reasons, in the reader's words."""
    out = pd.DataFrame(
        {
            t("column.apn"): changed["apn"],
            t("column.address"): changed["address"],
            t("column.owner"): changed["owner"],
            t("column.owner_class"): [t(f"owner_class.{v}") for v in changed["owner_class"]],
            t("column.land_use"): changed["land_use"],
        }
    )
    for name, title in zip(names, titles, strict=False):
        out[t("compare.verdict_in", version=title)] = [
            t(f"verdict.{v}") for v in changed[f"verdict_{name}"]
        ]
        if f"reasons_{name}" in changed:
            out[t("compare.reasons_in", version=title)] = [
                joined(v) for v in changed[f"reasons_{name}"]
            ]
    return out


def changes_map(page: Page, changed: pd.DataFrame, second: str, title: str) -> None:
    """A small static map of the changed parcels, coloured by the second version's verdict."""
    parcels = page.dataset.parcels
    rows = parcels[parcels["apn"].isin(set(changed["apn"]))]
    verdict_of = dict(zip(changed["apn"], changed[f"verdict_{second}"], strict=False))
    svg = changes_svg(rows.geometry, [verdict_of.get(a, "") for a in rows["apn"]])
    if svg:
        st.caption(md_escape(page.t("compare.map", version=title)))
        st.image(svg)
