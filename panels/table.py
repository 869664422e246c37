"""The table tab: parcels by verdict, filtered by text, with CSV and GeoJSON downloads."""

from __future__ import annotations

import streamlit as st

from geo.analysis import Analysis
from geo.classify import VERDICTS
from geo.export import csv_bytes, parcels_geojson, parcels_table
from geo.i18n import Translate
from panels.state import Key


def table_panel(analysis: Analysis, t: Translate) -> None:
    """The parcels of the chosen verdicts whose APN, address or owner holds the filter."""
    st.markdown(t("table.intro"))
    verdicts = st.multiselect(
        t("table.verdicts"),
        list(VERDICTS),
        default=["covered", "needs review"],
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
    rows = analysis.explained(rows)
    st.dataframe(parcels_table(rows), hide_index=True, width="stretch")
    c1, c2 = st.columns(2)
    # built only when asked for: a county's covered parcels make a large GeoJSON
    c1.download_button(
        t("table.csv"),
        lambda: csv_bytes(parcels_table(rows)),
        "parcels.csv",
        "text/csv",
        key=Key.TABLE_CSV,
    )
    c2.download_button(
        t("table.geojson"),
        lambda: parcels_geojson(rows),
        "parcels.geojson",
        "application/geo+json",
        key=Key.TABLE_GEOJSON,
    )
