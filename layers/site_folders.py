"""The published site's data folders named by their contents (``data/<kind>/<digest>/``).

A folder's name changes whenever one of its files does, so a server may cache everything
under it for a year (:mod:`layers.site_rules`); the manifest that names the folder is
written after it, and an earlier publish's folders are removed after that.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Mapping
from pathlib import Path

from geo.atomic import write_text

DIGEST_CHARS = 16


def compact_json(value: object) -> str:
    """JSON with no spaces, its non-ASCII letters as they are."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def write_named_by_contents(folder: Path, texts: Mapping[str, str]) -> str:
    """Write ``texts`` (file name → text) into ``folder/<digest>/``; return the digest."""
    digest = hashlib.sha256("\n".join(texts.values()).encode("utf-8")).hexdigest()
    digest = digest[:DIGEST_CHARS]
    (folder / digest).mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        write_text(folder / digest / name, text)
    return digest


def remove_other_folders(folder: Path, keep: str) -> None:
    """Remove the folders in ``folder`` other than ``keep`` (an earlier publish's)."""
    for old in folder.iterdir():
        if old.is_dir() and old.name != keep:
            shutil.rmtree(old, ignore_errors=True)
