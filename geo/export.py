"""Exports: tables and parcels as self-contained CSV and GeoJSON files, with reasons."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd

from geo.analysis import CHECK_COLUMNS
from geo.explain import joined, reason_list
from geo.provenance import Provenance
from geo.safe_text import neutralise_formulas

EXPORT_COLUMNS = tuple(c for c in CHECK_COLUMNS if c != "query")


def csv_bytes(table: pd.DataFrame, cited: Provenance | None = None) -> bytes:
    """A table as UTF-8 CSV (with a byte-order mark so spreadsheet programs read accents).

    Text cells that a spreadsheet would run as a formula (starting ``= + - @``, tab or
    carriage return) get a leading ``'``; numbers are written as they are.

    Parameters
    ----------
    table : pandas.DataFrame
    cited : Provenance, optional
        Which policy, data and time the rows rest on: added as columns saying so
        (``policy_version``, ``policy_terms``, ``data_source``, ``data_date``, ...).

    Returns
    -------
    bytes
    """
    stamped = cited.stamped(table) if cited is not None else table
    return (
        neutralise_formulas(flat(stamped))
        .to_csv(index=False, lineterminator="\n")
        .encode("utf-8-sig")
    )


def flat(table: pd.DataFrame) -> pd.DataFrame:
    """A table whose list cells (reasons) are joined into one text each, for CSV."""
    out = table.copy()
    for column in out.columns:
        if column.startswith("reasons"):
            out[column] = [joined(v) for v in out[column]]
    return out


def parcels_geojson(parcels: gpd.GeoDataFrame, cited: Provenance | None = None) -> bytes:
    """Analysed parcels as GeoJSON (EPSG:4326) with their verdicts and reasons.

    Parameters
    ----------
    parcels : geopandas.GeoDataFrame
        Rows of :attr:`geo.analysis.Analysis.parcels`.
    cited : Provenance, optional
        Which policy, data and time they rest on: a top-level ``provenance`` object.

    Returns
    -------
    bytes
    """
    columns = [c for c in EXPORT_COLUMNS if c in parcels]
    frame = parcels[columns + ["geometry"]].copy()
    if "owner_names" in parcels.attrs:
        frame["owner_names"] = parcels.attrs["owner_names"]
    if "reasons" in frame:
        frame["reasons"] = [reason_list(v) for v in frame["reasons"]]
    if frame.crs is not None:
        frame = frame.to_crs("EPSG:4326")
    text = frame.to_json(drop_id=True, ensure_ascii=False)
    if cited is None:
        return text.encode("utf-8")
    collection = json.loads(text)
    collection["provenance"] = cited.as_dict()  # a foreign member, as RFC 7946 allows
    return json.dumps(collection, ensure_ascii=False).encode("utf-8")


def parcels_table(parcels: pd.DataFrame) -> pd.DataFrame:
    """The export columns of analysed parcels, as a plain table.

    Parameters
    ----------
    parcels : pandas.DataFrame
        With ``attrs["owner_names"]`` (from :meth:`geo.analysis.Analysis.explained`), the
        table ends with an ``owner_names`` column saying ``shown`` or ``hidden``.

    Returns
    -------
    pandas.DataFrame
    """
    columns = [c for c in EXPORT_COLUMNS if c in parcels]
    table = pd.DataFrame({c: parcels[c].to_numpy() for c in columns})
    if "owner_names" in parcels.attrs:  # which owner names the file holds (geo.privacy)
        table["owner_names"] = parcels.attrs["owner_names"]
    return table
