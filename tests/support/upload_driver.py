"""Driving the app's uploads under Streamlit's ``AppTest``: start it, give a sidebar
uploader a file, read the metrics, errors and captions it then shows."""

from __future__ import annotations

from pathlib import Path

from shown import plain
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"


# Covered / Needs review / Not covered / In the free speech zone for the five fixture
# parcels: two city lots or garages, one "ET AL" owner, the federal landmark and a private
# office; every parcel but the landmark's lies within 100 m of it, and the zone (public
# space only) holds the two city parcels.
FIXTURE_METRICS = ["2", "1", "2", "2"]
MIME = {
    ".zip": "application/zip",
    ".geojson": "application/geo+json",
    ".gpkg": "application/geopackage+sqlite3",
    ".csv": "text/csv",
}


class AppCrashed(RuntimeError):
    """The app itself raised (kept apart from assertion failures, which xfail expects)."""


def ok(at: AppTest) -> AppTest:
    """``at`` after a run that raised nothing."""
    if at.exception:
        raise AppCrashed("; ".join(str(e.value) for e in at.exception))
    return at


def start() -> AppTest:
    """A fresh app showing the bundled sample."""
    at = ok(AppTest.from_file(str(APP), default_timeout=90).run())
    assert at.sidebar.file_uploader[0].label == "Load a parcel file"
    assert at.sidebar.file_uploader[1].label == "City property list (optional)"
    return at


def upload(at: AppTest, name: str, path: Path, which: int = 0) -> AppTest:
    """Give ``path``'s bytes to a sidebar uploader under the user's file ``name``, and rerun."""
    mime = MIME.get(Path(name).suffix, "application/octet-stream")
    return ok(at.sidebar.file_uploader[which].set_value((name, path.read_bytes(), mime)).run())


def metrics(at: AppTest) -> list[str]:
    """The values of the four verdict metrics, in order."""
    labels = [m.label.lower() for m in at.metric][:4]
    assert len(labels) == 4, labels
    assert labels[0].startswith("covered") and labels[1].startswith("needs review"), labels
    assert labels[2].startswith("not covered") and "free speech zone" in labels[3], labels
    return [m.value for m in at.metric][:4]


def errors(at: AppTest) -> list[str]:
    """Every error shown in the sidebar."""
    return [plain(e.value) for e in at.sidebar.error]


def captions(at: AppTest) -> list[str]:
    """Every caption shown in the sidebar."""
    return [plain(c.value) for c in at.sidebar.caption]
