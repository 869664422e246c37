"""Reading and analysing a command's ``SRC`` under the terms its options give."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import replace

import geopandas as gpd

from geo.analysis import Analysis, analyse
from geo.cli.options import policy_from_args
from geo.profile import Profile, load_profile
from geo.provenance import Provenance, basis_of, provenance, source_of
from geo.schema import parse_field_overrides
from geo.sources import read_parcels


def progress_bar(label: str = "reading") -> Callable[[int, int], None]:
    """A ``progress(done, total)`` callback that redraws one line on stderr."""

    def show(done: int, total: int) -> None:
        if total > 0:
            filled = int(30 * done / total)
            bar = "#" * filled + "-" * (30 - filled)
            sys.stderr.write(f"\r{label} [{bar}] {done:,}/{total:,}")
        else:
            sys.stderr.write(f"\r{label} {done:,}")
        if total > 0 and done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return show


def quiet_or_bar(
    args: argparse.Namespace, label: str = "reading"
) -> Callable[[int, int], None] | None:
    """A progress bar on a terminal, unless ``--quiet``; nothing in a log."""
    return None if args.quiet or not sys.stderr.isatty() else progress_bar(label)


def read_source(args: argparse.Namespace, profile: Profile) -> gpd.GeoDataFrame:
    """The parcels of ``SRC`` in the canonical schema, read as ``--field``/``--crs`` say."""
    overrides = parse_field_overrides(args.field)
    layer = getattr(args, "layer", None)
    return read_parcels(
        args.src, profile, overrides, crs=args.crs, progress=quiet_or_bar(args), layer=layer
    )


def analyse_source(args: argparse.Namespace) -> tuple[Profile, Analysis]:
    """The profile and the analysis of ``SRC`` under the command line's terms and zone."""
    profile = load_profile(args.profile)
    policy = policy_from_args(profile, args)
    parcels = read_source(args, profile)
    spec = profile.zone
    if args.zone_distance is not None:
        spec = replace(spec, distance_m=args.zone_distance)
    return profile, analyse(parcels, profile, policy, spec)


def cited(args: argparse.Namespace, profile: Profile, analysis: Analysis) -> Provenance:
    """Which policy, terms, data and time this command's answers rest on."""
    attrs = analysis.parcels.attrs
    source = source_of(profile, args.src, attrs)
    basis = basis_of(profile, args.src, attrs)
    return provenance(profile, analysis.policy, analysis.zone.distance_m, source, basis=basis)
