"""``civicmap publish``: what the static site's folder holds (the browser test drives it)."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pytest

from geo.analysis import analyse
from geo.i18n import LANGUAGES
from geo.policy.codes import CATEGORIES
from geo.profile import Profile, load_profile
from geo.sources import read_parcels
from layers.cli import main
from layers.publish import SITE_KEYS, VENDOR_FILES, site_zip


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, profile: Profile) -> Path:
    out = tmp_path_factory.mktemp("publish") / "site"
    assert main(["publish", str(profile.sample_path()), "--out", str(out), "--quiet"]) == 0
    return out


def read(site: Path, name: str) -> object:
    return json.loads((site / "data" / name).read_text("utf-8"))


def test_each_version_has_a_category_per_parcel_id(site: Path, profile: Profile) -> None:
    """One digit per parcel in each version; the narrow draft covers fewer parcels."""
    parcels = read_parcels(profile.sample_path(), profile)
    cats = read(site, "categories.json")
    assert isinstance(cats, dict)
    assert cats["categories"] == [c.value for c in CATEGORIES]
    assert set(cats["codes"]) == set(profile.policies)
    for codes in cats["codes"].values():
        assert len(codes) == len(parcels) and set(codes) <= {"0", "1", "2", "3"}
    other_city = str(CATEGORIES.index(CATEGORIES[1]))  # city_other: covered only under "all"
    assert cats["codes"]["lots_only"].count(other_city) < cats["codes"]["nov2025"].count(other_city)


def test_the_search_index_and_words_are_there(site: Path, profile: Profile) -> None:
    """Every parcel's APN and address in the search's shards, the landmarks in its manifest,
    and every word in three languages."""
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
    words = read(site, "words.json")
    assert isinstance(words, dict) and set(words) == set(LANGUAGES)
    for lang in LANGUAGES:
        assert set(words[lang]) == set(SITE_KEYS)
        assert all(text and text != key for key, text in words[lang].items())
    assert "track" in words["en"]["privacy.text"]


def test_the_page_loads_nothing_from_elsewhere(site: Path) -> None:
    """index.html and site.js name only files in the folder; the vendored files are there."""
    page = (site / "index.html").read_text("utf-8")
    script = (site / "site.js").read_text("utf-8")
    for text in (page, script):
        assert not re.search(r"(?:src|href)=\"(?:https?:)?//", text)
        assert "http://" not in text and "https://" not in text
    for name in VENDOR_FILES:
        assert (site / "vendor" / name).stat().st_size > 0
    assert (site / "parcels.pmtiles").read_bytes()[:7] == b"PMTiles"


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
        assert {"site/index.html", "site/parcels.pmtiles", "site/data/categories.json"} <= names
        assert archive.getinfo("site/parcels.pmtiles").compress_type == zipfile.ZIP_STORED
        assert b"<html" in archive.read("site/index.html")
