"""``civicmap serve DIR``: a published site on this machine (or ``--bind`` the network)."""

from __future__ import annotations

from geo.cli.command import Command
from layers.site_server import SERVE_HELP, add_serve_arguments, run_serve

COMMAND = Command("serve", SERVE_HELP, add_serve_arguments, run_serve)
