"""The vendored JavaScript and CSS on disk (installed at setup from the npm registry)."""

from __future__ import annotations

from pathlib import Path

from geo.errors import InputError
from geo.paths import VENDOR_DIR

VENDOR_URL = "/app/static/vendor"


def read_vendor_files(folder: Path = VENDOR_DIR, base_url: str = VENDOR_URL) -> dict[str, bytes]:
    """Every vendored file's bytes, keyed by the URL path the app serves it at.

    Parameters
    ----------
    folder : Path
        The vendor folder (``static/vendor``).
    base_url : str
        Its URL path.

    Returns
    -------
    dict

    Raises
    ------
    InputError
        When the folder is missing (setup has not run).
    """
    if not folder.is_dir():
        raise InputError.keyed("error.vendor.missing", folder=str(folder))
    return {
        f"{base_url}/{p.relative_to(folder).as_posix()}": p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }
