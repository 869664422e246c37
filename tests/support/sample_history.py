"""A history folder (:mod:`geo.history`) of two fetches of the bundled sample, made offline.

The first snapshot is the sample in the county's schema (``arcgis_standin.county_parcels``),
the second the same layer after a month of edits (``layer_edits.a_month_later``), so what
changed is :data:`layer_edits.EXPECTED` and the flips :data:`layer_edits.FLIPS`. Each is
written as a fetch writes it (``incoming.parquet``, then filed under its dated name).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from arcgis_standin import LAYER_NAME, county_parcels
from layer_edits import a_month_later

from geo import history
from geo.ingest import classify_and_write
from geo.profile import Profile
from geo.sources import canonical_from_layer

DATES = ("2025-12-01", "2025-12-31")  # the layer's as-of dates, before and after the edits


def sample_history(folder: Path, profile: Profile) -> Path:
    """Write the two snapshots into ``folder`` (made if need be) and return it."""
    history.prepare(folder)
    layer = county_parcels()
    for frame, date in zip((layer, a_month_later(layer)), DATES, strict=True):
        when = dt.datetime.fromisoformat(date).replace(hour=12, tzinfo=dt.UTC)
        parcels = canonical_from_layer(frame, profile, LAYER_NAME, date)
        parcels.attrs["fetch"] = {"last_edit_date": date, "fetched_at": when.isoformat()}
        incoming = history.incoming_path(folder)
        classify_and_write(parcels, profile, incoming)
        history.file_snapshot(folder, incoming)  # under the fetch's time, as a fetch is
    return folder
