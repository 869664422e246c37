"""The row a printable sheet gives to the county's own record of a parcel (when the
profile has a ``[source] record_url`` template)."""

from __future__ import annotations

from geo.i18n import Translate
from geo.profile import Profile
from geo.records import record_url


def record_facts(profile: Profile | None, apn: object, t: Translate) -> list[tuple[str, str]]:
    """``[(label, url)]`` for the sheet's table of facts, or ``[]`` without a template."""
    url = record_url(profile.record_template, apn) if profile is not None else None
    return [(t("card.record"), url)] if url else []
