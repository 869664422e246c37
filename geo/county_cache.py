"""Where the app keeps what it fetched from the county, for the next start.

The folder is ``$CIVICMAP_CACHE`` when set, else ``civicmap`` in the user's cache folder
(``$XDG_CACHE_HOME`` or ``~/.cache``). Each profile and source URL has its own subfolder,
so a fetch from one county (or one layer) never stands in for another's. The files are
the canonical, classified GeoParquet that ``civicmap ingest`` and ``civicmap fetch``
write, so ``civicmap fetch --out`` into the same path fills it too. Each fetch is also kept in
the subfolder's ``history/`` (:mod:`geo.history`), so the app can list what changed since the
fetch before.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from geo.profile import Profile

CACHE_ENV = "CIVICMAP_CACHE"
PARCELS_FILE = "parcels.parquet"
HISTORY_FOLDER = "history"


def cache_dir() -> Path:
    """The folder the app's fetched files live in (not created here)."""
    named = os.environ.get(CACHE_ENV, "").strip()
    if named:
        return Path(named).expanduser()
    base = os.environ.get("XDG_CACHE_HOME", "").strip() or str(Path.home() / ".cache")
    return Path(base).expanduser() / "civicmap"


def profile_folder(profile: Profile, url: str) -> Path:
    """The subfolder for one profile's layer at ``url``."""
    slug = re.sub(r"[^a-z0-9]+", "-", profile.name.lower()).strip("-") or "profile"
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:10]
    return cache_dir() / f"{slug}-{digest}"


def fetched_parcels_path(profile: Profile, url: str) -> Path:
    """Where the parcels fetched from ``url`` for this profile are kept."""
    return profile_folder(profile, url) / PARCELS_FILE


def history_folder(profile: Profile, url: str) -> Path:
    """Where the fetches from ``url`` for this profile are kept as dated snapshots."""
    return profile_folder(profile, url) / HISTORY_FOLDER
