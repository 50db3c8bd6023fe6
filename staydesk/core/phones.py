"""Phone numbers: parsed with Google's libphonenumber data, stored in E.164."""

import phonenumbers
from django.utils.translation import gettext as _

from staydesk.core.errors import InvalidInput


def normalize_phone(raw: str, *, region: str | None = None, field: str = "phone") -> str:
    """``raw`` as E.164 (``+48601234567``), "" for blank, or ``InvalidInput("invalid_phone")``.

    ``region`` (ISO 3166, e.g. "PL") reads numbers written without a country code.
    """
    raw = (raw or "").strip()
    if not raw:
        return ""
    try:
        number = phonenumbers.parse(raw, region or None)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise InvalidInput(
            "invalid_phone",
            _("Enter a valid phone number in international format, e.g. +48601234567."),
            field=field,
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
