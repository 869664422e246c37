"""The published static site under a crowd: N simulated visitors at once, on loopback.

Publishes the site of a synthetic county (``bench/synth.py``, ``--n`` parcels; or
``--source FILE``; or serves ``--site DIR`` as it is) with ``civicmap publish``, serves it
with the project's own server (``civicmap serve``, here ``python -m layers serve``) in a separate
process on 127.0.0.1, and lets ``--visitors`` visitors loose on it at once. Each visitor,
with at most six connections as a browser has, loads what the page loads at start:
``index.html``; its style sheets and scripts (read from the page, with the modules they
import and MapLibre's worker); the data files ``site.js`` reads at start (not the search
index, read on the first search only); the PMTiles header and root directory (``Range:
bytes=0-16383``, as pmtiles.js asks); then the tiles of 3 random views (a random tile at
zoom 12-14 inside the data's bounds and the others a 1280×800 screen of 512-pixel tiles
around it shows), each leaf directory once and each tile by its byte range. The ranges are
found once before the crowd starts, with the ``pmtiles`` reader on the archive. A range
must come back ``206`` with exactly its length, any other file ``200`` with its size.

One figure a line: requests per second, p50/p95 request latency, p95 whole-visit time,
errors, bytes served, the server's peak RSS, and ``default_view_bytes`` (what one browser
loads for the site's opening view: the page, its files, the header and the opening view's
tiles, at zoom ``min_zoom + 2`` on the data's centre, as ``site.js`` opens it).

Run ``python bench/site_load.py [--visitors 500] [--n 500000] [--site DIR] [--keep]``.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import html.parser
import math
import mmap
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import _support
import crowd
import web_servers
from pmtiles.tile import (  # noqa: E402
    Entry,
    deserialize_directory,
    deserialize_header,
    find_tile,
    zxy_to_tileid,
)

ROOT = _support.ROOT
TILES_NAME = "parcels.pmtiles"  # layers.publish.TILES_NAME
HEAD_BYTES = 16_384  # pmtiles.js reads the header and root directory in one request
VIEW_ZOOMS = (12, 13, 14)
VIEWS = 3
SCREEN = (1280, 800)  # pixels; MapLibre draws vector tiles 512 pixels wide
TILE_PIXELS = 512
CONNECTIONS = 6  # a browser's connections to one host
MAX_VISITORS = 5_000
# read on the first search or the first card only
LAZY = frozenset({"data/search.json", "data/search/index.json"})
START_WORDS = "data/words-en.json"  # the page's language's words (index.html is English)
MAPLIBRE = "vendor/maplibre-gl/maplibre-gl.mjs"  # under the site's assets/<digest>/
MAPLIBRE_WORKER = "vendor/maplibre-gl/maplibre-gl-worker.mjs"  # started from beside it
_IMPORT = re.compile(r"""\bfrom\s*['"](\.{1,2}/[^'"]+)['"]""")
_GET_JSON = re.compile(r"""getJSON\(\s*['"]([^'"]+)['"]\s*\)""")


# --- the page's files ---------------------------------------------------------------------------


class _PageLinks(html.parser.HTMLParser):
    """The style sheets and scripts a page names, in order, and which scripts are modules."""

    def __init__(self) -> None:
        super().__init__()
        self.styles: list[str] = []
        self.scripts: list[str] = []
        self.modules: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "link" and found.get("rel") == "stylesheet" and found.get("href"):
            self.styles.append(str(found["href"]))
        elif tag == "script" and found.get("src"):
            self.scripts.append(str(found["src"]))
            if found.get("type") == "module":
                self.modules.append(str(found["src"]))


def _relative(base: str, name: str) -> str:
    """``name`` (``./x.mjs``) relative to the file ``base`` (``a/b.js``), as a site path."""
    parts = base.split("/")[:-1]
    for piece in name.split("/"):
        if piece == "..":
            parts = parts[:-1]
        elif piece not in (".", ""):
            parts.append(piece)
    return "/".join(parts)


@dataclass(frozen=True)
class PageFiles:
    """What the page loads at start, in three waves, by path under the site."""

    files: tuple[str, ...]  # style sheets, scripts, their imports, MapLibre's worker
    data: tuple[str, ...]  # what site.js reads at start

    def all(self) -> tuple[str, ...]:
        """Every path, the page itself first."""
        return ("index.html", *self.files, *self.data)


def page_files(site: Path) -> PageFiles:
    """The files ``index.html`` loads at start: read from the page and its scripts."""
    links = _PageLinks()
    links.feed((site / "index.html").read_text("utf-8"))
    files = [*links.styles, *links.scripts]
    data: list[str] = []
    queue = list(links.modules)
    while queue:
        module = queue.pop(0)
        text = (site / module).read_text("utf-8", errors="replace")
        for name in _IMPORT.findall(text):
            path = _relative(module, name)
            if path not in files:
                files.append(path)
                queue.append(path)
        data += [p for p in _GET_JSON.findall(text) if p not in LAZY and p not in data]
    for path in list(files):
        if path.endswith(MAPLIBRE):
            worker = path[: -len(MAPLIBRE)] + MAPLIBRE_WORKER
            if (site / worker).exists():
                files.append(worker)
    if (site / START_WORDS).exists():
        data.append(START_WORDS)
    return PageFiles(tuple(files), tuple(data))


# --- the tiles' byte ranges ---------------------------------------------------------------------


@dataclass(frozen=True)
class ByteRange:
    """``length`` bytes from ``offset`` of the archive."""

    offset: int
    length: int

    def header(self) -> str:
        """The ``Range`` header that asks for them."""
        return f"bytes={self.offset}-{self.offset + self.length - 1}"


@dataclass(frozen=True)
class TileFetch:
    """What pmtiles.js reads for one tile: the leaf directories on the way, then the tile."""

    z: int
    x: int
    y: int
    directories: tuple[ByteRange, ...]
    tile: ByteRange


@dataclass
class Archive:
    """The archive's size, bounds and zooms, and the byte ranges of the tiles views ask for."""

    size: int
    head: ByteRange
    min_zoom: int
    max_zoom: int
    bounds: tuple[float, float, float, float]  # min lon, min lat, max lon, max lat
    tiles: dict[tuple[int, int, int], TileFetch] = field(default_factory=dict)
    opening: tuple[TileFetch, ...] = ()  # the tiles of the site's opening view

    @property
    def opening_zoom(self) -> int:
        """The zoom the site opens at (``site.js``: ``header.minZoom + 2``)."""
        return self.min_zoom + 2

    @property
    def centre(self) -> tuple[float, float]:
        """The centre of the data's bounds, (lon, lat)."""
        west, south, east, north = self.bounds
        return (west + east) / 2, (south + north) / 2


def tile_fraction(lon: float, lat: float) -> tuple[float, float]:
    """A point as a fraction of the Web Mercator world, (x, y), 0-1 from the north-west."""
    lat = max(min(lat, 85.0511), -85.0511)
    y = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2
    return (lon + 180) / 360, y


def tiles_in_bounds(z: int, bounds: tuple[float, float, float, float]) -> Iterable[tuple[int, int]]:
    """Every tile (x, y) at zoom ``z`` that touches ``bounds``."""
    west, south, east, north = bounds
    x0, y0 = tile_fraction(west, north)
    x1, y1 = tile_fraction(east, south)
    top = 2**z - 1
    for x in range(max(0, int(x0 * 2**z)), min(top, int(x1 * 2**z)) + 1):
        for y in range(max(0, int(y0 * 2**z)), min(top, int(y1 * 2**z)) + 1):
            yield x, y


def screen_tiles(z: int, fx: float, fy: float) -> Iterable[tuple[int, int]]:
    """The tiles (x, y) at zoom ``z`` a screen centred at world fraction (fx, fy) shows."""
    scale = TILE_PIXELS * 2**z
    half_x, half_y = SCREEN[0] / 2 / scale, SCREEN[1] / 2 / scale
    top = 2**z - 1
    for x in range(max(0, int((fx - half_x) * 2**z)), min(top, int((fx + half_x) * 2**z)) + 1):
        for y in range(max(0, int((fy - half_y) * 2**z)), min(top, int((fy + half_y) * 2**z)) + 1):
            yield x, y


class Directories:
    """The archive's directories, each decompressed once, by (offset, length)."""

    def __init__(self, read: mmap.mmap) -> None:
        self.read = read
        self._seen: dict[tuple[int, int], list[Entry]] = {}

    def __call__(self, offset: int, length: int) -> list[Entry]:
        """The entries of the directory at ``offset``."""
        key = (offset, length)
        if key not in self._seen:
            self._seen[key] = deserialize_directory(self.read[offset : offset + length])
        return self._seen[key]


def find_ranges(
    directory: Directories, header: dict[str, int], z: int, x: int, y: int
) -> TileFetch | None:
    """The byte ranges pmtiles.js reads for tile z/x/y (None: the archive has no such tile)."""
    wanted = zxy_to_tileid(z, x, y)
    offset, length = header["root_offset"], header["root_length"]
    leaves: list[ByteRange] = []
    for _depth in range(4):
        entry = find_tile(directory(offset, length), wanted)
        if entry is None:
            return None
        if entry.run_length > 0:
            tile = ByteRange(header["tile_data_offset"] + entry.offset, entry.length)
            return TileFetch(z, x, y, tuple(leaves), tile)
        offset, length = header["leaf_directory_offset"] + entry.offset, entry.length
        leaves.append(ByteRange(offset, length))
    raise ValueError("the archive's directories are nested more than 4 deep")


def tile_ranges(path: Path, zooms: Sequence[int] = VIEW_ZOOMS) -> Archive:
    """Read the archive once: every tile at ``zooms`` inside its bounds, and the opening view's.

    Parameters
    ----------
    path : Path
        A PMTiles v3 archive.
    zooms : sequence of int
        The zooms random views are drawn at (those outside the archive's are left out).

    Returns
    -------
    Archive
    """
    size = path.stat().st_size
    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as read:
        header = deserialize_header(read[:127])
        bounds = tuple(
            header[k] / 1e7 for k in ("min_lon_e7", "min_lat_e7", "max_lon_e7", "max_lat_e7")
        )
        archive = Archive(
            size,
            ByteRange(0, min(HEAD_BYTES, size)),
            int(header["min_zoom"]),
            int(header["max_zoom"]),
            bounds,  # type: ignore[arg-type]
        )
        raw: dict[str, int] = {k: int(v) for k, v in header.items() if isinstance(v, int)}
        directory = Directories(read)
        for z in (z for z in zooms if archive.min_zoom <= z <= archive.max_zoom):
            for x, y in tiles_in_bounds(z, archive.bounds):
                found = find_ranges(directory, raw, z, x, y)
                if found is not None:
                    archive.tiles[(z, x, y)] = found
        z = min(max(archive.opening_zoom, archive.min_zoom), archive.max_zoom)
        fetches = (
            find_ranges(directory, raw, z, x, y)
            for x, y in screen_tiles(z, *tile_fraction(*archive.centre))
        )
        archive.opening = tuple(f for f in fetches if f is not None)
    return archive


def random_view(archive: Archive, rng: random.Random) -> tuple[TileFetch, ...]:
    """A random tile at a random view zoom, and the tiles a screen around it shows."""
    zooms = sorted({z for z, _, _ in archive.tiles})
    if not zooms:
        raise ValueError("the archive has no tiles at the view zooms")
    z = rng.choice(zooms)
    here = [key for key in archive.tiles if key[0] == z]
    _, x, y = rng.choice(sorted(here))
    fx, fy = (x + 0.5) / 2**z, (y + 0.5) / 2**z
    shown = (archive.tiles.get((z, tx, ty)) for tx, ty in screen_tiles(z, fx, fy))
    return tuple(t for t in shown if t is not None)


# --- visitors -----------------------------------------------------------------------------------


@dataclass
class Stats:
    """Every request's latency and every visit's time, the bytes read and the errors."""

    latencies: list[float] = field(default_factory=list)
    visits: list[float] = field(default_factory=list)
    bytes: int = 0
    errors: collections.Counter[str] = field(default_factory=collections.Counter)
    timeouts: int = 0


@dataclass
class Plan:
    """What every visitor loads: the page's files with their sizes, and the archive."""

    page: PageFiles
    sizes: dict[str, int]  # as served to a browser that accepts br (the .br sibling's size)
    archive: Archive
    tiles_path: str = TILES_NAME


ACCEPT_ENCODING = "gzip, deflate, br, zstd"  # what Chromium asks for


def served_size(site: Path, path: str) -> int:
    """A file's bytes as served to a browser that accepts br: its ``.br`` sibling's when
    ``publish`` wrote one, else its own."""
    sibling = site / (path + ".br")
    return (sibling if sibling.exists() else site / path).stat().st_size


def make_plan(site: Path) -> Plan:
    """Read the published site once: the page's files, their sizes, the tiles' ranges."""
    page = page_files(site)
    sizes = {path: served_size(site, path) for path in page.all()}
    return Plan(page, sizes, tile_ranges(site / TILES_NAME))


class Visitor:
    """One simulated browser: six connections, a directory cache, the stats it adds to."""

    def __init__(self, port: int, plan: Plan, stats: Stats) -> None:
        self.pool = crowd.HttpPool(port, CONNECTIONS)
        self.plan, self.stats = plan, stats
        self.read_dirs: set[ByteRange] = set()
        self.failed = False

    async def file(self, path: str) -> None:
        """GET one file of the site, expecting all of it."""
        await self._get(path, None, 200, self.plan.sizes[path])

    async def part(self, wanted: ByteRange) -> None:
        """GET one byte range of the archive, expecting exactly it."""
        await self._get(self.plan.tiles_path, wanted, 206, wanted.length)

    async def _get(self, path: str, wanted: ByteRange | None, status: int, length: int) -> None:
        headers = {"Range": wanted.header()} if wanted else {"Accept-Encoding": ACCEPT_ENCODING}
        start = time.monotonic()
        try:
            answer = await self.pool.get("/" + path, headers)
        except (OSError, crowd.HttpError, asyncio.IncompleteReadError) as exc:
            self._error(f"{type(exc).__name__} on {'a range' if wanted else path}")
            return
        self.stats.latencies.append(time.monotonic() - start)
        self.stats.bytes += len(answer.body)
        if answer.status != status:
            self._error(f"{answer.status} for {'a range' if wanted else path}")
        elif len(answer.body) != length:
            self._error(f"{len(answer.body)} bytes instead of {length} for {path}")

    def _error(self, what: str) -> None:
        self.stats.errors[what] += 1
        self.failed = True

    async def view(self, tiles: Sequence[TileFetch]) -> None:
        """One view: the leaf directories not read yet, then its tiles, in parallel."""
        leaves = {d for t in tiles for d in t.directories} - self.read_dirs
        self.read_dirs |= leaves
        await asyncio.gather(*(self.part(d) for d in sorted(leaves, key=lambda d: d.offset)))
        await asyncio.gather(*(self.part(t.tile) for t in tiles))

    async def visit(self, views: Sequence[Sequence[TileFetch]]) -> None:
        """The page, its files, its data, the header, then each view in turn."""
        page = self.plan.page
        await self.file("index.html")
        await asyncio.gather(*(self.file(p) for p in page.files))
        await asyncio.gather(*(self.file(p) for p in page.data))
        await self.part(self.plan.archive.head)
        for tiles in views:
            await self.view(tiles)

    async def close(self) -> None:
        """Close its idle connections."""
        await self.pool.close()


async def one_visit(
    port: int, plan: Plan, views: Sequence[Sequence[TileFetch]], stats: Stats, timeout: float
) -> None:
    """One visitor's whole visit, bounded by ``timeout`` seconds."""
    visitor = Visitor(port, plan, stats)
    start = time.monotonic()
    try:
        async with asyncio.timeout(timeout):
            await visitor.visit(views)
    except TimeoutError:
        stats.timeouts += 1
        return
    finally:
        await visitor.close()
    if not visitor.failed:
        stats.visits.append(time.monotonic() - start)


async def run_crowd(
    port: int, plan: Plan, visitors: int, seed: int, timeout: float
) -> tuple[Stats, float]:
    """``visitors`` visits at once, each with its own 3 random views; stats and seconds."""
    rng = random.Random(seed)
    views = [[random_view(plan.archive, rng) for _ in range(VIEWS)] for _ in range(visitors)]
    stats = Stats()
    start = time.monotonic()
    await asyncio.gather(*(one_visit(port, plan, v, stats, timeout) for v in views))
    return stats, time.monotonic() - start


def opening_view_bytes(plan: Plan) -> tuple[int, int]:
    """What one browser loads for the opening view, in bytes, and how many tiles that is."""
    archive = plan.archive
    files = sum(plan.sizes.values())
    leaves = {d for t in archive.opening for d in t.directories}
    tiles = sum(t.tile.length for t in archive.opening) + sum(d.length for d in leaves)
    return files + archive.head.length + tiles, len(archive.opening)


# --- the site and its server --------------------------------------------------------------------


def publish(source: Path, out: Path) -> float:
    """``civicmap publish SOURCE --out OUT`` in a child process; its seconds."""
    start = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "layers", "publish", str(source), "--out", str(out), "--quiet"],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.monotonic() - start


def start_site_server(site: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    """``civicmap serve SITE`` on 127.0.0.1:``port``, in its own process."""
    cmd = [sys.executable, "-m", "layers", "serve", str(site), "--port", str(port)]
    with log.open("wb") as out:
        return subprocess.Popen(
            [*cmd, "--bind", _support.LOOPBACK],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )


def wait_serving(port: int, proc: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    """Return once ``/index.html`` answers; raise when the server exits or is late."""
    url = f"http://{_support.LOOPBACK}:{port}/index.html"
    _support.wait_answering(proc, url, lambda a: a.status == 200, "site server", timeout, 0.2)


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Terminate a server (kill it after 10 s)."""
    _support.stop_process(proc, 10)


# --- the run ------------------------------------------------------------------------------------


def crowd_lines(
    stats: Stats, seconds: float, visitors: int, peak_mb: float | None, prefix: str = "site"
) -> list[str]:
    """The printed figures of one crowd (named ``<prefix>_...``; no memory line without
    ``peak_mb``)."""
    ms = [t * 1000 for t in stats.latencies]
    requests = len(stats.latencies)
    errors = sum(stats.errors.values())
    kinds = "; ".join(f"{n}× {what}" for what, n in stats.errors.most_common(5)) or "none"
    return [
        crowd.figure(
            f"{prefix}_visitors", visitors, "visitors", f"at once, {CONNECTIONS} connections each"
        ),
        crowd.figure(f"{prefix}_requests", requests, "requests", f"answered in {seconds:.1f} s"),
        crowd.figure(
            f"{prefix}_requests_per_s", requests / seconds if seconds else math.nan, "req/s"
        ),
        crowd.figure(
            f"{prefix}_request_p50_ms", crowd.percentile(ms, 0.5), "ms", "connect to last byte"
        ),
        crowd.figure(
            f"{prefix}_request_p95_ms", crowd.percentile(ms, 0.95), "ms", "connect to last byte"
        ),
        crowd.figure(
            f"{prefix}_visit_p50_s",
            crowd.percentile(stats.visits, 0.5),
            "s",
            f"whole visit, of the {len(stats.visits)} without an error",
        ),
        crowd.figure(
            f"{prefix}_visit_p95_s",
            crowd.percentile(stats.visits, 0.95),
            "s",
            f"whole visit, of the {len(stats.visits)} without an error",
        ),
        crowd.figure(f"{prefix}_errors", errors, "errors", f"timeouts {stats.timeouts}; {kinds}"),
        crowd.figure(
            f"{prefix}_bytes_served", round(stats.bytes / 1e6, 1), "MB", f"{stats.bytes:,} bytes"
        ),
    ] + (
        []
        if peak_mb is None
        else [crowd.figure(f"{prefix}_server_rss_peak_mb", round(peak_mb), "MB", "the server")]
    )


def nginx_crowd(args: argparse.Namespace, site: Path, plan: Plan, work: Path) -> list[str]:
    """The same crowd against Debian's nginx serving the folder with the configuration
    ``publish`` wrote (a worker a core, as a deployment would run it)."""
    port = _support.free_port()
    base = f"http://{_support.LOOPBACK}:{port}/index.html"
    config = web_servers.site_nginx_config(site, port)
    connections = max(1024, args.visitors * CONNECTIONS * 2)
    with web_servers.running_nginx(
        work / "nginx", config, base, brotli=True, workers="auto", connections=connections
    ):
        stats, seconds = asyncio.run(run_crowd(port, plan, args.visitors, args.seed, args.timeout))
    return crowd_lines(stats, seconds, args.visitors, None, prefix="site_nginx")


def build_parser() -> argparse.ArgumentParser:
    """The command line of ``bench/site_load.py``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visitors", type=int, default=500, help="visitors at once")
    _support.add_county_options(parser, "the county and its site")
    parser.add_argument("--site", type=Path, help="serve this published folder as it is")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per visit")
    return parser


def prepare_site(args: argparse.Namespace, work: Path) -> tuple[Path, str, list[Path]]:
    """The published folder, what it shows, and what to remove at the end."""
    if args.site is not None:
        return args.site.resolve(), f"{args.site.name} (as given)", []
    if args.source is not None:
        site = work / "site"
        seconds = publish(args.source.resolve(), site)
        return site, f"{args.source.name}, published in {seconds:.1f} s", []
    made: list[Path] = []
    source, generated = _support.county_source(args.workdir, args.n, args.seed)
    if generated:
        made.append(source.parent)
    site = args.workdir / f"site-n{args.n}-seed{args.seed}"
    what = f"{args.n:,} synthetic parcels, seed {args.seed}"
    if (site / "index.html").exists():
        return site, f"{what}, site reused", made
    seconds = publish(source, site)
    return site, f"{what}, published in {seconds:.1f} s", [*made, site]


def measure(args: argparse.Namespace, work: Path) -> int:
    """Publish (or reuse) the site, serve it, precompute the ranges, let the crowd in."""
    site, what, made = prepare_site(args, work)
    try:
        start = time.monotonic()
        plan = make_plan(site)
        archive = plan.archive
        size = sum(f.stat().st_size for f in site.rglob("*") if f.is_file())
        print(
            f"# site: {what}; {size / 1e6:.1f} MB; archive {archive.size / 1e6:.1f} MB, zooms "
            f"{archive.min_zoom}-{archive.max_zoom}, {len(archive.tiles):,} tiles at zoom "
            f"{VIEW_ZOOMS[0]}-{VIEW_ZOOMS[-1]} (ranges found in {time.monotonic() - start:.2f} s)",
            flush=True,
        )
        total, count = opening_view_bytes(plan)
        print(
            crowd.figure(
                "default_view_bytes",
                total,
                "bytes",
                f"{total / 1e6:.2f} MB as served (br): the page, "
                f"{len(plan.page.all()) - 1} files, the header and {count} tiles of the "
                f"opening view (zoom {archive.opening_zoom}, {SCREEN[0]}x{SCREEN[1]} px)",
            ),
            flush=True,
        )
        port = _support.free_port()
        proc = start_site_server(site, port, work / "site_server.log")
        try:
            wait_serving(port, proc)
            with crowd.PeakMemory(proc.pid) as memory:
                stats, seconds = asyncio.run(
                    run_crowd(port, plan, args.visitors, args.seed, args.timeout)
                )
            for line in crowd_lines(stats, seconds, args.visitors, memory.peak):
                print(line, flush=True)
        finally:
            stop(proc)
        if Path(web_servers.NGINX).exists():
            for line in nginx_crowd(args, site, plan, work):
                print(line, flush=True)
    finally:
        if not args.keep:
            for path in made:
                shutil.rmtree(path, ignore_errors=True)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the crowd and print its figures; 2 on bad input, 1 when a step fails."""
    args = build_parser().parse_args(argv)
    if not 1 <= args.visitors <= MAX_VISITORS or args.n < 1:
        print(f"error: --visitors must be 1 to {MAX_VISITORS} and --n at least 1", file=sys.stderr)
        return 2
    for given in (args.source, args.site):
        if given is not None and not given.exists():
            print(f"error: no such file or folder: {given}", file=sys.stderr)
            return 2
    if args.site is not None and not (args.site / TILES_NAME).exists():
        print(f"error: {args.site} holds no {TILES_NAME} (not a published site)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="civicmap-site-load-") as work:
        try:
            return measure(args, Path(work))
        except (RuntimeError, ValueError, subprocess.CalledProcessError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1


if __name__ == "__main__":
    raise SystemExit(main())
