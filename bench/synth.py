"""Write a SYNTHETIC county-scale parcel file for the benchmarks.

THE DATA THIS SCRIPT WRITES IS FICTIONAL. It extends the illustrative downtown grid of
``data/sacramento/make_sample.py`` (numbered streets N 18°25' E, lettered streets across them,
the same anchor, CRS and field schema) over a county-sized area so that ``bench/run.py`` can
time the library on about as many parcels as Sacramento County publishes (~500,000).

Blocks are tiled row by row, west to east, until there are ``n`` lots. Columns and rows have
varied widths and depths, each block is split into a north and a south half of 2 to 8 lots of
jittered frontage (or is left whole, as parks and public sites often are), so lot sizes vary.
The owner mix follows what a county roll looks like: about 1.5 % city-owned under the profile's
spellings of the city, some county, state, federal and school-district owners, some blank
owners, the names a matcher can get wrong, and a large number of distinct private names.
One whole block on Capitol Mall carries ``650 CAPITOL MALL`` (the Moss Federal Building), so
the free speech zone can be drawn.

Output: ``OUT/county_synth.zip`` holding ``county_synth/parcels.{cpg,dbf,prj,shp,shx}``
(UTF-8, EPSG:2226). For a given ``n`` and seed the archive is byte-for-byte reproducible.

Run ``python bench/synth.py --n 500000 --out DIR [--seed 1]``.
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import sys
import tempfile
import time
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyogrio
import shapely

from geo.paths import CHECKOUT

ROOT = CHECKOUT
SAMPLE_SCRIPT = ROOT / "data" / "sacramento" / "make_sample.py"

ZIP_NAME = "county_synth.zip"
ZIP_FOLDER = "county_synth"
LAYER_NAME = "parcels"
SHAPEFILE_PARTS = (".cpg", ".dbf", ".prj", ".shp", ".shx")
FIXED_DATE = (2026, 11, 25)
CRS = "EPSG:2226"

STREET_WIDTH = 80.0
BLOCK_WIDTHS = (320.0, 400.0, 480.0, 560.0)  # along the lettered streets, feet
BLOCK_WIDTH_P = (0.45, 0.3, 0.15, 0.1)
BLOCK_DEPTHS = (300.0, 360.0, 420.0)  # along the numbered streets, feet
BLOCK_DEPTH_P = (0.5, 0.3, 0.2)
LOTS_PER_HALF = (2, 3, 4, 5, 6, 7, 8)
LOTS_PER_HALF_P = (0.06, 0.14, 0.26, 0.22, 0.16, 0.1, 0.06)
WHOLE_BLOCK_P = 0.03
JITTER = 0.3  # interior lot lines move by up to +-15 % of a lot's frontage

MOSS_ADDRESS = ("650", "CAPITOL MALL")
MOSS_WEST_STREET = 6  # the Moss block: Capitol Mall / N St / 6th / 7th
JURISDICTION_TILE = 24  # blocks per side of a jurisdiction tile
JURISDICTIONS = (
    "SACRAMENTO",
    "SACRAMENTO",
    "SACRAMENTO",
    "UNINCORPORATED",
    "UNINCORPORATED",
    "ELK GROVE",
    "CITRUS HEIGHTS",
    "RANCHO CORDOVA",
    "FOLSOM",
    "GALT",
)


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# --- owners -----------------------------------------------------------------------------------

CITY_NAMES = ("CITY OF SACRAMENTO", "SACRAMENTO CITY OF", "THE CITY OF SACRAMENTO")
CITY_NAME_P = (0.78, 0.2, 0.02)
CITY_AGENCIES = (
    "CITY OF SACRAMENTO DEPARTMENT OF UTILITIES",
    "CITY OF SACRAMENTO PARKING SERVICES",
)
COUNTY_NAMES = (
    "COUNTY OF SACRAMENTO",
    "SACRAMENTO COUNTY OF",
    "COUNTY OF SACRAMENTO DEPARTMENT OF TRANSPORTATION",
)
STATE_NAMES = (
    "STATE OF CALIFORNIA",
    "CALIFORNIA STATE OF",
    "STATE OF CALIFORNIA DEPARTMENT OF GENERAL SERVICES",
    "STATE OF CALIFORNIA DEPARTMENT OF TRANSPORTATION",
)
FEDERAL_NAMES = ("UNITED STATES OF AMERICA", "GENERAL SERVICES ADMINISTRATION")
OTHER_PUBLIC_NAMES = (
    "SACRAMENTO CITY UNIFIED SCHOOL DISTRICT",
    "SACRAMENTO HOUSING AND REDEVELOPMENT AGENCY",
    "SACRAMENTO REGIONAL TRANSIT DISTRICT",
    "ELK GROVE UNIFIED SCHOOL DISTRICT",
    "SAN JUAN UNIFIED SCHOOL DISTRICT",
    "TWIN RIVERS UNIFIED SCHOOL DISTRICT",
)
HARD_NAMES = (
    "CITY OF WEST SACRAMENTO",
    "CITY OF SACRAMENTO ET AL",
    "SACRAMENTO CITY LOFTS LLC",
    "SUCCESSOR AGENCY TO THE REDEVELOPMENT AGENCY OF THE CITY OF SACRAMENTO",
    "Sacramento, City of",
)
# Owner categories and their share of all lots; the private share is what is left.
CATEGORY_P = {
    "city": 0.015,
    "city_agency": 0.0005,
    "county": 0.006,
    "state": 0.004,
    "federal": 0.0008,
    "other_public": 0.004,
    "blank": 0.008,
    "hard": 0.0007,
}
CATEGORY_POOLS = {
    "city_agency": CITY_AGENCIES,
    "county": COUNTY_NAMES,
    "state": STATE_NAMES,
    "federal": FEDERAL_NAMES,
    "other_public": OTHER_PUBLIC_NAMES,
    "hard": HARD_NAMES,
}

LAST_NAMES = _words(
    "SMITH JOHNSON WILLIAMS BROWN JONES GARCIA MILLER DAVIS RODRIGUEZ MARTINEZ HERNANDEZ LOPEZ "
    "GONZALEZ WILSON ANDERSON THOMAS TAYLOR MOORE JACKSON MARTIN LEE PEREZ THOMPSON WHITE HARRIS "
    "SANCHEZ CLARK RAMIREZ LEWIS ROBINSON WALKER YOUNG ALLEN KING WRIGHT SCOTT TORRES NGUYEN HILL "
    "FLORES GREEN ADAMS NELSON BAKER HALL RIVERA CAMPBELL MITCHELL CARTER ROBERTS GOMEZ PHILLIPS "
    "EVANS TURNER DIAZ PARKER CRUZ EDWARDS COLLINS REYES STEWART MORRIS MORALES MURPHY COOK ROGERS "
    "GUTIERREZ ORTIZ MORGAN COOPER PETERSON BAILEY REED KELLY HOWARD RAMOS KIM COX WARD RICHARDSON "
    "WATSON BROOKS CHAVEZ WOOD JAMES BENNETT GRAY MENDOZA RUIZ HUGHES PRICE ALVAREZ CASTILLO "
    "SANDERS PATEL MYERS LONG ROSS FOSTER JIMENEZ POWELL JENKINS PERRY RUSSELL SULLIVAN BELL "
    "COLEMAN BUTLER HENDERSON BARNES GONZALES FISHER VASQUEZ SIMMONS ROMERO JORDAN PATTERSON "
    "ALEXANDER HAMILTON GRAHAM REYNOLDS GRIFFIN WALLACE MORENO WEST COLE HAYES BRYANT HERRERA "
    "GIBSON ELLIS TRAN MEDINA AGUILAR STEVENS MURRAY FORD CASTRO MARSHALL OWENS HARRISON "
    "FERNANDEZ MCDONALD WOODS WASHINGTON KENNEDY WELLS VARGAS HENRY CHEN FREEMAN WEBB TUCKER "
    "GUZMAN BURNS CRAWFORD OLSON SIMPSON PORTER HUNTER GORDON MENDEZ SILVA SHAW SNYDER MASON "
    "DIXON MUNOZ "
    "HUNT HICKS HOLMES PALMER WAGNER BLACK ROBERTSON BOYD ROSE STONE SALAZAR FOX WARREN MILLS "
    "MEYER RICE SCHMIDT GARZA DANIELS FERGUSON NICHOLS STEPHENS SOTO WEAVER RYAN GARDNER PAYNE "
    "GRANT DUNN KELLEY SPENCER HAWKINS ARNOLD PIERCE VAZQUEZ HANSEN PETERS SANTOS HART BRADLEY "
    "KNIGHT ELLIOTT CUNNINGHAM DUNCAN ARMSTRONG HUDSON CARROLL LANE RILEY ANDREWS ALVARADO RAY "
    "DELGADO BERRY PERKINS HOFFMAN JOHNSTON MATTHEWS PEÑA RICHARDS CONTRERAS WILLIS CARPENTER "
    "LAWRENCE SANDOVAL VANG XIONG LEE YANG HER LO THAO MOUA VU PHAM HUYNH LE VO DANG BUI DO "
    "SINGH KAUR SHARMA GILL SANDHU DHALIWAL PETROV IVANOV KOVALENKO MELNYK BONDARENKO NUÑEZ "
    "OKAFOR ADEYEMI NAKAMURA TANAKA SATO WATANABE ITO YAMAMOTO LINDQVIST HOLLOWAY BRENNER"
)
FIRST_NAMES = _words(
    "JAMES MARY ROBERT PATRICIA JOHN JENNIFER MICHAEL LINDA DAVID ELIZABETH WILLIAM BARBARA "
    "RICHARD SUSAN JOSEPH JESSICA THOMAS SARAH CHARLES KAREN CHRISTOPHER LISA DANIEL NANCY "
    "MATTHEW BETTY ANTHONY MARGARET MARK SANDRA DONALD ASHLEY STEVEN KIMBERLY PAUL EMILY ANDREW "
    "DONNA JOSHUA MICHELLE KENNETH CAROL KEVIN AMANDA BRIAN DOROTHY GEORGE MELISSA TIMOTHY DEBORAH "
    "RONALD STEPHANIE EDWARD REBECCA JASON SHARON JEFFREY LAURA RYAN CYNTHIA JACOB KATHLEEN GARY "
    "AMY NICHOLAS ANGELA ERIC SHIRLEY JONATHAN ANNA STEPHEN BRENDA LARRY PAMELA JUSTIN EMMA SCOTT "
    "NICOLE BRANDON HELEN BENJAMIN SAMANTHA SAMUEL KATHERINE GREGORY CHRISTINE ALEXANDER DEBRA "
    "FRANK RACHEL PATRICK CAROLYN RAYMOND JANET JACK CATHERINE DENNIS MARIA JERRY HEATHER TYLER "
    "DIANE AARON RUTH JOSE JULIE ADAM OLIVIA HENRY JOYCE NATHAN VIRGINIA DOUGLAS VICTORIA ZACHARY "
    "KELLY PETER LAUREN KYLE CHRISTINA NOAH JOAN ETHAN EVELYN JEREMY JUDITH WALTER MEGAN CHRISTIAN "
    "ANDREA KEITH CHERYL ROGER HANNAH TERRY JACQUELINE AUSTIN MARTHA SEAN GLORIA GERALD TERESA "
    "CARL ANN HAROLD SARA DYLAN MADISON ARTHUR FRANCES LAWRENCE KATHRYN JORDAN JANICE JESSE JEAN "
    "BRYAN ABIGAIL BILLY ALICE BRUCE JUDY GABRIEL SOPHIA JOE GRACE LOGAN DENISE ALAN AMBER JUAN "
    "DORIS ELIJAH MARILYN WAYNE DANIELLE ROY BEVERLY RALPH ISABELLA RANDY THERESA EUGENE DIANA "
    "VINCENT NATALIE RUSSELL BRITTANY LOUIS CHARLOTTE PHILIP MARIE BOBBY KAYLA JOHNNY ALEXIS "
    "LUIS LUISA RAMON THANH HOA DELPHINE MARTA OWEN ANA MAI CHUE PAO TOU YING GURPREET HARJIT"
)
COMPANY_WORDS = _words(
    "ALDER PINE RIVER CITY GOLDEN BEAR TWELVE OAKS DELTA BREEZE CAMELLIA MIDTOWN SUTTER "
    "LANDING CAPITOL VIEW TOWER AMERICAN FOLSOM ARDEN FAIR OAKS LAND PARK CURTIS POCKET "
    "NATOMAS GREENHAVEN RIVERSIDE FREEPORT STOCKTON FRANKLIN BROADWAY ALHAMBRA HOWE MARKET "
    "VALLEY SIERRA FOOTHILL MERIDIAN SUMMIT HARBOR GATEWAY NORTHGATE SOUTHGATE EASTERN WESTERN "
    "PACIFIC REDWOOD CEDAR MAPLE WILLOW ASPEN SEQUOIA LAUREL COTTONWOOD SYCAMORE JUNIPER"
)
COMPANY_KINDS = (
    "HOLDINGS LLC",
    "PROPERTIES LLC",
    "INVESTMENTS LP",
    "PARTNERS LLC",
    "VENTURES LLC",
    "REALTY INC",
    "APARTMENTS LP",
    "ASSETS LLC",
    "DEVELOPMENT CO",
    "RENTALS LLC",
)
TRUST_KINDS = ("FAMILY TRUST", "REVOCABLE TRUST", "LIVING TRUST", "TRUST")
CARE_OF = ("PROPERTY TAX DEPT", "C/O ASSET MANAGER", "C/O TRUSTEE", "C/O REAL ESTATE DIVISION")
PRIVATE_KIND_P = {"person": 0.56, "couple": 0.16, "trust": 0.13, "company": 0.11, "landlord": 0.04}
LANDLORDS = 600  # owners of many parcels each (Zipf-like), the rest of the names are mostly unique

# --- land use ---------------------------------------------------------------------------------

PRIVATE_USES = {
    "R1": 0.58,
    "R2": 0.16,
    "C1": 0.08,
    "M1": 0.05,
    "V1": 0.09,
    "P1": 0.025,
    "P2": 0.004,
    "G1": 0.001,
}
CITY_USES = {"P1": 0.2, "P2": 0.06, "PK": 0.25, "G1": 0.2, "V1": 0.14, "C1": 0.1, "R2": 0.05}
PUBLIC_USES = {"G1": 0.4, "PK": 0.15, "V1": 0.2, "C1": 0.1, "P1": 0.1, "P2": 0.05}
WHOLE_BLOCK_USES = {"PK": 0.4, "G1": 0.3, "V1": 0.2, "C1": 0.1}
ZONES = {
    "R1": "R-1",
    "R2": "R-2A",
    "C1": "C-2",
    "M1": "RMX",
    "V1": "A",
    "P1": "C-2",
    "P2": "C-2",
    "G1": "C-2",
    "PK": "A-OS",
}


def load_sample_module() -> ModuleType:
    """Import ``data/sacramento/make_sample.py`` (the grid, street names and field schema).

    Returns
    -------
    types.ModuleType
        The sample generator, whose ``FIELDS``, ``LETTERED``, ``build_grid`` and ``ordinal``
        the synthetic county reuses so both files share one schema and one grid.
    """
    spec = importlib.util.spec_from_file_location("civicmap_make_sample", SAMPLE_SCRIPT)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {SAMPLE_SCRIPT}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses need the module registered
    spec.loader.exec_module(module)
    return module


@dataclass(frozen=True)
class Layout:
    """The blocks of the synthetic county, one entry per block (row-major)."""

    row: np.ndarray  # block row, 0 = northmost
    col: np.ndarray  # block column, 0 = westmost; its west street is number col + 1
    lots_per_half: np.ndarray  # 0 for a whole-block parcel
    u0: np.ndarray  # local west edge, feet east of the anchor
    v0: np.ndarray  # local south edge, feet north of the anchor
    width: np.ndarray
    depth: np.ndarray
    downtown_row: int  # row whose north street is the first lettered street
    moss_block: int  # index of the block that carries 650 CAPITOL MALL
    street_names: tuple[str, ...]  # name of the street on the north side of each row (+1)


def _row_street_names(rows: int, downtown_row: int, lettered: Sequence[str]) -> tuple[str, ...]:
    """Names of the east-west streets: the downtown letters, invented names elsewhere."""
    words = tuple(dict.fromkeys(COMPANY_WORDS))
    kinds = ("AVE", "WAY", "DR", "BLVD", "RD", "LN", "CT", "CIR", "PL", "PKWY")
    names = []
    for r in range(rows + 1):
        i = r - downtown_row
        if 0 <= i < len(lettered):
            names.append(lettered[i])
            continue
        k = r if r < downtown_row else r - len(lettered)
        word, kind = words[k % len(words)], kinds[(k // len(words)) % len(kinds)]
        lap = k // (len(words) * len(kinds))
        names.append(f"{word} {kind}" if lap == 0 else f"{word} {lap + 1} {kind}")
    return tuple(names)


def _lots_per_block(lots_per_half: np.ndarray) -> np.ndarray:
    return np.where(lots_per_half == 0, 1, 2 * lots_per_half)


def plan_blocks(n: int, rng: np.random.Generator, lettered: Sequence[str]) -> Layout:
    """Tile blocks row by row until they hold ``n`` lots.

    Parameters
    ----------
    n : int
        Number of lots wanted.
    rng : numpy.random.Generator
        The seeded generator.
    lettered : sequence of str
        The downtown lettered streets, north to south (``make_sample.LETTERED``).

    Returns
    -------
    Layout
    """
    mean_lots = 2 * float(np.dot(LOTS_PER_HALF, LOTS_PER_HALF_P)) * (1 - WHOLE_BLOCK_P)
    cols = max(12, math.ceil(math.sqrt(n / mean_lots)))
    rows = max(len(lettered) + 1, math.ceil(n / mean_lots / cols * 1.2) + 2)
    while True:
        k = rng.choice(LOTS_PER_HALF, p=LOTS_PER_HALF_P, size=rows * cols)
        k[rng.random(rows * cols) < WHOLE_BLOCK_P] = 0
        downtown_row = min(rows // 3, rows - len(lettered) - 1)
        moss = (downtown_row + list(lettered).index("CAPITOL MALL")) * cols + MOSS_WEST_STREET - 1
        k[moss] = 0
        total = np.cumsum(_lots_per_block(k))
        if total[-1] >= n:
            break
        rows *= 2  # not reached with the default shares; kept for odd parameters
    kept = int(np.searchsorted(total, n)) + 1
    if moss >= kept:  # a very small n: put the landmark on the first block
        k[0], moss = 0, 0
        kept = int(np.searchsorted(np.cumsum(_lots_per_block(k)), n)) + 1
    widths = rng.choice(BLOCK_WIDTHS, p=BLOCK_WIDTH_P, size=cols)
    depths = rng.choice(BLOCK_DEPTHS, p=BLOCK_DEPTH_P, size=rows)
    widths[: MOSS_WEST_STREET + 8] = 320.0  # the downtown blocks keep their 320 ft
    depths[downtown_row : downtown_row + len(lettered)] = 320.0
    u_west = STREET_WIDTH / 2 + np.concatenate([[0.0], np.cumsum(widths + STREET_WIDTH)])[:-1]
    v_north = -STREET_WIDTH / 2 - np.concatenate([[0.0], np.cumsum(depths + STREET_WIDTH)])[:-1]
    # Put the centre of the block I / J / 9th / 10th on the anchor, as in the sample.
    anchor_row, anchor_col = downtown_row + list(lettered).index("I ST"), 8
    du = u_west[anchor_col] + widths[anchor_col] / 2
    dv = v_north[anchor_row] - depths[anchor_row] / 2
    index = np.arange(kept)
    row, col = index // cols, index % cols
    return Layout(
        row=row,
        col=col,
        lots_per_half=k[:kept],
        u0=u_west[col] - du,
        v0=v_north[row] - depths[row] - dv,
        width=widths[col],
        depth=depths[row],
        downtown_row=downtown_row,
        moss_block=moss,
        street_names=_row_street_names(rows, downtown_row, lettered),
    )


def _jitter(block: np.ndarray, half: np.ndarray, line: np.ndarray, k: np.ndarray) -> np.ndarray:
    """Deterministic offset of interior lot line ``line`` (0 and k stay on the block edge)."""
    mixed = (block * 7919 + half * 104_729 + line * 1_299_709) % 1000
    offset = (mixed / 999.0 - 0.5) * JITTER
    return np.where((line == 0) | (line == k), 0.0, offset)


@dataclass(frozen=True)
class Lots:
    """Every lot: its block, its place in the block and its local rectangle."""

    block: np.ndarray
    half: np.ndarray  # 0 north, 1 south, 2 whole block
    lot: np.ndarray  # position from west to east in its half
    u_min: np.ndarray
    u_max: np.ndarray
    v_min: np.ndarray
    v_max: np.ndarray


def split_lots(layout: Layout, n: int) -> Lots:
    """Cut every block into lots and keep the first ``n``.

    Parameters
    ----------
    layout : Layout
    n : int

    Returns
    -------
    Lots
    """
    k = layout.lots_per_half
    per_block = _lots_per_block(k)
    block = np.repeat(np.arange(len(k)), per_block)[:n]
    start = np.repeat(np.cumsum(per_block) - per_block, per_block)[:n]
    within = np.arange(len(block)) - start
    kb = k[block]
    whole = kb == 0
    safe_k = np.where(whole, 1, kb)
    half = np.where(whole, 2, within // safe_k)
    lot = np.where(whole, 0, within % safe_k)
    left = (lot + _jitter(block, half, lot, safe_k)) / safe_k
    right = (lot + 1 + _jitter(block, half, lot + 1, safe_k)) / safe_k
    u0, width = layout.u0[block], layout.width[block]
    v0, depth = layout.v0[block], layout.depth[block]
    mid = v0 + depth / 2
    return Lots(
        block=block,
        half=half,
        lot=lot,
        u_min=u0 + width * left,
        u_max=u0 + width * right,
        v_min=np.where(half == 0, mid, v0),
        v_max=np.where(half == 1, mid, v0 + depth),
    )


def lot_polygons(lots: Lots, x0: float, y0: float, angle: float) -> np.ndarray:
    """Rectangles of the lots in EPSG:2226, rotated onto the street grid.

    Parameters
    ----------
    lots : Lots
    x0, y0 : float
        EPSG:2226 coordinates of the local origin (the anchor).
    angle : float
        Grid bearing of the numbered streets, radians clockwise from grid north.

    Returns
    -------
    numpy.ndarray of shapely.Polygon
        Coordinates rounded to 0.01 ft. Where the lot lines of a block's two halves do not
        meet, a corner of one lot lies on the edge of another and the rounding leaves a
        sliver of overlap or gap (under 1 sq ft), as real parcel layers have.
    """
    u = np.stack([lots.u_min, lots.u_max, lots.u_max, lots.u_min, lots.u_min], axis=1)
    v = np.stack([lots.v_min, lots.v_min, lots.v_max, lots.v_max, lots.v_min], axis=1)
    sin, cos = math.sin(angle), math.cos(angle)
    x = np.round(x0 + u * cos + v * sin, 2)
    y = np.round(y0 - u * sin + v * cos, 2)
    return shapely.polygons(np.stack([x, y], axis=2))


def _pick(
    rng: np.random.Generator, pool: Sequence[str], size: int, p: Sequence[float] | None = None
) -> np.ndarray:
    return np.asarray(pool, dtype=object)[rng.choice(len(pool), size=size, p=p)]


def private_names(rng: np.random.Generator, size: int) -> np.ndarray:
    """Fictional private owner names, mostly distinct (as on a county roll).

    Parameters
    ----------
    rng : numpy.random.Generator
    size : int

    Returns
    -------
    numpy.ndarray of str
    """
    kinds = list(PRIVATE_KIND_P)
    kind = rng.choice(len(kinds), size=size, p=list(PRIVATE_KIND_P.values()))
    last = _pick(rng, LAST_NAMES, size)
    first = _pick(rng, FIRST_NAMES, size)
    first2 = _pick(rng, FIRST_NAMES, size)
    initial = np.where(
        rng.random(size) < 0.7, np.array(list("ABCDEFGHJKLMNPRSTW"))[rng.integers(0, 18, size)], ""
    )
    year = rng.integers(1985, 2025, size)
    trust = _pick(rng, TRUST_KINDS, size)
    word1, word2 = _pick(rng, COMPANY_WORDS, size), _pick(rng, COMPANY_WORDS, size)
    company = _pick(rng, COMPANY_KINDS, size)
    serial = rng.integers(1, 10_000, size)
    landlord = np.minimum(rng.zipf(1.3, size), LANDLORDS)
    names = np.empty(size, dtype=object)
    for i in range(size):
        k = kinds[kind[i]]
        if k == "person":
            names[i] = f"{last[i]} {first[i]} {initial[i]}".rstrip()
        elif k == "couple":
            names[i] = f"{last[i]} {first[i]} AND {first2[i]}"
        elif k == "trust":
            who = last[i] if trust[i] != "TRUST" else f"{last[i]} {year[i]}"
            names[i] = f"{who} {trust[i]}"
        elif k == "company":
            names[i] = f"{word1[i]} {word2[i]} {serial[i]} {company[i]}"
        else:
            names[i] = f"{COMPANY_WORDS[landlord[i] % len(COMPANY_WORDS)]} RENTAL PORTFOLIO " + (
                f"{landlord[i]} LLC"
            )
    return names


def _land_uses(rng: np.random.Generator, size: int, shares: dict[str, float]) -> np.ndarray:
    p = np.asarray(list(shares.values()), dtype=float)
    return _pick(rng, list(shares), size, p / p.sum())


def owners_and_uses(rng: np.random.Generator, lots: Lots) -> pd.DataFrame:
    """Owner, care-of name and land use of every lot.

    Parameters
    ----------
    rng : numpy.random.Generator
    lots : Lots

    Returns
    -------
    pandas.DataFrame
        Columns ``NAME``, ``CARE_OF_NA`` and ``LANDUSE``, one row per lot.
    """
    n = len(lots.block)
    categories = list(CATEGORY_P) + ["private"]
    shares = list(CATEGORY_P.values())
    category = np.asarray(categories)[
        rng.choice(len(categories), size=n, p=[*shares, 1 - sum(shares)])
    ]
    name = np.empty(n, dtype=object)
    use = np.empty(n, dtype=object)
    care_of = np.full(n, "", dtype=object)
    for cat in categories:
        where = np.flatnonzero(category == cat)
        if cat == "private":
            name[where] = private_names(rng, len(where))
            use[where] = _land_uses(rng, len(where), PRIVATE_USES)
            with_care = where[rng.random(len(where)) < 0.05]
            care_of[with_care] = _pick(rng, CARE_OF, len(with_care))
        elif cat == "blank":
            name[where] = ""
            use[where] = _land_uses(rng, len(where), PRIVATE_USES)
        elif cat == "city":
            name[where] = _pick(rng, CITY_NAMES, len(where), CITY_NAME_P)
            use[where] = _land_uses(rng, len(where), CITY_USES)
        elif cat == "hard":
            name[where] = _pick(rng, CATEGORY_POOLS[cat], len(where))
            use[where] = _land_uses(rng, len(where), PRIVATE_USES)
        else:
            name[where] = _pick(rng, CATEGORY_POOLS[cat], len(where))
            use[where] = _land_uses(rng, len(where), PUBLIC_USES)
    whole = np.flatnonzero((lots.half == 2) & (category != "private") & (category != "blank"))
    use[whole] = _land_uses(rng, len(whole), WHOLE_BLOCK_USES)
    # Every hard name at least once, so the tricky cases are always in the file.
    spots = rng.choice(n, size=min(n, len(HARD_NAMES)), replace=False)
    name[spots] = np.asarray(HARD_NAMES[: len(spots)], dtype=object)
    return pd.DataFrame({"NAME": name, "CARE_OF_NA": care_of, "LANDUSE": use})


def _apns(layout: Layout, lots: Lots) -> np.ndarray:
    """Unique dashed APNs: book and page from the block, parcel number from the lot."""
    book = 1 + lots.block // 1000
    page = lots.block % 1000
    k = np.where(layout.lots_per_half[lots.block] == 0, 1, layout.lots_per_half[lots.block])
    parcel = 1 + np.where(lots.half == 1, k, 0) + lots.lot
    return np.asarray(
        [f"{b:03d}-{p:04d}-{q:03d}-0000" for b, p, q in zip(book, page, parcel, strict=True)],
        dtype=object,
    )


def _addresses(layout: Layout, lots: Lots) -> tuple[np.ndarray, np.ndarray]:
    """House number and street: a lot faces its half's street, even on the north half."""
    row, col = layout.row[lots.block], layout.col[lots.block]
    k = np.maximum(layout.lots_per_half[lots.block], 1)
    step = 2 * (48 // k)
    number = (col + 1) * 100 + step * lots.lot + (lots.half == 1)
    street_row = np.where(lots.half == 1, row + 1, row)
    streets = np.asarray(layout.street_names, dtype=object)[street_row]
    numbers = number.astype(str).astype(object)
    moss = np.flatnonzero(lots.block == layout.moss_block)
    numbers[moss], streets[moss] = MOSS_ADDRESS
    return numbers, streets


def synthetic_parcels(n: int, seed: int = 1) -> gpd.GeoDataFrame:
    """Build ``n`` synthetic parcels in the county's schema.

    Parameters
    ----------
    n : int
        Number of parcels (at least 1).
    seed : int
        Seed of the random generator; the same ``n`` and seed give the same parcels.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``make_sample.FIELDS`` and ``geometry``, CRS EPSG:2226.
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    sample = load_sample_module()
    rng = np.random.default_rng(seed)
    layout = plan_blocks(n, rng, sample.LETTERED)
    lots = split_lots(layout, n)
    grid = sample.build_grid()
    geometry = lot_polygons(lots, grid.x0, grid.y0, grid.angle)
    people = owners_and_uses(rng, lots)
    moss = np.flatnonzero(lots.block == layout.moss_block)
    people.loc[moss, ["NAME", "CARE_OF_NA", "LANDUSE"]] = [
        "UNITED STATES OF AMERICA",
        "GENERAL SERVICES ADMINISTRATION",
        "G1",
    ]
    dashed = _apns(layout, lots)
    digits = np.asarray([a.replace("-", "") for a in dashed], dtype=object)
    number, street = _addresses(layout, lots)
    row, col = layout.row[lots.block], layout.col[lots.block]
    core = (
        (row >= layout.downtown_row + 4)
        & (row <= layout.downtown_row + 10)
        & (col >= 2)
        & (col <= 11)
    )
    use = people["LANDUSE"].to_numpy()
    zone = pd.Series(use).map(ZONES).to_numpy(dtype=object)
    zone[core & (use != "PK")] = "C-3"
    tile = (row // JURISDICTION_TILE) * 7919 + (col // JURISDICTION_TILE) * 31
    jurisdiction = np.asarray(JURISDICTIONS, dtype=object)[tile % len(JURISDICTIONS)]
    jurisdiction[col < JURISDICTION_TILE] = "SACRAMENTO"
    area = (lots.u_max - lots.u_min) * (lots.v_max - lots.v_min)
    columns = {
        "APN_DASH": dashed,
        "APN10": np.asarray([d[:10] for d in digits], dtype=object),
        "PARCEL_NUM": digits,
        "STREET_NBR": number,
        "STREET_NAM": street,
        "NAME": people["NAME"].to_numpy(),
        "CARE_OF_NA": people["CARE_OF_NA"].to_numpy(),
        "LANDUSE": use,
        "ZONE_": zone,
        "LOTSIZE": np.round(area).astype("int32"),
        "JURISDICTI": jurisdiction,
    }
    fields = list(sample.FIELDS)
    if list(columns) != fields:
        raise RuntimeError(f"make_sample.FIELDS changed to {fields}; update bench/synth.py")
    return gpd.GeoDataFrame(columns, geometry=geometry, crs=CRS)


def _fix_dbf_date(dbf: Path) -> None:
    year, month, day = FIXED_DATE
    with dbf.open("r+b") as handle:
        handle.seek(1)
        handle.write(bytes([year - 1900, month, day]))


def to_arrow(frame: gpd.GeoDataFrame) -> pa.Table:
    """The parcels as an Arrow table whose text fields carry their DBF width.

    ``pyogrio.write_dataframe`` gives every text field GDAL's default width of 80 bytes
    unless the layer option ``RESIZE=YES`` shrinks them afterwards, which rewrites the
    ``.dbf`` record by record (25 s for 500,000 parcels). Writing Arrow with the widths in
    the field metadata (``GDAL:OGR:width``, which GDAL reads and writes) gives the same
    file in a tenth of the time.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        Text and int32 columns and a polygon geometry.

    Returns
    -------
    pyarrow.Table
        The columns in order, the geometry last as WKB.
    """
    arrays, fields = [], []
    for name in frame.columns:
        if name == frame.geometry.name:
            continue
        values = frame[name]
        if pd.api.types.is_integer_dtype(values.dtype):
            arrays.append(pa.array(values.to_numpy(), type=pa.int32()))
            fields.append(pa.field(name, pa.int32()))
            continue
        text = pa.array(values.astype(object).to_numpy(), type=pa.string())
        width = max(1, pc.max(pc.binary_length(text)).as_py() or 1)
        arrays.append(text)
        fields.append(pa.field(name, pa.string(), metadata={b"GDAL:OGR:width": b"%d" % width}))
    arrays.append(pa.array(shapely.to_wkb(frame.geometry.values), type=pa.binary()))
    fields.append(
        pa.field("geometry", pa.binary(), metadata={b"ARROW:extension:name": b"geoarrow.wkb"})
    )
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


def write_zip(frame: gpd.GeoDataFrame, zip_path: Path) -> Path:
    """Write parcels as a zipped shapefile (UTF-8, folder inside the archive, deflate).

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
    zip_path : Path

    Returns
    -------
    Path
        The archive written.
    """
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="civicmap-synth-") as tmp:
        shp = Path(tmp) / f"{LAYER_NAME}.shp"
        pyogrio.write_arrow(
            to_arrow(frame),
            shp,
            driver="ESRI Shapefile",
            geometry_name="geometry",
            geometry_type="Polygon",
            crs=frame.crs.to_string(),
            encoding="UTF-8",
        )
        _fix_dbf_date(shp.with_suffix(".dbf"))
        partial = zip_path.with_suffix(".zip.part")
        with zipfile.ZipFile(partial, "w") as archive:
            for suffix in SHAPEFILE_PARTS:
                part = shp.with_suffix(suffix)
                info = zipfile.ZipInfo(
                    f"{ZIP_FOLDER}/{part.name}", date_time=(*FIXED_DATE, 0, 0, 0)
                )
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o100644 << 16
                with part.open("rb") as src, archive.open(info, "w") as dst:
                    while chunk := src.read(1 << 22):
                        dst.write(chunk)
        partial.replace(zip_path)  # never leave a half-written archive under the final name
    return zip_path


def gdal_path(zip_path: Path) -> str:
    """The ``/vsizip/`` path of the shapefile inside a synthetic archive.

    Parameters
    ----------
    zip_path : Path

    Returns
    -------
    str
    """
    return f"/vsizip/{zip_path.resolve()}/{ZIP_FOLDER}/{LAYER_NAME}.shp"


def generate(n: int, out_dir: Path, seed: int = 1) -> Path:
    """Build and write ``out_dir/county_synth.zip``.

    Parameters
    ----------
    n : int
        Number of parcels.
    out_dir : Path
        Folder to write into (created if missing).
    seed : int

    Returns
    -------
    Path
        The archive.
    """
    return write_zip(synthetic_parcels(n, seed), Path(out_dir) / ZIP_NAME)


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments without the program name.

    Returns
    -------
    int
        Exit status.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=500_000, help="number of parcels")
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    frame = synthetic_parcels(args.n, args.seed)
    built = time.perf_counter()
    path = write_zip(frame, args.out / ZIP_NAME)
    done = time.perf_counter()
    print(
        f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB, {len(frame):,} parcels; "
        f"built in {built - start:.1f} s, written in {done - built:.1f} s)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
