"""How a command prints a result table: CSV, JSON or a text table in the reader's language."""

from __future__ import annotations

import json

import pandas as pd

from geo.explain import localized_table
from geo.export import flat
from geo.i18n import translator
from geo.provenance import Provenance
from geo.safe_text import neutralise_formulas, terminal_safe_table


def render(table: pd.DataFrame, fmt: str, lang: str = "en") -> str:
    """A result table as CSV, JSON (machine words, reasons as lists) or a text table."""
    if fmt == "csv":
        return neutralise_formulas(flat(table), strip=True).to_csv(index=False, lineterminator="\n")
    if fmt == "json":
        records = [{k: plain(v) for k, v in row.items()} for row in table.to_dict(orient="records")]
        return json.dumps(records, indent=2, ensure_ascii=False) + "\n"
    shown = localized_table(flat(table), translator(lang))
    with pd.option_context("display.max_colwidth", 80, "display.width", 200):
        return terminal_safe_table(shown).to_string(index=False) + "\n"


def plain(value: object) -> object:
    """A cell as JSON takes it: lists stay lists, missing values become null."""
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    if hasattr(value, "tolist") and not isinstance(value, str):
        return plain(value.tolist())  # type: ignore[union-attr]
    if isinstance(value, float) and value != value:
        return None
    if hasattr(value, "item"):
        return value.item()  # type: ignore[union-attr]
    return value


def stamped(table: pd.DataFrame, fmt: str, cited: Provenance) -> pd.DataFrame:
    """CSV and JSON rows name their policy and data in columns; a text table stays short."""
    return table if fmt == "table" else cited.stamped(table)
