"""Ingest: a parcel file in, canonical GeoParquet out, with a summary of what happened.

``civicmap ingest SRC --out FILE.parquet`` reads and validates a source, maps its fields,
classifies it under the profile's default policy and writes GeoParquet with a covering
``bbox`` column (so a region can be read alone). The reader's ``attrs`` (source name and
date, field mapping, report) travel in the file's metadata, so every other command opens
the result directly and much faster than the shapefile.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.atomic import atomic_path, check_writable
from geo.classify import owner_classes
from geo.errors import InputError
from geo.i18n import Translate
from geo.lists import read_query_file
from geo.normalize import apn_keys
from geo.policy.terms import Policy
from geo.privacy import shown_owner
from geo.profile import Profile
from geo.schema import COMMON_FIELDS
from geo.sources import read_field, read_parcels

SUMMARY_COLUMNS = ("owner_class", "site_kind", "verdict")
# Rows per Parquet row group: county files list parcels by APN, whose book and page are
# map sheets, so a row group covers a compact area and a bbox filter can skip the others;
# level 1 zstd compresses these columns as small as the default level, faster.
ROW_GROUP_ROWS = 65_536
# Columns with few distinct values, stored dictionary-encoded; trying a dictionary on the
# others (APNs, names, geometry) costs more time than it saves space.
FEW_VALUES = ("land_use", "land_use_label", "owner_class", "site_kind", "verdict")


def write_geoparquet(frame: gpd.GeoDataFrame, path: str | Path) -> Path:
    """Write canonical parcels as GeoParquet with a covering bbox and our metadata.

    The file appears under its name only once it is whole (:func:`geo.atomic.atomic_path`),
    so a failed or interrupted write never replaces a good file.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        Canonical (optionally classified) parcels with ``attrs`` from the reader.
    path : str or Path
        Where to write (``.parquet``).

    Returns
    -------
    Path
    """
    path = Path(path)
    if path.suffix.lower() not in (".parquet", ".geoparquet"):
        raise InputError.keyed("error.out_parquet", name=path.name)
    out = frame.copy(deep=False)  # geopandas keeps attrs in the file (METADATA_KEY)
    out.attrs = json.loads(json.dumps({**frame.attrs, "ingested": True}, default=str))
    with atomic_path(path) as partial:  # whole or not at all; the old file stays meanwhile
        out.to_parquet(
            partial,
            index=False,
            write_covering_bbox=True,
            compression="zstd",
            compression_level=1,
            row_group_size=ROW_GROUP_ROWS,
            use_dictionary=[c for c in FEW_VALUES if c in out.columns],
        )
    return path


def summary(frame: pd.DataFrame) -> dict[str, object]:
    """What was read and decided: counts to show after loading.

    Parameters
    ----------
    frame : pandas.DataFrame
        Classified parcels with the reader's ``attrs``.

    Returns
    -------
    dict
        ``source``, ``date``, the reader's report (parcels, repaired, null geometry, blank
        and duplicate APNs) and counts by owner class, site kind and verdict.
    """
    out: dict[str, object] = {
        "source": frame.attrs.get("source_name", ""),
        "date": frame.attrs.get("source_date", ""),
        **frame.attrs.get("report", {"parcels": len(frame)}),
    }
    for column in SUMMARY_COLUMNS:
        if column in frame:
            out[f"by_{column}"] = {str(k): int(v) for k, v in frame[column].value_counts().items()}
    return out


def format_summary(info: dict[str, object]) -> str:
    """:func:`summary` as lines of text for the terminal.

    Parameters
    ----------
    info : dict

    Returns
    -------
    str
    """
    lines = [f"source: {info.get('source')} ({info.get('date')})"]
    for key in ("parcels", "repaired", "null_geometry", "blank_apn", "duplicate_apn"):
        if key in info:
            lines.append(f"{key.replace('_', ' ')}: {int(info[key]):,}")  # type: ignore[call-overload]
    for column in SUMMARY_COLUMNS:
        counts = info.get(f"by_{column}")
        if isinstance(counts, dict):
            parts = ", ".join(f"{k} {v:,}" for k, v in counts.items())
            lines.append(f"by {column.replace('_', ' ')}: {parts}")
    return "\n".join(lines) + "\n"


def read_city_list(path: str | Path, profile: Profile) -> frozenset[str]:
    """Read a city property list: APNs whose parcels the city owns.

    Parameters
    ----------
    path : str or Path
        A list read by :func:`geo.lists.read_query_file` (CSV, TSV, ``.xlsx`` or one APN a
        line, in any usual encoding; the APN column found by its header or its values) or
        any map layer with an APN field.
    profile : Profile
        Used to find the APN field of a layer.

    Returns
    -------
    frozenset of str
        Every normalised key of every listed APN.

    Raises
    ------
    InputError
        When the file cannot be read or lists no APN.
    """
    path = Path(path)
    if not path.exists():
        raise InputError.keyed("error.ingest.city_list_not_found", path=str(path))
    if path.suffix.lower() in (".csv", ".txt", ".tsv", ".xlsx"):
        values = read_query_file(path, apn_only=True).queries
    else:
        layer = read_parcels(path, profile)
        values = layer["apn"].tolist()
    keys = frozenset(k for v in values for k in apn_keys(v))
    if not keys:
        raise InputError.keyed("error.ingest.city_list_empty", name=path.name)
    return keys


def field_values(path: str | Path, field: str, profile: Profile) -> pd.Series:
    """The distinct values of one field of a source, with counts, most common first.

    Parameters
    ----------
    path : str or Path
        Any parcel source.
    field : str
        A source field name (``LANDUSE``) or a canonical column (``land_use``).
    profile : Profile

    Returns
    -------
    pandas.Series
        Counts indexed by value (blank values shown as ``"(blank)"``).
    """
    return _blanks_labelled(read_field(Path(path), field, profile)).value_counts()


def _blanks_labelled(values: pd.Series) -> pd.Series:
    """The values as stripped text, a missing or blank one as ``"(blank)"``."""
    return values.fillna("").astype(str).str.strip().replace("", "(blank)")


def land_use_values(
    path: str | Path, field: str, profile: Profile, policy: Policy | None = None
) -> pd.DataFrame | None:
    """A source's land-use codes with their descriptions, parcel counts and site kinds.

    Parameters
    ----------
    path : str or Path
        Any parcel source.
    field : str
        ``land_use`` or the source's land-use field (``LANDUSE``).
    profile : Profile
    policy : Policy, optional
        Whose land-use entries give the ``site_kind`` column (the profile's default).

    Returns
    -------
    pandas.DataFrame or None
        Columns ``value, description, parcels, site_kind`` (see
        :func:`geo.landuse.code_table`); None when ``field`` is not the land-use field.
    """
    from geo.landuse import code_table

    frame = _read_if_field_of(path, field, profile, "land_use")
    if frame is None:
        return None
    terms = policy or profile.policy_version()
    return code_table(frame["land_use"], frame["land_use_label"], terms.site_entries())


def owner_values(
    path: str | Path,
    field: str,
    profile: Profile,
    names_on: bool,
    t: Translate | None = None,
    policy: Policy | None = None,
) -> pd.DataFrame | None:
    """A source's owners with their class and parcel counts, private owners unnamed.

    Parameters
    ----------
    path : str or Path
        Any parcel source.
    field : str
        ``owner`` or the source's owner field (``NAME``).
    profile : Profile
    names_on : bool
        List private owners by name too (else they are one row, "private owner").
    t : Translate, optional
        The reader's catalog, for that row's words.
    policy : Policy, optional
        Whose owner names count as the city (the profile's default version).

    Returns
    -------
    pandas.DataFrame or None
        Columns ``value, owner_class, parcels``, most parcels first (the rows a profile's
        author reads to see which spellings count as the city); None when ``field`` is not
        the owner field.
    """
    frame = _read_if_field_of(path, field, profile, "owner")
    if frame is None:
        return None
    classes, _ = owner_classes(frame["owner"], policy or profile.policy_version())
    shown = shown_owner(frame["owner"], classes, names_on, t)
    table = pd.DataFrame({"value": _blanks_labelled(shown), "owner_class": classes})
    counts = table.value_counts(sort=True).rename("parcels").reset_index()
    return counts.sort_values(["parcels", "value"], ascending=[False, True], ignore_index=True)


def _read_if_field_of(
    path: str | Path, field: str, profile: Profile, role: str
) -> gpd.GeoDataFrame | None:
    """The source's parcels when ``field`` names the canonical ``role`` or the source field
    that fed it; None (without a read where the name cannot be it) otherwise."""
    names = {n.upper() for n in (*profile.fields.get(role, ()), *COMMON_FIELDS[role])}
    if field.lower() != role and field.upper() not in names:
        return None
    frame = read_parcels(path, profile)
    source = str(frame.attrs.get("source_fields", {}).get(role, ""))
    if field.lower() != role and field.upper() != source.upper():
        return None
    return frame


def ingest(
    src: str | Path,
    profile: Profile,
    out: str | Path,
    policy: Policy | None = None,
    **read_options: object,
) -> gpd.GeoDataFrame:
    """Read, validate, classify and write canonical GeoParquet.

    Parameters
    ----------
    src : str or Path
        The source parcel file.
    profile : Profile
    out : str or Path
        The ``.parquet`` to write.
    policy : Policy, optional
        The terms to classify under (the profile's default version when omitted).
    **read_options
        Passed to :func:`geo.sources.read_parcels` (``field_overrides``, ``crs``,
        ``progress``).

    Returns
    -------
    geopandas.GeoDataFrame
        The classified parcels that were written.
    """
    if Path(out).suffix.lower() not in (".parquet", ".geoparquet"):  # before the long read
        raise InputError.keyed("error.out_parquet", name=Path(out).name)
    check_writable(out)  # a missing or read-only folder is found before the long read
    frame = read_parcels(src, profile, **read_options)  # type: ignore[arg-type]
    return classify_and_write(frame, profile, out, policy)


def classify_and_write(
    frame: gpd.GeoDataFrame, profile: Profile, out: str | Path, policy: Policy | None = None
) -> gpd.GeoDataFrame:
    """Classify canonical parcels and write them as GeoParquet (what ``ingest`` writes).

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        Canonical parcels with the reader's ``attrs`` (kept in the file's metadata).
    profile : Profile
    out : str or Path
        The ``.parquet`` to write.
    policy : Policy, optional
        The terms to classify under (the profile's default version when omitted).

    Returns
    -------
    geopandas.GeoDataFrame
        The classified parcels that were written.
    """
    from geo.classify import classify

    # reasons are rebuilt whenever the file is opened, so they are not stored
    classified = classify(frame, policy or profile.policy_version(), reasons=False)
    classified.attrs = dict(frame.attrs)
    write_geoparquet(classified, out)
    return classified
