"""Permalinks: the selection, the view and the non-default policy settings in a URL.

Pure functions between a settings dict and URL query parameters, so a link opened by
someone else restores what the sender saw. Values that do not parse are dropped, never
trusted.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

LIST_SEP = "|"
KEYS = (
    "apn",
    "q",
    "lat",
    "lon",
    "zoom",
    "policy",
    "scope",
    "agencies",
    "distance",
    "city",
    "lot",
    "garage",
    "lang",
)


def _first(value: object) -> str:
    if isinstance(value, list | tuple):
        value = value[0] if value else ""
    return str(value).strip()


def _float(text: str, low: float, high: float) -> float | None:
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) and low <= number <= high else None


def decode(params: Mapping[str, object]) -> dict[str, Any]:
    """Read settings from URL query parameters.

    Parameters
    ----------
    params : mapping
        Query parameters (values may be strings or lists of strings).

    Returns
    -------
    dict
        Only the keys that were present and valid: ``apn`` / ``q`` (str), ``lat``, ``lon``
        (float), ``zoom`` (int), ``policy`` (str), ``scope`` (``all`` or
        ``lots_and_garages``), ``agencies`` (bool), ``distance`` (float, metres), ``city``,
        ``lot``, ``garage`` (tuples of str), ``lang`` (str).
    """
    raw = {k: _first(params[k]) for k in KEYS if k in params}
    out: dict[str, Any] = {}
    for key in ("apn", "q", "policy", "lang"):
        if raw.get(key):
            out[key] = raw[key][:200]
    lat, lon = _float(raw.get("lat", ""), -90, 90), _float(raw.get("lon", ""), -180, 180)
    if lat is not None and lon is not None:
        out["lat"], out["lon"] = lat, lon
    zoom = _float(raw.get("zoom", ""), 1, 22)
    if zoom is not None:
        out["zoom"] = int(zoom)
    if raw.get("scope") in ("all", "lots_and_garages"):
        out["scope"] = raw["scope"]
    if raw.get("agencies") in ("0", "1"):
        out["agencies"] = raw["agencies"] == "1"
    distance = _float(raw.get("distance", ""), 1, 100_000)
    if distance is not None:
        out["distance"] = distance
    for key in ("city", "lot", "garage"):
        if key in raw:
            out[key] = tuple(v.strip() for v in raw[key].split(LIST_SEP) if v.strip())
    return out


def encode(settings: Mapping[str, Any], defaults: Mapping[str, Any]) -> dict[str, str]:
    """Write settings as URL query parameters, leaving out those equal to their default.

    Parameters
    ----------
    settings : mapping
        Keys as returned by :func:`decode`.
    defaults : mapping
        The values a fresh page would have.

    Returns
    -------
    dict
        Query parameters (strings).
    """
    out: dict[str, str] = {}
    for key in KEYS:
        if key not in settings or settings[key] in (None, "", ()):
            continue
        value = settings[key]
        if key in defaults and defaults[key] == value:
            continue
        if isinstance(value, bool):
            out[key] = "1" if value else "0"
        elif isinstance(value, tuple | list):
            out[key] = LIST_SEP.join(str(v) for v in value)
        elif isinstance(value, float):
            out[key] = (
                f"{value:.6f}".rstrip("0").rstrip(".") if key in ("lat", "lon") else (f"{value:g}")
            )
        else:
            out[key] = str(value)
    return out


def absolute_link(base_url: str, params: Mapping[str, str]) -> str:
    """A link anyone can open: the app's own address with the query URL-encoded.

    Parameters
    ----------
    base_url
        Where the app is served (``https://example.org/map/``); query and fragment dropped.
    params
        Query parameters, e.g. from :func:`encode`.

    Returns
    -------
    str
    """
    parts = urlsplit(base_url.strip())
    path = parts.path or "/"
    return urlunsplit((parts.scheme, parts.netloc, path, urlencode(dict(params)), ""))
