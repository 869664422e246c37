"""The lot and garage pickers' options: the data's land-use codes with their descriptions
and counts, and the profile's patterns (``BFH*``) and codes kept even when the data lacks
them, so the policy's own terms survive a change of file."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd
import streamlit as st

from geo.i18n import Translate
from geo.landuse import WILDCARD, code_table, matches_any, normalize_code
from geo.profile import Profile


@dataclass(frozen=True)
class CodeOptions:
    """The options of the land-use pickers and how each one reads."""

    codes: tuple[str, ...]
    descriptions: dict[str, str]
    counts: dict[str, int]
    land_use: pd.Series
    labels: pd.Series
    matched: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    def options(self, kept: Sequence[str]) -> list[str]:
        """The data's codes (most parcels first), then the kept entries it lacks."""
        extra = [k for k in dict.fromkeys(kept) if k not in self.counts]
        return [*self.codes, *extra]

    def table(self) -> pd.DataFrame:
        """Code, description and parcel count of every code in the data."""
        return pd.DataFrame(
            {
                "code": list(self.codes),
                "description": [self.descriptions.get(c, "") for c in self.codes],
                "parcels": [self.counts[c] for c in self.codes],
            }
        ).set_index("code")

    def parcels_matching(self, entry: str) -> int:
        """How many parcels a pattern or description entry matches (counted once a file)."""
        if entry not in self.matched:
            self.matched[entry] = int(matches_any(self.land_use, [entry], self.labels).sum())
        return self.matched[entry]

    def formatter(self, profile: Profile, lang: str, t: Translate) -> Callable[[str], str]:
        """Each option as the picker shows it: code, description, parcel count."""

        def show(entry: str) -> str:
            if entry in self.counts:
                label = profile.land_use_label(entry, lang) or self.descriptions.get(entry, "")
                count = f"{self.counts[entry]:,}"
                return t("policy.code_option", code=entry, label=label or "–", count=count)
            count = f"{self.parcels_matching(entry):,}"
            if normalize_code(entry).endswith(WILDCARD):
                return t("policy.code_pattern", code=entry, count=count)
            return t("policy.code_absent", code=entry, count=count)

        return show


@st.cache_resource(show_spinner=False, max_entries=4)
def code_options(data_key: str, _parcels: gpd.GeoDataFrame) -> CodeOptions:
    """The data's distinct land-use codes, descriptions and counts (computed once a file)."""
    land_use = _parcels["land_use"].fillna("").astype(str)
    labels = (
        _parcels["land_use_label"].fillna("").astype(str)
        if "land_use_label" in _parcels
        else pd.Series("", index=_parcels.index)
    )
    table = code_table(land_use, labels)
    table = table[table["value"] != "(blank)"]
    counts = table.groupby("value", sort=False)["parcels"].sum().to_dict()
    descriptions = {
        str(v): str(d) for v, d in zip(table["value"], table["description"], strict=True) if d
    }
    codes = tuple(str(v) for v in counts)
    return CodeOptions(
        codes, descriptions, {str(k): int(v) for k, v in counts.items()}, land_use, labels
    )


def data_key_of(parcels: gpd.GeoDataFrame) -> str:
    """What a parcel frame's options depend on (its source, size and object)."""
    return f"{parcels.attrs.get('source_name', '')}|{len(parcels)}|{id(parcels)}"
