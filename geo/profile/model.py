"""Everything the map knows about one jurisdiction: :class:`Profile`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geo.errors import InputError, Term
from geo.normalize import PlaceWords
from geo.policy.terms import Policy
from geo.profile.sections import AssemblySpec, Landmark, PolicyVersion, Rule, SiteInfo, ZoneSpec


@dataclass(frozen=True)
class Profile:
    """Everything the map knows about one jurisdiction."""

    name: str
    path: Path
    measure_crs: str
    map_center: tuple[float, float]
    map_zoom: int
    fields: dict[str, tuple[str, ...]]
    policy: Policy
    policies: dict[str, PolicyVersion]
    default_policy: str
    land_use_labels: dict[str, str]
    landmarks: tuple[Landmark, ...]
    zone: ZoneSpec
    proposal_parts: tuple[dict[str, Any], ...] = ()
    sample: dict[str, Any] = field(default_factory=dict)
    assembly: AssemblySpec = field(default_factory=AssemblySpec)
    rules: tuple[Rule, ...] = ()
    land_use_labels_in: dict[str, dict[str, str]] = field(default_factory=dict)

    def land_use_label(self, code: str, lang: str = "en") -> str:
        """A land-use code's label in a language (English, then ``""``, when none)."""
        key = str(code).strip().upper()
        return self.land_use_labels_in.get(lang, {}).get(key) or self.land_use_labels.get(key, "")

    source: dict[str, Any] = field(default_factory=dict)
    context: dict[str, Any] = field(default_factory=dict)  # the raw [context.*] tables
    place: PlaceWords = field(default_factory=PlaceWords)
    site: SiteInfo = field(default_factory=SiteInfo)

    @property
    def record_template(self) -> str | None:
        """The ``[source] record_url`` template of links to the county's record, if any."""
        template = self.source.get("record_url")
        return str(template) if template else None

    def sample_path(self) -> Path | None:
        """Path of the bundled sample parcel file, if the profile has one."""
        rel = self.sample.get("path")
        return (self.path.parent / rel) if rel else None

    def streets_path(self) -> Path | None:
        """Path of the bundled street centrelines, if the profile has them."""
        rel = self.sample.get("streets")
        return (self.path.parent / rel) if rel else None

    def landmark(self, landmark_id: str) -> Landmark:
        """Return the landmark with this id.

        Raises
        ------
        InputError
            When the profile has no such landmark.
        """
        for mark in self.landmarks:
            if mark.id == landmark_id:
                return mark
        known = ", ".join(m.id for m in self.landmarks) or Term("error.profile.none")
        raise InputError.keyed("error.profile.no_landmark", landmark=repr(landmark_id), known=known)

    def policy_version(self, version_id: str | None = None) -> Policy:
        """Return the policy terms for a version of the proposal.

        Parameters
        ----------
        version_id : str, optional
            A key of ``[policies]``; the profile's default when omitted.

        Returns
        -------
        Policy
        """
        key = version_id or self.default_policy
        if key not in self.policies:
            known = ", ".join(self.policies) or Term("error.profile.none")
            raise InputError.keyed("error.profile.no_policy", policy=repr(key), known=known)
        version = self.policies[key]
        return self.policy.with_changes(
            scope=version.scope,
            include_city_agencies=version.include_city_agencies,
            version=key,
        )
