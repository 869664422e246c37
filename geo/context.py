"""Context layers named by the profile: council districts, city limits, street centrelines.

A profile may say::

    [context.council_districts]
    file = "districts.geojson"          # beside the profile, or
    url = "https://host/arcgis/rest/services/.../MapServer/3"   # fetched on request only
    label_fields = ["DISTNUM", "NAME"]  # the layer's own fields that name a district

A ``file`` is read from disk. A ``url`` is an ArcGIS REST layer fetched (GeoJSON in
EPSG:4326, paged by ``resultOffset``) only when the user asks, into the same cache folder
as the parcels (:mod:`geo.county_cache`); until then the layer is simply not drawn.
Nothing here is bundled: a boundary file needs its source and terms stated. A ``streets``
layer (centrelines, its ``label_fields`` naming each street) names the streets on a
handout's map; the app's map does not draw it (a county has tens of thousands of them).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.atomic import atomic_path, write_text
from geo.county_cache import profile_folder
from geo.errors import InputError
from geo.fetch.protocol import ArcgisClient, LayerInfo, RetryPolicy
from geo.profile import Profile

KINDS = ("council_districts", "city_limits", "streets")
ON_MAP = ("council_districts", "city_limits")  # streets name a handout's map, not the app's
LABEL = "context_label"


@dataclass(frozen=True)
class ContextLayer:
    """One context layer of a profile: where it comes from and which fields name it."""

    kind: str
    file: Path | None
    url: str
    label_fields: tuple[str, ...]

    def cached_path(self, profile: Profile) -> Path:
        """Where a fetch of :attr:`url` is kept."""
        return profile_folder(profile, self.url) / f"{self.kind}.parquet"

    def local_path(self, profile: Profile) -> Path | None:
        """The file to read: the profile's own, else a kept fetch (None before one)."""
        if self.file is not None:
            return self.file
        if self.url and self.cached_path(profile).exists():
            return self.cached_path(profile)
        return None


def context_layers(profile: Profile) -> dict[str, ContextLayer]:
    """The profile's ``[context.*]`` layers that name a file or a URL.

    Raises
    ------
    InputError
        On an unknown kind, a URL that is not http(s) or label fields that are not text.
    """
    raw = profile.context
    layers = {}
    for kind, spec in raw.items():
        if kind not in KINDS:
            raise InputError.keyed("error.context.kind", kind=kind, kinds=", ".join(KINDS))
        file = str(spec.get("file", "")).strip()
        url = str(spec.get("url", "")).strip()
        if url and not url.lower().startswith(("http://", "https://")):
            raise InputError.keyed("error.context.url", kind=kind, url=repr(url))
        fields = spec.get("label_fields", [])
        if not isinstance(fields, list) or not all(isinstance(f, str) for f in fields):
            raise InputError.keyed("error.context.label_fields", kind=kind)
        if file or url:
            path = (profile.path.parent / file) if file else None
            layers[kind] = ContextLayer(kind, path, url, tuple(fields))
    return layers


def with_labels(frame: gpd.GeoDataFrame, fields: tuple[str, ...]) -> gpd.GeoDataFrame:
    """The frame in EPSG:4326 with :data:`LABEL` made of its label fields (case-insensitive)."""
    by_upper = {str(c).upper(): c for c in frame.columns}
    present = [by_upper[f.upper()] for f in fields if f.upper() in by_upper]
    if present:
        parts = frame[present].astype("string").fillna("")
        label = parts.apply(lambda row: " · ".join(v.strip() for v in row if v.strip()), axis=1)
    else:
        label = pd.Series("", index=frame.index)
    out = frame.assign(**{LABEL: label.astype(str)})
    if out.crs is None:
        out = out.set_crs(4326)
    return out.to_crs(4326)


def read_context(layer: ContextLayer, profile: Profile) -> gpd.GeoDataFrame | None:
    """The layer's shapes with their labels, or None before a URL layer is fetched.

    Raises
    ------
    InputError
        When the file cannot be read.
    """
    path = layer.local_path(profile)
    if path is None:
        return None
    try:
        frame = gpd.read_parquet(path) if path.suffix == ".parquet" else gpd.read_file(path)
    except Exception as exc:  # a broken or missing file: one message
        raise InputError.keyed(
            "error.context.unreadable", kind=layer.kind, name=path.name, problem=str(exc)
        ) from None
    return with_labels(frame, layer.label_fields)


def fetch_context(
    layer: ContextLayer,
    profile: Profile,
    *,
    retry: RetryPolicy | None = None,
    progress: Callable[[int], None] | None = None,
) -> Path:
    """Fetch a URL layer (every feature, GeoJSON in EPSG:4326) into its cache file.

    Raises
    ------
    InputError
        When the layer has no URL or the service refuses or keeps failing.
    """
    if not layer.url:
        raise InputError.keyed("error.context.no_url", kind=layer.kind)
    client = ArcgisClient(layer.url, retry)
    info = LayerInfo.from_json(layer.url, client.get("", {}).data)
    features: list[dict[str, object]] = []
    while True:
        params: dict[str, object] = {"where": "1=1", "outFields": "*", "outSR": 4326}
        params["f"] = "geojson"
        if info.supports_pagination:
            params.update(resultOffset=len(features), resultRecordCount=info.max_record_count)
        page = client.get("query", params).data
        got = list(page.get("features") or [])
        features.extend(got)
        if progress is not None:
            progress(len(features))
        more = bool((page.get("properties") or {}).get("exceededTransferLimit"))
        if not (more and got and info.supports_pagination):
            break
    frame = gpd.GeoDataFrame.from_features(features, crs=4326)
    out = layer.cached_path(profile)
    out.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(out) as part:
        frame.to_parquet(part)
    about = {"url": layer.url, "layer": info.name, "features": len(frame)}
    write_text(out.with_suffix(".json"), json.dumps(about))
    return out


def label_at(parcels: gpd.GeoDataFrame, shapes: gpd.GeoDataFrame) -> pd.Series:
    """The label of the shape each parcel's inner point falls in (``""`` outside all)."""
    if parcels.empty or shapes.empty:
        return pd.Series("", index=parcels.index, dtype=object)
    points = parcels.geometry.to_crs(shapes.crs).representative_point()
    inner = gpd.GeoDataFrame(geometry=points, crs=shapes.crs)
    joined = gpd.sjoin(inner, shapes[[LABEL, "geometry"]], how="left", predicate="within")
    first = joined[~joined.index.duplicated(keep="first")][LABEL]
    return first.reindex(parcels.index).fillna("").astype(str)


def council_districts_of(profile: Profile, parcels: gpd.GeoDataFrame) -> pd.Series | None:
    """Each parcel's council district, named by the profile's district layer when that is on
    this machine (a file, or a kept fetch); None when it is not.

    Raises
    ------
    InputError
        When the profile's context layers are wrong or the district file cannot be read.
    """
    layer = context_layers(profile).get("council_districts")
    shapes = read_context(layer, profile) if layer is not None else None
    return None if shapes is None else label_at(parcels, shapes)
