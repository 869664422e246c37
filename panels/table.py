"""The table tab: parcels filtered by verdict, owner class, site kind, the zone and text,
with headers in the reader's language, full owner names on demand, a row that opens its
parcel on the map, and CSV and GeoJSON downloads."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Literal

import pandas as pd
import streamlit as st

from geo.explain import localized_table
from geo.export import csv_bytes, flat, parcels_geojson, parcels_table
from geo.i18n import Translate, translator
from geo.policy import OWNER_CLASSES, SITE_KINDS, VERDICTS, Verdict
from geo.privacy import names_state, shown_owner
from layers.publish import site_zip
from panels.changes import changes_section
from panels.page import Page
from panels.state import Key, session

ZONE_CHOICES = ("any", "in", "out")

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


def filter_rows(
    parcels: pd.DataFrame,
    verdicts: Sequence[str],
    owner_classes: Sequence[str] = (),
    site_kinds: Sequence[str] = (),
    zone: str = "any",
    text: str = "",
    owner_names: bool = False,
    t: Translate | None = None,
) -> pd.DataFrame:
    """The parcels of the chosen verdicts (and owner classes and site kinds, when any are
    chosen), in or out of the zone, whose APN, address or owner holds the text (a private
    owner is found by its class's words, never by a hidden name)."""
    keep = parcels["verdict"].isin(list(verdicts))
    if owner_classes:
        keep &= parcels["owner_class"].isin(list(owner_classes))
    if site_kinds:
        keep &= parcels["site_kind"].isin(list(site_kinds))
    if zone in ("in", "out") and "in_free_speech_zone" in parcels:
        keep &= parcels["in_free_speech_zone"].astype(bool) == (zone == "in")
    rows = parcels[keep.to_numpy()]
    text = text.strip().upper()
    if text:
        owner = shown_owner(rows["owner"], rows["owner_class"], owner_names, t or translator("en"))
        blob = rows["apn"] + " " + rows["address"] + " " + owner.astype(str)
        rows = rows[blob.str.upper().str.contains(text, regex=False)]
    return rows


def table_filters(page: Page) -> pd.DataFrame:
    """The filter widgets, and the rows they leave."""
    t = page.t
    verdicts = st.multiselect(
        t("table.verdicts"),
        [v.value for v in VERDICTS],
        default=[Verdict.COVERED.value, Verdict.NEEDS_REVIEW.value],
        format_func=lambda v: t(f"verdict.{v}"),
        key=Key.TABLE_VERDICTS,
    )
    c1, c2, c3 = st.columns(3)
    owners = c1.multiselect(
        t("table.owner_classes"),
        [c.value for c in OWNER_CLASSES],
        format_func=lambda v: t(f"owner_class.{v}"),
        placeholder=t("table.any"),
        key=Key.TABLE_OWNERS,
    )
    sites = c2.multiselect(
        t("table.site_kinds"),
        [k.value for k in SITE_KINDS],
        format_func=lambda v: t(f"site_kind.{v.replace(' ', '_')}"),
        placeholder=t("table.any"),
        key=Key.TABLE_SITES,
    )
    zone = c3.radio(
        t("table.zone"),
        ZONE_CHOICES,
        format_func=lambda v: t(f"table.zone.{v}"),
        horizontal=True,
        key=Key.TABLE_ZONE,
    )
    text = st.text_input(t("table.filter"), key=Key.TABLE_FILTER)
    parcels = page.analysis.parcels
    return filter_rows(parcels, verdicts, owners, sites, str(zone), text, page.owner_names, t)


def shown_table(rows: pd.DataFrame, t: Translate) -> pd.DataFrame:
    """The rows as people read them: their words for codes and yes/no, not checkboxes."""
    table = flat(parcels_table(rows))
    table = table[[c for c in FIRST_COLUMNS if c in table]]  # the verdict first, for phones
    if "in_free_speech_zone" in table:
        table["in_free_speech_zone"] = [
            t("card.yes") if v else t("card.no") for v in table["in_free_speech_zone"]
        ]
    return localized_table(table, t)


def open_row(apns: list[str], map_label: str) -> None:
    """A row was picked: search its APN and switch to the map tab (runs before the rerun)."""
    picked = session.table_selection
    if picked and 0 <= picked[0] < len(apns):
        session.query = apns[picked[0]]
        session.open_tab(map_label)


def table_panel(page: Page) -> None:
    """The filtered parcels; picking a row opens it on the map."""
    analysis, t = page.analysis, page.t
    changes_section(page)  # when the data has a history: what changed since the fetch before
    st.markdown(t("table.intro"))
    rows = table_filters(page)
    st.write(t("table.count", count=f"{len(rows):,}"))
    rows = analysis.explained(rows, t, page.owner_names)
    st.caption(t(f"export.owner_names.{names_state(page.owner_names)}"))
    full = st.toggle(t("table.full_names"), key=Key.TABLE_FULL_NAMES)
    owner_width: Literal["large", "medium"] = "large" if full else "medium"
    st.caption(t("table.pick_row"))
    st.dataframe(
        shown_table(rows, t),
        hide_index=True,
        width="stretch",
        column_config={t("column.owner"): st.column_config.TextColumn(width=owner_width)},
        on_select=partial(open_row, rows["apn"].astype(str).tolist(), t("tab.map")),
        selection_mode="single-row",
        key=Key.TABLE_ROWS,
    )
    c1, c2, c3 = st.columns(3)
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
    c3.download_button(  # the map as a static site, for a news spike (see the README)
        t("table.site"),
        lambda: site_zip(page.analysis, page.profile, page.cited(), page.dataset.source),
        "civic-map-site.zip",
        "application/zip",
        help=t("table.site_help"),
        key=Key.TABLE_SITE,
    )
