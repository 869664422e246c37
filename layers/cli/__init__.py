"""The whole ``civicmap`` command line: the library's commands and those that draw or serve.

The library (``geo``) never imports Folium; the commands that need it (``map``, ``sheet``,
``publish``) and those that serve a site or configure a proxy (``serve``, ``proxy-conf``)
live here, one module each, built on :mod:`geo.cli`'s shared options.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from geo.cli import LIBRARY_COMMANDS
from geo.cli.command import Command
from geo.cli.runner import parser_for, run_command_line
from layers.cli import map as map_command
from layers.cli import proxy_conf, publish, serve, sheet

COMMANDS: tuple[Command, ...] = (
    *LIBRARY_COMMANDS,
    map_command.COMMAND,
    sheet.COMMAND,
    publish.COMMAND,
    serve.COMMAND,
    proxy_conf.COMMAND,
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``civicmap`` (exposed for tests and docs)."""
    return parser_for(COMMANDS)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``civicmap`` and ``python -m layers``."""
    return run_command_line(argv, COMMANDS)
