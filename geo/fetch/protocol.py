"""Talking to an ArcGIS REST layer: JSON requests with retries, error bodies, layer facts.

ArcGIS Server answers most failures with HTTP 200 and a body ``{"error": {"code": ...,
"message": ...}}``; those are retried like timeouts and HTTP 5xx, except the codes that
mean the request itself is wrong (400, 403, 404, 498, 499), which no retry mends.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import requests

from geo.errors import InputError

RETRY_STATUS = frozenset({408, 429, 500, 502, 503, 504})
FINAL_ERROR_CODES = frozenset({400, 403, 404, 498, 499})
OID_TYPE = "esriFieldTypeOID"


class ServiceError(InputError):
    """The map service refused a request, or kept failing after every retry."""


@dataclass(frozen=True)
class RetryPolicy:
    """How long to wait for an answer and how to retry a failed request.

    Attributes
    ----------
    attempts : int
        Tries per request, the first included.
    backoff_s : float
        Wait before the second try; doubled before each later one (with jitter).
    max_backoff_s : float
        The longest wait between tries.
    timeout_s : float
        Seconds to wait for the server to connect or to send the next bytes.
    """

    attempts: int = 5
    backoff_s: float = 1.0
    max_backoff_s: float = 30.0
    timeout_s: float = 60.0

    def delay(self, attempt: int) -> float:
        """Seconds to wait after failed try number ``attempt`` (1-based)."""
        base = min(self.max_backoff_s, self.backoff_s * 2 ** (attempt - 1))
        return base * (0.75 + random.random() / 2)  # noqa: S311 (jitter, not security)


@dataclass(frozen=True)
class Answer:
    """One successful answer: its raw bytes and the JSON they hold."""

    body: bytes
    data: dict[str, Any]


class _Retry(Exception):
    """A failure worth another try (timeout, HTTP 5xx, error body, truncated JSON)."""


class ArcgisClient:
    """Requests to one ArcGIS REST layer, retried with backoff.

    Parameters
    ----------
    url : str
        The layer (``.../MapServer/8`` or ``.../FeatureServer/0``).
    retry : RetryPolicy
    session : requests.Session, optional
        A session to reuse (one is made when omitted).
    sleep : callable
        Waits between tries (a test passes a no-op).
    on_retry : callable, optional
        Called as ``on_retry(message)`` before each wait.
    """

    def __init__(
        self,
        url: str,
        retry: RetryPolicy | None = None,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        on_retry: Callable[[str], None] | None = None,
    ) -> None:
        self.url = url.rstrip("/")
        self.retry = retry or RetryPolicy()
        self.session = session or requests.Session()
        self._sleep = sleep
        self._on_retry = on_retry

    def get(self, endpoint: str, params: Mapping[str, object]) -> Answer:
        """GET ``endpoint`` of the layer (``""`` for its description, ``"query"``).

        Parameters
        ----------
        endpoint : str
        params : mapping
            Query parameters (``f`` is set to ``json`` when absent).

        Returns
        -------
        Answer

        Raises
        ------
        ServiceError
            When the service refuses the request or every try failed.
        """
        url = f"{self.url}/{endpoint}" if endpoint else self.url
        query = {"f": "json", **{k: str(v) for k, v in params.items()}}
        for attempt in range(1, self.retry.attempts + 1):
            try:
                return self._once(url, query)
            except _Retry as exc:
                if attempt == self.retry.attempts:
                    raise ServiceError.keyed(
                        "error.arcgis.kept_failing",
                        cli_key="error.arcgis.kept_failing.cli",
                        url=self.url,
                        problem=str(exc),
                        tries=str(attempt),
                    ) from None
                wait = self.retry.delay(attempt)
                if self._on_retry is not None:
                    tries = f"try {attempt + 1} of {self.retry.attempts}"
                    self._on_retry(f"{exc}; {tries} in {wait:.1f} s")
                self._sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover

    def _once(self, url: str, query: dict[str, str]) -> Answer:
        try:
            response = self.session.get(url, params=query, timeout=self.retry.timeout_s)
            body = response.content
        except requests.Timeout:
            raise _Retry(f"no answer within {self.retry.timeout_s:g} s") from None
        except requests.ConnectionError as exc:
            raise _Retry(f"connection failed: {_first_line(exc)}") from None
        if response.status_code in RETRY_STATUS:
            raise _Retry(f"HTTP {response.status_code}")
        if response.status_code >= 400:
            raise ServiceError.keyed("error.arcgis.http", url=url, status=str(response.status_code))
        try:
            data = json.loads(body)
        except ValueError:
            raise _Retry("the answer was not whole JSON") from None
        if not isinstance(data, dict):
            raise ServiceError.keyed("error.arcgis.not_json", url=url)
        error = data.get("error")
        if isinstance(error, dict):
            code = error.get("code")
            message = f"ArcGIS error {code}: {error.get('message', '')}".strip()
            details = [str(d) for d in error.get("details") or [] if d]
            if details:
                message += f" ({'; '.join(details)})"
            if isinstance(code, int) and code in FINAL_ERROR_CODES:
                raise ServiceError.keyed("error.arcgis.refused", url=url, problem=message)
            raise _Retry(message)
        return Answer(body, data)


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]


@dataclass(frozen=True)
class LayerInfo:
    """What a layer's description (``?f=json``) says about fetching it.

    Attributes
    ----------
    url : str
    name : str
    fields : tuple of str
        Field names in the layer's order.
    object_id_field : str
        The object-id field (``""`` when the layer names none).
    max_record_count : int
        The most features the server sends in one answer.
    supports_pagination : bool
        Whether ``resultOffset`` / ``resultRecordCount`` work.
    supports_geojson : bool
        Whether ``f=geojson`` is among the query formats.
    last_edit_date : int or None
        Milliseconds since 1970 (UTC) of the layer's last edit, when it says.
    geometry_type : str
    """

    url: str
    name: str
    fields: tuple[str, ...]
    object_id_field: str
    max_record_count: int
    supports_pagination: bool
    supports_geojson: bool
    last_edit_date: int | None
    geometry_type: str

    @classmethod
    def from_json(cls, url: str, data: Mapping[str, Any]) -> LayerInfo:
        """Read a layer description.

        Parameters
        ----------
        url : str
        data : mapping
            The layer's ``?f=json`` answer.

        Returns
        -------
        LayerInfo

        Raises
        ------
        ServiceError
            When the answer is not a feature layer's description.
        """
        fields = [f for f in data.get("fields") or [] if isinstance(f, dict) and f.get("name")]
        if not fields or "geometryType" not in data:
            raise ServiceError.keyed("error.arcgis.not_a_layer", url=url)
        oid = str(data.get("objectIdField") or "")
        if not oid:
            oid = next((str(f["name"]) for f in fields if f.get("type") == OID_TYPE), "")
        advanced = data.get("advancedQueryCapabilities") or {}
        formats = str(data.get("supportedQueryFormats") or "JSON")
        edit = (data.get("editingInfo") or {}).get("lastEditDate")
        return cls(
            url=url,
            name=str(data.get("name") or url.rsplit("/", 2)[-2]),
            fields=tuple(str(f["name"]) for f in fields),
            object_id_field=oid,
            max_record_count=max(1, int(data.get("maxRecordCount") or 1000)),
            supports_pagination=bool(advanced.get("supportsPagination", False)),
            supports_geojson="geojson" in formats.lower().replace(" ", "").split(","),
            last_edit_date=int(edit) if isinstance(edit, int | float) else None,
            geometry_type=str(data.get("geometryType")),
        )


POLYGONS = "esriGeometryPolygon"


def layer_info(client: ArcgisClient, fmt: str) -> LayerInfo:
    """The layer's description, refused before any page when it cannot hold parcels."""
    info = LayerInfo.from_json(client.url, client.get("", {}).data)
    if info.geometry_type != POLYGONS:
        kind = info.geometry_type.removeprefix("esriGeometry").lower()
        raise InputError.keyed("error.sources.not_polygons", name=info.name, kinds=kind)
    if fmt == "geojson" and not info.supports_geojson:
        raise InputError.keyed("error.fetch.no_geojson", name=info.name)
    return info


def count_features(client: ArcgisClient, where: str) -> int:
    """How many features match ``where`` (``returnCountOnly``)."""
    data = client.get("query", {"where": where, "returnCountOnly": "true"}).data
    if not isinstance(data.get("count"), int):
        raise ServiceError.keyed("error.fetch.no_count", url=client.url)
    return int(data["count"])


def iso_date(epoch_ms: int | None) -> str:
    """An ArcGIS date (milliseconds since 1970, UTC) as ISO 8601; "" when not given."""
    if epoch_ms is None:
        return ""
    return dt.datetime.fromtimestamp(epoch_ms / 1000, dt.UTC).replace(microsecond=0).isoformat()


def page_counts(answer: Answer) -> tuple[int, bool]:
    """How many features a page holds, and whether the server says more remain."""
    data = answer.data
    features = data.get("features")
    if not isinstance(features, list):
        raise ServiceError.keyed("error.fetch.no_features_list")
    more = data.get("exceededTransferLimit")
    if more is None:  # GeoJSON puts it among the collection's properties
        more = (data.get("properties") or {}).get("exceededTransferLimit")
    return len(features), bool(more)
