"""A folder of dated snapshots of a parcel layer: one GeoParquet file a fetch.

``civicmap fetch --history DIR`` keeps every fetch as ``DIR/<when>.parquet`` (``when`` the
fetch's time in UTC, ``20261201T120000Z``), so what changed since the last fetch can be
listed (``civicmap changes DIR``) and an answer given last month can be checked again.

Every step leaves the folder whole:

- a fetch writes into :data:`INCOMING` (its pages kept beside it in ``incoming.parquet.pages/``
  until the file is whole, so a killed fetch resumes), through :mod:`geo.atomic`;
- the finished file is then filed under its dated name by one rename (:func:`file_snapshot`),
  so a snapshot is either all there or not there; a finished fetch left unfiled by a kill is
  filed by the next run (:func:`file_incoming`);
- older snapshots beyond the ones to keep are removed only after the new one is filed
  (:func:`prune`).

The app keeps its fetches the same way (:func:`keep_copy`, a hard link of the file it reads).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import shutil
from pathlib import Path

import pyarrow.parquet as pq

from geo.atomic import atomic_path, check_writable, part_path
from geo.errors import InputError
from geo.sources import METADATA_KEY

INCOMING = "incoming.parquet"
SNAPSHOT = re.compile(r"^(?P<when>\d{8}T\d{6}Z)(?:-(?P<n>\d+))?\.parquet$")
STAMP = "%Y%m%dT%H%M%SZ"
DEFAULT_KEEP = 12  # a year of monthly fetches


def snapshots(folder: str | Path) -> list[Path]:
    """The folder's snapshots, oldest first (none when the folder does not exist)."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    found = [p for p in folder.iterdir() if p.is_file() and SNAPSHOT.fullmatch(p.name)]
    return sorted(found, key=_order)


def _order(path: Path) -> tuple[str, int]:
    match = SNAPSHOT.fullmatch(path.name)
    assert match is not None
    return match["when"], int(match["n"] or 0)


def latest_pair(folder: str | Path) -> tuple[Path, Path]:
    """The two newest snapshots (the one before, the newest).

    Raises
    ------
    InputError
        When the folder holds fewer than two.
    """
    found = snapshots(folder)
    if len(found) < 2:
        raise InputError.keyed("error.history.too_few", folder=str(folder), count=str(len(found)))
    return found[-2], found[-1]


def incoming_path(folder: str | Path) -> Path:
    """Where a fetch into the history writes before its file is filed."""
    return Path(folder) / INCOMING


def prepare(folder: str | Path) -> Path:
    """Make the history folder (its parent must exist) and check it can be written."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise InputError.keyed("error.write.not_folder", target=str(folder), folder=str(folder))
    if not folder.exists() and folder.parent.is_dir():
        with contextlib.suppress(FileExistsError):
            folder.mkdir()
    check_writable(incoming_path(folder))
    return folder


def fetched_at(path: str | Path) -> dt.datetime | None:
    """When the fetch that wrote a file was made (its metadata), or None."""
    try:
        meta = pq.read_schema(path).metadata or {}
        stored = json.loads(meta.get(METADATA_KEY) or b"{}")
        fetch = stored.get("fetch") if isinstance(stored, dict) else None
        when = str((fetch or {}).get("fetched_at") or "")
        return dt.datetime.fromisoformat(when).astimezone(dt.UTC) if when else None
    except Exception:
        return None


def snapshot_name(folder: Path, when: dt.datetime) -> Path:
    """A free dated name for a snapshot made at ``when`` (``-2``, ``-3``... on a clash)."""
    stamp = when.astimezone(dt.UTC).strftime(STAMP)
    candidate, n = folder / f"{stamp}.parquet", 1
    while candidate.exists():
        n += 1
        candidate = folder / f"{stamp}-{n}.parquet"
    return candidate


def file_snapshot(folder: str | Path, written: Path, when: dt.datetime | None = None) -> Path:
    """File a finished fetch (in the same folder) under its dated name, by one rename.

    Parameters
    ----------
    folder : str or Path
    written : Path
        A whole file in ``folder`` (:data:`INCOMING`).
    when : datetime, optional
        The fetch's time (else the file's own record of it, else now).

    Returns
    -------
    Path
        The snapshot.
    """
    folder = Path(folder)
    stamp = when or fetched_at(written) or dt.datetime.now(dt.UTC)
    target = snapshot_name(folder, stamp)
    os.replace(written, target)  # atomic: the snapshot is whole or absent
    _sync_folder(folder)
    return target


def file_incoming(folder: str | Path) -> Path | None:
    """File a finished fetch that a kill left unfiled (none while its pages are still kept)."""
    incoming = incoming_path(folder)
    pages = incoming.with_name(incoming.name + ".pages")
    if not incoming.is_file() or pages.exists() or fetched_at(incoming) is None:
        return None
    return file_snapshot(folder, incoming)


def keep_copy(folder: str | Path, source: Path, when: dt.datetime | None = None) -> Path:
    """Keep a finished file as a snapshot too: a hard link where the disk allows, else a copy.

    The file is never changed in place (every writer replaces it whole), so the link stays
    the snapshot it was when it was made.
    """
    folder = prepare(folder)
    target = snapshot_name(folder, when or fetched_at(source) or dt.datetime.now(dt.UTC))
    return place_copy(source, target)


def place_copy(source: Path, target: str | Path) -> Path:
    """Put a finished file at ``target`` whole: a hard link renamed there, else a copy."""
    target = check_writable(target)
    part = part_path(target)
    try:
        os.link(source, part)
        os.replace(part, target)
    except OSError:
        part.unlink(missing_ok=True)
        with atomic_path(target) as copy:
            shutil.copyfile(source, copy)
    _sync_folder(target.parent)
    return target


def prune(folder: str | Path, keep: int = DEFAULT_KEEP) -> list[Path]:
    """Remove the oldest snapshots beyond the newest ``keep`` (at least one is kept)."""
    found = snapshots(folder)
    old = found[: max(0, len(found) - max(1, keep))]
    for path in old:
        path.unlink(missing_ok=True)
    return old


def _sync_folder(folder: Path) -> None:
    """Make a rename in the folder durable (where the file system allows)."""
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
