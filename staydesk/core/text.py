"""Free text from users: trimmed, length-checked and free of control characters.

PostgreSQL refuses NUL bytes and over-long values with an error (a 500 if unchecked); SQLite
stores them silently. Every service that stores text a person typed reads it through here.
"""

import unicodedata

from django.utils.translation import gettext as _

from staydesk.core.errors import InvalidInput

_ALLOWED_CONTROLS_MULTILINE = {"\n", "\t"}


def clean_text(
    value: object,
    *,
    field: str,
    max_length: int,
    required: bool = False,
    multiline: bool = False,
) -> str:
    text = "" if value is None else str(value)
    text = text.replace("\r\n", "\n").strip()
    allowed = _ALLOWED_CONTROLS_MULTILINE if multiline else set()
    if any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in text):
        raise InvalidInput("invalid_text", _("This text contains control characters."), field=field)
    if required and not text:
        raise InvalidInput("required", _("This field is required."), field=field)
    if len(text) > max_length:
        raise InvalidInput(
            "too_long",
            _("At most %(n)s characters, please.") % {"n": max_length},
            field=field,
        )
    return text
