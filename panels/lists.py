"""The list tab: check many parcels at once, pasted or from a file."""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from geo.analysis import check_table
from geo.errors import InputError
from geo.explain import localized_table
from geo.export import csv_bytes, flat
from geo.i18n import Translate
from panels.page import Page
from panels.state import Key


def pasted_queries(t: Translate) -> list[str]:
    """APNs or addresses pasted in the box or read from an uploaded file, in order."""
    text = st.text_area(t("list.paste"), key=Key.LIST_TEXT, height=140)
    upload = st.file_uploader(t("list.upload"), type=["csv", "txt"], key=Key.LIST_FILE)
    queries = [line.strip() for line in text.splitlines() if line.strip()]
    if upload is not None:
        from geo.cli import read_queries

        with tempfile.TemporaryDirectory(prefix="civicmap-") as folder:
            path = Path(folder) / "list.txt"
            path.write_bytes(upload.getvalue())
            try:
                queries += read_queries(str(path))
            except InputError as exc:
                st.error(exc.for_app())
    return queries


def list_panel(page: Page) -> None:
    """One row per query: the parcel found and its verdict, as a table and a CSV."""
    analysis, index, t = page.analysis, page.index, page.t
    st.markdown(t("list.intro"))
    queries = pasted_queries(t)
    if not queries:
        return
    table = check_table(analysis, index, queries, t)
    found = int((table["verdict"] != "not found").sum())
    st.write(t("list.summary", asked=f"{len(queries):,}", found=f"{found:,}"))
    st.dataframe(localized_table(flat(table), t), hide_index=True, width="stretch")
    st.download_button(
        t("list.download"), csv_bytes(table), "parcel-check.csv", "text/csv", key=Key.LIST_CSV
    )
