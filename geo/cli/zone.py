"""``civicmap zone``: the free speech zone as GeoJSON (EPSG:4326)."""

from __future__ import annotations

import argparse

from geo.atomic import check_writable, write_text
from geo.cli.command import Command
from geo.cli.options import add_source_options
from geo.cli.source import analyse_source


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """SRC, the terms, ``--distance METRES`` and ``--out``."""
    add_source_options(parser)
    parser.add_argument("--distance", type=float, metavar="METRES", dest="zone_distance")
    parser.add_argument("--out", required=True, metavar="zone.geojson")


def run(args: argparse.Namespace) -> int:
    """Write the zone and print its area, perimeter and how much of it is public space."""
    out = check_writable(args.out)
    _, analysis = analyse_source(args)
    zone = analysis.zone
    write_text(out, zone.to_frame().to_crs("EPSG:4326").to_json(drop_id=True))
    print(f"area: {zone.area_m2:,.0f} m² · perimeter: {zone.perimeter_m:,.0f} m · wrote: {out}")
    print(
        f"public space only: {zone.right_of_way_m2:,.0f} m² of streets and sidewalks, "
        f"{max(zone.area_m2 - zone.right_of_way_m2, 0.0):,.0f} m² of designated parcels "
        f"(outline {zone.outline_m2:,.0f} m²)"
    )
    return 0


COMMAND = Command("zone", "write the free speech zone as GeoJSON", add_arguments, run)
