"""Decoding a list's bytes as people's tools save text: by a byte-order mark, else UTF-8,
else UTF-16 without a mark, else Windows-1252 or Latin-1; binary data is refused."""

from __future__ import annotations

import codecs
import re

from geo.errors import InputError

ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 with BOM",
    "utf-16-le": "UTF-16 LE",
    "utf-16-be": "UTF-16 BE",
    "utf-32-le": "UTF-32 LE",
    "utf-32-be": "UTF-32 BE",
    "cp1252": "Windows-1252",
    "latin-1": "Latin-1",
    "": "",
}
_BOMS = (  # longest first: the UTF-32 LE mark begins with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CONTROLS = re.compile(r"[\x01-\x08\x0e-\x1f\x7f-\x9f]")


def decode_text(data: bytes, label: str = "the list") -> tuple[str, str]:
    """Decode a text file: by its byte-order mark, else UTF-8, else Windows-1252/Latin-1.

    Parameters
    ----------
    data : bytes
    label : str
        How to name the file in a message.

    Returns
    -------
    (str, str)
        The text and the codec used.

    Raises
    ------
    InputError
        When the bytes are not text (a NUL byte, control characters).
    """
    encoding = next((codec for bom, codec in _BOMS if data.startswith(bom)), "")
    if encoding:
        try:
            skip = 0 if encoding == "utf-8-sig" else (4 if "32" in encoding else 2)
            text = data[skip:].decode(encoding)
        except UnicodeDecodeError:
            raise InputError.keyed(
                "error.lists.bad_bom", name=label, encoding=ENCODING_NAMES[encoding]
            ) from None
    else:
        encoding = _utf16_without_bom(data)
        try:
            text = data.decode(encoding or "utf-8")
            encoding = encoding or "utf-8"
        except UnicodeDecodeError:
            encoding = _windows_or_latin(data)
            text = data.decode(encoding)
    if not _looks_like_text(text):
        raise InputError.keyed("error.lists.binary", name=label)
    return text, encoding


def _utf16_without_bom(data: bytes) -> str:
    """``utf-16-le``/``-be`` when every other byte is NUL (UTF-16 text without a mark)."""
    sample = data[:4000]
    if len(sample) < 4 or len(sample) % 2:
        return ""
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) >= 0.9 * len(odd) and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) >= 0.9 * len(even) and odd.count(0) == 0:
        return "utf-16-be"
    return ""


def _windows_or_latin(data: bytes) -> str:
    """Windows-1252 when it uses that code page's characters (’ € …), else Latin-1."""
    if not any(0x80 <= b <= 0x9F for b in data):
        return "latin-1"  # the two agree byte for byte
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:  # a byte Windows-1252 leaves undefined
        return "latin-1"
    return "cp1252"


def _looks_like_text(text: str) -> bool:
    """No NUL and almost no other control characters."""
    if "\x00" in text:
        return False
    return len(_CONTROLS.findall(text)) <= max(1, len(text) // 200)
