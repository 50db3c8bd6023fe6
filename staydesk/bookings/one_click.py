"""One-click Confirm and Reject links for the new-request email (SPEC §3).

A link is ``<code>.<action>.<id>.<expires>.<signature>``: the booking, the action, a random
id, the expiry (Unix seconds, base 36) and an HMAC of all four under SECRET_KEY (rotation
keeps old links working through SECRET_KEY_FALLBACKS). Nothing is stored when a link is made;
its first use is recorded as a ``OneClickUse`` row with the id as unique key, in the same
transaction as the action, so a second use (or a racing one) is refused by the database.

Opening a link (GET) never changes anything: email scanners fetch links. Only the POST of
the page's form acts, as the organization ("One-click link (<notification email>)").
"""

import datetime as dt
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from staydesk.bookings.actors import Actor
from staydesk.bookings.models import Booking, OneClickUse
from staydesk.bookings.services.actions import booking_confirm, booking_reject
from staydesk.bookings.states import ActorKind, Status
from staydesk.core import clock
from staydesk.core.errors import DomainError

SALT = "staydesk.one-click"
ACTIONS = ("confirm", "reject")
_MAX_TOKEN = 200


@dataclass(frozen=True)
class OneClickLink:
    code: str
    action: str  # "confirm" or "reject"
    token_id: str
    expires_at: dt.datetime


class LinkExpired(DomainError):
    status = 410


class LinkUsed(DomainError):
    status = 410


def _b36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
        if not number:
            return out


def _signature(payload: str, secret: str | None = None) -> str:
    return salted_hmac(SALT, payload, secret=secret, algorithm="sha256").hexdigest()[:40]


def one_click_expiry(booking: Booking, issued_at: dt.datetime) -> dt.datetime:
    """At the booking's confirmation deadline, and never later than the maximum age."""
    latest = issued_at + dt.timedelta(hours=settings.STAYDESK_ONE_CLICK_MAX_AGE_HOURS)
    return min(latest, booking.confirm_by) if booking.confirm_by else latest


def one_click_token(*, booking: Booking, action: str) -> str:
    if action not in ACTIONS:
        raise ValueError(f"one-click action must be one of {ACTIONS}, not {action!r}")
    expires = int(one_click_expiry(booking, clock.now()).timestamp())
    payload = f"{booking.code}.{action}.{secrets.token_hex(12)}.{_b36(expires)}"
    return f"{payload}.{_signature(payload)}"


def one_click_url(*, booking: Booking, action: str) -> str:
    """The absolute link for the email: a new single-use token on every call."""
    token = one_click_token(booking=booking, action=action)
    return settings.STAYDESK_PUBLIC_URL.rstrip("/") + reverse("web:one_click", args=[token])


def one_click_parse(token: str) -> OneClickLink | None:
    """The link a token stands for, or None when it is mangled or its signature is wrong.

    Expiry is not checked here: an expired but genuine link gets its own answer.
    """
    if not token or len(token) > _MAX_TOKEN:
        return None
    payload, _sep, signature = token.rpartition(".")
    parts = payload.split(".")
    if len(parts) != 4 or not signature:
        return None
    if not any(
        constant_time_compare(signature, _signature(payload, secret))
        for secret in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    ):
        return None
    code, action, token_id, expires = parts
    if action not in ACTIONS:
        return None
    try:
        expires_at = dt.datetime.fromtimestamp(int(expires, 36), tz=dt.UTC)
    except (ValueError, OverflowError, OSError):
        return None
    return OneClickLink(code=code, action=action, token_id=token_id, expires_at=expires_at)


def one_click_booking(link: OneClickLink) -> Booking | None:
    return (
        Booking.objects.select_related("property", "organization", "room_type", "package")
        .filter(code=link.code)
        .first()
    )


def one_click_check(*, link: OneClickLink, booking: Booking) -> DomainError | None:
    """Why this genuine link cannot act (any more), or None; read-only, for the GET page."""
    if OneClickUse.objects.filter(token_id=link.token_id).exists():
        return LinkUsed("link_used", _("This link has already been used."))
    if clock.now() >= link.expires_at:
        return LinkExpired("link_expired", _("This link has expired."))
    if booking.status != Status.PENDING_CONFIRMATION:
        return DomainError(
            "already_answered",
            _("This request has already been answered: the booking is “%(status)s”.")
            % {"status": Status(booking.status).label},
        )
    return None


def one_click_actor(booking: Booking) -> Actor:
    """The organization itself answers: whoever holds its notification mailbox."""
    organization = booking.organization
    contact = organization.notification_email or organization.name
    with translation.override(organization.language):  # stored: in the provider's language
        label = _("One-click link (%(contact)s)") % {"contact": contact}
    return Actor(kind=ActorKind.PROVIDER, label=label)


def one_click_use(*, link: OneClickLink, booking: Booking, reason: str = "") -> Booking:
    """Use the link once: record the use and act in one transaction, or raise why not.

    A refusal (used, expired, already answered, deadline passed) rolls everything back,
    so a refused POST changes nothing; the use row's unique id makes a racing second use
    of the same link fail on the database, not on a check.
    """
    error = one_click_check(link=link, booking=booking)
    if error is not None:
        raise error
    actor = one_click_actor(booking)
    try:
        with transaction.atomic():
            OneClickUse.objects.create(
                token_id=link.token_id, booking=booking, action=link.action, used_at=clock.now()
            )
            if link.action == "confirm":
                return booking_confirm(booking=booking, actor=actor)
            return booking_reject(booking=booking, actor=actor, reason=reason)
    except IntegrityError as exc:
        raise LinkUsed("link_used", _("This link has already been used.")) from exc
