"""The sidebar's language, policy and layer settings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import geopandas as gpd
import streamlit as st

from geo import permalink
from geo.i18n import Translate
from geo.policy import PolicyOverrides, Scope, apply_overrides
from geo.policy.terms import Policy
from geo.profile import Profile
from geo.safe_text import md_escape
from panels.data import city_list_upload
from panels.folds import fold
from panels.land_use_codes import CodeOptions, code_options, data_key_of
from panels.state import TERM_WIDGETS, Key, session

SCOPES = tuple(scope.value for scope in Scope)


def choose_version(profile: Profile, url: dict[str, Any], t: Translate, lang: str) -> str:
    """The policy version picker (the link's version on first load)."""
    versions = list(profile.policies)
    if session.policy_version not in versions:
        wanted = url.get("policy")
        session.policy_version = wanted if wanted in versions else profile.default_policy
    version = st.sidebar.selectbox(
        t("policy.version"),
        versions,
        format_func=lambda k: profile.policies[k].text("title", lang),
        help=t("policy.version_help"),
        key=Key.POLICY,
    )
    chosen = profile.policies[version]
    st.sidebar.caption(
        md_escape(
            f"{chosen.text('note', lang)} ({t('policy.status')}: {chosen.text('status', lang)})"
        )
    )
    return str(version)


def reset_terms(profile: Profile, version: str, url: dict[str, Any]) -> None:
    """Set the term widgets to a new version's values (and, on first load, the link's)."""
    if session.terms_for == version:
        return
    first = session.terms_for is None
    overrides = permalink.url_overrides(url) if first else PolicyOverrides()
    session.set_terms(apply_overrides(profile.policy_version(version), overrides))
    session.terms_for = version


def sidebar_policy(
    profile: Profile,
    parcels: gpd.GeoDataFrame,
    url: dict[str, Any],
    t: Translate,
    lang: str = "en",
) -> tuple[Policy, float]:
    """The policy terms, a city property list and the zone distance as the user sets them."""
    sb = st.sidebar
    sb.header(t("policy.header"))
    version = choose_version(profile, url, t, lang)
    reset_terms(profile, version, url)
    top = int(profile.zone.max_distance_m)
    distance = session.distance if session.distance is not None else profile.zone.distance_m
    session.distance = min(max(int(distance), 10), top)
    scope = sb.radio(
        t("policy.scope"), SCOPES, format_func=lambda s: t(f"policy.scope.{s}"), key=Key.SCOPE
    )
    agencies = sb.checkbox(t("policy.agencies"), key=Key.AGENCIES)
    chosen = sb.slider(
        t("policy.distance"), 10, top, step=10, help=t("policy.distance_help"), key=Key.DISTANCE
    )
    names, lots, garages = term_pickers(profile, parcels, t, lang)
    city_apns = city_list_upload(profile, t)
    overrides = PolicyOverrides(
        scope=str(scope),
        include_city_agencies=bool(agencies),
        city_owners=tuple(n.strip() for n in names.splitlines() if n.strip()),
        parking_lot=tuple(lots),
        parking_garage=tuple(garages),
        city_apns=city_apns or None,
    )
    return apply_overrides(profile.policy_version(version), overrides), float(chosen)


def term_pickers(
    profile: Profile, parcels: gpd.GeoDataFrame, t: Translate, lang: str
) -> tuple[str, list[str], list[str]]:
    """The city's owner names and the lot and garage codes: the pickers while their fold is
    open, the values last picked while it is closed."""
    with fold(t("policy.terms"), Key.TERMS_FOLD, TERM_WIDGETS, st.sidebar) as is_open:
        if not is_open:
            names = str(st.session_state.get(Key.CITY_NAMES, ""))
            return names, session.lot_codes, session.garage_codes
        picker = code_options(data_key_of(parcels), parcels)  # codes, patterns, counts
        code_text = picker.formatter(profile, lang, t)
        names = st.text_area(t("policy.city_names"), key=Key.CITY_NAMES, help=t("policy.city_help"))
        lots = code_picker(
            t("policy.lot_codes"), picker, session.lot_codes, code_text, t, Key.LOT_CODES
        )
        garages = code_picker(
            t("policy.garage_codes"), picker, session.garage_codes, code_text, t, Key.GARAGE_CODES
        )
        st.caption(t("policy.values_in_file"))
        st.dataframe(picker.table(), height=160)
    return str(names), lots, garages


def code_picker(
    label: str,
    picker: CodeOptions,
    kept: list[str],
    show: Callable[[str], str],
    t: Translate,
    key: str,
) -> list[str]:
    """A land-use picker that keeps patterns (``BFH*``) and takes typed ones."""
    return list(
        st.multiselect(
            label,
            picker.options(kept),
            format_func=show,
            accept_new_options=True,
            help=t("policy.codes_help"),
            key=key,
        )
    )


def sidebar_layers(t: Translate) -> dict[str, bool]:
    """Which layers the map draws."""
    sb = st.sidebar
    sb.header(t("layers.header"))
    show = {
        "not_covered": sb.checkbox(t("layers.not_covered"), value=True, key=Key.SHOW_NOT_COVERED),
        "streets": sb.checkbox(t("layers.streets"), value=True, key=Key.SHOW_STREETS),
        "basemap": sb.checkbox(t("layers.basemap"), key=Key.BASEMAP),  # a link may set it
    }
    sb.caption(t("layers.basemap_on") if show["basemap"] else t("layers.basemap_off"))
    return show


def sidebar_owner_names(profile: Profile, t: Translate) -> bool:
    """Whether private owners are named this session (the profile's choice to start)."""
    return bool(
        st.sidebar.toggle(
            t("privacy.names_toggle"),
            value=profile.site.owner_names,
            help=t("privacy.names_toggle_help"),
            key=Key.OWNER_NAMES,
        )
    )
