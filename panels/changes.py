"""The table tab's section "changed since the previous fetch", when a history exists.

The parcels whose owner, land use or shape changed, that appeared, went away, or were split
or merged between the two newest fetches of the layer on the map, the verdict flips first,
under the settings in force. Computed once per pair of fetches and settings
(:func:`panels.loaders.get_changes`) and shared by every session.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from geo.changes import Changes, changes_text_table
from geo.export import csv_bytes
from geo.history import latest_pair
from geo.i18n import Translate
from panels.loaders import get_changes
from panels.page import Page
from panels.state import Key


def pair_key(old: Path, new: Path) -> str:
    """What the comparison depends on: the two files and when they were written."""
    return "|".join(f"{p}:{p.stat().st_mtime_ns}" for p in (old, new))


def page_changes(page: Page) -> Changes | None:
    """The changes between the two newest fetches of the data on the map (None without)."""
    folder = page.dataset.history
    if folder is None:
        return None
    try:
        old, new = latest_pair(folder)
        key = pair_key(old, new)
    except (ValueError, OSError):  # fewer than two, or one removed meanwhile
        return None
    return get_changes(
        key, page.settings_key, page.lang, page.owner_names, str(old), str(new),
        page.profile, page.policy,
    )  # fmt: skip


def intro(changes: Changes, t: Translate) -> str:
    """How many parcels changed and flipped, between which as-of dates."""
    before = str(changes.before.get("source_date", "")) or "?"
    after = str(changes.after.get("source_date", "")) or "?"
    if changes.table.empty:
        return t("changes.none", before=before, after=after)
    parcels, flipped = f"{len(changes.table):,}", f"{changes.flips:,}"
    return t("changes.intro", parcels=parcels, flipped=flipped, before=before, after=after)


def changes_section(page: Page) -> None:
    """The changed parcels since the previous fetch (verdict flips first), and their CSV."""
    changes = page_changes(page)
    if changes is None:
        return
    t = page.t
    st.subheader(t("changes.header"))
    st.markdown(intro(changes, t))
    if changes.table.empty:
        return
    shown = changes_text_table(changes.table, t)
    flipped = pd.Series(changes.flipped, index=shown.index)
    shown.insert(0, t("changes.flipped"), [t("card.yes") if f else "" for f in flipped])
    st.dataframe(shown, hide_index=True, width="stretch")
    st.download_button(
        t("changes.csv"),
        lambda: csv_bytes(changes.table, page.cited()),
        "changes-since-previous-fetch.csv",
        "text/csv",
        key=Key.CHANGES_CSV,
    )
