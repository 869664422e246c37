"""What the browser receives for one view: never the whole county.

Leaflet draws a few thousand polygons comfortably and stalls on hundreds of thousands, so:

- below street zoom the map gets the parcels that matter (covered and needs review) in the
  view, the largest first, up to a limit;
- at street zoom it gets every parcel in the view, up to the same limit;
- either way the shapes are simplified to the screen's resolution with a coverage-preserving
  simplification (neighbours keep sharing edges), and coordinates are rounded to it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely

DRAW_CRS = "EPSG:4326"
STREET_ZOOM = 16
MAX_FEATURES = 5_000
EARTH_M_PER_PX_Z0 = 156_543.034  # metres per pixel at zoom 0 on the equator


@dataclass(frozen=True)
class DrawGeometry:
    """Parcel shapes in EPSG:4326 with a spatial index, built once per dataset.

    Attributes
    ----------
    geoms : numpy.ndarray
        Shapely geometries in EPSG:4326, in the table's row order (None where missing).
    tree : shapely.STRtree
        Index over ``geoms``.
    area : numpy.ndarray
        Each shape's area in square degrees (for ordering only).
    """

    geoms: np.ndarray
    tree: shapely.STRtree
    area: np.ndarray

    @classmethod
    def build(cls, parcels: gpd.GeoDataFrame) -> DrawGeometry:
        """Project a parcel table to EPSG:4326 and index it.

        Parameters
        ----------
        parcels : geopandas.GeoDataFrame

        Returns
        -------
        DrawGeometry
        """
        series = parcels.geometry
        if series.crs is not None and series.crs != DRAW_CRS:
            series = series.to_crs(DRAW_CRS)
        geoms = np.asarray(series.values, dtype=object)
        return cls(geoms, shapely.STRtree(geoms), shapely.area(geoms))

    def centre(self, positions: tuple[int, ...]) -> tuple[float, float] | None:
        """Where a map showing these parcels centres, as (lat, lon); None without shapes."""
        shapes = [g for g in self.geoms[list(positions)] if g is not None and not g.is_empty]
        if not shapes:
            return None
        point = shapely.union_all(shapes).centroid
        return float(point.y), float(point.x)


@dataclass(frozen=True)
class ViewSelection:
    """The rows to draw for one view.

    Attributes
    ----------
    positions : numpy.ndarray
        Row positions (``iloc``) of the parcels to send.
    complete : bool
        False when the view held more than the limit (the rest are not drawn).
    in_view : int
        How many parcels of the drawn kinds were in the view.
    street_level : bool
        True at street zoom (all parcels), False below it (covered and review only).
    """

    positions: np.ndarray
    complete: bool
    in_view: int
    street_level: bool


def metres_per_pixel(zoom: float, lat: float) -> float:
    """Ground resolution of a web map at a zoom and latitude.

    Parameters
    ----------
    zoom : float
    lat : float

    Returns
    -------
    float
    """
    return EARTH_M_PER_PX_Z0 * math.cos(math.radians(lat)) / 2**zoom


def view_bounds(
    center: tuple[float, float], zoom: float, width_px: int = 1400, height_px: int = 900
) -> tuple[float, float, float, float]:
    """The (south, west, north, east) a map of a given pixel size shows at a centre and zoom.

    Parameters
    ----------
    center : (float, float)
        Latitude and longitude.
    zoom : float
    width_px, height_px : int
        The map's size in pixels (a generous desktop size by default).

    Returns
    -------
    tuple of float
    """
    lat, lon = center
    mpp = metres_per_pixel(zoom, lat)
    half_h = height_px / 2 * mpp / 111_320.0
    half_w = width_px / 2 * mpp / (111_320.0 * max(math.cos(math.radians(lat)), 0.01))
    return (lat - half_h, lon - half_w, lat + half_h, lon + half_w)


def select_view(
    draw: DrawGeometry,
    categories: np.ndarray,
    bounds: tuple[float, float, float, float] | None,
    zoom: float,
    show_not_covered: bool = True,
    limit: int = MAX_FEATURES,
) -> ViewSelection:
    """Choose the parcels to send for a view.

    Parameters
    ----------
    draw : DrawGeometry
    categories : numpy.ndarray
        Each row's category key (see :func:`layers.style.category_keys`).
    bounds : (south, west, north, east) or None
        The view in degrees; None for everything.
    zoom : float
        The map's zoom.
    show_not_covered : bool
        Whether not-covered parcels may be drawn at street zoom.
    limit : int
        The most features to send.

    Returns
    -------
    ViewSelection
    """
    if bounds is None:
        rows = np.arange(len(draw.geoms))
    else:
        south, west, north, east = bounds
        rows = draw.tree.query(shapely.box(west, south, east, north))
    street = zoom >= STREET_ZOOM or len(draw.geoms) <= limit
    if not (street and show_not_covered):
        rows = rows[categories[rows] != "not_covered"]
    in_view = len(rows)
    if in_view > limit:
        priority = (categories[rows] != "not_covered").astype(float) * 1e9 + draw.area[rows]
        rows = rows[np.argsort(-priority, kind="stable")[:limit]]
    return ViewSelection(np.sort(rows), in_view <= limit, in_view, street)


def simplified(geoms: np.ndarray, zoom: float, lat: float) -> np.ndarray:
    """Shapes simplified and rounded to what the screen can show at a zoom.

    Parameters
    ----------
    geoms : numpy.ndarray
        Polygons in EPSG:4326.
    zoom : float
    lat : float
        Latitude of the view (for the ground resolution).

    Returns
    -------
    numpy.ndarray
    """
    if len(geoms) == 0:
        return geoms
    pixel_deg = metres_per_pixel(zoom, lat) / 111_320.0
    # a decimal grid a quarter pixel or finer, so the JSON carries no useless digits
    grid = 10.0 ** min(-3, max(-7, math.floor(math.log10(pixel_deg / 4))))
    out = geoms
    if zoom < 18:
        try:
            out = shapely.coverage_simplify(geoms, tolerance=pixel_deg / 2, simplify_boundary=True)
        except shapely.errors.GEOSException:  # not a clean coverage: simplify each alone
            out = shapely.simplify(geoms, pixel_deg / 2, preserve_topology=True)
    return on_grid(out, grid)


# Finer than a pixel at the map's deepest zoom (about 0.2 m): shapes drawn on every rerun
# (places to assemble, the selection outline) lose nothing visible, but a parcel of a
# million vertices becomes a few dozen.
SCREEN_TOLERANCE_DEG = 2e-6


def for_screen(geoms: np.ndarray, tolerance_deg: float = SCREEN_TOLERANCE_DEG) -> np.ndarray:
    """Shapes in EPSG:4326 simplified below a pixel at any zoom and put on a 1e-6 grid.

    Parameters
    ----------
    geoms : numpy.ndarray
    tolerance_deg : float

    Returns
    -------
    numpy.ndarray
    """
    if len(geoms) == 0:
        return geoms
    return on_grid(shapely.simplify(geoms, tolerance_deg, preserve_topology=True), 1e-6)


def on_grid(geoms: np.ndarray, grid: float) -> np.ndarray:
    """Coordinates rounded to a decimal grid (``1e-6`` keeps six decimals), for drawing.

    Rounding the coordinate arrays in bulk is far cheaper than GEOS ``set_precision``,
    which also rebuilds each polygon valid; a drawn shape does not need that.

    Parameters
    ----------
    geoms : numpy.ndarray
        Shapes in EPSG:4326.
    grid : float
        A power of ten.

    Returns
    -------
    numpy.ndarray
    """
    digits = max(0, -round(math.log10(grid)))
    return shapely.transform(geoms, lambda xy: np.round(xy, digits))
