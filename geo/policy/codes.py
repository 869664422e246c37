"""The small codes the policy core answers in: one definition each, read by every caller.

The values are the machine words that CSV and JSON exports carry and that profiles, links
and the command line use; sentences for people are made from them at the edge, in the
reader's language, through the catalogs (``data/i18n``).
"""

from __future__ import annotations

from enum import IntEnum, StrEnum


class Scope(StrEnum):
    """Which city property the staging ban covers."""

    ALL = "all"
    LOTS_AND_GARAGES = "lots_and_garages"


class OwnerClass(StrEnum):
    """Who owns a parcel, as the profile's owner names tell."""

    CITY = "city"
    CITY_AGENCY = "city_agency"
    COUNTY = "county"
    STATE = "state"
    FEDERAL = "federal"
    OTHER_PUBLIC = "other_public"
    PRIVATE = "private"
    UNKNOWN = "unknown"

    @classmethod
    def parse(cls, word: str) -> OwnerClass:
        """The class a profile or link names (``city agency`` and ``city_agency`` alike)."""
        return cls(word.strip().lower().replace(" ", "_").replace("-", "_"))


PUBLIC_OWNERS = (
    OwnerClass.CITY,
    OwnerClass.CITY_AGENCY,
    OwnerClass.COUNTY,
    OwnerClass.STATE,
    OwnerClass.FEDERAL,
    OwnerClass.OTHER_PUBLIC,
)
NAMED_OWNERS = PUBLIC_OWNERS  # the classes a profile lists names for
OTHER_PUBLIC_OWNERS = PUBLIC_OWNERS[2:]


class SiteKind(StrEnum):
    """What a land-use code says stands on a parcel."""

    PARKING_LOT = "parking lot"
    PARKING_GARAGE = "parking garage"
    BUILDING = "building"
    OPEN_SPACE = "open space"
    OTHER = "other"

    @property
    def key(self) -> str:
        """The word used in catalog keys and settings (``parking_lot``)."""
        return self.value.replace(" ", "_")


PARKING = (SiteKind.PARKING_LOT, SiteKind.PARKING_GARAGE)


class Verdict(StrEnum):
    """Whether the staging-area prohibition covers a parcel."""

    COVERED = "covered"
    NEEDS_REVIEW = "needs review"
    NOT_COVERED = "not covered"

    @property
    def key(self) -> str:
        """The word used in catalog keys (``needs_review``)."""
        return self.value.replace(" ", "_")


VERDICTS = tuple(Verdict)


class Category(StrEnum):
    """How a parcel is drawn on the map."""

    CITY_LOT_GARAGE = "city_lot_garage"
    CITY_OTHER = "city_other"
    REVIEW = "review"
    NOT_COVERED = "not_covered"


CATEGORIES = tuple(Category)


class Clause(IntEnum):
    """Which part of the policy decided a verdict, and how."""

    NOT_CITY = 0  # part 1 applies only to city property
    CITY_LOT_GARAGE = 1  # covered: a city lot or garage
    CITY_OTHER = 2  # covered: other city property
    OWNER_UNCLEAR = 3  # needs review
    OUT_OF_SCOPE = 4  # city property this version does not cover (lots and garages only)

    @property
    def key(self) -> str:
        """The catalog key's last word."""
        return self.name.lower()


class OwnerFinding(IntEnum):
    """What the owner field (or the city list) said, for the owner's reason."""

    CITY = 0
    CITY_AGENCY = 1
    COUNTY = 2
    STATE = 3
    FEDERAL = 4
    OTHER_PUBLIC = 5
    PRIVATE = 6
    UNKNOWN = 7
    PARTIAL = 8  # a city name among other words
    BLANK = 9
    LISTED = 10  # the APN is on the city's property list

    @property
    def key(self) -> str:
        """The catalog key's last word."""
        return self.name.lower()


OWNER_CLASSES = tuple(OwnerClass)  # index = the int code the core computes with
