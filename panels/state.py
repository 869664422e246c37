"""The session state: one typed object, every session-state and widget key named once here.

Other modules read and write the session through :data:`session` (or name a widget's key
with :class:`Key`), never with a raw ``st.session_state["..."]`` string.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final, Generic, TypeVar, cast

import streamlit as st

from geo.errors import InputError
from geo.policy.terms import Policy
from layers.view_state import Focus
from panels.dataset import Dataset

T = TypeVar("T")


class Key:
    """Every session-state key: the app's own entries and its widgets'."""

    # the app's own entries
    URL: Final = "url"
    DATASET: Final = "dataset"
    LOAD_ERROR: Final = "load_error"
    ATTEMPTED: Final = "attempted"
    UPLOAD_READS: Final = "upload_reads"
    TERMS_FOR: Final = "terms_for"
    FOCUS: Final = "focus"
    FOCUS_PENDING: Final = "focus_pending"
    CLICKED: Final = "clicked"
    LAST_SEARCHED: Final = "last_searched"
    LAST_CLICK: Final = "last_click"
    BASE_SIGNATURE: Final = "base_sig"
    LINK_FOCUS_FOR: Final = "link_focus_for"
    STALE_REPORT: Final = "stale_report"
    ADVISED: Final = "advised"  # the upload whose refusal opened the field boxes
    # sidebar widgets
    LANG: Final = "lang"
    UPLOAD: Final = "upload"
    CRS: Final = "crs"
    LAYER: Final = "layer"
    BACK_TO_DEFAULT: Final = "back_to_default"
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
    LANG_BOX: Final = "lang_box"
    NOTICE_BOX: Final = "notices"
    MAP_ROW: Final = "map_row"
    ANSWER_BOX: Final = "answer"
    CARD_CLOSE: Final = "card_close"
    OWNER_NAMES: Final = "owner_names"
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
    DRAWN_CSV: Final = "drawn_csv"
    DRAWN_GEOJSON: Final = "drawn_geojson"
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
    TABLE_SITE: Final = "t_site"
    COMPARE_FIRST: Final = "cmp_a"
    COMPARE_SECOND: Final = "cmp_b"
    # county data: the fetch action and the card's record link
    FETCH: Final = "fetch_county"
    FETCH_ERROR: Final = "fetch_error"
    RECORD_PREFIX: Final = "record_"  # one link button per parcel shown: record_12
    CONTEXT_PREFIX: Final = "ctx_"  # one toggle and one fetch button per context layer
    COMPARE_CSV: Final = "cmp_csv"
    CHANGES_CSV: Final = "changes_csv"  # the changes since the previous fetch, as CSV
    # folds: expanders whose contents are built only while open (panels.folds)
    TERMS_FOLD: Final = "terms_fold"
    FIELDS_FOLD: Final = "fields_fold"
    REPORT_FOLD: Final = "report_fold"
    LINK_FOLD: Final = "link_fold"
    PROPOSAL_FOLD: Final = "proposal_fold"
    ABOUT_FOLD: Final = "about_fold"
    PRIVACY_FOLD: Final = "privacy_fold"

    @staticmethod
    def field(role: str) -> str:
        """The key of the field-mapping text box of a canonical field (``apn``, ...)."""
        return f"{Key.FIELD_PREFIX}{role}"

    @staticmethod
    def parcel_sheet(position: int) -> str:
        """The key of the download button of one parcel's sheet."""
        return f"{Key.PARCEL_SHEET_PREFIX}{position}"

    @staticmethod
    def context(kind: str) -> str:
        """The key of the toggle of one context layer (``council_districts``, ...)."""
        return f"{Key.CONTEXT_PREFIX}{kind}"

    @staticmethod
    def context_fetch(kind: str) -> str:
        """The key of the fetch button of one context layer."""
        return f"{Key.CONTEXT_PREFIX}fetch_{kind}"

    @staticmethod
    def record(position: int) -> str:
        """The key of the link button to one parcel's county record."""
        return f"{Key.RECORD_PREFIX}{position}"

    @staticmethod
    def suggestion(position: int) -> str:
        """The key of the button of one search suggestion."""
        return f"{Key.SUGGESTION_PREFIX}{position}"


# Widgets on tabs that may be closed: their values are kept while the tab is not drawn.
# The policy terms' widgets: their values are kept while their fold is closed.
TERM_WIDGETS = (Key.CITY_NAMES, Key.LOT_CODES, Key.GARAGE_CODES)

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
    load_error = _Entry[str | InputError | None](Key.LOAD_ERROR, None)
    attempted = _Entry[str | None](Key.ATTEMPTED, None)
    upload_reads = _Entry[tuple[float, ...]](Key.UPLOAD_READS, ())
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
    fetch_error = _Entry[str | InputError | None](Key.FETCH_ERROR, None)
    basemap = _Entry[bool](Key.BASEMAP, False)
    last_searched = _Entry[str | None](Key.LAST_SEARCHED, None)
    link_focus_for = _Entry[Focus | None](Key.LINK_FOCUS_FOR, None)
    stale_report = _Entry[Focus | None](Key.STALE_REPORT, None)

    @property
    def map_report(self) -> Mapping[str, Any]:
        """What the map last reported (clicks, drawings, bounds, zoom); empty before."""
        return cast(Mapping[str, Any], st.session_state.get(Key.MAP) or {})

    def context_shown(self, kind: str) -> bool:
        """Whether the map draws a context layer (on until switched off)."""
        return bool(st.session_state.get(Key.context(kind), True))

    def has(self, key: str) -> bool:
        """Whether an entry is set."""
        return key in st.session_state

    def sent_by_browser(self, key: str) -> bool:
        """Whether this run's browser sent a value for the widget ``key`` before any run of
        this session drew it (a page that outlived a server restart and reconnected)."""
        try:
            from streamlit.runtime.scriptrunner import get_script_run_ctx
            from streamlit.runtime.state.common import user_key_from_element_id

            ctx = get_script_run_ctx()
            sent = ctx.session_state._state._new_widget_state.keys() if ctx else ()
        except (AttributeError, ImportError):  # another Streamlit: assume a fresh page
            return False
        return any(user_key_from_element_id(widget) == key for widget in sent)

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
