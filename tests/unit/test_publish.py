"""``civicmap publish``: what the static site's folder holds (the browser test drives it)."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pytest

from geo.analysis import analyse
from geo.i18n import LANGUAGES, load_catalog, translator
from geo.policy.codes import CATEGORIES
from geo.profile import Profile, load_profile
from geo.sources import read_parcels
from layers.cli import main
from layers.publish import ENTRY_PAGES, VENDOR_FILES, site_zip
from layers.site_words import review_state, site_keys


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, profile: Profile) -> Path:
    out = tmp_path_factory.mktemp("publish") / "site"
    assert main(["publish", str(profile.sample_path()), "--out", str(out), "--quiet"]) == 0
    return out


def read(site: Path, name: str) -> object:
    return json.loads((site / "data" / name).read_text("utf-8"))


def test_each_version_category_is_baked_into_the_city_layer(site: Path, profile: Profile) -> None:
    """Every city-layer feature of the archive carries each version's category (c0, c1...);
    the narrow draft covers fewer parcels; no per-parcel file is read before the map."""
    config = read(site, "site.json")
    assert isinstance(config, dict)
    assert [v["id"] for v in config["versions"]] == list(profile.policies)
    props = {v["id"]: v["property"] for v in config["versions"]}
    assert config["categories"] == [c.value for c in CATEGORIES]
    assert not (site / "data" / "categories.json").exists()
    features = city_features(site / "parcels.pmtiles")
    assert features and all(set(props.values()) <= set(f) for f in features)
    other_city = CATEGORIES.index(CATEGORIES[1])  # city_other: covered only under "all"
    narrow = sum(f[props["lots_only"]] == other_city for f in features)
    wide = sum(f[props["nov2025"]] == other_city for f in features)
    assert narrow < wide


def city_features(archive: Path) -> list[dict[str, object]]:
    """The properties of the city layer's features in the archive's deepest tiles."""
    import gzip

    import mapbox_vector_tile
    from pmtiles.reader import MmapSource, all_tiles

    out = []
    with archive.open("rb") as handle:
        for (z, _x, _y), data in all_tiles(MmapSource(handle)):
            if z != 14:
                continue
            layers = mapbox_vector_tile.decode(gzip.decompress(data))
            out += [f["properties"] for f in layers.get("city", {}).get("features", [])]
    return out


def test_the_search_index_and_words_are_there(site: Path, profile: Profile) -> None:
    """Every parcel's APN and address in the search's shards, the landmarks in its manifest,
    and every word in each language's file, with its review count."""
    parcels = read_parcels(profile.sample_path(), profile)
    manifest = read(site, "search/index.json")
    assert isinstance(manifest, dict) and manifest["parcels"] == len(parcels)
    assert not (site / "data" / "search.json").exists()  # no longer one file of everything
    for kind in ("apn", "address"):
        bounds = manifest[kind]["bounds"]
        assert len(bounds) >= 2  # even the sample is in more than one shard
        folder = f"search/{manifest['folder']}"
        shards = [read(site, f"{folder}/{kind}-{i}.json") for i in range(len(bounds))]
        rows = sorted(r for shard in shards for r in shard["row"])  # type: ignore[index]
        assert rows == list(range(len(parcels)))
    first = read(site, f"search/{manifest['folder']}/apn-0.json")
    assert isinstance(first, dict) and set(first) == {"row", "apn", "address", "lon", "lat"}
    assert first["apn"][0] == parcels["apn"].astype(str).min()
    assert any("Moss" in m["name"] for m in manifest["landmarks"])
    keys = set(site_keys())
    for lang in LANGUAGES:
        words = read(site, f"words-{lang}.json")
        assert isinstance(words, dict) and words["lang"] == lang
        assert set(words["words"]) == keys
        assert all(text and text != key for key, text in words["words"].items())
        titles = [v["title"] for v in words["versions"]]
        assert titles == [v.text("title", lang) for v in profile.policies.values()]
        review = words["review"]
        assert (review["unreviewed"] == 0) == (lang == "en")  # every es, hmn entry is fuzzy
        assert review["total"] == len(load_catalog("en")[0])
    assert "track" in read(site, "words-en.json")["words"]["privacy.text"]  # type: ignore[index]
    assert read(site, "words-es.json")["versions"][0]["title"] == "Propuesta de noviembre de 2025"  # type: ignore[index]


def test_each_language_has_its_page(site: Path) -> None:
    """index.html, es/ and hmn/: the page's language, hreflang links to the others, the
    first screen's words in that language, the sample's notice, and for an unreviewed
    language the notice and the link to how to review it."""
    for lang, page in ENTRY_PAGES.items():
        html = (site / page / "index.html").read_text("utf-8")
        t = translator(lang)
        assert f'<html lang="{lang}">' in html
        assert all(f'hreflang="{code}"' in html for code in LANGUAGES)
        assert t("site.search_help") in html and t("map.illustrative") in html
        shown = '<p id="review" class="notice">' in html  # hidden for a reviewed language
        assert shown == (lang != "en")
        assert (
            not shown
            or t(
                "site.unreviewed",
                count=review_state(lang)["unreviewed"],
                total=review_state(lang)["total"],
            )
            in html
        )
        assets = re.search(r'href="((?:\.\./)?assets/[0-9a-f]+/)site\.css"', html)
        assert assets and assets.group(1).startswith("../" if page else "assets/")
    assert "fuzzy" in (site / "translating.html").read_text("utf-8")


def test_places_and_zone_are_explained_in_each_language(site: Path) -> None:
    """The places to assemble with their capacities and rules (citations kept), and the
    zone's explanation, in every language."""
    data = read(site, "places.json")
    assert isinstance(data, dict) and data["places"]
    for lang in LANGUAGES:
        assert data["zone"][lang] and "m²" in data["zone"][lang]
        assert all(lang in p["words"] for p in data["places"])
    hall = [p for p in data["places"] if any("12.74" in r[1] for r in p["words"]["es"]["rules"])]
    assert hall and hall[0]["words"]["es"]["rules"][0][0] != hall[0]["words"]["en"]["rules"][0][0]


def test_the_page_loads_nothing_from_elsewhere(site: Path) -> None:
    """index.html and site.js name only files in the folder; the vendored files are there."""
    page = (site / "index.html").read_text("utf-8")
    (assets,) = (site / "assets").iterdir()  # one folder, named by its files' digest
    scripts = [p.read_text("utf-8") for p in assets.glob("site*.js")]
    assert len(scripts) >= 8 and not (site / "site.js").exists()
    for text in (page, *scripts):
        text = text.replace("http://www.w3.org/2000/svg", "")  # a namespace, never fetched
        assert not re.search(r"(?:src|href)=\"(?:https?:)?//", text)
        assert "http://" not in text and "https://" not in text
    for name in VENDOR_FILES:
        assert (assets / "vendor" / name).stat().st_size > 0
    assert (site / "parcels.pmtiles").read_bytes()[:7] == b"PMTiles"


def test_without_a_history_there_is_no_changes_section(site: Path) -> None:
    """Published from a file alone: no changes in site.json, no changes file, no section."""
    assert read(site, "site.json")["changes"] is None  # type: ignore[index]
    assert not (site / "data" / "changes").exists()
    for page in ENTRY_PAGES.values():
        assert 'id="changes"' not in (site / page / "index.html").read_text("utf-8")


def test_publish_refuses_a_file_as_the_folder(tmp_path: Path, profile: Profile) -> None:
    (tmp_path / "taken").write_text("x")
    src = str(profile.sample_path())
    assert main(["publish", src, "--out", str(tmp_path / "taken"), "--quiet"]) == 2


def test_the_app_download_is_the_published_site_zipped() -> None:
    profile = load_profile()
    analysis = analyse(read_parcels(str(profile.sample_path()), profile), profile)
    data = site_zip(analysis, profile)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        assert {"site/index.html", "site/es/index.html", "site/parcels.pmtiles"} <= names
        assert "site/data/cards/index.json" in names
        assert archive.getinfo("site/parcels.pmtiles").compress_type == zipfile.ZIP_STORED
        assert b"<html" in archive.read("site/index.html")
