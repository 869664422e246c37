"""``python -m geo``: the library's commands (``civicmap`` adds the map commands)."""

from geo.cli import main

raise SystemExit(main())
