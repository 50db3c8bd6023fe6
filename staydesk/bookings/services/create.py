"""Creating a booking: validate, quote, freeze the rules, hold the units, start the timers.

The number of queries does not depend on the number of nights (pinned by a test).
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from staydesk.accounts.models import Agency
from staydesk.bookings.actors import Actor
from staydesk.bookings.deadlines import confirmation_deadline, payment_deadline
from staydesk.bookings.events import event_record
from staydesk.bookings.models import Booking, Kind
from staydesk.bookings.services.holds import hold_units
from staydesk.bookings.states import Action, Status
from staydesk.bookings.timers import timers_schedule
from staydesk.catalog.models import (
    Package,
    Promotion,
    PromotionVariant,
    Property,
    RatePlan,
    RoomType,
)
from staydesk.core import clock
from staydesk.core.errors import DomainError, InvalidInput
from staydesk.core.models import PlatformSettings
from staydesk.core.money import HUNDRED, percent_of
from staydesk.core.phones import normalize_phone
from staydesk.core.text import clean_text
from staydesk.pricing.quotes import NotPriced, Quote, quote_fixed_offer, quote_room_stay
from staydesk.pricing.selectors import cancellation_tiers, price_constructor_get, room_pricing

MAX_NIGHTS = 90
NAME_MAX = Booking._meta.get_field("guest_first_name").max_length
EMAIL_MAX = Booking._meta.get_field("guest_email").max_length
OFFER_NAME_MAX = Booking._meta.get_field("offer_name").max_length
LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


@dataclass(frozen=True)
class GuestDetails:
    first_name: str
    last_name: str
    email: str
    phone: str = ""
    language: str = "en"


@dataclass(frozen=True)
class Offer:
    """The validated thing being sold, whatever its kind."""

    kind: Kind
    name: str
    capacity: int
    max_adults: int
    max_children: int
    departure: dt.date
    room_type: RoomType | None = None
    rate_plan: RatePlan | None = None
    package: Package | None = None
    promotion: Promotion | None = None
    variant: PromotionVariant | None = None
    required_action_text: str = ""


def _guest_text(value: str, *, field: str, max_length: int) -> str:
    try:
        return clean_text(value, field=field, max_length=max_length, required=True)
    except InvalidInput as exc:  # one code for every problem with the guest's details
        raise InvalidInput("invalid_guest", exc.message, field=field) from exc


def clean_guest(guest: GuestDetails, country: str) -> GuestDetails:
    first = _guest_text(guest.first_name, field="guest.first_name", max_length=NAME_MAX)
    last = _guest_text(guest.last_name, field="guest.last_name", max_length=NAME_MAX)
    email = _guest_text(guest.email, field="guest.email", max_length=EMAIL_MAX)
    try:
        validate_email(email)
    except ValidationError as exc:
        raise InvalidInput(
            "invalid_guest", _("Enter a valid email address."), field="guest.email"
        ) from exc
    if guest.language not in LANGUAGE_CODES:
        raise InvalidInput("invalid_language", _("Unsupported language."), field="guest.language")
    phone = normalize_phone(guest.phone, region=country, field="guest.phone")
    return GuestDetails(
        first_name=first, last_name=last, email=email, phone=phone, language=guest.language
    )


def _resolve_offer(
    *,
    prop: Property,
    arrival: dt.date,
    departure: dt.date | None,
    room_type: RoomType | int | None,
    rate_plan: RatePlan | int | None,
    package: Package | int | None,
    variant: PromotionVariant | int | None,
) -> Offer:
    chosen = [x is not None for x in (room_type, package, variant)]
    if sum(chosen) != 1:
        raise InvalidInput(
            "offer_required", _("Choose exactly one room type, package or promotion variant.")
        )

    def pk(obj):
        return getattr(obj, "pk", obj)

    if room_type is not None:
        rt = RoomType.objects.filter(pk=pk(room_type), property=prop).first()
        if rt is None:
            raise InvalidInput("unknown_room_type", _("Unknown room type."), field="room_type")
        if rate_plan is None:
            raise InvalidInput(
                "unknown_rate_plan", _("A rate plan is required."), field="rate_plan"
            )
        rp = RatePlan.objects.filter(pk=pk(rate_plan), property=prop, is_active=True).first()
        if rp is None:
            raise InvalidInput("unknown_rate_plan", _("Unknown rate plan."), field="rate_plan")
        if departure is None:
            raise InvalidInput(
                "invalid_dates", _("A departure date is required."), field="departure"
            )
        return Offer(
            kind=Kind.ROOM,
            name=rt.name,
            capacity=rt.units,
            max_adults=rt.max_adults,
            max_children=rt.max_children,
            departure=departure,
            room_type=rt,
            rate_plan=rp,
        )
    if package is not None:
        pkg = Package.objects.filter(pk=pk(package), property=prop).first()
        if pkg is None:
            raise InvalidInput("unknown_package", _("Unknown package."), field="package")
        return Offer(
            kind=Kind.PACKAGE,
            name=pkg.name,
            capacity=pkg.capacity_per_date,
            max_adults=pkg.max_adults,
            max_children=pkg.max_children,
            departure=_fixed_departure(arrival, departure, pkg.nights),
            package=pkg,
            required_action_text=pkg.required_action_text,
        )
    var = (
        PromotionVariant.objects.select_related("promotion")
        .filter(pk=pk(variant), promotion__property=prop)
        .first()
    )
    if var is None:
        raise InvalidInput("unknown_variant", _("Unknown promotion variant."), field="variant")
    promo = var.promotion
    if (promo.valid_from and arrival < promo.valid_from) or (
        promo.valid_to and arrival > promo.valid_to
    ):
        raise InvalidInput(
            "offer_not_available", _("The promotion is not valid for that date."), field="arrival"
        )
    return Offer(
        kind=Kind.PROMOTION,
        name=f"{promo.name} · {var.name}"[:OFFER_NAME_MAX],
        capacity=var.capacity_per_date,
        max_adults=var.max_adults,
        max_children=var.max_children,
        departure=_fixed_departure(arrival, departure, var.nights),
        promotion=promo,
        variant=var,
        required_action_text=promo.required_action_text,
    )


def _fixed_departure(arrival: dt.date, departure: dt.date | None, nights: int) -> dt.date:
    fixed = arrival + dt.timedelta(days=max(1, nights))
    if departure is not None and departure != fixed:
        raise InvalidInput(
            "invalid_dates",
            _("This offer lasts %(n)s nights: departure must be %(d)s.")
            % {"n": nights, "d": fixed.isoformat()},
            field="departure",
        )
    return fixed


def _check_stay(
    *, prop: Property, offer: Offer, arrival: dt.date, adults: int, children: int, now
) -> None:
    if offer.departure <= arrival:
        raise InvalidInput(
            "invalid_dates", _("Departure must be after arrival."), field="departure"
        )
    if (offer.departure - arrival).days > MAX_NIGHTS:
        raise InvalidInput(
            "stay_too_long",
            _("A stay is at most %(n)s nights.") % {"n": MAX_NIGHTS},
            field="departure",
        )
    if arrival < clock.local_date(prop.timezone, now):
        raise InvalidInput(
            "arrival_in_past", _("The arrival date is in the past."), field="arrival"
        )
    if adults < 1 or children < 0:
        raise InvalidInput("invalid_guests", _("At least one adult is required."), field="adults")
    if adults > offer.max_adults or children > offer.max_children:
        raise InvalidInput(
            "too_many_guests",
            _("This holds at most %(a)s adults and %(c)s children.")
            % {"a": offer.max_adults, "c": offer.max_children},
            field="adults" if adults > offer.max_adults else "children",
        )


def _quote(*, prop: Property, offer: Offer, arrival: dt.date, adults: int, children: int) -> Quote:
    if offer.kind == Kind.ROOM:
        try:
            return quote_room_stay(
                pricing=room_pricing(rate_plan=offer.rate_plan, room_type=offer.room_type),
                currency=prop.currency,
                arrival=arrival,
                departure=offer.departure,
                adults=adults,
                children=children,
            )
        except NotPriced as exc:
            raise DomainError(
                "not_priced",
                _("There is no price for the night of %(d)s in this rate plan.") % {"d": exc.night},
            ) from exc
    price = offer.package.price if offer.kind == Kind.PACKAGE else offer.variant.price
    if price is None:  # erased by a price-constructor reset, not priced again yet
        raise DomainError("not_priced", _("This offer has no price."))
    return quote_fixed_offer(price=price, currency=prop.currency)


def booking_create(
    *,
    property: Property,
    arrival: dt.date,
    adults: int,
    guest: GuestDetails,
    actor: Actor,
    departure: dt.date | None = None,
    children: int = 0,
    room_type: RoomType | int | None = None,
    rate_plan: RatePlan | int | None = None,
    package: Package | int | None = None,
    variant: PromotionVariant | int | None = None,
    promotion: Promotion | int | None = None,
    currency: str | None = None,
    agency: Agency | None = None,
) -> Booking:
    """Create a booking, or raise ``InvalidInput``/``DomainError`` having written nothing."""
    now = clock.now()
    prop = property
    if currency is not None and currency != prop.currency:
        raise InvalidInput(
            "currency_mismatch",
            _("This property sells in %(c)s.") % {"c": prop.currency},
            field="currency",
        )
    if promotion is not None and variant is None:
        raise DomainError(
            "offer_required", _("Choose a variant of the promotion."), field="variant"
        )
    offer = _resolve_offer(
        prop=prop,
        arrival=arrival,
        departure=departure,
        room_type=room_type,
        rate_plan=rate_plan,
        package=package,
        variant=variant,
    )
    promotion_id = getattr(promotion, "pk", promotion)
    if promotion_id is not None and (offer.promotion is None or offer.promotion.pk != promotion_id):
        raise InvalidInput(
            "offer_mismatch", _("That variant is not of that promotion."), field="variant"
        )
    _check_stay(prop=prop, offer=offer, arrival=arrival, adults=adults, children=children, now=now)
    guest = clean_guest(guest, prop.country)
    quote = _quote(prop=prop, offer=offer, arrival=arrival, adults=adults, children=children)
    constructor = price_constructor_get(property=prop)
    platform = PlatformSettings.load()

    # Promotions are vouchers paid in full at purchase; the rest follow the constructor.
    # Promotions are vouchers paid in full at purchase; an agency on account pays nothing up
    # front (SPEC §3 "confirmed: pay at property / agent on account"); the rest follow the
    # price constructor.
    prepaid_offer = offer.kind == Kind.PROMOTION
    if prepaid_offer:
        prepayment_percent = HUNDRED
    elif agency is not None and agency.pays_on_account:
        prepayment_percent = Decimal(0)
    else:
        prepayment_percent = constructor.prepayment_percent
    booking = Booking(
        organization_id=prop.organization_id,
        property=prop,
        kind=offer.kind,
        room_type=offer.room_type,
        rate_plan=offer.rate_plan,
        package=offer.package,
        promotion=offer.promotion,
        variant=offer.variant,
        agency=agency,
        arrival=arrival,
        departure=offer.departure,
        adults=adults,
        children=children,
        guest_first_name=guest.first_name,
        guest_last_name=guest.last_name,
        guest_email=guest.email,
        guest_phone=guest.phone,
        guest_language=guest.language,
        booked_at=now,
        currency=prop.currency,
        total=quote.total,
        nightly_prices=[[night.isoformat(), str(price)] for night, price in quote.nightly],
        prepayment_percent=prepayment_percent,
        min_prepayment=percent_of(quote.total, prepayment_percent, prop.currency),
        payment_limit_hours=constructor.payment_limit_hours,
        payment_days_before_arrival=constructor.payment_days_before_arrival,
        cancellation_tiers=[
            t.as_json()
            for t in cancellation_tiers(constructor=constructor, rate_plan=offer.rate_plan)
        ],
        provider_may_cancel=constructor.provider_may_cancel,
        rate_plan_name=offer.rate_plan.name if offer.rate_plan else "",
        offer_name=offer.name,
        required_action_text=offer.required_action_text,
    )
    if prepaid_offer:
        booking.status = Status.AWAITING_PAYMENT
        booking.confirmed_at = now
        booking.pay_by = now + dt.timedelta(minutes=settings.STAYDESK_PROMOTION_CHECKOUT_MINUTES)
    elif prop.booking_mode == Property.BookingMode.INSTANT:
        apply_confirmation(booking, now)
    else:
        booking.status = Status.PENDING_CONFIRMATION
        booking.confirm_by = confirmation_deadline(
            booked_at=now,
            window_hours=platform.confirmation_window_hours,
            arrival_start=clock.local_datetime(prop.timezone, arrival, prop.check_in_time),
        )

    with transaction.atomic():
        booking.save(force_insert=True)
        hold_units(booking, capacity=offer.capacity)
        event_record(
            booking=booking,
            action=Action.CREATE,
            actor=actor,
            data={"total": str(booking.total), "currency": booking.currency},
        )
        timers_schedule(booking)
    return booking


def apply_confirmation(booking: Booking, now: dt.datetime) -> list[str]:
    """Set what confirming decides: awaiting payment (with a deadline) or plainly confirmed."""
    booking.confirmed_at = now
    if booking.min_prepayment > Decimal(0):
        booking.status = Status.AWAITING_PAYMENT
        booking.pay_by = payment_deadline(
            confirmed_at=now,
            limit_hours=booking.payment_limit_hours,
            days_before_arrival=booking.payment_days_before_arrival,
            arrival_start=clock.local_datetime(
                booking.property.timezone, booking.arrival, booking.property.check_in_time
            ),
        )
    else:
        booking.status = Status.CONFIRMED
    return ["confirmed_at", "pay_by"]
