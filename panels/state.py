"""The session state: one typed object, every session-state and widget key named once here.

Other modules read and write the session through :data:`session` (or name a widget's key
with :class:`Key`), never with a raw ``st.session_state["..."]`` string.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Final, Generic, TypeVar, cast

import streamlit as st

from geo.profile import Policy
from layers.view_state import Focus

if TYPE_CHECKING:
    from panels.data import Dataset

T = TypeVar("T")


class Key:
    """Every session-state key: the app's own entries and its widgets'."""

    # the app's own entries
    URL: Final = "url"
    DATASET: Final = "dataset"
    LOAD_ERROR: Final = "load_error"
    ATTEMPTED: Final = "attempted"
    TERMS_FOR: Final = "terms_for"
    FOCUS: Final = "focus"
    FOCUS_PENDING: Final = "focus_pending"
    CLICKED: Final = "clicked"
    LAST_SEARCHED: Final = "last_searched"
    LAST_CLICK: Final = "last_click"
    BASE_SIGNATURE: Final = "base_sig"
    LINK_FOCUS_FOR: Final = "link_focus_for"
    STALE_REPORT: Final = "stale_report"
    # sidebar widgets
    LANG: Final = "lang"
    UPLOAD: Final = "upload"
    CRS: Final = "crs"
    FIELD_PREFIX: Final = "field_"  # one text box per canonical field: field_apn, ...
    CITY_LIST: Final = "city_list"
    POLICY: Final = "policy"
    SCOPE: Final = "scope"
    AGENCIES: Final = "ag"
    DISTANCE: Final = "distance"
    CITY_NAMES: Final = "city"
    LOT_CODES: Final = "lot"
    GARAGE_CODES: Final = "garage"
    SHOW_NOT_COVERED: Final = "show_nc"
    SHOW_STREETS: Final = "show_streets"
    BASEMAP: Final = "basemap"
    # main area widgets and containers (a container's key is also its CSS class hook)
    SUBTITLE_BOX: Final = "subtitle"
    METRICS_BOX: Final = "metrics"
    TAB: Final = "tab"
    SEARCH: Final = "q"
    MAP: Final = "map"
    SUGGESTION_PREFIX: Final = "suggest_"
    PARCEL_SHEET_PREFIX: Final = "sheet_"  # one download button per parcel shown: sheet_12
    WITHIN: Final = "within"
    PLACES_CSV: Final = "p_csv"
    PLACES_MAP: Final = "p_html"
    PLACE_SHEET: Final = "p_sheet"
    LIST_TEXT: Final = "list_text"
    LIST_FILE: Final = "list_file"
    LIST_CSV: Final = "list_csv"
    TABLE_VERDICTS: Final = "table_verdicts"
    TABLE_FILTER: Final = "table_filter"
    TABLE_CSV: Final = "t_csv"
    TABLE_OWNERS: Final = "table_owners"
    TABLE_SITES: Final = "table_sites"
    TABLE_ZONE: Final = "table_zone"
    TABLE_FULL_NAMES: Final = "table_full"
    TABLE_ROWS: Final = "table_rows"
    TABLE_GEOJSON: Final = "t_geojson"
    COMPARE_FIRST: Final = "cmp_a"
    COMPARE_SECOND: Final = "cmp_b"
    COMPARE_CSV: Final = "cmp_csv"

    @staticmethod
    def field(role: str) -> str:
        """The key of the field-mapping text box of a canonical field (``apn``, ...)."""
        return f"{Key.FIELD_PREFIX}{role}"

    @staticmethod
    def parcel_sheet(position: int) -> str:
        """The key of the download button of one parcel's sheet."""
        return f"{Key.PARCEL_SHEET_PREFIX}{position}"

    @staticmethod
    def suggestion(position: int) -> str:
        """The key of the button of one search suggestion."""
        return f"{Key.SUGGESTION_PREFIX}{position}"


# Widgets on tabs that may be closed: their values are kept while the tab is not drawn.
TAB_WIDGETS = (
    Key.WITHIN,
    Key.LIST_TEXT,
    Key.TABLE_VERDICTS,
    Key.TABLE_FILTER,
    Key.TABLE_OWNERS,
    Key.TABLE_SITES,
    Key.TABLE_ZONE,
    Key.TABLE_FULL_NAMES,
    Key.COMPARE_FIRST,
    Key.COMPARE_SECOND,
)


class _Entry(Generic[T]):
    """One session-state entry, read with a default and written as a typed attribute."""

    def __init__(self, key: str, default: T) -> None:
        self.key = key
        self.default = default

    def __get__(self, obj: object, owner: type | None = None) -> T:
        return cast(T, st.session_state.get(self.key, self.default))

    def __set__(self, obj: object, value: T) -> None:
        st.session_state[self.key] = value


class Session:
    """The typed view of ``st.session_state`` that the panels share."""

    url = _Entry[dict[str, Any] | None](Key.URL, None)
    dataset: _Entry[Dataset | None] = _Entry(Key.DATASET, None)
    load_error = _Entry[str | None](Key.LOAD_ERROR, None)
    attempted = _Entry[str | None](Key.ATTEMPTED, None)
    terms_for = _Entry[str | None](Key.TERMS_FOR, None)
    focus = _Entry[Focus | None](Key.FOCUS, None)
    focus_pending = _Entry[bool](Key.FOCUS_PENDING, False)
    clicked = _Entry[tuple[int, ...]](Key.CLICKED, ())
    base_signature = _Entry[object](Key.BASE_SIGNATURE, None)
    query = _Entry[str](Key.SEARCH, "")
    policy_version = _Entry[str | None](Key.POLICY, None)
    distance = _Entry[int | None](Key.DISTANCE, None)
    lot_codes = _Entry[list[str]](Key.LOT_CODES, [])
    garage_codes = _Entry[list[str]](Key.GARAGE_CODES, [])
    within = _Entry[int | None](Key.WITHIN, None)
    basemap = _Entry[bool](Key.BASEMAP, False)
    last_searched = _Entry[str | None](Key.LAST_SEARCHED, None)
    link_focus_for = _Entry[Focus | None](Key.LINK_FOCUS_FOR, None)
    stale_report = _Entry[Focus | None](Key.STALE_REPORT, None)

    @property
    def map_report(self) -> Mapping[str, Any]:
        """What the map last reported (clicks, drawings, bounds, zoom); empty before."""
        return cast(Mapping[str, Any], st.session_state.get(Key.MAP) or {})

    def has(self, key: str) -> bool:
        """Whether an entry is set."""
        return key in st.session_state

    def forget(self, *keys: str) -> None:
        """Remove entries (absent ones are fine)."""
        for key in keys:
            st.session_state.pop(key, None)

    def keep(self, keys: Iterable[str]) -> None:
        """Keep the values of widgets that this run may not draw (Streamlit forgets a
        widget's value after a run that did not draw it)."""
        for key in keys:
            if key in st.session_state:
                st.session_state[key] = st.session_state[key]

    def changed(self, key: str, value: object) -> bool:
        """True the first time a value is seen under a key in this session."""
        if st.session_state.get(key) == value:
            return False
        st.session_state[key] = value
        return True

    @property
    def table_selection(self) -> list[int]:
        """The positions of the rows picked in the table (empty when none)."""
        state = st.session_state.get(Key.TABLE_ROWS)
        try:
            return [int(r) for r in state["selection"]["rows"]]  # type: ignore[index]
        except (KeyError, TypeError, ValueError):
            return []

    def open_tab(self, label: str) -> None:
        """Switch to a tab by its label (from a callback, before the tabs are drawn)."""
        st.session_state[Key.TAB] = label

    def set_compare(self, first: str, second: str) -> None:
        """Set the compare tab's two version pickers."""
        st.session_state.update({Key.COMPARE_FIRST: first, Key.COMPARE_SECOND: second})

    def set_terms(self, policy: Policy) -> None:
        """Set the policy term widgets to a policy's values."""
        st.session_state.update(
            {
                Key.SCOPE: policy.scope.value,
                Key.AGENCIES: policy.include_city_agencies,
                Key.CITY_NAMES: "\n".join(policy.owners.get("city", ())),
                Key.LOT_CODES: list(policy.parking_lot),
                Key.GARAGE_CODES: list(policy.parking_garage),
            }
        )


session = Session()
