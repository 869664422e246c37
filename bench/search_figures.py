"""What the published site's search downloads, on a synthetic county (``bench/synth.py``).

Publishes the county (``civicmap publish``, tiles and all) unless ``--site`` names a folder
already published, then prints one line per figure: the shards of each index, the largest
shard, the manifest, and the bytes one search downloads (the manifest and the shards that
``static/app/search_index.js``, run in Node, asks for) for APNs and addresses of random
parcels, each searched afresh. Bytes are the files' sizes, before any compression a host
adds.

Run ``python bench/search_figures.py --n 500000 [--workdir DIR] [--site DIR]``.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import _support  # noqa: E402
import synth  # noqa: E402  (bench/ is not a package)

from layers.cli import main as civicmap  # noqa: E402
from layers.site_search import KINDS, MANIFEST, shard_name  # noqa: E402

REPO = _support.ROOT
RUNNER = REPO / "bench" / "site_search_node.mjs"
MODULE = (REPO / "static" / "app" / "search_index.js").as_uri()
DEFAULT_WORKDIR = _support.DEFAULT_WORKDIR


def searched_bytes(site: Path, queries: list[str]) -> list[tuple[bool, int, int]]:
    """For each query searched afresh in Node: (found, files read, bytes read)."""
    payload = {"module": MODULE, "site": str(site), "queries": queries}
    done = subprocess.run(
        ["node", str(RUNNER)],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    search = site / "data" / "search"
    manifest = (search / MANIFEST).stat().st_size
    out = []
    for answer in json.loads(done.stdout)["found"]:
        read = sum((search / name).stat().st_size for name in answer["loaded"])
        out.append((answer["hit"] is not None, 1 + len(answer["loaded"]), manifest + read))
    return out


def publish(n: int, seed: int, workdir: Path) -> Path:
    """Publish the synthetic county of ``n`` parcels (generated once into ``workdir``)."""
    folder = workdir / f"synth-n{n}-seed{seed}"
    source = folder / synth.ZIP_NAME
    if not source.exists():
        synth.generate(n, folder, seed)
    site = workdir / f"site-n{n}-seed{seed}"
    start = time.perf_counter()
    assert civicmap(["publish", str(source), "--out", str(site), "--quiet"]) == 0
    print(f"publish_seconds {time.perf_counter() - start:.1f}")
    return site


def line(name: str, value: float, unit: str, detail: str = "") -> None:
    print(f"{name} {value:,.0f} {unit}" + (f"  ({detail})" if detail else ""))


def report(site: Path, samples: int, seed: int) -> None:
    """Print the figures of a published folder (queries from its own shards)."""
    search = site / "data" / "search"
    manifest = json.loads((search / MANIFEST).read_text("utf-8"))
    folder = search / manifest["folder"]
    line("parcels", manifest["parcels"], "")
    line("manifest_bytes", (search / MANIFEST).stat().st_size, "B")
    for kind in KINDS:
        sizes = [
            (folder / shard_name(kind, i)).stat().st_size
            for i in range(len(manifest[kind]["bounds"]))
        ]
        line(f"{kind}_shards", len(sizes), "")
        line(
            f"{kind}_largest_shard_bytes",
            max(sizes),
            "B",
            f"median {statistics.median(sizes):,.0f}",
        )
        line(f"{kind}_all_shards_bytes", sum(sizes), "B")
    line("one_file_index_bytes", one_file_bytes(site), "B", "data/search.json before the shards")
    rows = random.Random(seed).sample(range(manifest["parcels"]), samples)
    apns, addresses = _queries(site, rows)
    streets = [a.split(" ", 1)[-1] for a in addresses]  # a street alone: its first parcel
    for name, queries in (("apn", apns), ("address", addresses), ("street", streets)):
        results = searched_bytes(site, queries)
        found = sum(r[0] for r in results)
        sizes = [r[2] for r in results]
        files = max(r[1] for r in results)
        detail = f"median; max {max(sizes):,}, at most {files} files; {found}/{len(results)} found"
        line(f"one_{name}_search_bytes", statistics.median(sizes), "B", detail)


def one_file_bytes(site: Path) -> int:
    """The size the one-file index of earlier sites (``data/search.json``) would have."""
    search = site / "data" / "search"
    manifest = json.loads((search / MANIFEST).read_text("utf-8"))
    columns: dict[str, dict[int, object]] = {"apn": {}, "address": {}, "lon": {}, "lat": {}}
    for i in range(len(manifest["apn"]["bounds"])):
        shard = json.loads((search / manifest["folder"] / shard_name("apn", i)).read_text("utf-8"))
        for name, values in columns.items():
            values.update(zip(shard["row"], shard[name], strict=True))
    whole = {name: [v[r] for r in sorted(v)] for name, v in columns.items()}
    text = json.dumps({**whole, "landmarks": manifest["landmarks"]}, separators=(",", ":"))
    return len(text.encode("utf-8"))


def _queries(site: Path, rows: list[int]) -> tuple[list[str], list[str]]:
    """The given parcels' APNs with spaces for dashes, and addresses in title case.

    They are read back from the site's own APN shards.
    """
    search = site / "data" / "search"
    manifest = json.loads((search / MANIFEST).read_text("utf-8"))
    by_row: dict[int, tuple[str, str]] = {}
    for i in range(len(manifest["apn"]["bounds"])):
        shard = json.loads((search / manifest["folder"] / shard_name("apn", i)).read_text("utf-8"))
        by_row.update(
            zip(shard["row"], zip(shard["apn"], shard["address"], strict=True), strict=True)
        )
    apns = [by_row[r][0].replace("-", " ") for r in rows]
    addresses = [by_row[r][1].title() for r in rows]
    return apns, addresses


def main(argv: Sequence[str] | None = None) -> int:
    """Publish (or take) a site and print its search figures."""
    parser = argparse.ArgumentParser(prog="python bench/search_figures.py")
    parser.add_argument("--n", type=int, default=500_000, help="parcels in the synthetic county")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR)
    parser.add_argument("--site", type=Path, help="a folder already published (nothing built)")
    parser.add_argument("--samples", type=int, default=200, help="parcels searched")
    args = parser.parse_args(argv)
    if args.site is None:
        args.workdir.mkdir(parents=True, exist_ok=True)
        args.site = publish(args.n, args.seed, args.workdir)
    report(args.site, args.samples, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
