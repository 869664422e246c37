"""What every answer rests on: the policy version and its terms, the data, when, and what
made it. Exports, sheets and the command line carry it, so an answer can stand alone.

The data's date is its **as-of date**: for a fetched layer the service's last edit of it
where the service says one, else the day it was fetched; for a file its own date; for the
bundled sample the profile's. ``data_date_basis`` says which (:class:`DateBasis`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from enum import StrEnum
from importlib.metadata import PackageNotFoundError, version

import pandas as pd

from geo.policy.terms import Policy
from geo.profile import Profile

LIST_SEP = "|"


class DateBasis(StrEnum):
    """What a data date is: the service's last edit, the fetch, the file or the sample."""

    LAST_EDIT = "last_edit"
    FETCHED = "fetched"
    FILE = "file"
    SAMPLE = "sample"


def date_basis(attrs: Mapping[str, object], sample: bool = False) -> DateBasis:
    """What the ``source_date`` of parcels read with these ``attrs`` is.

    Parameters
    ----------
    attrs : mapping
        The reader's ``attrs`` (a fetch records ``fetch.last_edit_date``).
    sample : bool
        The data is the profile's bundled sample (its date is the profile's).

    Returns
    -------
    DateBasis
    """
    if sample:
        return DateBasis.SAMPLE
    fetch = attrs.get("fetch")
    if isinstance(fetch, Mapping):
        return DateBasis.LAST_EDIT if fetch.get("last_edit_date") else DateBasis.FETCHED
    return DateBasis.FILE


def app_version() -> str:
    """This program's version (``civicmap`` as installed)."""
    try:
        return version("civicmap")
    except PackageNotFoundError:
        return "unknown"


def policy_terms(policy: Policy, zone_distance_m: float) -> str:
    """The terms as applied, in one machine-readable line (``key=value; ...``)."""
    terms = {
        "scope": policy.scope.value,
        "city_agencies_count": "yes" if policy.include_city_agencies else "no",
        "city_owners": LIST_SEP.join(policy.owners.get("city", ())),
        "city_agencies": LIST_SEP.join(policy.owners.get("city_agency", ())),
        "parking_lot": LIST_SEP.join(policy.parking_lot),
        "parking_garage": LIST_SEP.join(policy.parking_garage),
        "open_space": LIST_SEP.join(policy.open_space),
        "city_property_list": f"{len(policy.city_apns)} APNs" if policy.city_apns else "none",
        "zone_distance_m": f"{zone_distance_m:g}",
    }
    return "; ".join(f"{k}={v}" for k, v in terms.items())


@dataclass(frozen=True)
class Provenance:
    """Which policy, which data and when, for one result (columns of a CSV, a GeoJSON
    object, the foot of a sheet)."""

    policy_version: str
    policy_title: str
    policy_terms: str
    data_source: str
    data_date: str
    data_date_basis: str
    generated_at: str
    app_version: str

    def as_dict(self) -> dict[str, str]:
        """The fields by name (the CSV columns' names)."""
        return asdict(self)

    def stamped(self, table: pd.DataFrame) -> pd.DataFrame:
        """A table with one column per field, repeated on every row."""
        out = table.copy()
        for key, value in self.as_dict().items():
            out[key] = value
        return out


def provenance(
    profile: Profile,
    policy: Policy,
    zone_distance_m: float,
    source: tuple[str, str, bool],
    now: datetime | None = None,
    basis: str = "",
) -> Provenance:
    """The provenance of results under a policy, on a data source (name, date, sample?);
    ``basis`` says what the date is (:func:`date_basis`; the sample's when it is the sample)."""
    name, date, illustrative = source
    version_id = policy.version or profile.default_policy
    known = profile.policies.get(version_id)
    title = known.title if known is not None else version_id
    data = f"{name} (illustrative sample, not official records)" if illustrative else name
    return Provenance(
        policy_version=version_id,
        policy_title=title,
        policy_terms=policy_terms(policy, zone_distance_m),
        data_source=data,
        data_date=date,
        data_date_basis=basis or (DateBasis.SAMPLE.value if illustrative else ""),
        generated_at=(now or datetime.now(UTC)).isoformat(timespec="seconds"),
        app_version=app_version(),
    )


def basis_of(profile: Profile, src: str, attrs: Mapping[str, object]) -> str:
    """What the date of a source file is (:class:`DateBasis`)."""
    from pathlib import Path

    sample = profile.sample_path()
    return date_basis(attrs, sample is not None and sample.resolve() == Path(src).resolve()).value


def source_of(profile: Profile, src: str, attrs: dict[str, object]) -> tuple[str, str, bool]:
    """A source file's name, date (its own, or the sample's) and whether it is the sample."""
    from pathlib import Path

    sample = profile.sample_path()
    is_sample = sample is not None and sample.resolve() == Path(src).resolve()
    date = str(profile.sample.get("date", "")) if is_sample else str(attrs.get("source_date", ""))
    name = str(attrs.get("source_name", "")) or Path(src).name
    return name, date, is_sample and bool(profile.sample.get("illustrative"))
