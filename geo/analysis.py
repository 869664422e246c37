"""One call from canonical parcels to everything the map and the checks need.

The app and the command line both go through :func:`analyse` and :func:`check_table`, so
for the same file, profile and settings they give the same answers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.classify import classify
from geo.i18n import Translate, translator
from geo.lookup import ParcelIndex
from geo.policy.terms import Policy
from geo.privacy import names_state, private_view
from geo.profile import Profile, ZoneSpec
from geo.zone import (
    LocatedLandmark,
    Zone,
    borders_zone,
    distance_m,
    free_speech_zone,
    in_zone,
    locate_landmark,
)

CHECK_COLUMNS = (
    "query",
    "apn",
    "address",
    "owner",
    "owner_class",
    "site_kind",
    "land_use",
    "verdict",
    "in_free_speech_zone",
    "distance_to_landmark_m",
    "reasons",
    "suggestions",
)
NOT_FOUND = "not found"
SUGGESTION_SEPARATOR = "; "


@dataclass(frozen=True)
class Analysis:
    """Classified parcels with the zone and landmarks they were measured against.

    Attributes
    ----------
    parcels : geopandas.GeoDataFrame
        Output of :func:`geo.classify.classify` (without ``reasons``: see
        :meth:`explained`) plus ``in_free_speech_zone`` (bool) and
        ``distance_to_landmark_m`` (metres to the zone's landmark).
    zone : Zone
        The free speech zone.
    landmarks : tuple of LocatedLandmark
        Every profile landmark, located.
    policy : Policy
        The terms used.
    """

    parcels: gpd.GeoDataFrame
    zone: Zone
    landmarks: tuple[LocatedLandmark, ...]
    policy: Policy

    def explained(
        self, rows: pd.DataFrame, t: Translate | None = None, owner_names: bool = False
    ) -> pd.DataFrame:
        """Rows of :attr:`parcels` with their ``reasons`` column.

        The verdicts of every parcel are decided at once; the sentences saying why are
        written for the rows someone looks at (a card, a table, an export), which keeps a
        county's analysis small and quick to redo when a setting changes.

        Parameters
        ----------
        rows : pandas.DataFrame
            Any rows of :attr:`parcels` (all of them, for a full export).
        t : Translate, optional
            The reader's catalog (English when omitted).
        owner_names : bool
            Keep private owners' names; by default they read as their class, in ``owner``
            and in the reasons (see :mod:`geo.privacy`).

        Returns
        -------
        pandas.DataFrame
            A copy with ``reasons`` (a list per row), the same index and ``attrs`` (plus
            ``owner_names``: ``shown`` or ``hidden``).
        """
        if "reasons" in rows:
            return private_view(rows, owner_names, t)
        fields = self.parcels.attrs.get("source_fields", {})
        out = rows.copy()
        out["reasons"] = classify(rows, self.policy, fields, t=t)["reasons"].array
        out.attrs = dict(rows.attrs)
        return private_view(out, owner_names, t)


def designatable(parcels: pd.DataFrame, spec: ZoneSpec) -> np.ndarray:
    """Which parcels the city can make part of the zone (the owner classes it names)."""
    return parcels["owner_class"].astype(str).isin(list(spec.designate)).to_numpy(dtype=bool)


def locate_landmarks(parcels: gpd.GeoDataFrame, profile: Profile) -> tuple[LocatedLandmark, ...]:
    """Locate every landmark of the profile in the parcels (by address, else by point).

    Parameters
    ----------
    parcels : geopandas.GeoDataFrame
        Canonical parcels.
    profile : Profile

    Returns
    -------
    tuple of LocatedLandmark
    """
    return tuple(
        locate_landmark(m, parcels, profile.measure_crs, profile.place) for m in profile.landmarks
    )


def analyse(
    parcels: gpd.GeoDataFrame,
    profile: Profile,
    policy: Policy | None = None,
    zone_spec: ZoneSpec | None = None,
    landmarks: tuple[LocatedLandmark, ...] | None = None,
) -> Analysis:
    """Classify parcels, draw the zone and measure each parcel against it.

    Parameters
    ----------
    parcels : geopandas.GeoDataFrame
        Canonical parcels from :func:`geo.sources.read_parcels`.
    profile : Profile
        The jurisdiction profile.
    policy : Policy, optional
        The terms in force; the profile's default policy version when omitted.
    zone_spec : ZoneSpec, optional
        The zone's terms; the profile's when omitted.
    landmarks : tuple of LocatedLandmark, optional
        Already located landmarks (they depend only on the data, so callers may cache them).

    Returns
    -------
    Analysis
    """
    policy = policy or profile.policy_version()
    spec = zone_spec or profile.zone
    located = landmarks or locate_landmarks(parcels, profile)
    anchor = next((m for m in located if m.landmark.id == spec.landmark), None)
    if anchor is None:
        mark = profile.landmark(spec.landmark)
        anchor = locate_landmark(mark, parcels, profile.measure_crs, profile.place)
    out = classify(parcels, policy, reasons=False)  # reasons: see Analysis.explained
    designated = designatable(out, spec)
    zone = free_speech_zone(anchor, spec, profile.measure_crs, out, designated)
    inside = in_zone(out, zone) & designated  # a private parcel is never in the zone
    out["in_free_speech_zone"] = inside
    out["borders_free_speech_zone"] = borders_zone(out, zone, inside)
    out["distance_to_landmark_m"] = np.round(distance_m(out, anchor, zone.crs), 1)
    out.attrs = dict(parcels.attrs)
    return Analysis(out, zone, located, policy)


def check_table(
    analysis: Analysis,
    index: ParcelIndex,
    queries: Iterable[str] | None = None,
    extra: pd.DataFrame | None = None,
    t: Translate | None = None,
    owner_names: bool = False,
) -> pd.DataFrame:
    """One row per matched parcel for each query (all parcels when ``queries`` is None).

    A query that matches nothing gives one row with verdict ``"not found"`` and, in
    ``suggestions``, what it might have meant (close addresses first, then landmarks,
    public owners and streets by name, separated by ``"; "``): nothing asked is silently
    dropped. A query naming a landmark, a public owner or a street gives a row for each of
    its parcels.

    Parameters
    ----------
    analysis : Analysis
    index : ParcelIndex
        Built over ``analysis.parcels``.
    queries : iterable of str, optional
        APNs (any spelling), street addresses or names.
    extra : pandas.DataFrame, optional
        Other columns of the list the queries came from, one row per query in the same
        order (e.g. :attr:`geo.lists.QueryList.extra`); they follow the check's columns,
        repeated on each row of their query. A name the check already uses gets ``list_``
        in front.
    t : Translate, optional
        The reader's catalog for the reasons (English when omitted).
    owner_names : bool
        Keep private owners' names (by default they read as their class).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`CHECK_COLUMNS`, then those of ``extra``; ``attrs["owner_names"]``
        says whether private names are ``shown`` or ``hidden``.
    """
    parcels = analysis.parcels
    if queries is None:
        every = analysis.explained(parcels, t, owner_names)
        every = every.assign(query=parcels["apn"], suggestions="")
        return _with_names(_check_frame(every), owner_names)
    asked: list[str] = []
    source: list[int] = []  # which query each row answers
    rows: list[int] = []  # a parcel position, or -1 - k for the k-th query not found
    missing: list[pd.DataFrame] = []
    for k, query in enumerate(queries):
        match = index.find(query)
        if match.found:
            asked.extend([query] * len(match.positions))
            source.extend([k] * len(match.positions))
            rows.extend(match.positions)
        else:
            asked.append(query)
            source.append(k)
            rows.append(-1 - len(missing))
            missing.append(_not_found(query, match.suggestions, t or translator("en")))
    table = _answers(analysis, asked, rows, missing, t, owner_names)
    if extra is not None and len(extra) != len(dict.fromkeys(source)):
        raise ValueError(f"extra has {len(extra)} rows for {len(dict.fromkeys(source))} queries")
    table = _with_extra(table, extra, source) if extra is not None else table
    return _with_names(table, owner_names)


def _with_names(table: pd.DataFrame, owner_names: bool) -> pd.DataFrame:
    """Mark a check table with which owner names it holds."""
    table.attrs = {**table.attrs, "owner_names": names_state(owner_names)}
    return table


def _answers(
    analysis: Analysis,
    asked: list[str],
    rows: list[int],
    missing: list[pd.DataFrame],
    t: Translate | None = None,
    owner_names: bool = False,
) -> pd.DataFrame:
    """The check's rows in the order asked: matched parcels and not-found rows."""
    if not rows:
        return pd.DataFrame(columns=list(CHECK_COLUMNS))
    order = np.asarray(rows)
    found = order >= 0
    matched = analysis.explained(analysis.parcels.iloc[order[found]], t, owner_names)
    table = _check_frame(matched.assign(query=np.asarray(asked)[found], suggestions=""))
    if not missing:
        return table
    # put the not-found rows back where they were asked, in one concat
    table.index = np.flatnonzero(found)
    gaps = pd.concat(missing, ignore_index=True)
    gaps.index = np.flatnonzero(~found)
    return pd.concat([table, gaps]).sort_index().reset_index(drop=True)[list(CHECK_COLUMNS)]


def _with_extra(table: pd.DataFrame, extra: pd.DataFrame, source: list[int]) -> pd.DataFrame:
    """The check's rows followed by the list's other columns of the query each answers."""
    taken = {c.lower() for c in CHECK_COLUMNS}
    out = table.copy()
    for name in extra.columns:
        column = str(name)
        while column.lower() in taken:
            column = f"list_{column}"
        taken.add(column.lower())
        values = extra[name].to_numpy(dtype=object)
        out[column] = values[np.asarray(source, dtype=np.int64)] if source else []
    return out


def _check_frame(rows: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({c: rows[c].to_numpy() for c in CHECK_COLUMNS}).reset_index(drop=True)


def _not_found(query: str, suggestions: tuple[str, ...], t: Translate) -> pd.DataFrame:
    hint = [t("reason.not_found.suggest") if suggestions else t("reason.not_found.none")]
    row: dict[str, object] = {c: "" for c in CHECK_COLUMNS}
    row.update(
        query=query,
        verdict=NOT_FOUND,
        reasons=hint,
        suggestions=SUGGESTION_SEPARATOR.join(suggestions),
    )
    row["in_free_speech_zone"] = None
    row["distance_to_landmark_m"] = None
    return pd.DataFrame([row], columns=list(CHECK_COLUMNS))


DIFF_COLUMNS = ("apn", "address", "owner", "owner_class", "site_kind", "land_use")


def compare_policies(
    parcels: gpd.GeoDataFrame,
    first: Policy,
    second: Policy,
    t: Translate | None = None,
    owner_names: bool = False,
) -> pd.DataFrame:
    """The parcels whose verdict differs between two policy versions.

    Parameters
    ----------
    parcels : geopandas.GeoDataFrame
        Canonical parcels.
    first, second : Policy
        The two versions (their ``version`` names head the verdict columns).
    t : Translate, optional
        The reader's catalog for the reasons (English when omitted).
    owner_names : bool
        Keep private owners' names (by default they read as their class).

    Returns
    -------
    pandas.DataFrame
        ``apn, address, owner, owner_class, site_kind, land_use, verdict_<first>,
        verdict_<second>, reasons_<first>, reasons_<second>``, one row per changed parcel.
    """
    a, b = classify(parcels, first, reasons=False), classify(parcels, second, reasons=False)
    name_a, name_b = first.version or "first", second.version or "second"
    if name_a == name_b:
        name_a, name_b = f"{name_a}_1", f"{name_b}_2"
    changed = (a["verdict"] != b["verdict"]).to_numpy()
    out = pd.DataFrame({c: b[c].to_numpy()[changed] for c in DIFF_COLUMNS})
    out[f"verdict_{name_a}"] = a["verdict"].to_numpy()[changed]
    out[f"verdict_{name_b}"] = b["verdict"].to_numpy()[changed]
    out[f"reasons_{name_a}"] = classify(parcels[changed], first, t=t)["reasons"].array
    out[f"reasons_{name_b}"] = classify(parcels[changed], second, t=t)["reasons"].array
    # a changed verdict is a city question, yet a private owner in the list stays unnamed
    return private_view(out.reset_index(drop=True), owner_names, t)
