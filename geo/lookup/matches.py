"""The answer to a look-up: the parcels found, how, and what to offer when none is."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Suggestion:
    """Something to offer when a query finds nothing: show ``label``, search ``query``.

    Attributes
    ----------
    label : str
        What to show (an address, a landmark's name, an owner's name, a street).
    query : str
        What to search for when it is chosen (always finds at least one parcel).
    kind : str
        ``address``, ``landmark``, ``owner`` or ``street``.
    count : int
        How many parcels the query finds.
    """

    label: str
    query: str
    kind: str = "address"
    count: int = 1


@dataclass(frozen=True)
class Match:
    """The answer to one query.

    Attributes
    ----------
    query : str
        What was asked.
    positions : tuple of int
        Row positions (``iloc``) of the matching parcels; empty when none matched.
    options : tuple of Suggestion
        What to offer instead when nothing matched.
    via : str
        How it was found: ``apn``, ``address``, ``landmark``, ``owner``, ``street`` or
        ``point`` (``""`` when not found).
    name : str
        The landmark, owner or street found by name (``""`` otherwise).
    """

    query: str
    positions: tuple[int, ...]
    options: tuple[Suggestion, ...] = ()
    via: str = ""
    name: str = ""

    @property
    def found(self) -> bool:
        """Whether any parcel matched."""
        return bool(self.positions)

    @property
    def suggestions(self) -> tuple[str, ...]:
        """The queries of :attr:`options` (each finds a parcel when searched)."""
        return tuple(s.query for s in self.options)
