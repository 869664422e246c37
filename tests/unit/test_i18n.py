"""Tests for the interface translations: complete catalogs, intact placeholders, fallbacks."""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from geo import i18n
from geo.i18n import (
    CATALOG_DIR,
    is_reviewed,
    load_catalog,
    pick_language,
    translator,
    unreviewed_keys,
)
from geo.profile import load_profile

TRANSLATIONS = ("es", "hmn")


def english_texts() -> dict[str, str]:
    """Every key of the English source catalog, with its English text."""
    texts, _ = load_catalog("en")
    return texts


def missing_keys(lang: str, folder: Path = CATALOG_DIR) -> list[str]:
    """The English keys that a language's catalog lacks or leaves empty.

    Parameters
    ----------
    lang : str
        A language code (``es``, ``hmn``).
    folder : Path
        Where that language's ``.po`` file is.

    Returns
    -------
    list of str
        Keys in ``en.po`` with no non-empty text in ``<folder>/<lang>.po``, in English order.
    """
    texts, _ = load_catalog(lang, folder)
    return [key for key in english_texts() if not texts.get(key, "").strip()]


def placeholders(text: str) -> set[str]:
    """The ``{name}`` fields a format string fills in."""
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def raw_headers(path: Path) -> dict[str, str]:
    """The header fields of a ``.po`` file, read from its text.

    Babel keeps only the standard header fields, so ``X-Reviewed`` is read here directly.
    """
    text = path.read_text(encoding="utf-8")
    return dict(re.findall(r'^"([A-Za-z-]+):\s*(.*?)\\n"$', text, flags=re.MULTILINE))


def catalog_ids(path: Path) -> list[str]:
    """The message ids of a ``.po`` file, header left out, in file order."""
    with path.open("rb") as stream:
        return [str(m.id) for m in read_po(stream) if m.id]


@pytest.fixture(autouse=True)
def fresh_catalogs() -> Iterator[None]:
    """Clear the catalog cache around each test, so no test sees another's files."""
    load_catalog.cache_clear()
    yield
    load_catalog.cache_clear()


@pytest.mark.parametrize("lang", TRANSLATIONS)
def test_every_key_is_translated(lang: str) -> None:
    """Each translation has a non-empty text for every key in en.po."""
    assert english_texts(), "en.po has no keys"
    assert missing_keys(lang) == []


@pytest.mark.parametrize("lang", TRANSLATIONS)
def test_no_extra_or_duplicate_keys(lang: str) -> None:
    """A translation has exactly en.po's keys: none stale, none repeated."""
    ids = catalog_ids(CATALOG_DIR / f"{lang}.po")
    assert len(ids) == len(set(ids))
    assert set(ids) == set(catalog_ids(CATALOG_DIR / "en.po"))


@pytest.mark.parametrize("lang", TRANSLATIONS)
def test_missing_key_is_caught(lang: str, tmp_path: Path) -> None:
    """The completeness check fails for a copy of the catalog with one key removed."""
    with (CATALOG_DIR / f"{lang}.po").open("rb") as stream:
        catalog = read_po(stream)
    catalog.delete("verdict.covered")
    with (tmp_path / f"{lang}.po").open("wb") as stream:
        write_po(stream, catalog)
    load_catalog.cache_clear()
    assert missing_keys(lang, tmp_path) == ["verdict.covered"]


@pytest.mark.parametrize("lang", TRANSLATIONS)
def test_placeholders_match_english(lang: str) -> None:
    """Each translation fills in the same ``{name}`` values as the English text."""
    english = english_texts()
    texts, _ = load_catalog(lang)
    wrong = {
        key: (placeholders(english[key]), placeholders(text))
        for key, text in texts.items()
        if key in english and placeholders(text) != placeholders(english[key])
    }
    assert wrong == {}


@pytest.mark.parametrize("lang", TRANSLATIONS)
def test_catalog_says_it_is_unreviewed(lang: str) -> None:
    """The header names the language and says no fluent speaker has reviewed it."""
    headers = raw_headers(CATALOG_DIR / f"{lang}.po")
    english = raw_headers(CATALOG_DIR / "en.po")
    assert headers.get("Language") == lang
    assert headers.get("X-Reviewed") == "no"
    assert set(headers) == set(english)


def test_translation_differs_from_english() -> None:
    """Spanish gives its own text for a verdict, not the English one."""
    assert translator("es")("verdict.covered") != translator("en")("verdict.covered")


def test_values_are_filled_in() -> None:
    """A translated text with a placeholder gets the value."""
    assert "12" in translator("hmn")("table.count", count=12)


def test_fallback_to_english_then_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """A key a language lacks shows the English text; a key nobody has shows itself."""
    real = i18n.load_catalog

    def without_covered(lang: str) -> tuple[dict[str, str], bool]:
        texts, reviewed = real(lang)
        if lang == "es":
            texts = {k: v for k, v in texts.items() if k != "verdict.covered"}
        return texts, reviewed

    monkeypatch.setattr(i18n, "load_catalog", without_covered)
    t = translator("es")
    assert t("verdict.covered") == english_texts()["verdict.covered"]
    assert t("no.such.key") == "no.such.key"
    assert t("verdict.not covered") != english_texts()["verdict.not covered"]


def test_unknown_language_gives_english() -> None:
    """An unsupported language code gets the English texts."""
    assert translator("xx")("verdict.covered") == english_texts()["verdict.covered"]


def test_reviewed_flags() -> None:
    """English counts as reviewed; the machine-assisted translations do not."""
    assert is_reviewed("en") is True
    assert is_reviewed("es") is False
    assert is_reviewed("hmn") is False


def test_reviewed_header_is_read(tmp_path: Path) -> None:
    """A catalog whose header says ``X-Reviewed: yes`` counts as reviewed."""
    text = (CATALOG_DIR / "es.po").read_text(encoding="utf-8")
    (tmp_path / "es.po").write_text(
        text.replace("X-Reviewed: no", "X-Reviewed: yes"), encoding="utf-8"
    )
    assert raw_headers(tmp_path / "es.po")["X-Reviewed"] == "yes"
    assert load_catalog("es", tmp_path)[1] is True


def test_pick_language() -> None:
    """A request is matched case-insensitively; anything unsupported gives English."""
    assert pick_language("ES") == "es"
    assert pick_language(" hmn ") == "hmn"
    assert pick_language("fr") == "en"
    assert pick_language(None) == "en"


@pytest.mark.parametrize("lang", TRANSLATIONS)
def test_proposal_parts_are_translated(lang: str) -> None:
    """Every part of the proposal in the profile has a title and text in each language."""
    parts = load_profile().proposal_parts
    assert len(parts) == 4
    for part in parts:
        assert str(part.get(f"title_{lang}", "")).strip()
        assert str(part.get(f"text_{lang}", "")).strip()


@pytest.mark.parametrize("lang", TRANSLATIONS)
def test_each_unchecked_entry_carries_the_fuzzy_mark(lang: str, tmp_path: Path) -> None:
    """The unreviewed entries are those marked ``#, fuzzy``; a reviewer takes the mark off
    one entry and only that entry counts as reviewed."""
    unchecked = unreviewed_keys(lang)
    assert "verdict.covered" in unchecked and unchecked <= set(load_catalog(lang)[0])
    text = (CATALOG_DIR / f"{lang}.po").read_text(encoding="utf-8")
    reviewed = text.replace('#, fuzzy\nmsgid "verdict.covered"', 'msgid "verdict.covered"')
    assert reviewed != text
    (tmp_path / f"{lang}.po").write_text(reviewed, encoding="utf-8")
    assert unreviewed_keys(lang, tmp_path) == unchecked - {"verdict.covered"}
    assert unreviewed_keys("en") == frozenset()


def test_a_language_is_reviewed_only_when_no_entry_is_fuzzy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A header saying ``X-Reviewed: yes`` is not enough while entries are still fuzzy."""
    text = (CATALOG_DIR / "es.po").read_text(encoding="utf-8")
    header_only = text.replace("X-Reviewed: no", "X-Reviewed: yes")
    (tmp_path / "es.po").write_text(header_only, encoding="utf-8")
    monkeypatch.setattr(i18n, "CATALOG_DIR", tmp_path)
    monkeypatch.setattr(i18n, "load_catalog", lambda lang: load_catalog(lang, tmp_path))
    monkeypatch.setattr(i18n, "unreviewed_keys", lambda lang: unreviewed_keys(lang, tmp_path))
    assert is_reviewed("es") is False
    (tmp_path / "es.po").write_text(header_only.replace("#, fuzzy\n", ""), encoding="utf-8")
    load_catalog.cache_clear()
    unreviewed_keys.cache_clear()
    assert is_reviewed("es") is True
