"""Tests for geo.parcel_diff, geo.lineage and geo.changes on hand-made parcels.

Each case is a row of squares (``parcel_helpers.square``) whose right answer can be seen:
which parcel changed owner, land use or shape, which went away or appeared, which were split
or merged, and which verdicts flipped under the profile's default version.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from parcel_helpers import make_frame, square

from geo import parcel_diff
from geo.changes import CHANGE_COLUMNS, Changes, changes_text_table, compare_snapshots
from geo.i18n import translator
from geo.lineage import find_lineage
from geo.parcel_diff import MAX_RUNS, in_step, reshaped
from geo.policy.terms import Policy
from geo.snapshot import snapshot_of

CITY = "CITY OF SACRAMENTO"


def compare(old: gpd.GeoDataFrame, new: gpd.GeoDataFrame, policy: Policy) -> Changes:
    return compare_snapshots(snapshot_of(old), snapshot_of(new), policy)


def listed(changes: Changes) -> dict[str, str]:
    """APN to its change words."""
    return dict(zip(changes.table["apn"], changes.table["change"], strict=True))


def block() -> gpd.GeoDataFrame:
    """Four parcels in a row: a city lot, two private buildings, a private lot."""
    return make_frame(
        [
            ("A", "1 A ST", CITY, "P1", square(0)),
            ("B", "2 A ST", "SMITH, JOHN", "C1", square(1)),
            ("C", "3 A ST", "JONES LLC", "C1", square(2)),
            ("D", "4 A ST", "PARK CO", "P1", square(3)),
        ]
    )


def test_nothing_changed_lists_nothing(policy: Policy) -> None:
    changes = compare(block(), block(), policy)
    assert changes.table.empty and list(changes.table.columns) == list(CHANGE_COLUMNS)
    assert changes.flips == 0 and set(changes.counts.values()) == {0}


@pytest.mark.parametrize("runs", [MAX_RUNS, 1])  # compared run by run, or gathered
def test_owner_land_use_and_shape_with_the_flips_first(
    policy: Policy, runs: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parcel_diff, "MAX_RUNS", runs)
    new = block()
    new.loc[1, "owner"] = "smith john"  # respelled: the same owner
    new.loc[2, "land_use"] = "R1"
    new.loc[3, "owner"] = CITY  # a private lot the city bought: now covered
    new.loc[0, "geometry"] = shapely.box(*square(0).bounds[:3], square(0).bounds[3] + 30)
    changes = compare(block(), new, policy)
    assert listed(changes) == {"D": "owner", "C": "land use", "A": "shape"}
    assert changes.table["apn"].iloc[0] == "D" and changes.flipped.tolist() == [True, False, False]
    first = changes.table.iloc[0]
    assert (first["verdict_before"], first["verdict_after"]) == ("not covered", "covered")
    assert (first["owner_before"], first["owner_after"]) == ("private owner", CITY)
    assert any("is one of the city's names" in r for r in first["reasons"])


def test_a_shape_redrawn_within_the_tolerance_is_not_a_change(policy: Policy) -> None:
    new = block()
    x0, y0, x1, y1 = square(1).bounds
    new.loc[1, "geometry"] = shapely.box(x0, y0, x1, y1 + 0.5)  # 0.5 % more area
    new.loc[2, "geometry"] = shapely.Polygon(list(square(2).exterior.coords)[::-1])  # turned
    assert compare(block(), new, policy).table.empty


def test_removed_and_added(policy: Policy) -> None:
    kept = [(r.apn, r.address, r.owner, r.land_use, r.geometry) for r in block().itertuples()]
    new = make_frame([*kept[:2], kept[3], ("E", "9 A ST", "NEW OWNER", "R1", square(9))])
    changes = compare(block(), new, policy)
    assert listed(changes) == {"C": "removed", "E": "added"}
    removed = changes.table.set_index("apn").loc["C"]
    assert removed["verdict_before"] == "not covered" and removed["verdict_after"] == ""
    assert list(removed["reasons"]) == []


def split_block(keep_number: bool) -> gpd.GeoDataFrame:
    """``block`` with B split in two halves (one keeps B's number when asked)."""
    x0, y0, x1, y1 = square(1).bounds
    left, right = shapely.box(x0, y0, (x0 + x1) / 2, y1), shapely.box((x0 + x1) / 2, y0, x1, y1)
    first = "B" if keep_number else "B1"
    return make_frame(
        [
            ("A", "1 A ST", CITY, "P1", square(0)),
            (first, "2 A ST", "SMITH, JOHN", "C1", left),
            ("B2", "2A A ST", CITY, "P1", right),
            ("C", "3 A ST", "JONES LLC", "C1", square(2)),
            ("D", "4 A ST", "PARK CO", "P1", square(3)),
        ]
    )


def test_a_split_under_new_numbers_is_one_event_not_noise(policy: Policy) -> None:
    changes = compare(block(), split_block(keep_number=False), policy)
    assert listed(changes) == {"B2": "split, owner, land use", "B1": "split"}
    table = changes.table.set_index("apn")
    assert table.loc["B1", "related_apns"] == table.loc["B2", "related_apns"] == "B"
    assert table.loc["B2", "owner_before"] == "private owner"  # B's owner, before the split
    assert changes.flipped.tolist() == [True, False]  # B2 went to the city: covered


def test_a_split_that_keeps_the_number_for_one_part(policy: Policy) -> None:
    changes = compare(block(), split_block(keep_number=True), policy)
    assert listed(changes) == {"B2": "split, owner, land use", "B": "split"}
    assert changes.table.set_index("apn").loc["B", "related_apns"] == "B2"


def test_a_merge_lists_the_merged_parcels(policy: Policy) -> None:
    whole = shapely.union(square(1), square(2))
    new = make_frame(
        [
            ("A", "1 A ST", CITY, "P1", square(0)),
            ("BC", "2 A ST", "JONES LLC", "C1", whole),
            ("D", "4 A ST", "PARK CO", "P1", square(3)),
        ]
    )
    changes = compare(block(), new, policy)
    assert listed(changes) == {"BC": "merged, owner"}  # B's owner was another
    row = changes.table.iloc[0]
    assert row["related_apns"] == "B; C" and row["land_use_before"] == "C1"


def test_a_merge_into_a_parcel_that_keeps_its_number(policy: Policy) -> None:
    new = block().drop(index=[2])
    new.loc[1, "geometry"] = shapely.union(square(1), square(2))
    changes = compare(block(), new, policy)
    assert listed(changes) == {"B": "merged, owner"}
    assert changes.table.iloc[0]["related_apns"] == "C"


def test_blank_and_repeated_numbers_are_left_out(policy: Policy) -> None:
    old = block()
    new = make_frame(
        [
            ("A", "1 A ST", CITY, "P1", square(0)),
            ("A", "1 A ST", "SOMEONE ELSE", "P1", square(0)),  # a second A: not compared
            ("", "", "BLANK", "R1", square(7)),
            ("Z", "8 A ST", "NEW OWNER", "R1", square(8)),
            ("Z", "8 A ST", "ANOTHER", "R1", square(8)),  # a second Z: listed once
            *[(r.apn, r.address, r.owner, r.land_use, r.geometry) for r in old[1:].itertuples()],
        ]
    )
    changes = compare(old, new, policy)
    assert listed(changes) == {"Z": "added"} and changes.duplicates == 3
    assert changes.table["owner_after"].tolist() == ["private owner"]


def test_files_in_other_crs_are_compared_in_one(policy: Policy) -> None:
    new = block().to_crs(4326)
    new.loc[2, "owner"] = CITY
    assert listed(compare(block(), new, policy)) == {"C": "owner"}


def test_the_text_table_speaks_the_readers_language(policy: Policy) -> None:
    new = block()
    new.loc[3, "owner"] = CITY
    shown = changes_text_table(compare(block(), new, policy).table, translator("es"))
    assert shown["cambio"].tolist() == ["dueño"]
    assert shown["resultado después"].iloc[0].startswith("Cubierta")


def test_reshaped_counts_missing_shapes() -> None:
    a = np.array([square(0), None, square(1), None], dtype=object)
    b = np.array([square(0), square(0), None, None], dtype=object)
    assert reshaped(a, b).tolist() == [False, True, True, False]


@pytest.mark.parametrize("share", [0.95, 0.5])
def test_lineage_needs_the_parts_to_cover_the_whole(share: float) -> None:
    x0, y0, x1, y1 = square(0).bounds
    cut = x0 + (x1 - x0) * share / 2
    parts = np.array(
        [shapely.box(x0, y0, cut, y1), shapely.box(cut, y0, x0 + (x1 - x0) * share, y1)]
    )
    found = find_lineage(np.array([square(0)]), parts)
    assert (found.splits == [(0, [0, 1])]) is (share > 0.9)


def test_a_number_twice_in_the_old_file_is_not_a_removal(policy: Policy) -> None:
    rows = [(r.apn, r.address, r.owner, r.land_use, r.geometry) for r in block().itertuples()]
    old = make_frame([*rows, ("B", "2 A ST", "SOMEONE", "C1", square(1))])
    changes = compare(old, block(), policy)
    assert changes.table.empty and changes.duplicates == 1


def test_matched_rows_in_step_come_as_runs() -> None:
    a, b = np.array([0, 1, 2, 4, 5, 9]), np.array([0, 1, 2, 3, 4, 5])
    assert in_step(a, b) == [(0, 0, 3), (4, 3, 2), (9, 5, 1)]
    assert in_step(np.array([], dtype=int), np.array([], dtype=int)) == []
