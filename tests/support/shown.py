"""What a reader sees of a Markdown source the app wrote with escaped values."""

from __future__ import annotations

import html
import re

_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


def plain(markdown: str) -> str:
    """The text a reader sees: backslash escapes and entities undone, word joiners gone."""
    return html.unescape(_ESCAPED.sub(r"\1", markdown)).replace("\u2060", "")
