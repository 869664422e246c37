"""How verdicts look: categories, colours (Okabe-Ito, colour-blind safe) and plain words.

Colour is never the only cue: each category also has its own outline (weight and dash
pattern) and every label says it in words.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Category:
    """One map category of parcels."""

    key: str
    label: str
    meaning: str
    fill: str
    stroke: str
    weight: float
    dash: str | None
    fill_opacity: float


CITY_LOT_GARAGE = Category(
    "city_lot_garage",
    "City lot or garage: staging barred",
    "A city-owned parking lot or garage. The proposal bars its use as a staging area.",
    fill="#D55E00",
    stroke="#7A2E00",
    weight=2.5,
    dash=None,
    fill_opacity=0.8,
)
CITY_OTHER = Category(
    "city_other",
    "Other city property: staging barred",
    "Other city-owned property. The proposal bars its use as a staging area.",
    fill="#0072B2",
    stroke="#003A5C",
    weight=1.5,
    dash=None,
    fill_opacity=0.65,
)
REVIEW = Category(
    "review",
    "Needs review: owner unclear",
    "We cannot tell from the data who owns it. A person should check.",
    fill="#F0E442",
    stroke="#5C5400",
    weight=2.0,
    dash="6 4",
    fill_opacity=0.8,
)
NOT_COVERED = Category(
    "not_covered",
    "Not covered",
    "Not city property (or outside this policy version). The proposal does not apply.",
    fill="#BDBDBD",
    stroke="#757575",
    weight=0.6,
    dash=None,
    fill_opacity=0.35,
)
CATEGORIES = (CITY_LOT_GARAGE, CITY_OTHER, REVIEW, NOT_COVERED)
BY_KEY = {c.key: c for c in CATEGORIES}

ZONE_COLOUR = "#009E73"
LANDMARK_COLOUR = "#000000"
HIGHLIGHT_COLOUR = "#CC79A7"

VERDICT_WORDS = {
    "covered": "Covered: staging barred here",
    "needs review": "Needs review",
    "not covered": "Not covered",
}


def category_keys(classified: pd.DataFrame) -> pd.Series:
    """The map category of each classified parcel.

    Parameters
    ----------
    classified : pandas.DataFrame
        With ``verdict`` and ``site_kind`` columns.

    Returns
    -------
    pandas.Series
        Category keys (see :data:`CATEGORIES`).
    """
    verdict = classified["verdict"].to_numpy()
    parking = classified["site_kind"].isin(["parking lot", "parking garage"]).to_numpy()
    keys = np.select(
        [(verdict == "covered") & parking, verdict == "covered", verdict == "needs review"],
        [CITY_LOT_GARAGE.key, CITY_OTHER.key, REVIEW.key],
        default=NOT_COVERED.key,
    )
    return pd.Series(keys, index=classified.index, dtype=object)


def leaflet_style(category: Category) -> dict[str, object]:
    """Leaflet path options for a category.

    Parameters
    ----------
    category : Category

    Returns
    -------
    dict
    """
    style: dict[str, object] = {
        "fillColor": category.fill,
        "color": category.stroke,
        "weight": category.weight,
        "fillOpacity": category.fill_opacity,
        "opacity": 0.9,
    }
    if category.dash:
        style["dashArray"] = category.dash
    return style
