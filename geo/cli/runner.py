"""Parsing a command line and running its command: one ``error:`` line for bad input."""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Sequence

from geo.cli.command import EXIT_BAD_INPUT, Command, Parser
from geo.errors import InputError
from geo.i18n import translator
from geo.safe_text import terminal_safe

EXIT_INTERRUPTED = 128 + signal.SIGINT  # 130, as a shell reports Ctrl-C


def parser_for(commands: Sequence[Command]) -> argparse.ArgumentParser:
    """The argument parser of ``civicmap`` with these commands."""
    parser = Parser(
        prog="civicmap",
        description="Which parcels a city's staging-area proposal covers, and why.",
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    for command in commands:
        command.add_arguments(sub.add_parser(command.name, help=command.help))
    return parser


def run_command_line(argv: Sequence[str] | None, commands: Sequence[Command]) -> int:
    """Run one command line: 0 on success, 2 on bad input, 130 (143) on SIGINT (SIGTERM)."""
    received: list[int] = []
    previous = signal.getsignal(signal.SIGTERM)

    def on_terminate(signum: int, _frame: object) -> None:
        received.append(signum)
        raise KeyboardInterrupt  # unwinds like Ctrl-C: partial files are removed

    try:
        signal.signal(signal.SIGTERM, on_terminate)
    except ValueError:  # not the main thread (an embedding program): keep its handler
        previous = None
    args: argparse.Namespace | None = None
    try:
        args = parser_for(commands).parse_args(argv)
        chosen = {c.name: c for c in commands}[args.command]
        return chosen.run(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 128 + received[0] if received else EXIT_INTERRUPTED
    except InputError as exc:
        said = exc.for_cli(translator(str(getattr(args, "lang", "en"))))
        print(f"error: {terminal_safe(said)}", file=sys.stderr)  # one line, inert
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        return 0
    except Exception as exc:  # never a traceback for the user
        detail = terminal_safe(f"{type(exc).__name__}: {exc}")
        print(f"error: unexpected failure ({detail})", file=sys.stderr)
        return 1
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
