"""The list tab: check many parcels at once, pasted or from a file in any shape."""

from __future__ import annotations

import streamlit as st

from geo.analysis import check_table
from geo.errors import InputError
from geo.explain import localized_table
from geo.export import csv_bytes, flat
from geo.i18n import Translate
from geo.lists import QueryList, combined, read_query_list
from geo.safe_text import md_escape
from panels.page import Page
from panels.state import Key

LIST_TYPES = ["csv", "tsv", "txt", "xlsx"]


def uploaded_list(t: Translate) -> QueryList | None:
    """The uploaded list, read whatever its encoding and shape (None when none or refused)."""
    upload = st.file_uploader(t("list.upload"), type=LIST_TYPES, key=Key.LIST_FILE)
    if upload is None:
        return None
    try:
        listed = read_query_list(upload.getvalue(), upload.name)
    except InputError as exc:
        st.error(md_escape(exc.for_app(t)))
        return None
    st.caption(how_read(listed, t))  # column names escaped inside
    return listed


def how_read(listed: QueryList, t: Translate) -> str:
    """Say, in the reader's language, how a list was read and which column was used."""
    parts = [t(f"list.format.{listed.format}")]
    if listed.encoding:
        parts.append(listed.encoding_name)
    text = t("list.read", how=", ".join(parts), count=f"{len(listed.queries):,}")
    if listed.column is not None:
        by = t(f"list.by.{listed.found_by.replace(' ', '_')}") if listed.found_by else ""
        text += " " + t("list.column", column=md_escape(listed.column), by=by).strip()
    if len(listed.extra.columns):
        kept = ", ".join(md_escape(c) for c in listed.extra.columns)
        text += " " + t("list.kept", columns=kept)
    return text


def list_panel(page: Page) -> None:
    """One row per query: the parcel found and its verdict, as a table and a CSV."""
    analysis, index, t = page.analysis, page.index, page.t
    st.markdown(t("list.intro"))
    text = st.text_area(t("list.paste"), key=Key.LIST_TEXT, height=140)
    typed = [line.strip() for line in text.splitlines() if line.strip()]
    queries, extra = combined(typed, uploaded_list(t))
    if not queries:
        return
    table = check_table(analysis, index, queries, extra, t)
    found = int((table["verdict"] != "not found").sum())
    st.write(t("list.summary", asked=f"{len(queries):,}", found=f"{found:,}"))
    st.dataframe(localized_table(flat(table), t), hide_index=True, width="stretch")
    st.download_button(
        t("list.download"),
        csv_bytes(table, page.cited()),
        "parcel-check.csv",
        "text/csv",
        key=Key.LIST_CSV,
    )
