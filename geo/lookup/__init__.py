"""Finding parcels: by APN in any spelling, by street address, by name, by a point on the map.

:class:`ParcelIndex` (:mod:`geo.lookup.index`) answers each look-up from tables built once
per dataset (:mod:`geo.lookup.keys`); its answers are :class:`Match` and
:class:`Suggestion` (:mod:`geo.lookup.matches`). Look-ups run offline against the loaded
parcels: no geocoder, nothing sent anywhere.
"""

from geo.lookup.focus import focus_point
from geo.lookup.index import ParcelIndex
from geo.lookup.matches import Match, Suggestion

__all__ = ["Match", "ParcelIndex", "Suggestion", "focus_point"]
