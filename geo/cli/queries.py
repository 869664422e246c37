"""The parcels a command is asked about: ``--apn``, ``--address`` and ``--apn-file``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from geo.errors import InputError
from geo.lists import combined, read_query_file


def read_queries(path: str) -> list[str]:
    """The non-blank queries of a list file, in file order (see :func:`read_query_file`)."""
    return read_query_file(path).queries


def listed_queries(args: argparse.Namespace) -> tuple[list[str], pd.DataFrame | None]:
    """The queries asked, and the list's other columns (to carry into the result).

    How the file was read (format, encoding, column) is said on stderr unless ``--quiet``.
    """
    queries = list(args.apn) + list(args.address)
    if not args.apn_file:
        return queries, None
    listed = read_query_file(args.apn_file)
    if not args.quiet:
        print(f"note: {listed.describe(Path(args.apn_file).name)}", file=sys.stderr)
    if not listed.queries:
        raise InputError.keyed("error.cli.nothing_to_check", name=Path(args.apn_file).name)
    return combined(queries, listed)
