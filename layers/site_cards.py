"""The published site's answer cards: each parcel's facts and, under every policy version,
the codes of its verdict and reasons, in shards read on demand.

The site's card says what the app's card says, from the same functions: the policy core
decides each parcel under each version (:func:`geo.classify.decide_parcels`), and the
reasons' sentences are written by :mod:`geo.explain` from the catalogs, once per distinct
combination, in each language. The browser only looks the pieces up and puts the owner's
name (as :mod:`geo.privacy` lets it be shown) in its place: it decides nothing.

Files, under ``data/cards/``:

- ``index.json`` (the manifest): the folder, :data:`CARD_ROWS`, each version's
  combinations ``[verdict, category, owner template, land-use reason, clause, named]`` (the
  first two index ``VERDICTS`` and ``CATEGORIES``), the owner classes, the council
  districts' labels and the landmark.
- ``<digest>/cards-<i>.json``: parcels ``i * CARD_ROWS`` onwards (a parcel's id is its row):
  ``apn``, ``address``, ``owner`` (``null`` where a private owner's name is kept private),
  ``class``, ``use`` (its land use, an index into each language's ``use``), ``zone`` (0 out,
  1 in, 2 borders it), ``distance`` (metres), optionally ``district``, ``record`` (the
  county's record) and ``changed`` (with a history: the kinds of change since the previous
  fetch, a bit each, :mod:`layers.site_history`), and ``versions``: per version, the index
  of its combination.
- ``<digest>/area.json``: the same columns for the parcels near the landmark that a phone
  keeps for offline use, with their ids in ``rows``.
- ``<digest>/words-<lang>.json``: the sentences in one language: ``owner`` (the owner's
  reason cut where the name goes, by ``finding * 2 + agencies count``), ``site`` (each
  land-use reason), ``clause``, and ``use`` (each land use's code and label).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from geo.analysis import Analysis
from geo.atomic import write_text
from geo.classify import Decided, decide_parcels, source_field_names
from geo.context import context_layers, label_at, read_context
from geo.errors import InputError
from geo.explain import (
    clause_reason,
    code_reason,
    land_use_text,
    owner_named,
    owner_template,
    reason_combinations,
)
from geo.i18n import LANGUAGES, translator
from geo.policy import OWNER_CLASSES, Clause, OwnerFinding
from geo.policy.terms import Policy
from geo.privacy import private_rows
from geo.profile import Profile
from geo.records import record_url
from layers.site_folders import compact_json, remove_other_folders, write_named_by_contents

SCHEME = "civicmap-cards-1"
CARD_ROWS = 512  # parcels a shard (about 40 KB of JSON)
MANIFEST = "index.json"
AREA = "area.json"  # the cards a phone keeps for offline use
ZONE_OUT, ZONE_IN, ZONE_BORDERS = 0, 1, 2


def version_policies(analysis: Analysis, profile: Profile) -> dict[str, Policy]:
    """Each policy version's terms, with the reader's other overrides kept in force."""
    return {
        key: analysis.policy.with_changes(
            scope=v.scope, include_city_agencies=v.include_city_agencies, version=key
        )
        for key, v in profile.policies.items()
    }


@dataclass(frozen=True)
class VersionCodes:
    """One version's combinations and each parcel's index into them."""

    rows: np.ndarray
    combos: list[list[int]]


def _site_pairs(decided: Mapping[str, Decided]) -> dict[tuple[str, int], int]:
    """Every (land-use code, site kind) any version reads, numbered."""
    pairs: dict[tuple[str, int], int] = {}
    for d in decided.values():
        for code, kind in zip(d.land_use.dictionary.to_pylist(), d.site, strict=False):
            pairs.setdefault((str(code), int(kind)), len(pairs))
    return pairs


def version_codes(
    d: Decided, agencies_count: bool, pairs: Mapping[tuple[str, int], int]
) -> VersionCodes:
    """One version's card combinations (verdict, category, reasons) and each parcel's."""
    reason_rows, reasons = reason_combinations(d.finding, d.land_use, d.site, d.decision.clause)
    codes = d.land_use.dictionary.to_pylist()
    n = max(len(reasons), 1)
    key = (d.decision.verdict.astype(np.int64) * 8 + d.decision.category) * n + reason_rows
    rows, uniques = pd.factorize(key, sort=False)
    combos = []
    for value in np.asarray(uniques, dtype=np.int64):
        rest, r = divmod(int(value), n)
        verdict, category = divmod(rest, 8)
        finding, code, clause = reasons[r]
        site = pairs[(str(codes[code]), int(d.site[code]))] if len(codes) else 0
        owner = int(finding) * 2 + int(agencies_count)
        named = int(owner_named(finding))
        combos.append([verdict, category, owner, site, int(clause), named])
    return VersionCodes(np.asarray(rows, dtype=np.int32), combos)


def language_words(
    profile: Profile,
    lang: str,
    pairs: Mapping[tuple[str, int], int],
    uses: pd.DataFrame,
    fields: tuple[str, str],
) -> dict[str, object]:
    """One language's sentences for the cards (the same functions as ``civicmap check``)."""
    t = translator(lang)
    owner = [
        list(owner_template(f, fields[0], bool(agencies), t))
        for f in OwnerFinding
        for agencies in (0, 1)
    ]
    site = [""] * len(pairs)
    for (code, kind), i in pairs.items():
        site[i] = code_reason([code], np.asarray([kind]), 0, fields[1], t)
    return {
        "owner": owner,
        "site": site,
        "clause": [clause_reason(c, t) for c in Clause],
        "use": [land_use_text(profile, row, lang, t) for row in uses.to_dict("records")],
    }


def council_districts(analysis: Analysis, profile: Profile) -> pd.Series | None:
    """Each parcel's council district label, when the profile's district layer is here."""
    try:
        layer = context_layers(profile).get("council_districts")
        shapes = read_context(layer, profile) if layer is not None else None
    except InputError:
        return None
    if shapes is None:
        return None
    return label_at(analysis.parcels, shapes)


@dataclass(frozen=True)
class CardColumns:
    """The per-parcel columns of the card shards (whole county, language-neutral)."""

    columns: dict[str, list[object]]
    versions: dict[str, np.ndarray]


def card_columns(
    analysis: Analysis,
    profile: Profile,
    codes: Mapping[str, VersionCodes],
    use_rows: np.ndarray,
    districts: tuple[np.ndarray, list[str]] | None,
    changed: np.ndarray | None = None,
) -> CardColumns:
    """Each parcel's facts as the card shows them (private owners kept private)."""
    parcels = analysis.parcels
    hidden = (
        np.zeros(len(parcels), dtype=bool)
        if profile.site.owner_names
        else private_rows(parcels["owner_class"])
    )
    owners = parcels["owner"].fillna("").astype(str).to_numpy(dtype=object)
    owners[hidden] = None
    class_index = {c.value: i for i, c in enumerate(OWNER_CLASSES)}
    zone = np.where(
        parcels["in_free_speech_zone"].to_numpy(dtype=bool),
        ZONE_IN,
        np.where(parcels.get("borders_free_speech_zone", False), ZONE_BORDERS, ZONE_OUT),
    )
    distance = parcels["distance_to_landmark_m"].to_numpy(dtype=float)
    columns: dict[str, list[object]] = {
        "apn": parcels["apn"].fillna("").astype(str).tolist(),
        "address": parcels["address"].fillna("").astype(str).tolist(),
        "owner": owners.tolist(),
        "class": [class_index[str(c)] for c in parcels["owner_class"]],
        "use": use_rows.tolist(),
        "zone": zone.astype(int).tolist(),
        "distance": [None if np.isnan(d) else int(round(d)) for d in distance],
    }
    if districts is not None:
        columns["district"] = districts[0].tolist()
    if profile.record_template:
        columns["record"] = [record_url(profile.record_template, apn) for apn in parcels["apn"]]
    if changed is not None:
        columns["changed"] = changed.astype(int).tolist()
    return CardColumns(columns, {k: v.rows for k, v in codes.items()})


def shard_texts(cards: CardColumns, rows: int = CARD_ROWS) -> dict[str, str]:
    """Each card shard's JSON, by file name."""
    total = len(cards.columns["apn"])
    texts = {}
    for i, start in enumerate(range(0, total, rows)):
        end = min(start + rows, total)
        shard: dict[str, object] = {"first": start}
        shard.update({name: values[start:end] for name, values in cards.columns.items()})
        shard["versions"] = {k: v[start:end].tolist() for k, v in cards.versions.items()}
        texts[f"cards-{i}.json"] = compact_json(shard)
    return texts


def _uses(analysis: Analysis) -> tuple[np.ndarray, pd.DataFrame]:
    """Each parcel's land use (code and label) as an index into the distinct ones."""
    parcels = analysis.parcels
    labels = parcels.get("land_use_label", pd.Series("", index=parcels.index))
    pairs = pd.DataFrame(
        {
            "land_use": parcels["land_use"].fillna("").astype(str).to_numpy(),
            "land_use_label": labels.fillna("").astype(str).to_numpy(),
        }
    )
    rows, uniques = pd.MultiIndex.from_frame(pairs).factorize()
    assert isinstance(uniques, pd.MultiIndex)
    return np.asarray(rows, dtype=np.int32), uniques.to_frame(
        index=False, name=["land_use", "land_use_label"]
    )


def area_text(cards: CardColumns, rows: np.ndarray) -> str:
    """The cards of some parcels as one shard-like file (``rows``: their ids), for offline."""
    shard: dict[str, object] = {"first": 0, "rows": [int(r) for r in rows]}
    shard.update({name: [values[r] for r in rows] for name, values in cards.columns.items()})
    shard["versions"] = {k: v[rows].tolist() for k, v in cards.versions.items()}
    return compact_json(shard)


def write_cards(
    data: Path,
    analysis: Analysis,
    profile: Profile,
    area: np.ndarray | None = None,
    changed: np.ndarray | None = None,
) -> dict[str, object]:
    """Write ``data/cards/``: the shards and words, then the manifest; older ones removed.

    Parameters
    ----------
    data
        The site's ``data`` folder.
    analysis
        The parcels analysed (row order = parcel ids).
    profile
        Its policy versions, land-use labels, districts, record link and owner-name setting.
    area
        The ids of the parcels a phone keeps for offline use (``area.json``, one file).
    changed
        Per parcel, the kinds of change since the previous fetch as bits (with a history).

    Returns
    -------
    dict
        The manifest.
    """
    policies = version_policies(analysis, profile)
    decided = {k: decide_parcels(analysis.parcels, p) for k, p in policies.items()}
    pairs = _site_pairs(decided)
    codes = {
        k: version_codes(d, policies[k].include_city_agencies, pairs) for k, d in decided.items()
    }
    use_rows, uses = _uses(analysis)
    fields = source_field_names(analysis.parcels.attrs.get("source_fields", {}))
    found = council_districts(analysis, profile)
    districts = None
    if found is not None:
        rows, labels = pd.factorize(found.to_numpy(dtype=object), sort=True)
        districts = (np.asarray(rows), [str(x) for x in labels])
    cards = card_columns(analysis, profile, codes, use_rows, districts, changed)
    texts = shard_texts(cards)
    if area is not None:
        texts[AREA] = area_text(cards, area)
    for lang in LANGUAGES:
        words = language_words(profile, lang, pairs, uses, fields)
        texts[f"words-{lang}.json"] = compact_json(words)
    folder = data / "cards"
    digest = write_named_by_contents(folder, texts)
    manifest: dict[str, object] = {
        "scheme": SCHEME,
        "folder": digest,
        "rows": CARD_ROWS,
        "parcels": len(analysis.parcels),
        "combos": {k: v.combos for k, v in codes.items()},
        "classes": [c.value for c in OWNER_CLASSES],
        "districts": districts[1] if districts is not None else None,
        "record": bool(profile.source.get("record_url")),
        "landmark": analysis.zone.landmark.landmark.name,
        "area": AREA if area is not None else None,
    }
    write_text(folder / MANIFEST, compact_json(manifest))
    remove_other_folders(folder, digest)
    return manifest
