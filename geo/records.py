"""Links to the jurisdiction's own record of a parcel, from the profile's URL template.

A profile may say ``[source] record_url = "https://assessor.example/parcel?apn={apn}"``.
``{apn}`` is the APN as the data spells it, ``{apn_digits}`` its letters and digits only;
both are URL-encoded. Nothing is fetched: the card and the sheet only show the link.
"""

from __future__ import annotations

import string
from urllib.parse import quote

from geo.errors import InputError
from geo.normalize import normalize_apn

PLACEHOLDERS = ("apn", "apn_digits")


def check_record_template(template: str) -> None:
    """Refuse a record URL template that is not http(s) or names an unknown placeholder.

    Parameters
    ----------
    template : str

    Raises
    ------
    InputError
    """
    if not template.lower().startswith(("http://", "https://")):
        raise InputError.keyed("error.records.https", template=repr(template))
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]
    except ValueError as exc:
        raise InputError.keyed(
            "error.records.unreadable", template=repr(template), problem=str(exc)
        ) from None
    unknown = [n for n in names if n not in PLACEHOLDERS]
    if unknown or not names:
        if unknown:
            raise InputError.keyed(
                "error.records.unknown_placeholders",
                template=repr(template),
                unknown=", ".join(unknown),
            )
        raise InputError.keyed("error.records.placeholders", template=repr(template))


def record_url(template: str | None, apn: object) -> str | None:
    """The link to the county's own record of a parcel, or None.

    Parameters
    ----------
    template : str or None
        The profile's ``[source] record_url`` (:attr:`Profile.record_template`).
    apn : object
        The parcel's APN as the data gives it.

    Returns
    -------
    str or None
        None when the profile has no template or the APN is blank.
    """
    digits = normalize_apn(apn)
    if not template or not digits:
        return None
    text = str(apn).strip()
    return str(template).format(apn=quote(text, safe=""), apn_digits=quote(digits, safe=""))
