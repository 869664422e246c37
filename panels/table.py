"""The table tab: parcels by verdict, filtered by text, with CSV and GeoJSON downloads."""

from __future__ import annotations

import streamlit as st

from geo.explain import localized_table
from geo.export import csv_bytes, flat, parcels_geojson, parcels_table
from geo.policy import VERDICTS, Verdict
from panels.page import Page
from panels.state import Key


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
    if text:
        blob = rows["apn"] + " " + rows["address"] + " " + rows["owner"]
        rows = rows[blob.str.upper().str.contains(text, regex=False)]
    st.write(t("table.count", count=f"{len(rows):,}"))
    rows = analysis.explained(rows, t)
    shown = localized_table(flat(parcels_table(rows)), t)
    st.dataframe(shown, hide_index=True, width="stretch")
    c1, c2 = st.columns(2)
    # built only when asked for: a county's covered parcels make a large GeoJSON
    c1.download_button(
        t("table.csv"),
        lambda: csv_bytes(parcels_table(rows), page.cited()),
        "parcels.csv",
        "text/csv",
        key=Key.TABLE_CSV,
    )
    c2.download_button(
        t("table.geojson"),
        lambda: parcels_geojson(rows, page.cited()),
        "parcels.geojson",
        "application/geo+json",
        key=Key.TABLE_GEOJSON,
    )
