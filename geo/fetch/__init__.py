"""Fetching a parcel layer from an ArcGIS REST map service into canonical GeoParquet.

:mod:`geo.fetch.protocol` talks to the service (requests, retries, error bodies, the
layer's description and counts); :mod:`geo.fetch.pages` decides which pages to ask for and
keeps them on disk so a download resumes; :mod:`geo.fetch.assemble` turns the kept pages
into one checked layer; :mod:`geo.fetch.download` runs the whole fetch and writes the file.
"""

from geo.fetch.download import FetchResult, default_url, fetch_layer, out_sr_for
from geo.fetch.pages import FetchProgress, PageStore
from geo.fetch.protocol import ArcgisClient, LayerInfo, RetryPolicy, ServiceError

__all__ = [
    "ArcgisClient",
    "FetchProgress",
    "FetchResult",
    "LayerInfo",
    "PageStore",
    "RetryPolicy",
    "ServiceError",
    "default_url",
    "fetch_layer",
    "out_sr_for",
]
