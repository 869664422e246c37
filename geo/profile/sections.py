"""The sections of a jurisdiction profile, as typed values: landmarks, the zone, rules,
places to assemble, policy versions and who runs the site."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Landmark:
    """A named place shown on the map, found by address in the data or by its point."""

    id: str
    name: str
    label: str = ""
    address: str = ""
    point: tuple[float, float] | None = None  # (lat, lon)
    point_note: str = ""
    label_side: str = "right"


@dataclass(frozen=True)
class ZoneSpec:
    """How the free speech zone is drawn."""

    landmark: str = "moss"
    distance_m: float = 100.0
    max_distance_m: float = 800.0
    exclude_landmark_parcel: bool = True
    # what the city can designate inside the outline: the right-of-way and these owners
    designate: tuple[str, ...] = ("city", "city_agency")
    right_of_way: bool = True


@dataclass(frozen=True)
class Rule:
    """A rule that applies at some places, with its citation (profile data, not advice).

    A rule applies where every condition it gives holds: the address is one of
    ``addresses``, the land use one of ``land_uses``, the owner class one of
    ``owner_classes``. A condition left empty does not restrict.
    """

    id: str
    title: str
    citation: str
    summary: str = ""
    addresses: tuple[str, ...] = ()
    land_uses: tuple[str, ...] = ()
    owner_classes: tuple[str, ...] = ()
    texts: dict[str, str] = field(default_factory=dict, compare=False)
    # the kinds of place it applies to ("right_of_way", "parcel"); empty: parcels only
    places: tuple[str, ...] = ()

    def text(self, name: str, lang: str) -> str:
        """The rule's ``title`` or ``summary`` in a language (English when it has none)."""
        return self.texts.get(f"{name}_{lang}") or str(getattr(self, name))


@dataclass(frozen=True)
class AssemblySpec:
    """Which places count as places to assemble, and how crowds are sized."""

    landmark: str = "moss"
    within_m: float = 800.0
    max_within_m: float = 3000.0
    land_uses: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()
    rings_m: tuple[float, ...] = (100.0, 400.0, 800.0)
    density_ft2_per_person: dict[str, float] = field(
        default_factory=lambda: {"loose": 10.0, "dense": 4.5, "packed": 2.5}
    )
    # usable open area (m²) of a building's parcel, by address (a city hall's plaza)
    open_area_m2: dict[str, float] = field(default_factory=dict)
    # share of the right-of-way a crowd may stand on without closing the street
    right_of_way_share: float = 1.0
    # a building footprint layer (a file beside the profile), subtracted from parcels
    footprints: str = ""


@dataclass(frozen=True)
class PolicyVersion:
    """One version of the proposal (a draft, a resolution, an ordinance)."""

    id: str
    title: str
    status: str = "proposed"
    scope: str = "all"
    include_city_agencies: bool = True
    note: str = ""
    texts: dict[str, str] = field(default_factory=dict, compare=False)

    def text(self, name: str, lang: str) -> str:
        """The version's ``title``, ``note`` or ``status`` in a language (else English)."""
        return self.texts.get(f"{name}_{lang}") or str(getattr(self, name))


@dataclass(frozen=True)
class SiteInfo:
    """Who runs a copy of the site, how to reach them, and whether it names private owners.

    Attributes
    ----------
    operator : str
        Who runs this copy (``""``: no stated operator).
    contact : str
        An email address or a web address (``""``: none given).
    owner_names : bool
        Show private owners' names by default (public owners are always named).
    """

    operator: str = ""
    contact: str = ""
    owner_names: bool = False
