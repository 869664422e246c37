"""The published site's search in shards (``layers.site_search`` and ``search_index.js``).

The scheme is checked on a synthetic county of 50,000 parcels (``bench/synth.py``): every key
is in exactly one shard, every APN and address is found in its shard, the shards stay under
their budget. The browser's half runs in Node on the written files, so the keys it computes
and the shards it downloads are the real ones.
"""

from __future__ import annotations

import json
import random
import subprocess
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
from bench_support import load_bench
from hypothesis import given
from hypothesis import strategies as st
from parcel_helpers import REPO

from geo.profile import Profile
from geo.sources import read_parcels
from layers.cli import main
from layers.site_search import (
    KINDS,
    MANIFEST,
    SHARD_BYTES,
    address_key,
    address_parts,
    apn_key,
    build_index,
    cut_points,
    search_indexes,
    separator,
    shard_name,
    shard_of,
    write_search,
)
from layers.static_files import STATIC_DIR

County = tuple[gpd.GeoDataFrame, np.ndarray]

PARCELS = 50_000
RUNNER = REPO / "bench" / "site_search_node.mjs"
MODULE = (STATIC_DIR / "search_index.js").as_uri()
TRICKY = [
    "006-0602-005-0000",
    " 006 0602 005 ",
    "ABC-12x",
    "1201 I Street, Sacramento, CA",
    "1201 i st",
    "10TH ST",
    "2nd Avenue",
    "1201A  N. Main   Blvd",
    "Peña Way",
    "Ÿ́ünïcödé Str",
    "Ｆｕｌｌ ｗｉｄｔｈ ２０ ＳＴ",
    "K\u212a Kelvin",
    "İstanbul Ct",
    "ﬁve ﬂowers Ln",
    "1/2 B ST",
    "#200, UNIT 5",
    "1201",
    "   ",
    "",
    "constructor",
    "1 constructor",
    "12 toString",
    "a\tb\nc",
    "{{ 7*7 }} <b>x</b>",
]


def run_node(site: Path | None, queries: list[str], texts: list[str]) -> dict[str, list]:
    """Run ``search_index.js`` in Node: each query searched afresh, each text's keys."""
    payload = {"module": MODULE, "site": str(site) if site else None, "queries": queries,
               "texts": texts, "street_types": {"street": "st"}}  # fmt: skip
    done = subprocess.run(
        ["node", str(RUNNER)], input=json.dumps(payload), capture_output=True, text=True,
        timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def county() -> County:
    """50,000 synthetic parcels with the columns the site indexes, and a point for each."""
    raw = load_bench("synth").synthetic_parcels(PARCELS)
    parcels = gpd.GeoDataFrame(
        {"apn": raw["APN_DASH"], "address": raw["STREET_NBR"] + " " + raw["STREET_NAM"]},
        geometry=raw.geometry,
    )
    centre = raw.geometry.centroid
    return parcels, np.column_stack([centre.x.to_numpy(), centre.y.to_numpy()])


@pytest.fixture(scope="module")
def county_site(tmp_path_factory: pytest.TempPathFactory, county: County) -> Path:
    """The county's search written as publish writes it (``site/data/search/``)."""
    site = tmp_path_factory.mktemp("county") / "site"
    (site / "data").mkdir(parents=True)
    parcels, points = county
    write_search(site / "data", parcels, points, [{"name": "Moss", "lat": 38.5, "lon": -121.5}])
    return site


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory: pytest.TempPathFactory, profile: Profile) -> Path:
    out = tmp_path_factory.mktemp("publish") / "site"
    assert main(["publish", str(profile.sample_path()), "--out", str(out), "--quiet"]) == 0
    return out


def manifest_of(site: Path) -> dict:
    return json.loads((site / "data" / "search" / MANIFEST).read_text("utf-8"))


def shard_files(site: Path, kind: str) -> list[Path]:
    manifest = manifest_of(site)
    folder = site / "data" / "search" / manifest["folder"]
    return [folder / shard_name(kind, i) for i in range(len(manifest[kind]["bounds"]))]


def test_keys_fold_spellings_together() -> None:
    assert apn_key("006-0602-005-0000") == apn_key("006 0602 005 0000") == "00606020050000"
    assert address_parts("1201 I Street, Sacramento") == ("1201", "i st")
    assert address_parts("10th St") == ("", "10th st")  # a numbered street, not a number
    assert address_parts("Peña Way") == ("", "pena way")
    assert address_key("1201 i st") == "i st\t00001201"
    assert address_key("  ") == ""


def test_a_shard_boundary_is_the_shortest_string_between() -> None:
    assert separator("00606020050000", "00607010010000") == "00607"
    assert separator("ab", "abc") == "abc"
    assert "ab" < separator("ab", "abc") <= "abc"


def test_equal_keys_stay_in_one_shard() -> None:
    keys = ["a", "b", "b", "b", "b", "c"]
    assert cut_points(keys, [40] * 6, 150) == [0, 5]  # the run of b's runs over the budget
    assert cut_points([], [], 150) == []


@given(st.lists(st.text(alphabet="ab\t 0", max_size=6), max_size=60), st.integers(70, 400))
def test_any_key_goes_to_exactly_one_shard(keys: list[str], budget: int) -> None:
    """Bounds rise strictly; every record's key falls between its shard's bound and the next."""
    records: dict[str, list[object]] = {"row": list(range(len(keys))), "apn": [*keys],
        "address": [*keys], "lon": [0.0] * len(keys), "lat": [0.0] * len(keys)}  # fmt: skip
    index = build_index(keys, records, budget)
    assert index.bounds == sorted(set(index.bounds))
    assert not index.bounds or index.bounds[0] == ""
    placed: list[int] = []
    for i, shard in enumerate(index.shards):
        for row in shard["row"]:
            assert isinstance(row, int) and shard_of(index.bounds, keys[row]) == i
            placed.append(row)
    assert sorted(placed) == [i for i, k in enumerate(keys) if k]


def test_every_county_key_is_in_exactly_one_shard(county: County) -> None:
    """Every parcel is in the APN index once and in the address index once, in key order."""
    parcels, points = county
    indexes = search_indexes(parcels, points)
    for kind, key in (("apn", apn_key), ("address", address_key)):
        index = indexes[kind]
        assert len(index.shards) > 10
        assert index.bounds[0] == "" and index.bounds == sorted(set(index.bounds))
        rows: list[int] = []
        for i, shard in enumerate(index.shards):
            keys = [key(text) for text in shard[kind]]
            assert keys == sorted(keys)
            assert {shard_of(index.bounds, k) for k in keys} == {i}
            rows += [int(str(r)) for r in shard["row"]]
        assert sorted(rows) == list(range(PARCELS))


def test_every_apn_and_address_is_found_in_its_shard(county_site: Path, county: County) -> None:
    parcels, _ = county
    manifest = manifest_of(county_site)
    for kind, key in (("apn", apn_key), ("address", address_key)):
        shards = [json.loads(p.read_text("utf-8")) for p in shard_files(county_site, kind)]
        held = [dict(zip(s["row"], s[kind], strict=True)) for s in shards]
        for row, text in enumerate(parcels[kind]):
            assert held[shard_of(manifest[kind]["bounds"], key(text))][row] == text


def test_county_shards_are_small(county_site: Path) -> None:
    """Each shard under its 64 KB budget; the manifest a few KB; nothing else left there."""
    for kind in KINDS:
        sizes = [p.stat().st_size for p in shard_files(county_site, kind)]
        assert max(sizes) <= SHARD_BYTES
        assert min(sizes[:-1]) > SHARD_BYTES * 0.9  # full shards: no more files than needed
    assert (county_site / "data" / "search" / MANIFEST).stat().st_size < 8_000
    written = {p for kind in KINDS for p in shard_files(county_site, kind)}
    assert set((county_site / "data" / "search").rglob("*.json")) == {
        *written,
        county_site / "data" / "search" / MANIFEST,
    }


def test_the_browser_folds_text_as_publish_does(county: County) -> None:
    """Node's keys equal Python's for odd text and for a sample of the county's addresses."""
    parcels, _ = county
    texts = [*TRICKY, *random.Random(3).sample(parcels["address"].tolist(), 500)]
    keys = run_node(None, [], texts)["keys"]
    for text, got in zip(texts, keys, strict=True):
        number, street = address_parts(text, {"street": "st"})
        assert got["apn"] == apn_key(text), text
        assert (got["parts"]["number"], got["parts"]["street"]) == (number, street), text
        assert got["address"] == address_key(text, {"street": "st"}), text


def test_an_apn_is_told_from_an_address() -> None:
    """Digits and no word of letters alone is tried as an APN first; anything else as an address."""
    texts = {"006 0602 005": True, "0070111017": True, "12A-345": True, "1201": True,
             "1201 I St": False, "i st": False, "Moss": False, "ABC-123": False}  # fmt: skip
    keys = run_node(None, [], list(texts))["keys"]
    assert [k["apn_like"] for k in keys] == list(texts.values())


def test_one_county_search_downloads_one_shard(county_site: Path, county: County) -> None:
    """An APN in three spellings, and an address as typed, each read from one shard only."""
    parcels, _ = county
    rows = random.Random(7).sample(range(PARCELS), 150)
    queries = []
    for row in rows:
        apn = parcels["apn"].iloc[row]
        number, street = parcels["address"].iloc[row].split(" ", 1)
        queries += [apn, apn.replace("-", " "), apn.replace("-", ""), apn.replace("-", "")[:10],
                    f"{number} {street.title()}".replace(" Ave", " Avenue")]  # fmt: skip
    found = run_node(county_site, queries, [])["found"]
    manifest = manifest_of(county_site)
    folder = manifest["folder"]

    def apn_shard(hit: dict) -> int:
        return shard_of(manifest["apn"]["bounds"], apn_key(hit["apn"]))

    def address_shard(hit: dict) -> int:
        return shard_of(manifest["address"]["bounds"], address_key(hit["address"]))

    for i, row in enumerate(rows):
        for spelling in found[5 * i : 5 * i + 4]:
            assert spelling["hit"]["apn"] == parcels["apn"].iloc[row]
            assert spelling["loaded"] == [f"{folder}/apn-{apn_shard(spelling['hit'])}.json"]
        by_address = found[5 * i + 4]
        assert by_address["hit"]["address"] == parcels["address"].iloc[row]
        assert by_address["loaded"] == [f"{folder}/address-{address_shard(by_address['hit'])}.json"]


def test_an_apn_between_two_shards_reads_one(county_site: Path) -> None:
    """A key above a shard's last key but below the next bound is nowhere: one APN shard read."""
    shards = [json.loads(p.read_text("utf-8")) for p in shard_files(county_site, "apn")]
    queries = [apn_key(shard["apn"][-1]) + "1" for shard in shards[:-1]]
    for answer in run_node(county_site, queries, [])["found"]:
        assert answer["hit"] is None
        assert len([name for name in answer["loaded"] if "/apn-" in name]) == 1


def test_the_sample_site_answers_every_kind_of_query(sample_site: Path, profile: Profile) -> None:
    """Every APN of the sample; addresses whole, by street alone, by a street's beginning; a
    landmark; nothing for nonsense."""
    parcels = read_parcels(str(profile.sample_path()), profile)
    apns = parcels["apn"].astype(str).tolist()
    queries = [*apns, "1201 I Street", "i st", "1201 i", "capitol", "moss federal", "zz top 9"]
    found = run_node(sample_site, queries, [])["found"]
    for apn, answer in zip(apns, found, strict=False):
        assert answer["hit"]["apn"] == apn and len(answer["loaded"]) == 1
    whole, street, partial, begins, mark, none = (f["hit"] for f in found[len(apns) :])
    assert whole["address"] == "1201 I ST"
    assert street["address"].endswith(" I ST")
    assert partial["address"] == "1201 I ST"
    assert begins["address"].split(" ", 1)[1].startswith("CAPITOL")
    assert mark["landmark"] == "Moss Federal Building"
    assert none is None
    assert parcels["apn"].iloc[whole["row"]] == whole["apn"]


def test_publishing_again_replaces_the_shards(tmp_path: Path, county: County) -> None:
    """A second publish leaves one shard folder, and no one-file index of an older site."""
    parcels, points = county
    data = tmp_path / "data"
    (data / "search" / "0123abcd").mkdir(parents=True)
    (data / "search.json").write_text("{}")
    small = parcels.iloc[:2000]
    first = write_search(data, small, points[:2000], [])
    second = write_search(data, small.iloc[::-1].reset_index(drop=True), points[:2000], [])
    assert first["folder"] != second["folder"]
    assert [p.name for p in (data / "search").iterdir() if p.is_dir()] == [second["folder"]]
    assert not (data / "search.json").exists()
    assert not list(data.rglob("*.part"))
