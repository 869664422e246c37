"""Permalinks: the selection, the view and the non-default policy settings in a URL.

Pure functions between a settings dict and URL query parameters, so a link opened by
someone else restores what the sender saw. Values that do not parse are dropped, never
trusted.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from geo.policy.terms import PolicyOverrides

if TYPE_CHECKING:
    from geo.policy.terms import Policy
    from geo.profile import Profile

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
    "basemap",
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


def _same(default: object, value: object) -> bool:
    """Whether a value equals its default (a list and a tuple of the same items alike)."""
    if isinstance(default, tuple | list) and isinstance(value, tuple | list):
        return tuple(default) == tuple(value)
    return default == value


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
        ``lot``, ``garage`` (tuples of str), ``lang`` (str), ``basemap`` (bool).
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
    for flag in ("agencies", "basemap"):
        if raw.get(flag) in ("0", "1"):
            out[flag] = raw[flag] == "1"
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
        Query parameters (strings). An emptied list whose default is not empty is kept, as
        an empty parameter (``lot=``), so the link clears it too.
    """
    out: dict[str, str] = {}
    for key in KEYS:
        value = settings.get(key)
        listed = isinstance(value, tuple | list)
        if value is None or value == "" or (listed and not value and key not in defaults):
            continue
        if key in defaults and _same(defaults[key], value):
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


@dataclass(frozen=True)
class Opening:
    """What a link opened asks of a fresh page besides the policy terms.

    Attributes
    ----------
    query : str, optional
        The APN or address to search.
    distance : int, optional
        The free speech zone distance, metres.
    center : (float, float), optional
        Latitude and longitude to centre the map on.
    zoom : int, optional
    basemap : bool, optional
        Whether the street basemap is shown.
    """

    query: str | None = None
    distance: int | None = None
    center: tuple[float, float] | None = None
    zoom: int | None = None
    basemap: bool | None = None


def opening(url: Mapping[str, Any]) -> Opening:
    """The search, distance and view a decoded link asks for (``q`` wins over ``apn``)."""
    query = url.get("q", url.get("apn"))
    distance = url.get("distance")
    center = (url["lat"], url["lon"]) if "lat" in url and "lon" in url else None
    return Opening(
        query=str(query) if query is not None else None,
        distance=int(distance) if distance is not None else None,
        center=center,
        zoom=url.get("zoom") if center is not None else None,
        basemap=url.get("basemap"),
    )


def url_overrides(url: Mapping[str, Any]) -> PolicyOverrides:
    """The policy terms a decoded link sets (the rest keep the version's)."""
    return PolicyOverrides(
        scope=url.get("scope"),
        include_city_agencies=url.get("agencies"),
        city_owners=url.get("city"),
        parking_lot=url.get("lot"),
        parking_garage=url.get("garage"),
    )


def link_params(
    profile: Profile,
    policy: Policy,
    distance: float,
    lang: str,
    query: str,
    focus: tuple[float, float, int] | None = None,
    apn: str = "",
    basemap: bool = False,
) -> dict[str, str]:
    """The URL query parameters that reproduce a view (non-default values only).

    Parameters
    ----------
    profile : Profile
    policy : Policy
        The terms in use (its ``version`` names the version they start from).
    distance : float
        The free speech zone distance, metres.
    lang : str
    query : str
        What the search box holds.
    focus : (lat, lon, zoom), optional
        The map's centre and zoom, when it reported them.
    apn : str
        The parcel clicked on the map (used when the search box is empty).
    basemap : bool
        Whether the street basemap is shown.

    Returns
    -------
    dict
        Query parameters (strings), as :func:`encode` writes them.
    """
    base = profile.policy_version(policy.version)
    settings: dict[str, Any] = {
        "q": query.strip() or None,
        "apn": None if query.strip() else (apn.strip() or None),
        "policy": policy.version,
        "scope": policy.scope,
        "agencies": policy.include_city_agencies,
        "distance": float(distance),
        "city": policy.owners.get("city", ()),
        "lot": policy.parking_lot,
        "garage": policy.parking_garage,
        "lang": lang,
        "basemap": basemap,
    }
    if focus is not None:
        settings.update(lat=focus[0], lon=focus[1], zoom=focus[2])
    defaults = {
        "policy": profile.default_policy,
        "scope": base.scope,
        "agencies": base.include_city_agencies,
        "distance": float(profile.zone.distance_m),
        "city": base.owners.get("city", ()),
        "lot": base.parking_lot,
        "garage": base.parking_garage,
        "lang": "en",
        "basemap": False,
    }
    return encode(settings, defaults)


def absolute_link(base_url: str, params: Mapping[str, str]) -> str:
    """A link anyone can open: the app's own address with the query URL-encoded.

    Parameters
    ----------
    base_url
        Where the app is served (``https://example.org/map/``); its query and fragment are
        dropped. Empty gives a relative link (``?q=...``).
    params
        Query parameters, e.g. from :func:`encode`.

    Returns
    -------
    str
    """
    query = urlencode(dict(params))
    if not base_url.strip():
        return f"?{query}"
    parts = urlsplit(base_url.strip())
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", query, ""))


def cited_params(params: Mapping[str, str], policy: Policy, lang: str) -> dict[str, str]:
    """Link parameters for a printed sheet: the policy version and language always named,
    so the link opens the same answer even after the defaults change."""
    return {**params, "policy": policy.version, "lang": lang}
