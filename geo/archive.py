"""Looking inside zip archives before GDAL reads them, without extracting anything.

Counties publish parcels as zipped shapefiles. GDAL opens them in place through
``/vsizip/``; this module decides which member to open, refuses archives that are empty,
incomplete, hostile (member paths that escape the archive) or too large when inflated
(first from the archive's own sizes, then by counting while inflating, since those sizes
can lie), and works out a shapefile's text encoding when it has no ``.cpg``.
"""

from __future__ import annotations

import codecs
import posixpath
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from geo.errors import InputError, Term

VECTOR_SUFFIXES = (".shp", ".gpkg", ".parquet", ".geoparquet", ".fgb", ".geojson", ".json")
DEFAULT_MAX_INFLATED = 4 * 1024**3  # bytes; the county's zip inflates to well under 1 GB
CHUNK = 1 << 20


@dataclass(frozen=True)
class ArchiveMember:
    """The vector file chosen inside an archive.

    Attributes
    ----------
    gdal_path : str
        ``/vsizip/<archive>/<member>`` for pyogrio.
    member : str
        The member's name in the archive.
    encoding : str or None
        The text encoding to read a shapefile's ``.dbf`` with, when it has no ``.cpg``
        (``None``: let GDAL use the ``.cpg``). Without a ``.cpg``, valid UTF-8 reads as
        UTF-8 and anything else as ISO-8859-1 (so latin-1 accented names read correctly).
    """

    gdal_path: str
    member: str
    encoding: str | None = None


def _unsafe(name: str) -> bool:
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        return True
    parts = posixpath.normpath(name.replace("\\", "/")).split("/")
    return ".." in parts


def _infos(path: Path) -> list[zipfile.ZipInfo]:
    try:
        with zipfile.ZipFile(path) as archive:
            return archive.infolist()
    except (zipfile.BadZipFile, OSError):
        raise InputError.keyed("error.archive.not_zip", name=path.name) from None


def _rank(name: str) -> int:
    """Prefer real parcel formats over stray JSON (a ``metadata.json`` beside a shapefile)."""
    lower = name.lower()
    return next((i for i, s in enumerate(VECTOR_SUFFIXES) if lower.endswith(s)), 99)


def _choose(path: Path, names: list[str]) -> str:
    candidates = [n for n in names if n.lower().endswith(VECTOR_SUFFIXES)]
    if not candidates:
        shown = ", ".join(names[:8]) + (" ..." if len(names) > 8 else "")
        raise InputError.keyed("error.archive.no_layer_file", name=path.name, members=shown)
    member = sorted(candidates, key=lambda n: (_rank(n), n.count("/"), n))[0]
    if member.lower().endswith(".shp"):
        stem, have = member[:-4].lower(), {n.lower() for n in names}
        missing = [ext for ext in (".shx", ".dbf") if stem + ext not in have]
        if missing:
            parts = missing[0] if len(missing) == 1 else Term("error.archive.shx_or_dbf")
            raise InputError.keyed(
                "error.archive.shapefile_parts", member=member, name=path.name, missing=parts
            )
    return member


def human_size(count: float) -> str:
    """A byte count in words: ``5,000 bytes``, ``12.3 MB``, ``4.0 GB``."""
    if count < 1024**2:
        return f"{count:,.0f} bytes"
    if count < 1024**3:
        return f"{count / 1024**2:,.1f} MB"
    return f"{count / 1024**3:,.1f} GB"


def _member_stream(raw: BinaryIO, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The member's real inflated bytes, from its compressed data, whatever its header says.

    ``zipfile`` stops at the declared size, which an archive can understate; GDAL would
    inflate the whole stream. So the compressed bytes are inflated here as GDAL would.
    """
    raw.seek(info.header_offset)
    header = raw.read(30)
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise InputError.keyed("error.archive.local_header")
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    raw.seek(info.header_offset + 30 + name_len + extra_len)
    left = info.compress_size
    if info.compress_type == zipfile.ZIP_STORED:
        while left > 0:
            chunk = raw.read(min(CHUNK, left))
            if not chunk:
                return
            left -= len(chunk)
            yield chunk
        return
    if info.compress_type != zipfile.ZIP_DEFLATED:
        raise InputError.keyed("error.archive.compression", member=info.filename)
    inflater = zlib.decompressobj(-15)
    while left > 0 and not inflater.eof:
        data = raw.read(min(CHUNK, left))
        if not data:
            return
        left -= len(data)
        while data:
            yield inflater.decompress(data, CHUNK)
            data = inflater.unconsumed_tail
    if not inflater.eof:
        yield inflater.flush()


def _inflate(path: Path, infos: list[zipfile.ZipInfo], cap: int, dbf: str | None) -> bool:
    """Inflate every member (discarding the bytes) and count; True if ``dbf`` is UTF-8."""
    total, utf8 = 0, True
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as raw:
            for info in infos:
                watch = info.filename == dbf
                real = 0
                for chunk in _member_stream(raw, info):
                    real += len(chunk)
                    total += len(chunk)
                    if total > cap:
                        raise InputError.keyed(
                            "error.archive.inflates_past", name=path.name, limit=human_size(cap)
                        )
                    utf8 = utf8 and (not watch or _decodes(decoder, chunk))
                if real != info.file_size:
                    raise InputError.keyed(
                        "error.archive.size_lie",
                        name=path.name,
                        member=info.filename,
                        declared=human_size(info.file_size),
                        real=human_size(real),
                    )
    except (zlib.error, OSError, struct.error) as exc:
        raise InputError.keyed("error.archive.damaged", name=path.name, problem=str(exc)) from None
    except InputError as exc:
        if exc.values.get("name") == path.name:
            raise
        raise exc.in_file(path.name) from None
    return utf8 and _decodes(decoder, b"", final=True)


def _decodes(decoder: codecs.IncrementalDecoder, chunk: bytes, final: bool = False) -> bool:
    try:
        decoder.decode(chunk, final=final)
    except UnicodeDecodeError:
        return False
    return True


def _dbf_without_cpg(member: str, names: list[str]) -> str | None:
    """The ``.dbf`` member whose encoding must be guessed (a shapefile with no ``.cpg``)."""
    if not member.lower().endswith(".shp"):
        return None
    stem, by_lower = member[:-4].lower(), {n.lower(): n for n in names}
    if stem + ".cpg" in by_lower:
        return None
    return by_lower.get(stem + ".dbf")


def dbf_encoding(dbf: Path) -> str | None:
    """The encoding of a loose shapefile's ``.dbf`` when it has no ``.cpg`` beside it.

    Parameters
    ----------
    dbf : Path
        The ``.dbf`` file.

    Returns
    -------
    str or None
        ``None`` when a ``.cpg`` exists (GDAL reads it), ``"UTF-8"`` when the file decodes
        as UTF-8, else ``"ISO-8859-1"``.
    """
    if dbf.with_suffix(".cpg").exists() or not dbf.exists():
        return None
    decoder = codecs.getincrementaldecoder("utf-8")()
    with dbf.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            if not _decodes(decoder, chunk):
                return "ISO-8859-1"
    return "UTF-8" if _decodes(decoder, b"", final=True) else "ISO-8859-1"


def open_archive(path: Path, max_inflated: int = DEFAULT_MAX_INFLATED) -> ArchiveMember:
    """Check a zip archive and choose the vector file GDAL should open in it.

    Parameters
    ----------
    path : Path
        The zip file.
    max_inflated : int
        Refuse archives that inflate past this many bytes.

    Returns
    -------
    ArchiveMember

    Raises
    ------
    InputError
        Not a zip, empty, a member path escaping the archive, too large, no vector file,
        or a shapefile without its ``.shx`` / ``.dbf``.
    """
    infos = _infos(path)
    files = [i for i in infos if not i.is_dir()]
    if not files:
        raise InputError.keyed("error.archive.empty", name=path.name)
    unsafe = [i.filename for i in infos if _unsafe(i.filename)]
    if unsafe:
        raise InputError.keyed("error.archive.unsafe_member", name=path.name, member=unsafe[0])
    declared = sum(i.file_size for i in files)
    if declared > max_inflated:
        raise InputError.keyed(
            "error.archive.declared_too_large",
            name=path.name,
            declared=human_size(declared),
            limit=human_size(max_inflated),
        )
    names = [i.filename for i in files]
    member = _choose(path, names)
    dbf = _dbf_without_cpg(member, names)
    utf8 = _inflate(path, files, max_inflated, dbf)
    encoding = None if dbf is None else ("UTF-8" if utf8 else "ISO-8859-1")
    return ArchiveMember(f"/vsizip/{path}/{member}", member, encoding)
