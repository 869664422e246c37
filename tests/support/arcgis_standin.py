"""A loopback stand-in for an ArcGIS REST map service layer, for the fetch tests.

**This is a stand-in for a service these machines cannot reach.** The county's parcel layer
(an ArcGIS Server MapServer layer) is on the public internet, and the tests never leave
this machine, so this small ``http.server`` on 127.0.0.1 (port 0) answers the way an
ArcGIS REST layer and its ``query`` operation do, as Esri's published REST API reference
describes them: the layer description (``?f=json``: fields, ``maxRecordCount``,
``advancedQueryCapabilities.supportsPagination``, ``editingInfo.lastEditDate``), and
``query`` with ``where``, ``outFields``, ``returnCountOnly``, ``returnIdsOnly``,
``resultOffset`` / ``resultRecordCount``, ``orderByFields``, ``outSR``, and ``f=json``
(Esri JSON rings, ``exceededTransferLimit``) or ``f=geojson``. Failures come as ArcGIS
sends them: ``{"error": {"code": ..., "message": ...}}`` with HTTP 200.

It serves the bundled sample's parcels in the county's schema (``APN_DASH``,
``PARCEL_NUMBER``, ``STREET_NBR``, ``STREET_NAME``, ``NAME``, ``LANDUSE``...) and injects
faults on request: an HTTP 500, an error body, a slow answer (longer than the client's
timeout), a page that fails twice, a layer that grows during a download.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import geopandas as gpd
import pyogrio
import shapely
from parcel_helpers import SAMPLE_ZIP
from shapely.geometry.polygon import orient

LAYER_PATH = "/arcgis/rest/services/PARCELS/MapServer/8"
LAYER_NAME = "Active GIS Parcel Base"
OID = "OBJECTID"
# Shapefile names cut to 10 characters, and the map service's full names.
FULL_NAMES = {
    "STREET_NAM": "STREET_NAME",
    "PARCEL_NUM": "PARCEL_NUMBER",
    "CARE_OF_NA": "CARE_OF_NAME",
    "JURISDICTI": "JURISDICTION",
}
# Six-character county codes standing for the sample's short ones, with descriptions.
COUNTY_CODES = {
    "P1": [("BFH00A", "PARKING LOT"), ("BFH00B", "PARKING LOT"), ("BFH0MA", "PARKING LOT")],
    "C1": [("CBA00A", "OFFICE - SINGLE TENANT")],
}
NATIVE_SR = {"wkid": 102642, "latestWkid": 2226}  # how ArcGIS names EPSG:2226
EDITED_MS = 1_764_547_200_000  # 2025-12-01T00:00:00Z
CONDO = ("049-0282-006-0003", "04902820060000")  # a space whose two numbers differ


def county_parcels(county_codes: bool = False) -> gpd.GeoDataFrame:
    """The bundled sample in the county's map-service schema, with an ``OBJECTID``.

    Parameters
    ----------
    county_codes : bool
        Replace the sample's ``P1`` and ``C1`` by six-character county codes and add the
        county's description field ``LU_SPECIF``.
    """
    frame = pyogrio.read_dataframe(f"/vsizip/{SAMPLE_ZIP}/downtown_sample/parcels.shp")
    frame = frame.rename(columns=FULL_NAMES)
    frame.insert(0, OID, range(1, len(frame) + 1))
    if county_codes:
        seen: dict[str, int] = {}
        codes, labels = [], []
        for code in frame["LANDUSE"]:
            choices = COUNTY_CODES.get(code, [(code, "")])
            n = seen.get(code, 0)
            seen[code] = n + 1
            codes.append(choices[n % len(choices)][0])
            labels.append(choices[n % len(choices)][1])
        frame["LANDUSE"], frame["LU_SPECIF"] = codes, labels
    return frame


@dataclass
class Faults:
    """Failures to answer with, per page (its ``resultOffset``, or first object id).

    Attributes
    ----------
    pages : dict
        Page to a list of faults, used one per request, then answered normally:
        ``"500"`` (HTTP 500), ``"error"`` (an ArcGIS error body, HTTP 200), ``"slow"``
        (the answer after ``slow_s`` seconds), ``"truncated"`` (half a JSON body).
    always_500 : set
        Pages that always answer HTTP 500.
    grow_after : int or None
        After this many pages have been answered, one parcel is added to the layer (and
        its last edit date moves): the count changes during a download.
    slow_s : float
    """

    pages: dict[int, list[str]] = field(default_factory=dict)
    always_500: set[int] = field(default_factory=set)
    grow_after: int | None = None
    slow_s: float = 1.0


@dataclass
class StandIn:
    """The stand-in's state: the parcels it serves, its settings, the requests it saw."""

    parcels: gpd.GeoDataFrame
    max_record_count: int = 200
    supports_pagination: bool = True
    cap: int | None = None  # sends at most this many a page, whatever it advertises
    faults: Faults = field(default_factory=Faults)
    edited_ms: int = EDITED_MS
    requests: list[dict[str, str]] = field(default_factory=list)
    pages_answered: int = 0
    port: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        """The layer's URL."""
        return f"http://127.0.0.1:{self.port}{LAYER_PATH}"

    def page_requests(self) -> list[dict[str, str]]:
        """The feature queries seen (not counts, ids or layer descriptions)."""
        return [
            r
            for r in self.requests
            if r.get("_path", "").endswith("/query")
            and r.get("returnCountOnly") != "true"
            and r.get("returnIdsOnly") != "true"
        ]

    # ------------------------------------------------------------- answers

    def layer_info(self) -> dict[str, Any]:
        """The layer description, as ``.../MapServer/8?f=json`` gives it."""
        return {
            "currentVersion": 10.91,
            "id": 8,
            "name": LAYER_NAME,
            "type": "Feature Layer",
            "geometryType": "esriGeometryPolygon",
            "fields": _fields(self.parcels),
            "maxRecordCount": self.max_record_count,
            "supportedQueryFormats": "JSON, geoJSON, PBF",
            "advancedQueryCapabilities": {
                "supportsPagination": self.supports_pagination,
                "supportsOrderBy": True,
            },
            "editingInfo": {"lastEditDate": self.edited_ms},
            "extent": {"spatialReference": NATIVE_SR},
        }

    def query(self, params: dict[str, str]) -> tuple[int, bytes]:
        """Answer ``.../query``: (HTTP status, body)."""
        try:
            rows = self.parcels[_where(params.get("where", ""), self.parcels)]
        except ValueError as exc:
            return 200, _error(400, "Unable to complete operation.", [str(exc)])
        if params.get("returnCountOnly") == "true":
            return 200, _json({"count": len(rows)})
        if params.get("returnIdsOnly") == "true":
            return 200, _json({"objectIdFieldName": OID, "objectIds": rows[OID].tolist()})
        page = int(params.get("resultOffset", "0") or 0)
        key = page if "resultOffset" in params else int(rows[OID].min() if len(rows) else 0)
        fault = self._fault(key)
        if fault is not None:
            return fault
        if "resultOffset" in params and not self.supports_pagination:
            return 200, _error(400, "Pagination is not supported.", [])
        rows = rows.sort_values(OID)
        limit = min(int(params.get("resultRecordCount") or 10**9), self.max_record_count)
        if self.cap:
            limit = min(limit, self.cap)
        chunk = rows.iloc[page : page + limit]
        more = page + len(chunk) < len(rows)
        try:
            chunk = _out_fields(chunk, params.get("outFields", "*"))
            wkid = _out_sr(params.get("outSR", ""))
        except ValueError as exc:
            return 200, _error(400, "Unable to complete operation.", [str(exc)])
        self._answered()
        if params.get("f") == "geojson":
            return 200, _geojson(chunk, wkid or 4326, more)
        return 200, _esri_json(chunk, wkid, more)

    def _fault(self, key: int) -> tuple[int, bytes] | None:
        with self.lock:
            if key in self.faults.always_500:
                return 500, b"Internal Server Error"
            queue = self.faults.pages.get(key) or []
            fault = queue.pop(0) if queue else None
        if fault == "500":
            return 500, b"<html>Internal Server Error</html>"
        if fault == "error":
            return 200, _error(500, "Error performing query operation", [])
        if fault == "truncated":
            return 200, b'{"objectIdFieldName": "OBJECTID", "features": [{"attr'
        if fault == "slow":
            time.sleep(self.faults.slow_s)
        return None

    def _answered(self) -> None:
        with self.lock:
            self.pages_answered += 1
            if self.faults.grow_after is not None and self.pages_answered == self.faults.grow_after:
                self._grow()

    def _grow(self) -> None:
        """Add one parcel (a copy of the first, with a new APN) and move the edit date."""
        new = self.parcels.iloc[[0]].copy()
        new[OID] = int(self.parcels[OID].max()) + 1
        new["APN_DASH"], new["PARCEL_NUMBER"] = "999-0001-001-0000", "99900010010000"
        new["APN10"] = "9990001001"
        new = new.set_geometry(new.geometry.translate(0, -5000))
        self.parcels = gpd.GeoDataFrame(
            gpd.pd.concat([self.parcels, new], ignore_index=True), crs=self.parcels.crs
        )
        self.edited_ms += 60_000


def _json(value: object) -> bytes:
    return json.dumps(value, allow_nan=False).encode()


def _error(code: int, message: str, details: list[str]) -> bytes:
    return _json({"error": {"code": code, "message": message, "details": details}})


_ESRI_TYPES = {"int": "esriFieldTypeInteger", "float": "esriFieldTypeDouble"}


def _fields(frame: gpd.GeoDataFrame) -> list[dict[str, Any]]:
    out = []
    for name in frame.columns.drop("geometry"):
        kind = "esriFieldTypeOID" if name == OID else "esriFieldTypeString"
        if name != OID and frame[name].dtype.kind in "iu":
            kind = _ESRI_TYPES["int"]
        elif frame[name].dtype.kind == "f":
            kind = _ESRI_TYPES["float"]
        item: dict[str, Any] = {"name": name, "type": kind, "alias": name}
        if kind == "esriFieldTypeString":
            item["length"] = 100
        out.append(item)
    return out


_CLAUSE = re.compile(
    r"^\s*(?P<field>\w+)\s*(?P<op>>=|<=|=|LIKE)\s*(?P<value>'[^']*'|-?\d+)\s*$", re.IGNORECASE
)


def _where(where: str, frame: gpd.GeoDataFrame) -> Any:
    """Rows matching a small SQL subset: ``1=1`` and AND-joined ``FIELD op value`` clauses."""
    mask = gpd.pd.Series(True, index=frame.index)
    for clause in re.split(r"\s+AND\s+", where.strip(), flags=re.IGNORECASE):
        clause = clause.strip()
        while clause.startswith("(") and clause.endswith(")"):
            clause = clause[1:-1].strip()
        if clause in ("1=1", "1 = 1", ""):
            continue
        match = _CLAUSE.match(clause)
        if not match or match["field"] not in frame:
            raise ValueError(f"Invalid where clause: {clause}")
        column, op, raw = frame[match["field"]], match["op"].upper(), match["value"]
        value: Any = raw.strip("'") if raw.startswith("'") else int(raw)
        if op == "LIKE":
            mask &= column.astype(str).str.match(re.escape(value).replace("%", ".*") + "$")
        elif op == "=":
            mask &= column == value
        elif op == ">=":
            mask &= column >= value
        else:
            mask &= column <= value
    return mask


def _out_fields(frame: gpd.GeoDataFrame, out_fields: str) -> gpd.GeoDataFrame:
    if out_fields.strip() in ("*", ""):
        return frame
    names = [n.strip() for n in out_fields.split(",") if n.strip()]
    missing = [n for n in names if n not in frame]
    if missing:
        raise ValueError(f"Invalid field: {missing[0]}")
    return frame[[*names, "geometry"]]


def _out_sr(value: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if value.startswith("{"):
        sr = json.loads(value)
        return int(sr.get("latestWkid") or sr["wkid"])
    return int(value)


def _rings(geom: shapely.Geometry) -> list[list[list[float]]]:
    """Esri JSON rings: each polygon's outer ring clockwise, its holes anticlockwise."""
    polygons = getattr(geom, "geoms", [geom])
    rings = []
    for polygon in polygons:
        turned = orient(polygon, sign=-1.0)
        rings.append([list(c) for c in turned.exterior.coords])
        rings.extend([list(c) for c in hole.coords] for hole in turned.interiors)
    return rings


def _records(frame: gpd.GeoDataFrame) -> Iterator[dict[str, Any]]:
    columns = [c for c in frame.columns if c != "geometry"]
    for values in frame[columns].itertuples(index=False):
        yield {c: _value(v) for c, v in zip(columns, values, strict=True)}


def _value(value: Any) -> Any:
    """A JSON value as ArcGIS sends it: numbers and text, ``null`` for a missing value."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    return value.item() if hasattr(value, "item") else value


def _esri_json(frame: gpd.GeoDataFrame, wkid: int | None, more: bool) -> bytes:
    geometry = frame.geometry if wkid in (None, 2226) else frame.geometry.to_crs(wkid)
    sr = NATIVE_SR if wkid in (None, 2226) else {"wkid": wkid, "latestWkid": wkid}
    features = [
        {"attributes": attrs, "geometry": {"rings": _rings(geom)}}
        for attrs, geom in zip(_records(frame), geometry, strict=True)
    ]
    body: dict[str, Any] = {
        "displayFieldName": "APN_DASH",
        "objectIdFieldName": OID,
        "geometryType": "esriGeometryPolygon",
        "spatialReference": sr,
        "fields": _fields(frame),
        "features": features,
    }
    if more:
        body["exceededTransferLimit"] = True
    return _json(body)


def _geojson(frame: gpd.GeoDataFrame, wkid: int, more: bool) -> bytes:
    geometry = frame.geometry.to_crs(wkid)
    features = [
        {
            "type": "Feature",
            "id": attrs[OID],
            "geometry": shapely.geometry.mapping(geom),
            "properties": attrs,
        }
        for attrs, geom in zip(_records(frame), geometry, strict=True)
    ]
    body: dict[str, Any] = {"type": "FeatureCollection", "features": features}
    if wkid != 4326:
        body["crs"] = {"type": "name", "properties": {"name": f"EPSG:{wkid}"}}
    if more:
        body["properties"] = {"exceededTransferLimit": True}
    return _json(body)


class _Handler(BaseHTTPRequestHandler):
    standin: StandIn

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        parts = urlsplit(self.path)
        params = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        with self.standin.lock:
            self.standin.requests.append({"_path": parts.path, **params})
        if parts.path.rstrip("/") == LAYER_PATH:
            status, body = 200, _json(self.standin.layer_info())
        elif parts.path.rstrip("/") == LAYER_PATH + "/query":
            status, body = self.standin.query(params)
        else:
            status, body = 404, b"not found"
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (the slow page): as a real server sees it

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Quiet: the tests read ``StandIn.requests`` instead."""


@contextmanager
def serve(standin: StandIn) -> Iterator[StandIn]:
    """Run the stand-in on 127.0.0.1 (a free port) in a thread while the block runs."""
    handler = type("Handler", (_Handler,), {"standin": standin})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    standin.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield standin
    finally:
        server.shutdown()
        server.server_close()
