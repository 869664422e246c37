"""The published site's answer cards (``layers.site_cards`` and ``site_cards.js``).

The browser's half runs in Node on the published sample: for parcels of every category,
under every policy version and in every language, the card gives the very reasons that
``civicmap check --lang L --policy V`` prints, and the owner as the app's card names it.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from parcel_helpers import REPO

from geo.i18n import LANGUAGES, translator
from geo.policy import CATEGORIES, category_of
from geo.profile import Profile
from layers.cli import main
from layers.site_cards import CARD_ROWS
from layers.static_files import STATIC_DIR

RUNNER = Path(__file__).with_name("site_cards_node.mjs")
Row = dict[str, object]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, profile: Profile) -> Path:
    out = tmp_path_factory.mktemp("cards") / "site"
    assert main(["publish", str(profile.sample_path()), "--out", str(out), "--quiet"]) == 0
    return out


def run_cards(site: Path, asks: list[Row]) -> list[dict[str, object]]:
    """The card models site_cards.js makes for each ask, and the files each read."""
    payload = {
        "cards": (STATIC_DIR / "site_cards.js").as_uri(),
        "words": (STATIC_DIR / "site_words.js").as_uri(),
        "site": str(site),
        "asks": asks,
    }
    done = subprocess.run(
        ["node", str(RUNNER)],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
        timeout=120,
    )
    return json.loads(done.stdout)


def check_json(capsys: pytest.CaptureFixture[str], args: list[str]) -> list[Row]:
    """What ``civicmap check ... --format json`` prints."""
    capsys.readouterr()
    assert main(["check", *args, "--format", "json", "--quiet"]) == 0
    return json.loads(capsys.readouterr().out)


def picked_per_category(table: list[Row], each: int = 2) -> list[str]:
    """``each`` APNs of every map category present in a check table."""
    out: list[str] = []
    for category in CATEGORIES:
        rows = [r for r in table if category_of(str(r["verdict"]), str(r["site_kind"])) == category]
        out += [str(r["apn"]) for r in rows[:each]]
    return out


def test_cards_say_what_check_says_for_every_category_version_and_language(
    site: Path, profile: Profile, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two parcels of each category under each version, in each language: the verdict and
    the three reasons ``civicmap check`` prints, the owner named as the app's card names it
    (a private owner is "name not shown"), and only the manifest, the card's shard and the
    language's sentences read."""
    src = str(profile.sample_path())
    row_of = {str(r["apn"]): i for i, r in enumerate(check_json(capsys, [src]))}
    asks: list[Row] = []
    expected: list[Row] = []
    for version in profile.policies:
        picked = picked_per_category(check_json(capsys, [src, "--policy", version]))
        assert len(picked) >= 6, (version, picked)  # the sample has all four categories
        for lang in LANGUAGES:
            args = [src, "--policy", version, "--lang", lang]
            for apn in picked:
                args += ["--apn", apn]
            answers = {str(r["apn"]): r for r in check_json(capsys, args)}
            for apn in picked:
                asks.append({"row": row_of[apn], "version": version, "lang": lang})
                expected.append(answers[apn])
    for ask, answer, card in zip(asks, expected, run_cards(site, asks), strict=True):
        model = card["model"]
        assert isinstance(model, dict)
        t = translator(str(ask["lang"]))
        assert model["apn"] == answer["apn"]
        assert model["verdict"] == answer["verdict"], ask
        assert model["verdictText"] == t(f"verdict.{answer['verdict']}")
        assert model["reasons"] == answer["reasons"], ask
        assert f"{answer['land_use'] or t('card.blank')} " in str(model["facts"])  # code, label
        if answer["owner_class"] == "private":
            assert answer["owner"] == t("owner_class.private")
            assert t("card.name_hidden") in str(model["facts"])
        else:
            assert str(answer["owner"]) in str(model["facts"])
        shard = int(str(ask["row"])) // CARD_ROWS
        assert sorted(card["loaded"]) == sorted(  # type: ignore[arg-type]
            [
                "index.json",
                f"{_folder(site)}/cards-{shard}.json",
                f"{_folder(site)}/words-{ask['lang']}.json",
            ]
        )


def _folder(site: Path) -> str:
    return str(json.loads((site / "data" / "cards" / "index.json").read_text("utf-8"))["folder"])


def test_a_card_shard_holds_no_private_name(site: Path, profile: Profile) -> None:
    """A private owner's name never reaches the published files (the profile keeps names
    private): its cards carry null where the name would be."""
    folder = site / "data" / "cards" / _folder(site)
    shards = [json.loads(p.read_text("utf-8")) for p in sorted(folder.glob("cards-*.json"))]
    classes = json.loads((site / "data" / "cards" / "index.json").read_text("utf-8"))["classes"]
    private = classes.index("private")
    owners = [
        (o, c) for shard in shards for o, c in zip(shard["owner"], shard["class"], strict=True)
    ]
    assert owners and all((o is None) == (c == private) for o, c in owners)
    text = "".join(p.read_text("utf-8") for p in site.rglob("*.json"))
    from geo.sources import read_parcels

    parcels = read_parcels(str(profile.sample_path()), profile)
    from geo.analysis import analyse

    names = analyse(parcels, profile).parcels.query("owner_class == 'private'")["owner"]
    assert not any(f'"{name}"' in text for name in names.dropna().unique()[:50])
