"""``python -m layers``: the whole ``civicmap`` command line."""

import sys

from layers.cli import main

sys.exit(main())
