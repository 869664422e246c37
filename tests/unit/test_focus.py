"""Where the map goes for a found parcel: the centroid of its shapes, in degrees."""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely
from parcel_helpers import X0, Y0, make_frame, square

from geo.lookup import focus_point


def test_the_focus_is_the_centroid_of_the_parcels_in_degrees() -> None:
    frame = make_frame([("1", "", "", "", square(0)), ("2", "", "", "", square(1))])
    point = focus_point(frame, (0, 1))
    assert point is not None
    centre = gpd.GeoSeries([shapely.Point(X0 + 100, Y0 + 50)], crs="EPSG:2226").to_crs(4326)
    assert point == (pytest.approx(centre.y[0], abs=1e-9), pytest.approx(centre.x[0], abs=1e-9))
    assert 38 < point[0] < 39 and -122 < point[1] < -121  # latitude first, Sacramento


def test_parcels_without_a_shape_give_no_focus() -> None:
    frame = make_frame(
        [
            ("1", "", "", "", None),
            ("2", "", "", "", shapely.Polygon()),
            ("3", "", "", "", square(0)),
        ]
    )
    assert focus_point(frame, (0, 1)) is None
    assert focus_point(frame, ()) is None
    assert focus_point(frame, (0, 2)) == focus_point(frame, (2,))
