"""The zone's streets and sidewalks as places to assemble: each connected piece of the
right-of-way, and each block face (the part in front of one side of one block, named by its
street and house numbers)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import shapely.errors
from pyproj import CRS
from shapely.geometry.base import BaseGeometry

from geo.normalize import normalize_address
from geo.profile import AssemblySpec
from geo.zone import Zone, metres_per_unit

BASIS_ROW = "right_of_way"  # the zone's streets and sidewalks (the profile's usable share)
KIND_ROW = "right_of_way"
KIND_FACE = "block_face"  # the right-of-way in front of one side of one block
FACE_MIN_M2 = 40.0  # smaller pieces of a block face (a corner sliver) are not listed
PIECE_MIN_M2 = 100.0  # smaller connected pieces of the right-of-way are not listed


def right_of_way_places(
    zone: Zone, spec: AssemblySpec, parcels: gpd.GeoDataFrame | None = None
) -> tuple[pd.DataFrame, list[BaseGeometry]]:
    """The zone's streets and sidewalks as places: each connected piece, then each block face.

    Parameters
    ----------
    zone : Zone
    spec : AssemblySpec
        Its ``right_of_way_share``: the part a crowd may stand on without a street closure.
    parcels : geopandas.GeoDataFrame, optional
        The parcels; when given, the right-of-way is also split by block face (the part in
        front of one side of one block, named by its street and house numbers).

    Returns
    -------
    (pandas.DataFrame, list of geometry)
        The rows (in the measuring CRS) and their shapes.
    """
    if zone.right_of_way is None or zone.right_of_way.is_empty:
        return pd.DataFrame(), []
    unit2 = metres_per_unit(zone.crs) ** 2
    pieces = sorted(shapely.get_parts(zone.right_of_way), key=lambda g: -g.area)
    pieces = [g for g in pieces if g.area * unit2 >= PIECE_MIN_M2]
    names = [""] * len(pieces)
    kinds = [KIND_ROW] * len(pieces)
    ids = [f"right-of-way-{i + 1}" for i in range(len(pieces))]
    if parcels is not None:
        faces = block_faces(zone, parcels)
        faces = [(g, n) for g, n in faces if g.area * unit2 >= FACE_MIN_M2]
        pieces += [g for g, _ in faces]
        names += [n for _, n in faces]
        kinds += [KIND_FACE] * len(faces)
        ids += [f"block-face-{i + 1}" for i in range(len(faces))]
    area = np.asarray([g.area * unit2 for g in pieces])
    rows = pd.DataFrame(
        {
            "place_id": ids,
            "kind": kinds,
            "apn": "",
            "address": names,
            "owner_class": "",
            "site_kind": KIND_ROW,
            "land_use": "",
            "land_use_label": "",
            "area_m2": area,
            "open_area_m2": area * spec.right_of_way_share,
            "capacity_basis": BASIS_ROW,
            "distance_m": [
                round(float(g.distance(zone.landmark.geometry)) * metres_per_unit(zone.crs), 1)
                for g in pieces
            ],
            "in_free_speech_zone": True,
        }
    )
    return rows, pieces


def block_faces(zone: Zone, parcels: gpd.GeoDataFrame) -> list[tuple[BaseGeometry, str]]:
    """The zone's right-of-way split by block face, each named by its street and numbers.

    A block is a run of touching parcels; a face is one straight side of it. Each point of
    the right-of-way goes to the nearest face (a Voronoi split of points along the faces),
    so a street is shared down its middle and a corner along its diagonal.

    Parameters
    ----------
    zone : Zone
    parcels : geopandas.GeoDataFrame

    Returns
    -------
    list of (geometry, str)
        Each face's part of the right-of-way (measuring CRS) and its name, e.g.
        ``"CAPITOL MALL 600-698"`` (empty when its parcels have no address).
    """
    row = zone.right_of_way
    if row is None or row.is_empty:
        return []
    feet = 0.3048 / metres_per_unit(zone.crs)  # one foot in CRS units
    geoms = parcels.geometry
    if parcels.crs is not None and CRS.from_user_input(parcels.crs) != zone.crs:
        geoms = geoms.to_crs(zone.crs)
    reach = row.buffer(2 * feet)
    near = geoms.sindex.query(reach, predicate="intersects")
    shapes = geoms.values[near]
    if not len(shapes):
        return []
    blocks = shapely.get_parts(shapely.union_all(shapely.make_valid(shapes)).buffer(0.5 * feet))
    edges: list[BaseGeometry] = []
    for block in blocks:
        if block.geom_type != "Polygon" or not block.intersects(reach):
            continue
        ring = np.asarray(block.exterior.simplify(2 * feet).coords)
        for a, b in zip(ring[:-1], ring[1:], strict=True):
            edge = shapely.LineString([a, b])
            if edge.length > 20 * feet and edge.distance(row) < 2 * feet:
                edges.append(edge)
    if not edges:
        return []
    points, owner = [], []
    for k, edge in enumerate(edges):
        steps = max(2, int(edge.length / (5 * feet)))
        for f in np.linspace(0.5 / steps, 1 - 0.5 / steps, steps):
            points.append(edge.interpolate(f, normalized=True))
            owner.append(k)
    cells = shapely.get_parts(
        shapely.voronoi_polygons(
            shapely.MultiPoint(points), extend_to=zone.outline or row, ordered=True
        )
    )
    owner_of = np.asarray(owner)
    address = parcels["address"].astype(str).to_numpy()[near]
    faces = []
    for k, edge in enumerate(edges):
        part = _clip(cells[owner_of == k], row, 0.01 * feet)
        if part.is_empty:
            continue
        touching = shapely.dwithin(shapes, edge, 3 * feet)
        faces.append((part, _face_name(address[touching])))
    return faces


def _clip(cells: np.ndarray, row: BaseGeometry, grid: float) -> BaseGeometry:
    """The union of some Voronoi cells, clipped to the right-of-way (snapped when GEOS balks)."""
    try:
        return shapely.intersection(shapely.union_all(cells), row)
    except shapely.errors.GEOSException:
        merged = shapely.union_all(shapely.make_valid(cells), grid_size=grid)
        return shapely.intersection(merged, shapely.make_valid(row), grid_size=grid)


def _face_name(addresses: np.ndarray) -> str:
    """The street most of a face's parcels are on, and their house numbers' range."""
    streets: dict[str, list[int]] = {}
    for text in addresses:
        number, _, street = normalize_address(str(text)).partition(" ")
        if number.isdigit() and street:
            streets.setdefault(street, []).append(int(number))
    if not streets:
        return ""
    street, numbers = max(streets.items(), key=lambda kv: len(kv[1]))
    low, high = min(numbers), max(numbers)
    return f"{street} {low}" if low == high else f"{street} {low}-{high}"
