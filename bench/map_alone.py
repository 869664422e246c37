"""The app's county map alone in a Streamlit page: no sidebar, tabs, card or metrics.

``bench/paint_floor.py`` serves it beside the app (``CIVICMAP_SOURCE`` names the data) to
show how much of a first paint is the page around the map and how much the map itself. It
builds the map with the app's own panel, under the profile's default terms.
"""

from __future__ import annotations

import os

from geo.i18n import translator
from panels.data import default_dataset
from panels.loaders import get_profile
from panels.map_panel import map_panel
from panels.page import build_page

SHOW = {"not_covered": True, "streets": True, "basemap": False}

t = translator("en")
profile = get_profile(os.environ.get("CIVICMAP_PROFILE", ""))
dataset = default_dataset(profile, t)
distance = float(profile.zone.distance_m)
page = build_page(profile, dataset, profile.policy_version(), distance, SHOW, "en", t)
map_panel(page, (), None)
