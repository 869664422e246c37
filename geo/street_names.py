"""Street names for a map of parcels without a street layer: placed along the right-of-way.

A county's parcel layer names each parcel's street in its address (``1201 I ST``) but draws
no streets. Here each street named by the parcels in view becomes one line. The edges of its
parcels that face the right-of-way (the land between parcels) are grouped by direction and
offset across it; the street's frontage is the group with the most of its parcels (on this
side, and on the other side across the right-of-way) times the width of the way between,
so a corner parcel's other frontage (shared by few) and the alley behind (narrow) lose. The
line runs midway across the way, along both sides' extent, cut to the right-of-way. A
handout's map then draws and names it as it would a street centreline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from geo.zone import metres_per_unit

_NUMBER_STREET = re.compile(r"^\s*\d+[A-Z]?(?:-\d+)?\s+(?P<street>[^,]+)")
INTO_STREET_M = 6.0  # off a frontage, when nothing says how wide the street is
TOUCH_M = 0.5  # an edge this close to the right-of-way faces it
ANGLE_STEP = 2.0  # degrees: edges grouped by direction...
OFFSET_STEP_M = 2.0  # ...and by where they lie across it
MAX_WIDTH_M = 60.0  # the widest street looked across for its other side
MIN_PARCELS = 2
MIN_LENGTH_M = 30.0  # a shorter line could not carry its name


def street_of(address: object) -> str:
    """The street an address is on (``1201 I ST`` -> ``I ST``), or ``""``."""
    match = _NUMBER_STREET.match(str(address or "").upper())
    return " ".join(match["street"].split()) if match else ""


def streets_from_addresses(parcels: gpd.GeoDataFrame, view: BaseGeometry) -> gpd.GeoDataFrame:
    """One line per street named by the parcels in ``view``, along the right-of-way.

    Parameters
    ----------
    parcels : geopandas.GeoDataFrame
        Canonical parcels (``address``, geometry) in a projected CRS.
    view : geometry
        The area to name streets in, in the parcels' CRS.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``name`` and ``geometry`` (lines), in the parcels' CRS; empty when the view
        holds no street with :data:`MIN_PARCELS` parcels.
    """
    crs = parcels.crs
    empty = gpd.GeoDataFrame({"name": []}, geometry=[], crs=crs)
    if crs is None or not crs.is_projected:
        return empty
    unit = metres_per_unit(crs)
    region = view.buffer(MAX_WIDTH_M / unit)  # a street at the view's edge has both sides
    near = parcels.iloc[parcels.sindex.query(region)]
    near = near[~(near.geometry.is_empty | near.geometry.isna())]
    if near.empty:
        return empty
    row = shapely.difference(region, shapely.union_all(np.asarray(near.geometry.values)))
    if row.is_empty:
        return empty
    streets = np.asarray([street_of(a) for a in near["address"]], dtype=object)
    inner = near.geometry.representative_point().values
    streets[~shapely.within(np.asarray(inner, dtype=object), view)] = ""  # mostly outside
    shapes = np.asarray(near.geometry.values, dtype=object)
    names, lines = [], []
    for name in sorted(set(streets) - {""}):
        picked = np.flatnonzero(streets == name)
        if len(picked) < MIN_PARCELS:
            continue
        line = _street_line(_facing_edges(shapes[picked], row, unit), row, unit)
        if line is not None and line.length * unit >= MIN_LENGTH_M:
            names.append(name)
            lines.append(line)
    return gpd.GeoDataFrame({"name": names}, geometry=lines, crs=crs)


def _facing_edges(shapes: np.ndarray, row: BaseGeometry, unit: float) -> np.ndarray:
    """The parcels' outer edges that face the right-of-way: rows of ``x0 y0 x1 y1 parcel``."""
    rings = shapely.get_exterior_ring(shapely.get_parts(shapes, return_index=True)[0])
    owner = shapely.get_parts(shapes, return_index=True)[1]
    coords, ring = shapely.get_coordinates(rings, return_index=True)
    same = ring[1:] == ring[:-1]
    edges = np.column_stack([coords[:-1][same], coords[1:][same], owner[ring[:-1][same]]])
    length = np.hypot(edges[:, 2] - edges[:, 0], edges[:, 3] - edges[:, 1])
    edges = edges[length * unit >= 1.0]
    mids = shapely.points((edges[:, 0] + edges[:, 2]) / 2, (edges[:, 1] + edges[:, 3]) / 2)
    return edges[shapely.distance(mids, row) * unit < TOUCH_M]


def _street_line(edges: np.ndarray, row: BaseGeometry, unit: float) -> BaseGeometry | None:
    """The line midway between the street's two frontages (or off its one), cut to the
    right-of-way: its longest piece there."""
    if not len(edges):
        return None
    theta = np.arctan2(edges[:, 3] - edges[:, 1], edges[:, 2] - edges[:, 0]) % np.pi
    mids = (edges[:, :2] + edges[:, 2:4]) / 2
    normal = np.column_stack([-np.sin(theta), np.cos(theta)])
    offset = np.einsum("ij,ij->i", mids, normal) * unit
    angle_bin = np.round(np.degrees(theta) / ANGLE_STEP) % (180 / ANGLE_STEP)
    keys = angle_bin * 1e9 + np.round(offset / OFFSET_STEP_M)
    best: tuple[float, Frontage] | None = None
    for group in _groups(keys, edges[:, 4]):
        front = Frontage.of(edges, theta, mids, group, row, unit)
        score = front.parcels(edges) * max(front.width_m, 1.0)  # a street, not an alley
        if best is None or score > best[0]:
            best = (score, front)
    return None if best is None else best[1].line(edges, row, unit)


def _groups(keys: np.ndarray, parcel: np.ndarray, most: int = 4) -> list[np.ndarray]:
    """The edge groups shared by the most parcels (at least :data:`MIN_PARCELS`)."""
    groups, inverse = np.unique(keys, return_inverse=True)
    counts = np.asarray([len(np.unique(parcel[inverse == g])) for g in range(len(groups))])
    order = [g for g in np.argsort(-counts, kind="stable")[:most] if counts[g] >= MIN_PARCELS]
    return [inverse == g for g in order]


@dataclass(frozen=True)
class Frontage:
    """One side of a street (its edges), the other side across it (if any) and the width."""

    front: np.ndarray
    facing: np.ndarray
    along: np.ndarray
    across: np.ndarray
    middle: float
    width_m: float

    @classmethod
    def of(
        cls,
        edges: np.ndarray,
        theta: np.ndarray,
        mids: np.ndarray,
        front: np.ndarray,
        row: BaseGeometry,
        unit: float,
    ) -> Frontage:
        """The frontage of ``front``'s edges and the nearest parallel edges across the
        right-of-way from them."""
        angle = float(theta[front][0])
        along = np.array([np.cos(angle), np.sin(angle)])
        across = np.array([-along[1], along[0]])
        base = float(np.median(mids[front] @ across))
        probe = shapely.Point(mids[front][0] + across * (1.0 / unit))
        side = 1.0 if row.contains(probe) else -1.0
        gap = (mids @ across - base) * side * unit  # metres into the right-of-way
        parallel = np.abs(np.sin(theta - angle)) < np.sin(np.radians(ANGLE_STEP))
        beyond = parallel & (gap > 2 * TOUCH_M) & (gap < MAX_WIDTH_M)
        if not beyond.any():  # the other side is out of view: how wide the way is here
            start = mids[front][0] + across * side * (2 * TOUCH_M / unit)
            reach = shapely.LineString([start, start + across * side * (MAX_WIDTH_M / unit)])
            inside = [p for p in shapely.get_parts(reach.intersection(row)) if p.length > 0]
            width = min(inside[0].length * unit, MAX_WIDTH_M) if inside else INTO_STREET_M
            return cls(front, beyond, along, across, base + side * width / 2 / unit, width)
        width = float(np.min(gap[beyond]))
        facing = beyond & (gap - width < OFFSET_STEP_M)
        return cls(front, facing, along, across, base + side * width / 2 / unit, width)

    def parcels(self, edges: np.ndarray) -> int:
        """How many of the street's parcels front on it here, on either side."""
        return len(np.unique(edges[self.front | self.facing, 4]))

    def line(self, edges: np.ndarray, row: BaseGeometry, unit: float) -> BaseGeometry | None:
        """The street's line: along both sides' extent, cut to the right-of-way."""
        used = edges[self.front | self.facing]
        spread = np.concatenate([used[:, :2] @ self.along, used[:, 2:4] @ self.along])
        ends = [self.along * t + self.across * self.middle for t in (spread.min(), spread.max())]
        pieces = shapely.get_parts(shapely.intersection(shapely.LineString(ends), row))
        pieces = [p for p in pieces if p.geom_type == "LineString" and p.length > 0]
        return max(pieces, key=lambda p: p.length) if pieces else None
