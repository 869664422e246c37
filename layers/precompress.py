"""Brotli and gzip siblings of a published folder's text files (``index.html.br``, ...).

A server sends ``x.br`` or ``x.gz`` in place of ``x`` when the client accepts it
(``civicmap serve``, nginx's ``gzip_static``/``brotli_static``, Caddy's ``precompressed``),
so no text file is compressed again on every request. Written beside each file of a type in
:data:`layers.site_rules.COMPRESSIBLE` of at least :data:`MIN_BYTES`; a sibling that would
not be smaller, or whose file is gone or too small now, is removed, so no server finds a
stale one. The PMTiles archive is never touched (its tiles are compressed inside).
"""

from __future__ import annotations

import gzip
import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import brotli

from layers.site_rules import ENCODINGS, is_compressible

MIN_BYTES = 1024
# Brotli's best (quality 11) costs about 1.5 s a MB here: worth it for the page's code, read
# by every visitor; the data files (the search's shards: tens of MB at county scale) take 9.
CODE_SUFFIXES = (".html", ".js", ".mjs", ".css", ".svg", ".webmanifest")
_SIBLINGS = tuple(suffix for _, suffix in ENCODINGS)


def brotli_quality(path: Path) -> int:
    """Brotli's quality for a file: 11 for the page's code, 9 for data."""
    return 11 if path.name.lower().endswith(CODE_SUFFIXES) else 9


def compressed(data: bytes, encoding: str, quality: int = 11) -> bytes:
    """``data`` encoded as ``br`` or ``gzip`` (gzip without a time stamp: the same bytes)."""
    if encoding == "br":
        return bytes(brotli.compress(data, quality=quality))
    return gzip.compress(data, compresslevel=9, mtime=0)


def precompress(folder: str | Path, min_bytes: int = MIN_BYTES) -> list[Path]:
    """Write the ``.br`` and ``.gz`` siblings of ``folder``'s text files; return those written.

    Parameters
    ----------
    folder : str or Path
        A published site (every file below it is looked at).
    min_bytes : int
        Files smaller than this are left alone (a header costs more than it saves).

    Returns
    -------
    list of Path
        The siblings written, sorted.
    """
    root = Path(folder)
    _remove_orphans(root, min_bytes)
    sources = [p for p in _files(root) if is_compressible(p.name) and _size(p) >= min_bytes]
    with ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1))) as pool:
        written = [path for found in pool.map(_write_siblings, sources) for path in found]
    return sorted(written)


def _write_siblings(source: Path) -> list[Path]:
    """Both siblings of one file (each only when smaller than the file)."""
    data = source.read_bytes()
    written = []
    for encoding, suffix in ENCODINGS:
        sibling = source.with_name(source.name + suffix)
        packed = compressed(data, encoding, brotli_quality(source))
        if len(packed) >= len(data):
            sibling.unlink(missing_ok=True)
            continue
        part = sibling.with_name(sibling.name + ".part")
        part.write_bytes(packed)
        os.replace(part, sibling)  # a server never reads half a sibling
        written.append(sibling)
    return written


def _remove_orphans(root: Path, min_bytes: int) -> None:
    """Remove siblings whose file is gone or now too small (other ``.gz`` files are kept)."""
    for path in list(_files(root)):
        stem = path.name.rsplit(".", 1)[0] if path.name.endswith(_SIBLINGS) else ""
        if not stem or not is_compressible(stem):
            continue  # not a sibling of a text file: a file of the site's own
        source = path.with_name(stem)
        if not source.is_file() or _size(source) < min_bytes:
            path.unlink(missing_ok=True)


def _files(root: Path) -> Iterator[Path]:
    """Every regular file below ``root`` (links are not followed)."""
    for base, _dirs, names in os.walk(root):
        for name in names:
            path = Path(base) / name
            if path.is_file() and not path.is_symlink():
                yield path


def _size(path: Path) -> int:
    return path.stat().st_size
