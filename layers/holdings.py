"""What an offline map holds: every covered and needs-review parcel, and those near the landmark.

The offline map (``civicmap map``, the app's download) cannot ask a server for more parcels,
so it carries every parcel that any answer depends on (covered and needs review, across the
whole data) and every parcel within the walking distance of the landmark, and it says so in
the page, with a list of its covered and needs-review parcels to search.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from geo.analysis import Analysis
from geo.explain import Translate
from layers.elements import FileScript, as_text
from layers.static_files import js_call, to_json
from layers.style import category_keys


def offline_rows(analysis: Analysis, within_m: float) -> np.ndarray:
    """Row positions an offline map holds: covered or needs review, or within the distance.

    Parameters
    ----------
    analysis : Analysis
    within_m : float
        Walking distance from the landmark, in metres.

    Returns
    -------
    numpy.ndarray
    """
    parcels = analysis.parcels
    flagged = category_keys(parcels).to_numpy() != "not_covered"
    near = parcels["distance_to_landmark_m"].to_numpy() <= within_m
    return np.flatnonzero(flagged | near)


def _coordinate(value: float) -> float | None:
    """A degree rounded to about 10 cm, or None for a parcel without a shape."""
    return round(float(value), 6) if np.isfinite(value) else None


class HoldingsList(FileScript):
    """A control saying what the offline map holds, with its flagged parcels to search.

    Parameters
    ----------
    parcels : pandas.DataFrame
        The parcels the map holds (``apn, address, verdict``, raw text: it is written with
        ``textContent``); those that are covered or need review are listed.
    geoms : numpy.ndarray
        The same rows' shapes in EPSG:4326 (where a row's button moves the map).
    summary : str
        What the file holds (plain text).
    t : callable
        Translator for the control's words.
    """

    def __init__(
        self, parcels: pd.DataFrame, geoms: np.ndarray, summary: str, t: Translate
    ) -> None:
        super().__init__()
        self._name = "HoldingsList"
        listed = (category_keys(parcels) != "not_covered").to_numpy()
        points = shapely.point_on_surface(geoms[listed])
        lon, lat = shapely.get_x(points), shapely.get_y(points)
        chosen = parcels[listed]
        verdicts = [t(f"verdict.{v}") for v in chosen["verdict"].astype(str)]
        self.rows = [
            [as_text(a), as_text(b), v, _coordinate(y), _coordinate(x)]
            for a, b, v, y, x in zip(
                chosen["apn"], chosen["address"], verdicts, lat, lon, strict=True
            )
        ]
        self.words = {
            "summary": summary,
            "title": t("offline.list_title", count=f"{len(self.rows):,}"),
            "placeholder": t("offline.search"),
            "none": t("offline.no_match"),
        }

    def script_text(self) -> str:
        """``offline_holdings.js`` and its call with the rows and words."""
        options = {"position": "topright", **self.words, "rows": self.rows}
        return js_call(
            "offline_holdings.js", "cmHoldings", (self.parent_name(),), (to_json(options),)
        )


def holdings_summary(
    analysis: Analysis, positions: np.ndarray, within_m: float, t: Translate
) -> str:
    """What an offline map holds, in words: its flagged parcels, the area near the landmark."""
    parcels = analysis.parcels
    flagged = int((category_keys(parcels) != "not_covered").sum())
    near = int((parcels["distance_to_landmark_m"].to_numpy() <= within_m).sum())
    return t(
        "offline.holds",
        flagged=f"{flagged:,}",
        near=f"{near:,}",
        within=f"{within_m:,.0f}",
        landmark=analysis.zone.landmark.landmark.name,
        rest=f"{len(parcels) - len(positions):,}",
    )
