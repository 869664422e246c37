"""A dataset's vector tiles, put where the app serves them (``static/tiles/``).

Streamlit serves ``./static/`` (with HTTP range requests, which the PMTiles reader needs);
it does not follow links out of that folder, so an archive is hard-linked in (or copied).
Archives of uploaded files are removed when the server starts again.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import geopandas as gpd

from geo.atomic import atomic_path
from geo.classify import classify
from geo.paths import STATIC_DIR
from geo.profile import Profile
from geo.tiles import TILE_SCHEMA, build_tiles, cached_tiles_path

TILES_DIR = STATIC_DIR / "tiles"
TILES_URL = "/app/static/tiles"
SUFFIX = ".pmtiles"


def served_name(data_key: str) -> str:
    """The served file name of a dataset's archive (a digest: it says nothing of the data)."""
    digest = hashlib.blake2b(f"{TILE_SCHEMA}|{data_key}".encode(), digest_size=10)
    return digest.hexdigest() + SUFFIX


def serve_tiles(data_key: str, parcels: gpd.GeoDataFrame, profile: Profile) -> str:
    """The URL of a dataset's archive, built (or found in the ingest cache) and put in place.

    Parameters
    ----------
    data_key : str
        The dataset's key (``served:PATH``, ``sample:PATH`` or an upload's digest).
    parcels : geopandas.GeoDataFrame
        Its canonical parcels, in row order.
    profile : Profile
        Whose default policy version says which owners are or might be the city.

    Returns
    -------
    str
        The archive's URL path on the app's server.
    """
    target = TILES_DIR / served_name(data_key)
    if not target.exists():
        TILES_DIR.mkdir(parents=True, exist_ok=True)
        cached = _ingest_cache(data_key)
        if cached is not None:
            with atomic_path(target) as part:
                _link_or_copy(cached, part)
        else:  # written whole or not at all
            build_tiles(classify(parcels, profile.policy_version(None), reasons=False), target)
    return f"{TILES_URL}/{target.name}"


def _ingest_cache(data_key: str) -> Path | None:
    """The archive ``civicmap ingest`` cached beside a served GeoParquet, when there is one."""
    kind, _, path = data_key.partition(":")
    if kind != "served" or not path.lower().endswith(".parquet") or not Path(path).exists():
        return None
    cached = cached_tiles_path(path)
    return cached if cached.exists() else None


def _link_or_copy(source: Path, target: Path) -> None:
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:  # another file system
        shutil.copyfile(source, target)


def clear_served_tiles() -> None:
    """Remove every served archive (at server start: uploads' tiles do not outlive it)."""
    if TILES_DIR.is_dir():
        for path in TILES_DIR.iterdir():
            if path.suffix in (SUFFIX, ".part"):
                path.unlink(missing_ok=True)
