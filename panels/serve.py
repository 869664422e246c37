"""``python -m panels.serve run app.py ...``: Streamlit's own command, kept offline.

The same as ``streamlit run``, with :func:`panels.offline.keep_server_offline` in force
before the server starts (app code runs only with the first visitor, too late for a
foreign page's WebSocket that arrives first), and stale upload folders and served tiles cleared.
"""

from __future__ import annotations

import os
import sys

from streamlit.web import cli

from panels.offline import keep_server_offline
from panels.replicas import SHARED_STATIC_ENV
from panels.tile_files import clear_served_tiles
from panels.uploads import remove_stale_upload_folders


def main() -> None:
    """Run Streamlit's command line with the server's outside look-ups turned off."""
    keep_server_offline()
    remove_stale_upload_folders()
    if not os.environ.get(SHARED_STATIC_ENV):  # replicas: their launcher cleared it once
        clear_served_tiles()  # an uploaded file's tiles do not outlive the server
    sys.argv[0] = "streamlit"
    cli.main()


if __name__ == "__main__":
    main()
