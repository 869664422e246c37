"""The map as a static site: ``civicmap publish SRC --out DIR``.

``DIR`` holds ``index.html``, the PMTiles archive of every parcel (:mod:`geo.tiles`), each
policy version's categories (one character per parcel id: the index of its category in
``categories``), a search index in shards (APN in any spelling, address, landmark: see
:mod:`layers.site_search`), the zone, the places to assemble, the proposal's text, the three
languages' words and the privacy notice, plus the vendored MapLibre GL and PMTiles reader.
It runs with no Python at view time, from any static file server that answers HTTP range
requests; switching versions and languages happens in the browser. A news spike is served
by copying ``DIR`` to a static host.
"""

from __future__ import annotations

import io
import json
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
from geo.classify import classify
from geo.i18n import LANGUAGES, translator
from geo.paths import APP_STATIC_DIR, VENDOR_DIR
from geo.policy.codes import CATEGORIES
from geo.profile import Profile
from geo.provenance import Provenance
from geo.spaces import assembly_places
from geo.tiles import CITY_LAYER, OTHER_LAYER, build_tiles
from layers.compose import landmark_points
from layers.deploy_files import write_site_deploy
from layers.precompress import precompress
from layers.site_search import write_search
from layers.static_files import script_file_element
from layers.style import category_keys
from layers.templating import render

SITE_FILES = ("site.js", "site_search.js", "site.css")
VENDOR_FILES = (
    "maplibre-gl/maplibre-gl.mjs",
    "maplibre-gl/maplibre-gl-worker.mjs",
    "maplibre-gl/maplibre-gl.css",
    "maplibre-gl/LICENSE.txt",
    "pmtiles/pmtiles.js",
)
TILES_NAME = "parcels.pmtiles"
# The page's scripts, files beside it (templates hold no script element: see the team rules).
SCRIPTS = Markup(
    script_file_element("vendor/pmtiles/pmtiles.js") + script_file_element("site.js", module=True)
)
# The words the site shows, by catalog key (each language's text goes in words.json).
SITE_KEYS = (
    *(f"category.{c.value}" for c in CATEGORIES),
    "privacy.header",
    "privacy.text",
    "proposal.header",
    "proposal.not_law",
    "site.title",
    "site.search",
    "site.search_help",
    "site.version",
    "site.language",
    "site.not_found",
    "site.landmark",
    "site.zone",
    "site.places",
    "site.about",
)

Progress = Callable[[int, int], None]


def _json(path: Path, value: object) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False, separators=(",", ":")), "utf-8")


def version_codes(analysis: Analysis, profile: Profile) -> dict[str, str]:
    """Each policy version's category per parcel id, one digit a parcel (see ``categories``)."""
    codes = {}
    index = {c.value: str(i) for i, c in enumerate(CATEGORIES)}
    for key, version in profile.policies.items():  # the reader's overrides stay in force
        policy = analysis.policy.with_changes(
            scope=version.scope, include_city_agencies=version.include_city_agencies, version=key
        )
        keys = category_keys(classify(analysis.parcels, policy, reasons=False))
        codes[key] = "".join(keys.map(index).tolist())
    return codes


def _points(parcels: gpd.GeoDataFrame) -> np.ndarray:
    """A point inside each parcel, as (lon, lat); NaN where a parcel has no shape."""
    shapes = parcels.geometry.to_crs("EPSG:4326") if parcels.crs is not None else parcels.geometry
    points = shapely.point_on_surface(np.asarray(shapes.values, dtype=object))
    out = np.column_stack([shapely.get_x(points), shapely.get_y(points)])
    return np.where(np.isfinite(out), out, 0.0)


def site_words() -> dict[str, dict[str, str]]:
    """The site's words in every language."""
    return {lang: {k: translator(lang)(k) for k in SITE_KEYS} for lang in LANGUAGES}


def publish_site(
    analysis: Analysis,
    profile: Profile,
    out: str | Path,
    progress: Progress | None = None,
    cited: Provenance | None = None,
) -> Path:
    """Write the static site into ``out`` (created; files already there are replaced).

    Parameters
    ----------
    analysis : Analysis
        The parcels analysed under the default policy (row order = parcel ids).
    profile : Profile
    out : str or Path
        The folder to write.
    progress : callable, optional
        ``progress(done, total)`` while the tiles are built.

    Returns
    -------
    Path
        ``out/index.html``.
    """
    folder = Path(out)
    (folder / "data").mkdir(parents=True, exist_ok=True)
    build_tiles(analysis.parcels, folder / TILES_NAME, progress)
    versions = [
        {"id": key, "title": v.title, "default": key == profile.default_policy}
        for key, v in profile.policies.items()
    ]
    _json(
        folder / "data" / "categories.json",
        {
            "categories": [c.value for c in CATEGORIES],
            "versions": versions,
            "codes": version_codes(analysis, profile),
        },
    )
    points = _points(analysis.parcels)
    marks = [
        {"name": label, "lat": lat, "lon": lon}
        for label, _note, lat, lon, _side in landmark_points(analysis.landmarks, analysis.zone.crs)
    ]
    write_search(folder / "data", analysis.parcels, points, marks)
    zone = analysis.zone.to_frame().to_crs("EPSG:4326")
    (folder / "data" / "zone.geojson").write_text(zone.to_json(drop_id=True), "utf-8")
    places = assembly_places(analysis, profile.assembly, profile.rules)
    keep = [c for c in ("apn", "address", "area_m2", "capacity") if c in places]
    (folder / "data" / "places.geojson").write_text(
        places[[*keep, "geometry"]].to_crs("EPSG:4326").to_json(drop_id=True), "utf-8"
    )
    _json(folder / "data" / "proposal.json", list(profile.proposal_parts))
    _json(folder / "data" / "words.json", site_words())
    if cited is not None:  # which policy, data and time the site rests on
        _json(folder / "data" / "provenance.json", cited.as_dict())
    for name in SITE_FILES:
        shutil.copyfile(APP_STATIC_DIR / name, folder / name)
    for name in VENDOR_FILES:
        target = folder / "vendor" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(VENDOR_DIR / name, target)
    page = render(
        "site.html",
        t=translator("en"),
        place=profile.name,
        layers=json.dumps({"city": CITY_LAYER, "other": OTHER_LAYER}),
        tiles=TILES_NAME,
        scripts=SCRIPTS,
        cited=cited,
    )
    index = folder / "index.html"
    index.write_text(page, "utf-8")
    write_site_deploy(folder)  # nginx, Caddy and object-store settings for this folder
    precompress(folder)  # last: every text file written has its .br and .gz
    return index


def site_zip(analysis: Analysis, profile: Profile, cited: Provenance | None = None) -> bytes:
    """The static site as one zip file (the app's download of ``civicmap publish``)."""
    with tempfile.TemporaryDirectory(prefix="civicmap-site-") as folder:
        site = Path(folder) / "site"
        publish_site(analysis, profile, site, cited=cited)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(site.rglob("*")):
                if path.is_file():  # the tiles are compressed already
                    kind = zipfile.ZIP_STORED if path.suffix == ".pmtiles" else None
                    archive.write(path, f"site/{path.relative_to(site)}", compress_type=kind)
        return buffer.getvalue()
