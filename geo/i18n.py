"""Interface text in several languages, from gettext ``.po`` catalogs.

Every string the app and the map show lives in ``data/i18n/<lang>.po`` under a stable key
(``msgid``); English (``en.po``) has every key, and any key a language lacks falls back to
English. Each entry of a translation carries its own mark: gettext's ``#, fuzzy`` flag
means no fluent speaker has checked it yet (``docs/translating.md`` says how to review one
and take the flag off). A language counts as reviewed when its header says
``X-Reviewed: yes`` and none of its entries is fuzzy; the app and the site say so until then.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from babel.messages.pofile import read_po

from geo.paths import CATALOG_DIR

DEFAULT_LANGUAGE = "en"
LANGUAGES = {"en": "English", "es": "Español", "hmn": "Hmoob"}

Translate = Callable[..., str]
_REVIEWED = re.compile(r'^"X-Reviewed:\s*yes\\n"$', re.MULTILINE | re.IGNORECASE)


@lru_cache(maxsize=8)
def load_catalog(lang: str, folder: Path = CATALOG_DIR) -> tuple[dict[str, str], bool]:
    """Read one language's catalog.

    Parameters
    ----------
    lang : str
        A language code (``en``, ``es``, ``hmn``).
    folder : Path
        Where the ``.po`` files are.

    Returns
    -------
    (dict, bool)
        Key to text (untranslated keys left out), and whether the catalog is reviewed.
    """
    path = folder / f"{lang}.po"
    if not path.exists():
        return {}, False
    with path.open("rb") as stream:
        catalog = read_po(stream, locale=None)
    texts = {str(m.id): str(m.string) for m in catalog if m.id and m.string}
    # babel drops header fields it does not know, so X-Reviewed is read from the text
    header = path.read_text(encoding="utf-8").split("\n\n", 1)[0]
    reviewed = _REVIEWED.search(header) is not None
    return texts, reviewed


def translator(lang: str) -> Translate:
    """A function ``t(key, **values)`` giving a key's text in ``lang`` (English fallback).

    Parameters
    ----------
    lang : str
        A language code; unknown codes give English.

    Returns
    -------
    callable
        ``t(key, **values)``: the text with ``{name}`` placeholders filled; the key itself
        when even English lacks it (so a missing key shows, never crashes).
    """
    english, _ = load_catalog(DEFAULT_LANGUAGE)
    texts, _ = load_catalog(lang) if lang in LANGUAGES else ({}, False)

    def t(key: str, **values: object) -> str:
        text = texts.get(key) or english.get(key) or key
        if not values:
            return text
        try:
            return text.format(**values)
        except (KeyError, IndexError, ValueError):
            return english.get(key, key).format(**values)

    return t


@lru_cache(maxsize=8)
def unreviewed_keys(lang: str, folder: Path = CATALOG_DIR) -> frozenset[str]:
    """The keys of a language's entries marked ``#, fuzzy``: not yet checked by a fluent
    speaker (none for English, the source)."""
    path = folder / f"{lang}.po"
    if lang == DEFAULT_LANGUAGE or not path.exists():
        return frozenset()
    with path.open("rb") as stream:
        catalog = read_po(stream, locale=None)
    return frozenset(str(m.id) for m in catalog if m.id and m.string and m.fuzzy)


def is_reviewed(lang: str) -> bool:
    """Whether a fluent speaker has reviewed a language's catalog (English always has):
    its header says so and no entry is still marked fuzzy."""
    if lang == DEFAULT_LANGUAGE:
        return True
    return load_catalog(lang)[1] and not unreviewed_keys(lang)


def pick_language(requested: str | None) -> str:
    """A supported language code for a request such as ``?lang=es`` (English otherwise)."""
    code = (requested or "").strip().lower()
    return code if code in LANGUAGES else DEFAULT_LANGUAGE
