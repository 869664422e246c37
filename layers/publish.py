"""The map as a static site: ``civicmap publish SRC --out DIR``.

``DIR`` holds the page in each language (``index.html``, ``es/index.html``,
``hmn/index.html``: the same page, its words in that language, ``hreflang`` links between
them), the PMTiles archive of every parcel with each policy version's category baked into
the city layer's features (:mod:`geo.tiles`: ``c0``, ``c1``...), the answer cards in shards
(:mod:`layers.site_cards`), the search index in shards (:mod:`layers.site_search`), the
zone and the places to assemble (:mod:`layers.site_places`), each language's words
(:mod:`layers.site_words`), ``data/site.json`` (what the page needs to start), with a
history folder what changed since the previous fetch (:mod:`layers.site_history`), and the
vendored MapLibre GL, PMTiles reader and QR code maker. It runs with no Python at view
time, from any static file server that answers HTTP range requests. A news spike is
served by copying ``DIR`` to a static host.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from markupsafe import Markup

from geo.analysis import Analysis
from geo.atomic import atomic_folder
from geo.classify import decide_parcels
from geo.i18n import LANGUAGES, is_reviewed, translator
from geo.paths import APP_STATIC_DIR, DOCS_DIR, VENDOR_DIR
from geo.policy.codes import CATEGORIES, VERDICTS
from geo.profile import Profile
from geo.provenance import Provenance
from geo.tiles import CITY_LAYER, MAX_ZOOM, MIN_ZOOM, OTHER_LAYER, build_tiles
from layers.compose import landmark_points
from layers.deploy_files import write_site_deploy
from layers.precompress import precompress
from layers.site_cards import version_policies, write_cards
from layers.site_folders import compact_json
from layers.site_history import site_history, write_changes
from layers.site_offline import (
    AREA_ARCHIVE,
    MANIFEST,
    area_rows,
    area_shape,
    kept_files,
    write_area_archive,
    write_installable,
    write_worker,
)
from layers.site_places import site_places
from layers.site_search import write_search
from layers.site_words import language_file, review_state
from layers.static_files import script_file_element
from layers.style import CATEGORIES as STYLES
from layers.templating import render

SITE_FILES = (
    "site.js",
    "search_index.js",
    "site_cards.js",
    "site_link.js",
    "site_style.js",
    "site_card_view.js",
    "site_places.js",
    "site_print.js",
    "site_words.js",
    "site_legend.js",
    "site_offline.js",
    "site_changes.js",
    "site.css",
)
VENDOR_FILES = (
    "maplibre-gl/maplibre-gl.mjs",
    "maplibre-gl/maplibre-gl-worker.mjs",
    "maplibre-gl/maplibre-gl.css",
    "maplibre-gl/LICENSE.txt",
    "pmtiles/pmtiles.js",
    "qrcode-generator/qrcode.mjs",
)
TILES_NAME = "parcels.pmtiles"
ASSETS = "assets"  # assets/<digest>/: the scripts, style and libraries, named by contents
ASSET_DIGEST = 12
ENTRY_PAGES = {"en": "", "es": "es/", "hmn": "hmn/"}  # each language's page, from the root
TRANSLATING_PAGE = "translating.html"
EMBED_PAGE = "embed.html"  # the map and the card only: embed.html?p=<APN>&lang=es

Progress = Callable[[int, int], None]
Source = tuple[str, str, bool]


def _json(path: Path, value: object) -> None:
    path.write_text(compact_json(value), "utf-8")


def version_properties(analysis: Analysis, profile: Profile) -> dict[str, np.ndarray]:
    """Each version's category per parcel, by tile property (``c0``, ``c1``... in the
    profile's order of versions; the value indexes ``CATEGORIES``)."""
    out = {}
    for i, policy in enumerate(version_policies(analysis, profile).values()):
        out[f"c{i}"] = decide_parcels(analysis.parcels, policy).decision.category
    return out


def site_config(
    analysis: Analysis,
    profile: Profile,
    source: Source,
    cited: Provenance | None,
    properties: list[str],
    changes: dict[str, object] | None = None,
) -> dict[str, object]:
    """``data/site.json``: what the page needs before it draws (nothing per parcel); with a
    history, the summary of the changes since the previous fetch (the list is a file)."""
    bounds = gpd.GeoSeries([shapely.box(*analysis.parcels.total_bounds)], crs=analysis.parcels.crs)
    west, south, east, north = bounds.to_crs("EPSG:4326").total_bounds
    anchor = landmark_points([analysis.zone.landmark], analysis.zone.crs)
    marks = landmark_points(analysis.landmarks, analysis.zone.crs)
    return {
        "place": profile.name,
        "bounds": [round(float(v), 6) for v in (west, south, east, north)],
        "landmark": {
            "name": analysis.zone.landmark.landmark.name,
            "lat": anchor[0][2],
            "lon": anchor[0][3],
        },
        "landmarks": [{"name": m[0], "lat": m[2], "lon": m[3]} for m in marks],
        "versions": [
            {"id": key, "property": prop, "default": key == profile.default_policy}
            for key, prop in zip(profile.policies, properties, strict=True)
        ],
        "categories": [c.value for c in CATEGORIES],
        "verdicts": [v.value for v in VERDICTS],
        "styles": [
            {"key": s.key, "fill": s.fill, "stroke": s.stroke, "weight": s.weight, "dash": s.dash}
            for s in STYLES
        ],
        "layers": {"city": CITY_LAYER, "other": OTHER_LAYER},
        "tiles": TILES_NAME,
        "area_tiles": AREA_ARCHIVE,
        "zooms": [MIN_ZOOM, MAX_ZOOM],
        "languages": {
            code: {"name": name, "page": ENTRY_PAGES[code]} for code, name in LANGUAGES.items()
        },
        "source": {"name": source[0], "date": source[1], "illustrative": source[2]},
        "provenance": cited.as_dict() if cited is not None else None,
        "operator": {"name": profile.site.operator, "contact": profile.site.contact},
        "changes": changes,
    }


def _scripts(assets: str) -> Markup:
    """The page's script elements (templates hold no script: see the team's rules)."""
    return Markup(
        script_file_element(f"{assets}vendor/pmtiles/pmtiles.js")
        + script_file_element(f"{assets}site.js", module=True)
    )


def entry_page(
    profile: Profile,
    lang: str,
    source: Source,
    cited: Provenance | None,
    assets: str,
    embed: bool = False,
    changes: dict[str, object] | None = None,
) -> str:
    """The site's page in one language (its first screen's words already there); ``assets``
    is the folder of the scripts and styles, from the site's root. ``embed``: the map and
    the card alone, for another site's iframe (``embed.html``). ``changes``: the summary of
    what changed since the previous fetch (its section; none without)."""
    root = "../" if ENTRY_PAGES[lang] and not embed else ""
    review = review_state(lang)
    return render(
        "site.html",
        t=translator(lang),
        lang=lang,
        root=root,
        assets=root + assets,
        place=profile.name,
        languages=LANGUAGES,
        alternates=[(code, root + page) for code, page in ENTRY_PAGES.items()],
        scripts=_scripts(root + assets),
        illustrative=source[2],
        unreviewed=None if is_reviewed(lang) else review,
        translating=root + TRANSLATING_PAGE,
        cited=cited,
        embed=embed,
        manifest=root + MANIFEST,
        changes=None if embed else changes,
    )


def _asset_sources() -> dict[str, Path]:
    """The site's own scripts and style and the vendored libraries, by path in the folder."""
    files = {name: APP_STATIC_DIR / name for name in SITE_FILES}
    files.update({f"vendor/{name}": VENDOR_DIR / name for name in VENDOR_FILES})
    return files


def copy_assets(folder: Path) -> str:
    """Copy the scripts, style and libraries into ``assets/<digest>/`` (named by their
    contents, so a server may let browsers keep them long).

    Returns
    -------
    str
        The folder's path from the site's root, ending in ``/``.
    """
    sources = _asset_sources()
    digest = hashlib.sha256()
    for name, path in sorted(sources.items()):
        digest.update(name.encode() + b"\0" + path.read_bytes())
    name = digest.hexdigest()[:ASSET_DIGEST]
    target = folder / ASSETS / name
    for relative, path in sources.items():
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target / relative)
    return f"{ASSETS}/{name}/"


def publish_site(
    analysis: Analysis,
    profile: Profile,
    out: str | Path,
    progress: Progress | None = None,
    cited: Provenance | None = None,
    source: Source | None = None,
    history: str | Path | None = None,
) -> Path:
    """Write the static site into ``out``, whole: it is written into a folder beside it and
    swapped in at the end, so a crash or Ctrl-C leaves the previous site as it was.

    Parameters
    ----------
    analysis : Analysis
        The parcels analysed under the default policy (row order = parcel ids).
    profile : Profile
    out : str or Path
        The folder to write.
    progress : callable, optional
        ``progress(done, total)`` while the tiles are built.
    cited : Provenance, optional
        Which policy, terms, data and time the site rests on.
    source : (str, str, bool), optional
        The data's name, date and whether it is the illustrative sample (from ``cited``
        when omitted; then not the sample).
    history : str or Path, optional
        A history folder (``civicmap fetch --history``): the site lists what changed
        between its two newest snapshots (the data published should be the newest).

    Returns
    -------
    Path
        ``out/index.html``.
    """
    target = Path(out)
    with atomic_folder(target) as folder:
        _write_site(analysis, profile, folder, progress, cited, source, history)
    return target / "index.html"


def _write_site(
    analysis: Analysis,
    profile: Profile,
    folder: Path,
    progress: Progress | None,
    cited: Provenance | None,
    source: Source | None,
    history: str | Path | None = None,
) -> None:
    """Every file of the site, into an empty folder (see :func:`publish_site`)."""
    data = folder / "data"
    data.mkdir(parents=True, exist_ok=True)
    if source is None:
        source = (cited.data_source, cited.data_date, False) if cited else ("", "", False)
    properties = version_properties(analysis, profile)
    build_tiles(analysis.parcels, folder / TILES_NAME, progress, properties, with_apn=False)
    points = _points(analysis.parcels)
    changed = site_history(history, analysis, profile, points) if history else None
    summary = write_changes(data, changed) if changed else None
    config = site_config(analysis, profile, source, cited, list(properties), summary)
    _json(data / "site.json", config)
    for lang in LANGUAGES:
        _json(data / f"words-{lang}.json", language_file(profile, lang))
    area = area_shape(analysis, profile.assembly.within_m)
    nearby = area_rows(analysis, area)
    write_cards(data, analysis, profile, nearby, changed.kinds if changed else None)
    marks = [
        {"name": label, "lat": lat, "lon": lon}
        for label, _note, lat, lon, _side in landmark_points(analysis.landmarks, analysis.zone.crs)
    ]
    write_search(data, analysis.parcels, points, marks)
    near = analysis.parcels.iloc[nearby]
    write_search(data / "area", near, points[nearby], marks, rows=nearby.tolist())  # offline
    write_area_archive(folder / TILES_NAME, folder / AREA_ARCHIVE, area)
    zone = analysis.zone.to_frame().to_crs("EPSG:4326")
    (data / "zone.geojson").write_text(zone.to_json(drop_id=True), "utf-8")
    places, outlines = site_places(analysis, profile)
    _json(data / "places.json", places)
    (data / "places.geojson").write_text(outlines, "utf-8")
    assets = copy_assets(folder)
    for lang, page in ENTRY_PAGES.items():
        (folder / page).mkdir(parents=True, exist_ok=True)
        html = entry_page(profile, lang, source, cited, assets, changes=summary)
        (folder / page / "index.html").write_text(html, "utf-8")
    embedded = entry_page(profile, "en", source, cited, assets, embed=True)
    (folder / EMBED_PAGE).write_text(embedded, "utf-8")  # its language comes from ?lang=
    guide = (DOCS_DIR / "translating.md").read_text("utf-8")
    text = render("site_text.html", text=guide, css=assets + "site.css")
    (folder / TRANSLATING_PAGE).write_text(text, "utf-8")
    write_installable(folder, profile)
    pages = [*ENTRY_PAGES.values(), *(p + "index.html" for p in ENTRY_PAGES.values())]
    write_worker(folder, kept_files(folder, assets, [*pages, EMBED_PAGE, TRANSLATING_PAGE]))
    write_site_deploy(folder)  # nginx, Caddy and object-store settings for this folder
    precompress(folder)  # last: every text file written has its .br and .gz


def _points(parcels: gpd.GeoDataFrame) -> np.ndarray:
    """A point inside each parcel, as (lon, lat); 0 where a parcel has no shape."""
    shapes = parcels.geometry.to_crs("EPSG:4326") if parcels.crs is not None else parcels.geometry
    points = shapely.point_on_surface(np.asarray(shapes.values, dtype=object))
    out = np.column_stack([shapely.get_x(points), shapely.get_y(points)])
    return np.where(np.isfinite(out), out, 0.0)


def site_zip(
    analysis: Analysis,
    profile: Profile,
    cited: Provenance | None = None,
    source: Source | None = None,
) -> bytes:
    """The static site as one zip file (the app's download of ``civicmap publish``)."""
    with tempfile.TemporaryDirectory(prefix="civicmap-site-") as folder:
        site = Path(folder) / "site"
        publish_site(analysis, profile, site, cited=cited, source=source)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(site.rglob("*")):
                if path.is_file():  # the tiles are compressed already
                    kind = zipfile.ZIP_STORED if path.suffix == ".pmtiles" else None
                    archive.write(path, f"site/{path.relative_to(site)}", compress_type=kind)
        return buffer.getvalue()
