"""``civicmap publish --history``: the site's list of what changed since the previous fetch.

The history holds two fetches of the bundled sample, a month of edits between them
(``sample_history``); the browser's half is in ``tests/e2e/test_site_changes.py``.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from layer_edits import CITY_LOT, EXPECTED, FLIPS, LOTS_ONLY_FLIPS, RETIRED, SOLD_BY_CITY
from sample_history import DATES, sample_history

from geo import history
from geo.cli import EXIT_BAD_INPUT
from geo.i18n import translator
from geo.policy.codes import VERDICTS
from geo.profile import Profile
from geo.snapshot import read_snapshot
from layers.cli import main
from layers.site_history import KINDS

PRIVATE_BUYER = "TWELVE OAKS PARTNERS LLC"  # who bought the city's parcel (layer_edits)


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory, profile: Profile) -> tuple[Path, Path]:
    """The history and the site published from it with no SRC (its newest snapshot)."""
    base = tmp_path_factory.mktemp("publish-changes")
    folder = sample_history(base / "history", profile)
    out = base / "site"
    assert main(["publish", "--history", str(folder), "--out", str(out), "--quiet"]) == 0
    return folder, out


def read(site: Path, name: str) -> dict[str, object]:
    value = json.loads((site / name).read_text("utf-8"))
    assert isinstance(value, dict)
    return value


def changes_file(site: Path) -> dict[str, object]:
    """The changes file the site names in its ``site.json``."""
    summary = read(site, "data/site.json")["changes"]
    assert isinstance(summary, dict)
    return read(site, str(summary["file"]))


def test_the_site_lists_the_changes_the_flips_first(
    folders: tuple[Path, Path], profile: Profile
) -> None:
    """site.json sums the changes up (dates, counts, flips per version, the file); the file
    lists every changed parcel, each version's order its own flips first, the verdicts as
    codes; a parcel that is gone has no id on the site, the others their row."""
    _, site = folders
    summary = read(site, "data/site.json")["changes"]
    assert isinstance(summary, dict)
    assert (summary["before"], summary["after"], summary["parcels"]) == (*DATES, len(EXPECTED))
    assert summary["flips"] == {v: 2 for v in profile.policies} and summary["kinds"] == list(KINDS)
    data = changes_file(site)
    apns: list[str] = data["apn"]  # type: ignore[assignment]
    assert set(apns) == set(EXPECTED)
    order: dict[str, list[int]] = data["order"]  # type: ignore[assignment]
    for version, flips in (("nov2025", FLIPS), ("lots_only", LOTS_ONLY_FLIPS)):
        assert {apns[i] for i in order[version][: len(flips)]} == set(flips)
        assert {apns[i] for i in data["flipped"][version]} == set(flips)  # type: ignore[index]
        verdicts = data["verdicts"][version]  # type: ignore[index]
        for apn, (before, after) in flips.items():
            pair = verdicts[apns.index(apn)]
            assert pair == [VERDICTS.index(before), VERDICTS.index(after)]  # type: ignore[arg-type]
    rows: list[int | None] = data["row"]  # type: ignore[assignment]
    assert all(rows[apns.index(apn)] is None for apn in RETIRED)
    newest = read_snapshot(history.snapshots(folders[0])[-1], profile)
    on_site = newest.column("apn").to_pylist()
    assert all(on_site[r] == apn for apn, r in zip(apns, rows, strict=True) if r is not None)


def test_no_private_owner_is_named(folders: tuple[Path, Path], profile: Profile) -> None:
    """Neither the changes file nor any other text file of the site names a private owner
    of a changed parcel (the city's parcel sold to a firm reads as "owner")."""
    folder, site = folders
    old, new = (read_snapshot(p, profile) for p in history.snapshots(folder))
    owners = set(old.column("owner").to_pylist()) | set(new.column("owner").to_pylist())
    private = {o for o in owners if o and "CITY OF SACRAMENTO" not in o.upper()}
    text = json.dumps(changes_file(site), ensure_ascii=False).upper()
    assert PRIVATE_BUYER in owners and not [o for o in private if o.upper() in text]
    for path in site.rglob("*"):
        if path.suffix in (".json", ".html", ".geojson"):
            assert PRIVATE_BUYER not in path.read_text("utf-8").upper(), path


def test_the_page_has_the_section_and_the_card_knows_what_changed(
    folders: tuple[Path, Path],
) -> None:
    """Each language's page has the section, its heading with both dates, in that
    language (the embedded map has none); a changed parcel's card shard says how."""
    _, site = folders
    for page in ("", "es/", "hmn/"):
        html = (site / page / "index.html").read_text("utf-8")
        lang = page.strip("/") or "en"
        heading = translator(lang)("site.changes_header", before=DATES[0], after=DATES[1])
        assert 'id="changes-fold"' in html and heading in html
    assert 'id="changes"' not in (site / "embed.html").read_text("utf-8")
    data = changes_file(site)
    manifest = read(site, "data/cards/index.json")
    for apn, kind in ((SOLD_BY_CITY, "owner"), (CITY_LOT, "land_use")):
        row = data["row"][data["apn"].index(apn)]  # type: ignore[index,union-attr]
        shard = read(site, f"data/cards/{manifest['folder']}/cards-{row // manifest['rows']}.json")
        bits = shard["changed"][row - shard["first"]]  # type: ignore[index,operator]
        assert bits == 1 << KINDS.index(kind)
    words = read(site, "data/words-es.json")["words"]
    assert isinstance(words, dict) and words["change.owner"] == translator("es")("change.owner")


def test_one_snapshot_lists_nothing_and_no_source_is_refused(
    folders: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A history of one snapshot publishes it with no section and no file; neither SRC nor
    ``--history`` is refused, as is a history with no snapshot."""
    first = tmp_path / "first"
    first.mkdir()
    shutil.copy(history.snapshots(folders[0])[0], first)
    out = tmp_path / "site"
    capsys.readouterr()
    assert main(["publish", "--history", str(first), "--out", str(out), "--quiet"]) == 0
    assert "none to list yet" in capsys.readouterr().out
    assert read(out, "data/site.json")["changes"] is None
    assert not (out / "data" / "changes").exists()
    assert 'id="changes"' not in (out / "index.html").read_text("utf-8")
    assert main(["publish", "--out", str(tmp_path / "no")]) == EXIT_BAD_INPUT
    assert "--history" in capsys.readouterr().err
    empty = tmp_path / "empty"
    empty.mkdir()
    assert (
        main(["publish", "--history", str(empty), "--out", str(tmp_path / "no")]) == EXIT_BAD_INPUT
    )
    assert not (tmp_path / "no").exists()
