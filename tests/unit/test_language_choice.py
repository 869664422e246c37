"""The first visit follows the browser's language when it is one of ours."""

from __future__ import annotations

import pytest

from panels.language import language_from


@pytest.mark.parametrize(
    ("locale", "header", "expected"),
    [
        ("es-US", "", "es"),
        ("", "es-US,es;q=0.9,en;q=0.8", "es"),
        ("fr-FR", "fr;q=0.9, hmn;q=0.8", "hmn"),
        ("en-GB", "es", "en"),
        ("de-DE", "de, fr", "en"),
        ("", "", "en"),
        ("ES_mx", "", "es"),
    ],
)
def test_language_from_the_browser(locale: str, header: str, expected: str) -> None:
    assert language_from(locale, header) == expected
