"""What every tab of one run shares: the data, the settings and what was decided."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from geo.analysis import Analysis
from geo.errors import InputError
from geo.i18n import Translate
from geo.lookup import ParcelIndex
from geo.policy.terms import Policy
from geo.profile import Profile
from geo.provenance import Provenance, provenance
from geo.safe_text import md_escape
from panels.dataset import Dataset
from panels.loaders import (
    get_analysis,
    get_categories,
    get_explained,
    get_index,
    get_landmarks,
    get_owner_index,
)


@dataclass(frozen=True)
class Page:
    """One run of the app, after the sidebar.

    Attributes
    ----------
    settings_key : str
        What the analysis depends on besides the data (cache key).
    show : dict
        Which layers the map draws (``not_covered``, ``streets``, ``basemap``).
    owner_names : bool
        Whether private owners are named (see :mod:`geo.privacy`).
    """

    profile: Profile
    dataset: Dataset
    policy: Policy
    distance: float
    settings_key: str
    analysis: Analysis
    index: ParcelIndex
    categories: np.ndarray
    show: dict[str, bool]
    lang: str
    t: Translate
    owner_names: bool = False

    def explained(self, positions: tuple[int, ...]) -> pd.DataFrame:
        """These parcels' rows with their reasons in the reader's language (shared)."""
        return get_explained(
            self.dataset.key, self.settings_key, self.lang, self.owner_names, positions,
            self.analysis,
        )  # fmt: skip

    def cited(self) -> Provenance:
        """Which policy, terms, data and time this page's answers rest on."""
        source, basis = self.dataset.source, self.dataset.date_basis
        return provenance(self.profile, self.policy, self.distance, source, basis=basis)


def build_page(
    profile: Profile,
    dataset: Dataset,
    policy: Policy,
    distance: float,
    show: dict[str, bool],
    lang: str,
    t: Translate,
    owner_names: bool = False,
) -> Page:
    """Analyse the data under the settings (cached); a refused setting stops the run."""
    settings_key = f"{policy.key}|{distance}"
    parcels, data_key = dataset.parcels, dataset.key
    landmarks = get_landmarks(data_key, parcels, profile)
    try:
        analysis = get_analysis(
            data_key, settings_key, parcels, profile, policy, distance, landmarks
        )
    except InputError as exc:
        st.error(md_escape(exc.for_app(t)))
        st.stop()
    return Page(
        profile=profile,
        dataset=dataset,
        policy=policy,
        distance=distance,
        settings_key=settings_key,
        analysis=analysis,
        index=get_owner_index(
            data_key, settings_key, get_index(data_key, parcels, profile), analysis
        ),
        categories=get_categories(data_key, settings_key, analysis),
        show=show,
        lang=lang,
        t=t,
        owner_names=owner_names,
    )
