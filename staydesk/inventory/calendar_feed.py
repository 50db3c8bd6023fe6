"""iCalendar feeds of occupied dates, per property and per room type (SPEC §7).

A feed URL is ``<kind><id>-<signature>.ics``: ``p`` for a property, ``r`` for a room type,
and an HMAC of both under the property's own ``calendar_secret``. No login: the URL is the
key, so a new secret (``property_calendar_secret_renew``) revokes all of a property's feeds
at once, and nothing else about the installation changes.

Feeds carry no personal data: one all-day event per booking that holds units, from arrival
to departure (exclusive, as in iCalendar), with an opaque UID and "Occupied" as summary.
Packages and promotion vouchers hold offers, not rooms, so they appear in the property's
feed only.
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from staydesk.bookings.models import Booking, Kind
from staydesk.bookings.states import HOLDING, Status
from staydesk.catalog.models import Property, RoomType, new_calendar_secret
from staydesk.core import clock

SALT = "staydesk.calendar-feed"
PRODID = "-//Staydesk//Calendar feed//EN"
_TOKEN = re.compile(r"^([pr])([1-9][0-9]{0,17})-([0-9a-f]{40})$")


@dataclass(frozen=True)
class Feed:
    property: Property
    room_type: RoomType | None = None  # None: the whole property

    @property
    def name(self) -> str:
        if self.room_type is None:
            return self.property.name
        return f"{self.property.name} · {self.room_type.name}"


def _signature(prop: Property, subject: str) -> str:
    return salted_hmac(SALT, subject, secret=prop.calendar_secret, algorithm="sha256").hexdigest()[
        :40
    ]


def feed_token(*, property: Property, room_type: RoomType | None = None) -> str:
    subject = f"p{property.pk}" if room_type is None else f"r{room_type.pk}"
    return f"{subject}-{_signature(property, subject)}"


def feed_for_token(token: str) -> Feed | None:
    """The feed a token opens, or None (forged, mangled, or signed with an old secret)."""
    match = _TOKEN.match(token or "")
    if match is None:
        return None
    kind, pk, signature = match.groups()
    if kind == "p":
        prop = Property.objects.select_related("organization").filter(pk=int(pk)).first()
        feed = Feed(property=prop) if prop else None
    else:
        room = RoomType.objects.select_related("property__organization").filter(pk=int(pk)).first()
        feed = Feed(property=room.property, room_type=room) if room else None
    if feed is None or not constant_time_compare(signature, _signature(feed.property, kind + pk)):
        return None
    return feed


def property_calendar_secret_renew(*, property: Property) -> Property:
    """A new secret: every feed URL of the property given out so far stops working."""
    with transaction.atomic():
        property.calendar_secret = new_calendar_secret()
        property.save(update_fields=["calendar_secret"])
    return property


@dataclass(frozen=True)
class Stay:
    booking_id: int
    arrival: dt.date
    departure: dt.date
    status: str
    label: str  # the room type's or the offer's name, never the guest's


def occupied_stays(
    *, property: Property, room_type: RoomType | None, start: dt.date, end: dt.date
) -> list[Stay]:
    """Bookings holding units between ``start`` and ``end``: one query, whatever their number."""
    rows = Booking.objects.filter(
        property=property, status__in=HOLDING, arrival__lt=end, departure__gt=start
    )
    if room_type is not None:
        rows = rows.filter(kind=Kind.ROOM, room_type=room_type)
    fields = ("pk", "arrival", "departure", "status", "kind", "room_type__name", "offer_name")
    return [
        Stay(
            booking_id=pk,
            arrival=arrival,
            departure=departure,
            status=status,
            label=room_name if kind == Kind.ROOM and room_name else offer,
        )
        for pk, arrival, departure, status, kind, room_name, offer in rows.order_by(
            "arrival", "pk"
        ).values_list(*fields)
    ]


def feed_window(today: dt.date) -> tuple[dt.date, dt.date]:
    return (
        today - dt.timedelta(days=settings.STAYDESK_CALENDAR_FEED_PAST_DAYS),
        today + dt.timedelta(days=settings.STAYDESK_CALENDAR_FEED_FUTURE_DAYS),
    )


def _uid(feed: Feed, booking_id: int) -> str:
    """Stable for a booking (clients update, not duplicate), yet says nothing about it."""
    digest = salted_hmac(
        SALT + ".uid", str(booking_id), secret=feed.property.calendar_secret, algorithm="sha256"
    )
    return f"{digest.hexdigest()[:32]}@staydesk"


def feed_ical(feed: Feed) -> bytes:
    """The feed as an iCalendar document, in the organization's language."""
    now = clock.now()
    start, end = feed_window(clock.local_date(feed.property.timezone, now))
    stays = occupied_stays(property=feed.property, room_type=feed.room_type, start=start, end=end)
    with translation.override(feed.property.organization.language):
        cal = Calendar()
        cal.add("prodid", PRODID)
        cal.add("version", "2.0")
        cal.add("calscale", "GREGORIAN")
        cal.add("method", "PUBLISH")
        cal.add("x-wr-calname", _("%(name)s: occupied dates") % {"name": feed.name})
        cal.add("x-wr-timezone", feed.property.timezone)
        cal.add("x-published-ttl", "PT1H")
        for stay in stays:
            event = Event()
            event.add("uid", _uid(feed, stay.booking_id))
            event.add("dtstamp", now)
            event.add("dtstart", stay.arrival)
            event.add("dtend", stay.departure)
            if feed.room_type is None:
                event.add("summary", _("Occupied · %(what)s") % {"what": stay.label})
            else:
                event.add("summary", _("Occupied"))
            # A request the provider has not answered yet holds the room, but may not stay.
            pending = stay.status == Status.PENDING_CONFIRMATION
            event.add("status", "TENTATIVE" if pending else "CONFIRMED")
            event.add("transp", "OPAQUE")
            cal.add_component(event)
    return cal.to_ical()
