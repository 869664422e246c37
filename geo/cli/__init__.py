"""The library's commands of ``civicmap`` (``layers.cli`` adds those that draw).

One module a command (``check``, ``ingest``, ``tiles``, ``diff``, ``spaces``, ``zone``,
``fetch``, ``values``, ``changes``), each a :class:`~geo.cli.command.Command`; the options several
commands share in :mod:`geo.cli.options`, reading the source in :mod:`geo.cli.source`,
printing tables in :mod:`geo.cli.output`. Bad input ends with status 2 and one ``error:`` line.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from geo.cli import changes, check, diff, fetch, ingest, spaces, tiles, values, zone
from geo.cli.command import EXIT_BAD_INPUT, Command
from geo.cli.runner import EXIT_INTERRUPTED, parser_for, run_command_line

LIBRARY_COMMANDS: tuple[Command, ...] = tuple(
    m.COMMAND for m in (check, ingest, tiles, diff, spaces, zone, fetch, values, changes)
)

__all__ = ["EXIT_BAD_INPUT", "EXIT_INTERRUPTED", "LIBRARY_COMMANDS", "build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the library's commands."""
    return parser_for(LIBRARY_COMMANDS)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m geo``: the library's commands."""
    return run_command_line(argv, LIBRARY_COMMANDS)
