"""Where the project's own files are: the one module that knows.

``data/`` holds the profiles, samples and catalogs; ``static/`` the map's scripts and styles
(``static/app``) and the libraries vendored at setup (``static/vendor``); ``deploy/`` the
proxy configuration of the app's replicas. In a checkout they
sit beside the packages; an installed wheel carries them as package data under
``geo/_files/``. Nothing else computes a path from ``__file__``.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
CHECKOUT = _PACKAGE.parent  # the repository's root when running from a checkout


def _project_folder(name: str) -> Path:
    """``name`` beside the packages in a checkout, else the copy installed with the wheel."""
    beside = CHECKOUT / name
    return beside if beside.is_dir() else _PACKAGE / "_files" / name


DATA_DIR = _project_folder("data")
STATIC_DIR = _project_folder("static")
APP_STATIC_DIR = STATIC_DIR / "app"
VENDOR_DIR = STATIC_DIR / "vendor"
CATALOG_DIR = DATA_DIR / "i18n"
DEFAULT_PROFILE = DATA_DIR / "sacramento" / "profile.toml"
DOCS_DIR = _project_folder("docs")  # the translators' guide the site shows
DEPLOY_DIR = _project_folder("deploy")  # the app replicas' proxy template
# the app server's own settings (the app runs from a checkout)
STREAMLIT_CONFIG = CHECKOUT / ".streamlit" / "config.toml"
