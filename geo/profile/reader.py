"""Reading a profile (``data/<place>/profile.toml``) into a :class:`Profile`, every value
checked with a message that names where it is wrong."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from geo.errors import InputError
from geo.normalize import PlaceWords
from geo.paths import DEFAULT_PROFILE
from geo.policy.codes import NAMED_OWNERS, OwnerClass
from geo.policy.terms import SCOPES, Policy
from geo.profile.model import Profile
from geo.profile.sections import AssemblySpec, Landmark, PolicyVersion, Rule, SiteInfo, ZoneSpec
from geo.records import check_record_template

OWNER_CLASSES = tuple(c.value for c in NAMED_OWNERS)


def _texts(item: dict[str, Any], *names: str) -> dict[str, str]:
    """The ``<name>_<lang>`` variants of some text fields of a profile entry."""
    return {
        str(k): str(v)
        for k, v in item.items()
        if any(str(k).startswith(f"{n}_") for n in names) and isinstance(v, str)
    }


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError.keyed("error.profile.strings", where=where)
    return tuple(value)


def _owner_classes(value: Any, where: str) -> tuple[str, ...]:
    """Owner class words as the policy core spells them."""
    words = _strings(value, where)
    try:
        return tuple(OwnerClass.parse(w).value for w in words)
    except ValueError:
        known = ", ".join(c.value for c in OwnerClass)
        raise InputError.keyed("error.profile.owner_classes", where=where, known=known) from None


def _point(value: Any, where: str) -> tuple[float, float] | None:
    if value is None:
        return None
    if not (isinstance(value, list) and len(value) == 2):
        raise InputError.keyed("error.profile.point", where=where)
    return (float(value[0]), float(value[1]))


def _landmarks(raw: list[dict[str, Any]]) -> tuple[Landmark, ...]:
    marks = []
    for i, item in enumerate(raw):
        if "id" not in item or "name" not in item:
            raise InputError.keyed("error.profile.landmark_fields", number=str(i + 1))
        marks.append(
            Landmark(
                id=str(item["id"]),
                name=str(item["name"]),
                label=str(item.get("label", item["name"])),
                address=str(item.get("address", "")),
                point=_point(item.get("point"), f"landmark {item['id']} point"),
                point_note=str(item.get("point_note", "")),
                label_side="left" if item.get("label_side") == "left" else "right",
            )
        )
    return tuple(marks)


def _policies(raw: dict[str, Any]) -> dict[str, PolicyVersion]:
    versions = {}
    for key, item in raw.items():
        scope = str(item.get("scope", "all"))
        if scope not in SCOPES:
            raise InputError.keyed(
                "error.profile.policy_scope", policy=key, known=", ".join(SCOPES)
            )
        versions[key] = PolicyVersion(
            id=key,
            title=str(item.get("title", key)),
            status=str(item.get("status", "proposed")),
            scope=scope,
            include_city_agencies=bool(item.get("include_city_agencies", True)),
            note=str(item.get("note", "")),
            texts=_texts(item, "title", "note", "status"),
        )
    return versions


def _rules(raw: list[dict[str, Any]]) -> tuple[Rule, ...]:
    rules = []
    for i, item in enumerate(raw):
        if not item.get("id") or not item.get("citation"):
            raise InputError.keyed("error.profile.rule_fields", number=str(i + 1))
        rules.append(
            Rule(
                id=str(item["id"]),
                title=str(item.get("title", item["id"])),
                citation=str(item["citation"]),
                summary=str(item.get("summary", "")),
                addresses=_strings(item.get("addresses"), f"rules.{item['id']}.addresses"),
                land_uses=_strings(item.get("land_uses"), f"rules.{item['id']}.land_uses"),
                owner_classes=_owner_classes(
                    item.get("owner_classes"), f"rules.{item['id']}.owner_classes"
                ),
                texts=_texts(item, "title", "summary"),
                places=_strings(item.get("places"), f"rules.{item['id']}.places"),
            )
        )
    return tuple(rules)


def _assembly(raw: dict[str, Any]) -> AssemblySpec:
    spec = AssemblySpec()
    density = dict(spec.density_ft2_per_person)
    density.update({str(k): float(v) for k, v in raw.get("density_ft2_per_person", {}).items()})
    if any(v <= 0 for v in density.values()):
        raise InputError.keyed("error.profile.density")
    return AssemblySpec(
        landmark=str(raw.get("landmark", spec.landmark)),
        within_m=float(raw.get("within_m", spec.within_m)),
        max_within_m=float(raw.get("max_within_m", spec.max_within_m)),
        land_uses=_strings(raw.get("land_uses"), "assembly.land_uses"),
        addresses=_strings(raw.get("addresses"), "assembly.addresses"),
        rings_m=tuple(float(v) for v in raw.get("rings_m", spec.rings_m)),
        density_ft2_per_person=density,
        open_area_m2=_open_areas(raw.get("open_area_m2", {})),
        right_of_way_share=_share(raw.get("right_of_way_share", 1.0)),
        footprints=str(raw.get("footprints", "")),
    )


def _open_areas(raw: Any) -> dict[str, float]:
    """Usable open areas by address, each more than 0 m²."""
    if not isinstance(raw, dict):
        raise InputError.keyed("error.profile.open_area_map")
    areas = {str(k): float(v) for k, v in raw.items()}
    if any(not v > 0 for v in areas.values()):
        raise InputError.keyed("error.profile.open_area_positive")
    return areas


def _share(raw: Any) -> float:
    """A share between 0 (exclusive) and 1."""
    share = float(raw)
    if not 0 < share <= 1:
        raise InputError.keyed("error.profile.right_of_way_share")
    return share


def _policy(raw: dict[str, Any]) -> Policy:
    owners_raw = raw.get("owners", {})
    owners = {cls: _strings(owners_raw.get(cls), f"owners.{cls}") for cls in OWNER_CLASSES}
    land = raw.get("land_use", {})
    return Policy(
        owners=owners,
        parking_lot=_strings(land.get("parking_lot"), "land_use.parking_lot"),
        parking_garage=_strings(land.get("parking_garage"), "land_use.parking_garage"),
        open_space=_strings(land.get("open_space"), "land_use.open_space"),
        building=_strings(land.get("building"), "land_use.building"),
    )


def load_profile(path: str | Path | None = None) -> Profile:
    """Read a jurisdiction profile.

    Parameters
    ----------
    path : str or Path, optional
        A ``profile.toml``; the bundled Sacramento profile when omitted.

    Returns
    -------
    Profile

    Raises
    ------
    InputError
        When the file is missing or is not a valid profile.
    """
    path = Path(path) if path else DEFAULT_PROFILE
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError.keyed("error.profile.not_found", path=str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError.keyed("error.profile.toml", name=path.name, problem=str(exc)) from None
    juris = raw.get("jurisdiction", {})
    policies = _policies(raw.get("policies", {}))
    default = str(raw.get("policy", {}).get("default", next(iter(policies), "")))
    if policies and default not in policies:
        raise InputError.keyed("error.profile.default_policy", policy=repr(default))
    zone_raw = raw.get("zone", {})
    center = _point(juris.get("map_center"), "jurisdiction.map_center") or (0.0, 0.0)
    return Profile(
        name=str(juris.get("name", path.parent.name)),
        path=path,
        measure_crs=str(juris.get("measure_crs", "")),
        map_center=center,
        map_zoom=int(juris.get("map_zoom", 15)),
        fields={k: _strings(v, f"fields.{k}") for k, v in raw.get("fields", {}).items()},
        policy=_policy(raw),
        policies=policies,
        default_policy=default,
        land_use_labels={
            str(k): str(v) for k, v in raw.get("land_use", {}).get("labels", {}).items()
        },
        landmarks=_landmarks(raw.get("landmarks", [])),
        zone=ZoneSpec(
            landmark=str(zone_raw.get("landmark", "moss")),
            distance_m=float(zone_raw.get("distance_m", 100.0)),
            max_distance_m=float(zone_raw.get("max_distance_m", 800.0)),
            exclude_landmark_parcel=bool(zone_raw.get("exclude_landmark_parcel", True)),
            designate=_owner_classes(
                zone_raw.get("designate", ["city", "city_agency"]), "zone.designate"
            ),
            right_of_way=bool(zone_raw.get("right_of_way", True)),
        ),
        proposal_parts=tuple(raw.get("proposal_parts", [])),
        sample=dict(raw.get("sample", {})),
        assembly=_assembly(raw.get("assembly", {})),
        rules=_rules(raw.get("rules", [])),
        land_use_labels_in={
            str(k)[len("labels_") :]: {str(c): str(t) for c, t in v.items()}
            for k, v in raw.get("land_use", {}).items()
            if str(k).startswith("labels_") and isinstance(v, dict)
        },
        source=_source(raw.get("source", {})),
        context=dict(raw.get("context", {})),
        place=PlaceWords(
            cities=_strings(juris.get("place_words"), "jurisdiction.place_words"),
            states=_strings(juris.get("state_words"), "jurisdiction.state_words"),
        ),
        site=_site(raw.get("site", {})),
    )


def _site(raw: dict[str, Any]) -> SiteInfo:
    """The ``[site]`` section: ``operator``, ``contact`` and ``owner_names``."""
    names = raw.get("owner_names", False)
    if not isinstance(names, bool):
        raise InputError.keyed("error.profile.owner_names")
    return SiteInfo(
        operator=str(raw.get("operator", "")).strip(),
        contact=str(raw.get("contact", "")).strip(),
        owner_names=names,
    )


def _source(raw: dict[str, Any]) -> dict[str, Any]:
    """The ``[source]`` section: the parcel layer's ``url``, ``where``, ``record_url``."""
    source = {str(k): v for k, v in raw.items()}
    template = source.get("record_url")
    if template is not None:
        if not isinstance(template, str):
            raise InputError.keyed("error.profile.record_url_text")
        check_record_template(template)
    return source
