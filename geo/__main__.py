"""``python -m geo``: the same as the ``civicmap`` command."""

from geo.cli import main

raise SystemExit(main())
