"""How the policy core's map categories look: colours (Okabe-Ito, colour-blind safe) and lines.

Colour is never the only cue: each category also has its own outline (weight and dash
pattern), and its words come from the catalogs (``category.<key>``).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from geo.policy import Category as Code
from geo.policy import category_of


@dataclass(frozen=True)
class Category:
    """One map category of parcels."""

    key: str
    fill: str
    stroke: str
    weight: float
    dash: str | None
    fill_opacity: float


CITY_LOT_GARAGE = Category(
    Code.CITY_LOT_GARAGE.value,
    fill="#D55E00",
    stroke="#7A2E00",
    weight=2.5,
    dash=None,
    fill_opacity=0.8,
)
CITY_OTHER = Category(
    Code.CITY_OTHER.value,
    fill="#0072B2",
    stroke="#003A5C",
    weight=1.5,
    dash=None,
    fill_opacity=0.65,
)
REVIEW = Category(
    Code.REVIEW.value,
    fill="#F0E442",
    stroke="#5C5400",
    weight=2.0,
    dash="6 4",
    fill_opacity=0.8,
)
NOT_COVERED = Category(
    Code.NOT_COVERED.value,
    fill="#BDBDBD",
    stroke="#757575",
    weight=0.6,
    dash=None,
    fill_opacity=0.35,
)
CATEGORIES = (CITY_LOT_GARAGE, CITY_OTHER, REVIEW, NOT_COVERED)  # in the core's order
BY_KEY = {c.key: c for c in CATEGORIES}

ZONE_COLOUR = "#009E73"
LANDMARK_COLOUR = "#000000"
HIGHLIGHT_COLOUR = "#CC79A7"
# places to assemble never share the zone's style: a solid, thick indigo outline
PLACE_COLOUR = "#332288"
PLACE_WEIGHT = 3.5
RING_COLOUR = "#555555"
RING_DASH = "4 4"


def category_keys(classified: pd.DataFrame) -> pd.Series:
    """The map category of each classified parcel, as the policy core decided it.

    Parameters
    ----------
    classified : pandas.DataFrame
        With the ``category`` column of :func:`geo.classify.classify`, or ``verdict`` and
        ``site_kind`` (rows from elsewhere, decided by :func:`geo.policy.category_of`).

    Returns
    -------
    pandas.Series
        Category keys (see :data:`CATEGORIES`).
    """
    if "category" in classified:
        return pd.Series(classified["category"].to_numpy(), index=classified.index, dtype=object)
    keys = [
        category_of(v, k).value
        for v, k in zip(classified["verdict"], classified["site_kind"], strict=True)
    ]
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
