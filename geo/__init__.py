"""civicmap: which parcels a city's immigration-enforcement staging proposal covers.

The library behind the app and the ``civicmap`` command: read parcel files
(:mod:`geo.sources`), decide a verdict for each parcel (:mod:`geo.classify`), draw the
free speech zone (:mod:`geo.zone`) and answer look-ups (:mod:`geo.lookup`).
"""

__version__ = "0.1.0"
