"""Writes for accounts: API keys are created here and their secret is returned once."""

import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from staydesk.accounts.models import Agency, ApiKey, Organization, Profile
from staydesk.accounts.selectors import is_owner
from staydesk.core import clock
from staydesk.core.errors import Forbidden, InvalidInput
from staydesk.core.phones import normalize_phone
from staydesk.core.text import clean_text

TOKEN_PREFIX = "sd"  # noqa: S105 - a label, not a secret


def hash_secret(raw: str) -> str:
    # The secret has 256 bits of entropy, so a fast hash is enough (no brute force possible).
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_key_create(
    *, name: str, organization: Organization | None = None, agency: Agency | None = None
) -> tuple[ApiKey, str]:
    """Create a key for exactly one owner. Returns the key and the token, shown only now."""
    if (organization is None) == (agency is None):
        raise ValueError("An API key belongs to exactly one organization or agency.")
    name = clean_text(name, field="name", max_length=100, required=True)
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    token = f"{TOKEN_PREFIX}_{prefix}_{secret}"
    key = ApiKey.objects.create(
        name=name,
        prefix=prefix,
        hashed_secret=hash_secret(token),
        organization=organization,
        agency=agency,
    )
    return key, token


def api_key_authenticate(*, token: str) -> ApiKey | None:
    """The live key for a token, or None. Marks it used (at most once a minute)."""
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
        return None
    key = (
        ApiKey.objects.select_related("organization", "agency")
        .filter(prefix=parts[1], revoked_at__isnull=True)
        .first()
    )
    if key is None or not secrets.compare_digest(key.hashed_secret, hash_secret(token)):
        return None
    now = clock.now()
    if key.last_used_at is None or (now - key.last_used_at).total_seconds() > 60:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
    return key


def api_key_revoke(*, key: ApiKey) -> None:
    if key.revoked_at is None:
        key.revoked_at = clock.now()
        key.save(update_fields=["revoked_at"])


def profile_set_language(*, user, language: str) -> None:
    Profile.objects.update_or_create(user=user, defaults={"language": language})


def organization_update_contacts(
    *, organization: Organization, user, email: str, phone: str
) -> Organization:
    """Set where new bookings, requests and reminders are sent. Only an owner may.

    The email is validated and the phone read into E.164 here, whoever calls (UI or API).
    """
    if not is_owner(user=user, organization=organization):
        raise Forbidden("owner_only", _("Only an owner can change the organization's contacts."))
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise InvalidInput(
            "invalid_email", _("Enter a valid email address."), field="email"
        ) from exc
    organization.notification_email = email
    organization.notification_phone = normalize_phone(phone, field="phone")
    organization.save(update_fields=["notification_email", "notification_phone"])
    return organization
