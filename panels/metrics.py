"""The headline numbers: parcels by verdict and in the free speech zone."""

from __future__ import annotations

from typing import Any

import streamlit as st

from geo.classify import VERDICTS
from geo.i18n import Translate
from panels.state import Key


def verdict_metrics(info: dict[str, Any], t: Translate) -> None:
    """One metric per verdict, and the parcels in the zone."""
    counts = info.get("by_verdict", {})
    with st.container(key=Key.METRICS_BOX):
        cols = st.columns(len(VERDICTS) + 1)
        for col, verdict in zip(cols, VERDICTS, strict=False):
            col.metric(t(f"verdict.{verdict}"), f"{int(counts.get(verdict, 0)):,}")
        cols[-1].metric(t("metric.in_zone"), f"{int(info['in_zone']):,}")
