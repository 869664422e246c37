"""The README stays a page for users, and the documentation's links hold.

The README is at most 300 lines and links every page of ``docs/``; every relative link and
image in the README and in ``docs/*.md`` names a file that exists, and every ``#anchor`` a
heading of the page it points to (as GitHub makes heading anchors).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
MAX_README_LINES = 300

# [text](target) and ![alt](target), an optional "title" after the target; <img src="...">
_MARKDOWN_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_HTML_SOURCE = re.compile(r"<(?:img|a)\b[^>]*?\b(?:src|href)=\"([^\"]+)\"", re.IGNORECASE)
_MARKDOWN_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)")
_HTML_IMAGE = re.compile(r"<img\b[^>]*?\bsrc=\"([^\"]+)\"", re.IGNORECASE)
_FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
_CODE_SPAN = re.compile(r"`[^`\n]*`")
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)


def without_code(text: str) -> str:
    """Markdown text without its code blocks and code spans (brackets in code are not links)."""
    return _CODE_SPAN.sub("", _FENCE.sub("", text))


def prose(path: Path) -> str:
    """A Markdown file's text, its code left out."""
    return without_code(path.read_text(encoding="utf-8"))


def anchors(path: Path) -> set[str]:
    """The anchors GitHub gives a Markdown file's headings (lower case, punctuation dropped,
    spaces as hyphens)."""
    text = _FENCE.sub("", path.read_text(encoding="utf-8"))
    found = set()
    for heading in _HEADING.findall(text):
        words = re.sub(r"[^\w\- ]", "", heading.replace("`", "").strip().lower())
        found.add(words.replace(" ", "-"))
    return found


def links(text: str) -> list[str]:
    """Every link and image target in Markdown text, in order."""
    return _MARKDOWN_LINK.findall(text) + _HTML_SOURCE.findall(text)


def is_relative(target: str) -> bool:
    """A link to a file of this repository (not a web address, a mail address or an anchor)."""
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc and bool(parts.path)


def resolves(page: Path, target: str) -> bool:
    """Whether a relative link from ``page`` names an existing file or folder."""
    return (page.parent / unquote(urlsplit(target).path)).exists()


def test_the_readme_is_at_most_300_lines() -> None:
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= MAX_README_LINES, f"README.md has {len(lines)} lines"


def test_the_readme_links_every_page_of_docs() -> None:
    linked = {
        (README.parent / unquote(urlsplit(t).path)).resolve()
        for t in links(prose(README))
        if is_relative(t)
    }
    missing = [p.relative_to(ROOT).as_posix() for p in DOCS if p.resolve() not in linked]
    assert DOCS, "docs/ holds no page"
    assert not missing, f"README.md does not link: {missing}"


@pytest.mark.parametrize("page", [README, *DOCS], ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_relative_link_resolves(page: Path) -> None:
    broken = [t for t in links(prose(page)) if is_relative(t) and not resolves(page, t)]
    assert not broken, f"{page.relative_to(ROOT)} links to missing files: {broken}"


@pytest.mark.parametrize("page", [README, *DOCS], ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_anchor_names_a_heading(page: Path) -> None:
    broken = []
    for target in links(prose(page)):
        parts = urlsplit(target)
        if parts.scheme or parts.netloc or not parts.fragment:
            continue
        linked = page.parent / unquote(parts.path) if parts.path else page
        if linked.suffix == ".md" and linked.exists() and parts.fragment not in anchors(linked):
            broken.append(target)
    assert not broken, f"{page.relative_to(ROOT)} links to missing headings: {broken}"


def test_the_readmes_images_exist() -> None:
    text = prose(README)
    images = _MARKDOWN_IMAGE.findall(text) + _HTML_IMAGE.findall(text)
    assert images, "README.md shows no image"
    missing = [i for i in images if not is_relative(i) or not resolves(README, i)]
    assert not missing, f"README.md's images are missing: {missing}"


def test_the_link_finder_sees_each_form() -> None:
    text = '[a](docs/x.md) ![b](img/y.png "t") <img src="z.png"> [c](https://example.org/)'
    assert links(text) == ["docs/x.md", "img/y.png", "https://example.org/", "z.png"]
    assert [t for t in links(text) if is_relative(t)] == ["docs/x.md", "img/y.png", "z.png"]
    assert not is_relative("#anchor") and not is_relative("mailto:someone@example.org")
    assert links(without_code("`[not](a.md)` and [`code`](b.md)\n```\n[no](c.md)\n```\n")) == [
        "b.md"
    ]


def test_anchors_follow_github(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("# Every `civicmap` command\n\n## Residents: the site\n", "utf-8")
    assert anchors(page) == {"every-civicmap-command", "residents-the-site"}
