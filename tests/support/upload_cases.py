"""Builders of the uploads that used to crash or lose the map, for the unit and app tests."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import shapely
from ingest_fixtures import county_frame, write_county_zip, write_gpkg, write_zipped_shapefile

LATIN_OWNER = "ÚNICO SEÑOR DE LA PEÑA"


def two_layer_gpkg(path: Path) -> Path:
    """A GeoPackage with two parcel-like layers, ``parcels`` and ``parcels_2020``."""
    write_gpkg(county_frame(), path, "parcels")
    return write_gpkg(county_frame(), path, "parcels_2020")


def latin1_zip(path: Path, cpg_text: str | None = None) -> Path:
    """A zipped shapefile whose owners are Latin-1, without a ``.cpg`` (or one saying
    ``cpg_text``, a lie)."""
    frame = county_frame()
    frame["NAME"] = [LATIN_OWNER] * len(frame)
    plain = write_zipped_shapefile(frame, path, encoding="ISO-8859-1", cpg=False)
    if cpg_text is None:
        return plain
    lying = path.with_name(f"lying-{path.name}")
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(lying, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr("parcels.cpg", cpg_text)
    return lying


def huge_parcel_gpkg(path: Path, vertices: int = 1_000_000) -> Path:
    """The five parcels with the first one a circle of ``vertices`` vertices."""
    frame = county_frame()
    centre = frame.geometry.iloc[0].centroid
    angle = np.linspace(0.0, 2 * np.pi, vertices, endpoint=False)
    ring = np.column_stack([centre.x + 40 * np.cos(angle), centre.y + 40 * np.sin(angle)])
    frame.loc[0, "geometry"] = shapely.Polygon(ring)
    return write_gpkg(frame, path)


def renamed_zip(directory: Path) -> Path:
    """A good county zip (to be uploaded under a wrong name such as ``parcels.exe``)."""
    return write_county_zip(directory, "renamed.zip")
