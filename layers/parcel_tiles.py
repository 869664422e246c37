"""Parcels drawn in the browser from a dataset's vector tiles, coloured by parcel id.

The base map carries a MapLibre GL layer over the PMTiles archive (``static/app/
parcel_tiles.js``); the colours of the current settings travel on their own, as lists of
parcel ids per category (``static/app/tile_paint.js``), so a changed setting repaints the
map without rebuilding the tiles or sending any geometry, and panning never asks the server.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import folium
import numpy as np

from geo.i18n import Translate
from geo.policy import Category as Code
from geo.tiles import OTHER_MIN_ZOOM
from layers.elements import FileScript
from layers.legend import legend_count
from layers.static_files import js_call, to_json
from layers.style import CATEGORIES

# MapLibre's zoom (one less than Leaflet's) from which the parcels no setting can cover are
# drawn: a neighbourhood. Below it the map shows the city's parcels alone, as a county view
# needs (every one of them, at every zoom), and reads none of the other layer's tiles.
OTHERS_FROM_ZOOM = OTHER_MIN_ZOOM  # the archive has no other parcels below it


@dataclass(frozen=True)
class TileSource:
    """Where a dataset's archive is served and the names of its two layers."""

    url: str
    city_layer: str
    other_layer: str


@dataclass(frozen=True)
class TileLayer:
    """The tiles a map draws its parcels from, and whether "not covered" ones are shown."""

    source: TileSource
    show_others: bool = True


class ParcelTiles(FileScript):
    """The MapLibre GL layer of every parcel, added to a Leaflet map."""

    def __init__(self, source: TileSource, vendor_url: str, show_others: bool, t: Translate):
        super().__init__()
        self._name = "ParcelTiles"
        keys = [c.key for c in CATEGORIES]
        self.options = {
            "vendor": vendor_url,
            "tiles": source.url,
            "layers": {"city": source.city_layer, "other": source.other_layer},
            "fills": [c.fill for c in CATEGORIES],
            "strokes": [c.stroke for c in CATEGORIES],
            "notCovered": keys.index(Code.NOT_COVERED.value),
            "showOthers": show_others,
            "othersFrom": OTHERS_FROM_ZOOM,
            "words": {
                "verdicts": [t(f"category.{key}") for key in keys],
                "why": t("card.why_panel"),
                "failed": t("map.tiles_failed"),
            },
        }

    def script_text(self) -> str:
        """The tiles layer's code and its call."""
        return js_call(
            "parcel_tiles.js", "cmParcelTiles", [self.parent_name()], [to_json(self.options)]
        )


class TilePaint(FileScript):
    """The colours of every parcel for one set of settings, as feature-state."""

    def __init__(self, codes: dict[str, object]) -> None:
        super().__init__()
        self._name = "TilePaint"
        self.codes = codes

    def script_text(self) -> str:
        """The paint call."""
        return js_call("tile_paint.js", "cmPaintTiles", [self.parent_name()], [to_json(self.codes)])


def paint_codes(categories: np.ndarray, counts: dict[str, int]) -> dict[str, object]:
    """The parcel ids of each category but "not covered", and the legend's counts.

    Parameters
    ----------
    categories : numpy.ndarray
        The category key of every parcel, by row (:func:`layers.style.category_keys`).
    counts : dict
        Category key to the number of parcels, for the legend.

    Returns
    -------
    dict
        ``{stamp, categories, rows, counts}`` for ``static/app/tile_paint.js``.
    """
    keys = [c.key for c in CATEGORIES]
    listed = [k for k in keys if k != Code.NOT_COVERED.value]
    rows = [np.flatnonzero(categories == key).tolist() for key in listed]
    stamp = hashlib.blake2b(repr(rows).encode(), digest_size=6).hexdigest()
    return {
        "stamp": stamp,
        "categories": [keys.index(k) for k in listed],
        "rows": rows,
        "counts": {key: legend_count(counts, key) for key in keys},
    }


def tile_paint_group(codes: dict[str, object], name: str) -> folium.FeatureGroup:
    """A feature group holding only the paint of the current settings."""
    group = folium.FeatureGroup(name=name, control=False)
    TilePaint(codes).add_to(group)
    return group
