"""Where the app keeps a visitor's uploaded file while it is read, and how it is cleaned.

The bytes go to a private temporary folder named after the server's process, are read by
:func:`geo.sources.read_parcels`, and the folder is removed; a folder left by a killed
server is removed at the next start (:func:`remove_stale_upload_folders`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path

import geopandas as gpd

from geo.atomic import pid_alive
from geo.errors import InputError
from geo.profile import Profile
from geo.reading import Progress
from geo.sources import read_parcels

UPLOAD_SUFFIXES = (".zip", ".gpkg", ".geojson", ".json", ".parquet", ".geoparquet", ".fgb")


UPLOAD_PREFIX = "civicmap-"
# civicmap-<pid>-<random>: the owning process is named so a later one knows it is gone
_UPLOAD_FOLDER = re.compile(re.escape(UPLOAD_PREFIX) + r"(?:(\d+)-)?[A-Za-z0-9_]+")


def upload_folder() -> tempfile.TemporaryDirectory[str]:
    """A private temporary folder for an upload's bytes, removed when the block ends.

    Its name carries this process's id, so :func:`remove_stale_upload_folders` can tell
    a folder left by a killed server from one in use.

    Returns
    -------
    tempfile.TemporaryDirectory
        Use as ``with upload_folder() as folder:``.
    """
    return tempfile.TemporaryDirectory(prefix=f"{UPLOAD_PREFIX}{os.getpid()}-")


def remove_stale_upload_folders(
    max_age_minutes: float = 60.0, root: str | Path | None = None
) -> list[Path]:
    """Remove upload folders left by a server that was killed while it read an upload.

    A ``civicmap-*`` folder in the temporary folder is removed when it belongs to this
    user, was last changed more than ``max_age_minutes`` ago and the process named in it
    no longer runs (a folder without a process id is judged by its age alone).

    Parameters
    ----------
    max_age_minutes : float
    root : str or Path, optional
        Where to look (default: the system's temporary folder).

    Returns
    -------
    list of Path
        The folders removed.
    """
    base = Path(root if root is not None else tempfile.gettempdir())
    cutoff = time.time() - max_age_minutes * 60
    removed = []
    with contextlib.suppress(OSError):
        for folder in base.iterdir():
            match = _UPLOAD_FOLDER.fullmatch(folder.name)
            if match is None or not folder.is_dir() or folder.is_symlink():
                continue
            info = folder.stat()
            if info.st_uid != os.getuid() or info.st_mtime > cutoff:
                continue
            if match.group(1) is not None and pid_alive(int(match.group(1))):
                continue
            shutil.rmtree(folder, ignore_errors=True)
            if not folder.exists():
                removed.append(folder)
    return removed


def read_upload(
    data: bytes,
    name: str,
    profile: Profile,
    field_overrides: Mapping[str, str] | None = None,
    crs: str | None = None,
    progress: Progress | None = None,
    layer: str | None = None,
) -> gpd.GeoDataFrame:
    """Read an uploaded parcel file from its bytes.

    The bytes go to a private temporary folder (:func:`upload_folder`) under a fixed name
    (only the suffix of the user's file name is kept), are read, and the folder is removed;
    one left by a killed server is removed by :func:`remove_stale_upload_folders`.

    Parameters
    ----------
    data : bytes
        The file's content.
    name : str
        The name the user gave it (shown as the source name).
    profile, field_overrides, crs, progress, layer
        As for :func:`read_parcels`.

    Returns
    -------
    geopandas.GeoDataFrame
    """
    suffix = Path(name).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        if suffix:
            raise InputError.keyed("error.sources.upload_suffix", name=name, suffix=suffix)
        raise InputError.keyed("error.sources.upload_no_suffix", name=name)
    with upload_folder() as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(data)
        try:
            frame = read_parcels(path, profile, field_overrides, crs, name, progress, layer)
        except InputError as exc:  # name the user's file, not our temporary copy
            raise exc.with_name(str(path), name).with_name(path.name, name) from None
        if not frame.attrs.get("ingested"):
            frame.attrs["source_date"] = f"uploaded {dt.date.today().isoformat()}"
    return frame
