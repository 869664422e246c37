"""What the offline map holds: every covered and needs-review parcel, and all those nearby."""

from __future__ import annotations

import json
import re

import pytest

from geo.analysis import Analysis, analyse
from geo.profile import Profile
from geo.sources import read_parcels
from geo.vendor import read_vendor_files
from layers.holdings import offline_rows
from layers.standalone import standalone_html
from layers.style import category_keys


@pytest.fixture(scope="module")
def sample(profile: Profile) -> Analysis:
    """The bundled sample, analysed under the default policy."""
    return analyse(read_parcels(profile.sample_path(), profile), profile)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def page(sample: Analysis, profile: Profile) -> str:
    return standalone_html(sample, profile, read_vendor_files(), ("s.zip", "2026", True))


def listed(page: str) -> dict:
    """The options the page hands ``cmHoldings`` (its list of flagged parcels)."""
    found = re.search(r"cmHoldings\([^,]+, (\{.*?\})\);", page, re.S)
    assert found is not None
    return json.loads(found.group(1))


def test_offline_rows_are_flagged_or_near(sample: Analysis, profile: Profile) -> None:
    """Every flagged parcel and every parcel within the walking distance, and no other."""
    within = profile.assembly.within_m
    parcels = sample.parcels
    flagged = (category_keys(parcels) != "not_covered").to_numpy()
    near = parcels["distance_to_landmark_m"].to_numpy() <= within
    rows = set(offline_rows(sample, within).tolist())
    assert rows == set((flagged | near).nonzero()[0].tolist())
    assert flagged.sum() >= 10 and 0 < len(rows) < len(parcels)


def test_the_page_lists_every_flagged_parcel(sample: Analysis, page: str) -> None:
    """The searchable list holds each covered and needs-review APN with its verdict."""
    parcels = sample.parcels
    flagged = parcels[(category_keys(parcels) != "not_covered").to_numpy()]
    options = listed(page)
    assert {r[0] for r in options["rows"]} == set(flagged["apn"])
    assert {r[2] for r in options["rows"]} <= {"Covered: no staging here", "Needs review"}
    assert "every parcel within 800 m of" in options["summary"]
    assert f"({len(flagged)})" in options["summary"]


def test_far_not_covered_parcels_are_left_out(
    sample: Analysis, profile: Profile, page: str
) -> None:
    """A not-covered parcel beyond the walking distance is not in the file."""
    parcels = sample.parcels
    far = parcels[
        (category_keys(parcels) == "not_covered").to_numpy()
        & (parcels["distance_to_landmark_m"].to_numpy() > profile.assembly.within_m + 200)
    ]
    assert len(far) > 0
    assert not any(apn in page for apn in far["apn"].head(20))
    near = parcels[parcels["distance_to_landmark_m"].to_numpy() < 100]
    assert all(apn in page for apn in near["apn"])
