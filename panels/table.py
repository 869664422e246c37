"""The table tab: parcels by verdict, filtered by text, with CSV and GeoJSON downloads."""

from __future__ import annotations

import streamlit as st

from geo.explain import localized_table
from geo.export import csv_bytes, flat, parcels_geojson, parcels_table
from geo.policy import VERDICTS, Verdict
from geo.privacy import names_state, shown_owner
from panels.page import Page
from panels.state import Key

# On a phone the first columns are what shows: the verdict before the rest.
FIRST_COLUMNS = (
    "verdict",
    "address",
    "apn",
    "owner",
    "owner_class",
    "land_use",
    "site_kind",
    "in_free_speech_zone",
    "distance_to_landmark_m",
    "reasons",
)


def table_panel(page: Page) -> None:
    """The parcels of the chosen verdicts whose APN, address or owner holds the filter."""
    analysis, t = page.analysis, page.t
    st.markdown(t("table.intro"))
    verdicts = st.multiselect(
        t("table.verdicts"),
        [v.value for v in VERDICTS],
        default=[Verdict.COVERED.value, Verdict.NEEDS_REVIEW.value],
        format_func=lambda v: t(f"verdict.{v}"),
        key=Key.TABLE_VERDICTS,
    )
    parcels = analysis.parcels
    rows = parcels[parcels["verdict"].isin(verdicts)]
    text = st.text_input(t("table.filter"), key=Key.TABLE_FILTER).strip().upper()
    if text:  # a private owner is found by its class's words, never by a hidden name
        owner = shown_owner(rows["owner"], rows["owner_class"], page.owner_names, t)
        blob = rows["apn"] + " " + rows["address"] + " " + owner.astype(str)
        rows = rows[blob.str.upper().str.contains(text, regex=False)]
    st.write(t("table.count", count=f"{len(rows):,}"))
    rows = analysis.explained(rows, t, page.owner_names)
    st.caption(t(f"export.owner_names.{names_state(page.owner_names)}"))
    table = parcels_table(rows)
    shown = localized_table(flat(table[[c for c in FIRST_COLUMNS if c in table]]), t)
    st.dataframe(shown, hide_index=True, width="stretch")
    c1, c2 = st.columns(2)
    # built only when asked for: a county's covered parcels make a large GeoJSON
    c1.download_button(
        t("table.csv"),
        lambda: csv_bytes(parcels_table(rows), page.cited()),
        f"parcels-owner-names-{names_state(page.owner_names)}.csv",
        "text/csv",
        key=Key.TABLE_CSV,
    )
    c2.download_button(
        t("table.geojson"),
        lambda: parcels_geojson(rows, page.cited()),
        f"parcels-owner-names-{names_state(page.owner_names)}.geojson",
        "application/geo+json",
        key=Key.TABLE_GEOJSON,
    )
