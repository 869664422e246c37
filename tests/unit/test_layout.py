"""The code's shape: the library depends on nothing above it, by any route."""

from __future__ import annotations

import re
from pathlib import Path

GEO = Path(__file__).resolve().parents[2] / "geo"
DYNAMIC = re.compile(r"import_module\s*\(|__import__\s*\(|importlib\.util|spec_from_file")


def test_the_library_imports_nothing_dynamically() -> None:
    """import-linter (``make lint``) sees static imports; this catches the other kind."""
    found = [p.name for p in GEO.rglob("*.py") if DYNAMIC.search(p.read_text(encoding="utf-8"))]
    assert found == []


def test_the_whole_rule_is_one_screen() -> None:
    """A reader of ``geo/`` finds covered / needs review / not covered in one short file."""
    rule = (GEO / "policy" / "rule.py").read_text(encoding="utf-8")
    assert len(rule.splitlines()) <= 130
    for word in ("COVERED", "NEEDS_REVIEW", "NOT_COVERED", "counts_as_city", "in_scope"):
        assert word in rule
