"""Bookings and their audit trail.

A booking freezes everything it was sold under (price, prepayment, payment limit,
cancellation tiers, names of plan and offer): the price constructor can change or be reset
later without touching it. A database trigger (migration 0002) refuses any change of the
frozen columns, so no code path can ever change a booking's total.
"""

import builtins
import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from staydesk.accounts.models import Agency, Organization
from staydesk.bookings.models_one_click import OneClickUse  # noqa: F401
from staydesk.bookings.states import Action, ActorKind, CancellationType, Status
from staydesk.catalog.models import (
    Package,
    Promotion,
    PromotionVariant,
    Property,
    RatePlan,
    RoomType,
)

# Columns the database refuses to change once the booking exists.
FROZEN_FIELDS = (
    "code",
    "organization_id",
    "property_id",
    "kind",
    "currency",
    "total",
    "min_prepayment",
    "prepayment_percent",
    "payment_limit_hours",
    "payment_days_before_arrival",
    "cancellation_tiers",
    "provider_may_cancel",
    "arrival",
    "departure",
    "booked_at",
    # What was sold (the units held follow these) and for whom: a new request, never an edit.
    "room_type_id",
    "rate_plan_id",
    "package_id",
    "promotion_id",
    "variant_id",
    "nightly_prices",
    "adults",
    "children",
)

# Unambiguous upper-case letters and digits (no 0/O, 1/I/L) for codes read over the phone.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_booking_code() -> str:
    return "SD" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


def new_guest_nonce() -> str:
    return secrets.token_urlsafe(16)


class Kind(models.TextChoices):
    ROOM = "room", _("Room")
    PACKAGE = "package", _("Package")
    PROMOTION = "promotion", _("Promotion voucher")


class Booking(models.Model):
    code = models.CharField(_("booking code"), max_length=16, unique=True, default=new_booking_code)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="bookings"
    )
    property = models.ForeignKey(Property, on_delete=models.PROTECT, related_name="bookings")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=24, choices=Status.choices, db_index=True)

    room_type = models.ForeignKey(
        RoomType, null=True, blank=True, on_delete=models.PROTECT, related_name="bookings"
    )
    rate_plan = models.ForeignKey(
        RatePlan, null=True, blank=True, on_delete=models.PROTECT, related_name="bookings"
    )
    package = models.ForeignKey(
        Package, null=True, blank=True, on_delete=models.PROTECT, related_name="bookings"
    )
    promotion = models.ForeignKey(
        Promotion, null=True, blank=True, on_delete=models.PROTECT, related_name="bookings"
    )
    variant = models.ForeignKey(
        PromotionVariant, null=True, blank=True, on_delete=models.PROTECT, related_name="bookings"
    )
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="bookings"
    )

    arrival = models.DateField(_("arrival"))
    departure = models.DateField(_("departure"))
    adults = models.PositiveSmallIntegerField(_("adults"))
    children = models.PositiveSmallIntegerField(_("children"), default=0)

    guest_first_name = models.CharField(_("guest first name"), max_length=100)
    guest_last_name = models.CharField(_("guest last name"), max_length=100)
    guest_email = models.EmailField(_("guest email"))
    guest_phone = models.CharField(_("guest phone"), max_length=20, blank=True)
    guest_language = models.CharField(
        _("guest language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    # Random per booking; the guest's secret link is an HMAC over code and nonce (never stored).
    guest_nonce = models.CharField(max_length=32, default=new_guest_nonce, editable=False)

    booked_at = models.DateTimeField(_("booked at"), db_index=True)
    # --- frozen at creation -----------------------------------------------------------------
    currency = models.CharField(_("currency"), max_length=3)
    total = models.DecimalField(_("total"), max_digits=12, decimal_places=3)
    nightly_prices = models.JSONField(_("nightly prices"), default=list, blank=True)
    prepayment_percent = models.DecimalField(_("prepayment %"), max_digits=5, decimal_places=2)
    min_prepayment = models.DecimalField(_("minimum prepayment"), max_digits=12, decimal_places=3)
    payment_limit_hours = models.PositiveIntegerField(_("payment time limit (hours)"))
    payment_days_before_arrival = models.PositiveIntegerField(null=True, blank=True)
    cancellation_tiers = models.JSONField(_("cancellation tiers"), default=list)
    provider_may_cancel = models.BooleanField(_("provider may cancel"))
    rate_plan_name = models.CharField(_("rate plan"), max_length=200, blank=True)
    offer_name = models.CharField(_("accommodation / offer"), max_length=200)
    # --- deadlines --------------------------------------------------------------------------
    confirm_by = models.DateTimeField(_("confirm by"), null=True, blank=True, db_index=True)
    pay_by = models.DateTimeField(_("pay by"), null=True, blank=True, db_index=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    voucher_issued_at = models.DateTimeField(_("voucher issued at"), null=True, blank=True)
    # --- required action (vouchers) ---------------------------------------------------------
    required_action_text = models.TextField(_("required action"), blank=True)
    required_action_done_at = models.DateTimeField(
        _("required action done at"), null=True, blank=True
    )
    required_action_done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # --- cancellation -----------------------------------------------------------------------
    cancellation_type = models.CharField(
        _("cancellation type"), max_length=40, blank=True, choices=CancellationType.choices
    )
    cancellation_reason = models.TextField(_("cancellation reason"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["booked_at", "id"]
        indexes = [
            models.Index(fields=["organization", "booked_at"], name="booking_org_booked"),
            models.Index(fields=["organization", "arrival"], name="booking_org_arrival"),
            models.Index(fields=["organization", "departure"], name="booking_org_departure"),
            models.Index(fields=["organization", "status"], name="booking_org_status"),
            models.Index(fields=["organization", "guest_last_name"], name="booking_org_last_name"),
            models.Index(fields=["agency", "booked_at"], name="booking_agency_booked"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(departure__gt=F("arrival")), name="booking_departure_after_arrival"
            ),
            models.CheckConstraint(condition=Q(adults__gte=1), name="booking_at_least_one_adult"),
            models.CheckConstraint(condition=Q(total__gte=0), name="booking_total_not_negative"),
            models.CheckConstraint(
                condition=Q(min_prepayment__gte=0, min_prepayment__lte=F("total")),
                name="booking_min_prepayment_within_total",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind=Kind.ROOM, room_type__isnull=False, rate_plan__isnull=False)
                    | Q(kind=Kind.PACKAGE, package__isnull=False)
                    | Q(kind=Kind.PROMOTION, promotion__isnull=False, variant__isnull=False)
                ),
                name="booking_kind_has_its_offer",
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="booking_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.code

    # ``property`` is a field here, so the decorator is spelled in full.
    @builtins.property
    def guest_full_name(self) -> str:
        return f"{self.guest_first_name} {self.guest_last_name}".strip()

    @builtins.property
    def deadline(self):
        """The deadline the booking is waiting on now: to be confirmed, or to be paid."""
        return {
            Status.PENDING_CONFIRMATION: self.confirm_by,
            Status.AWAITING_PAYMENT: self.pay_by,
        }.get(self.status)

    @builtins.property
    def nights(self) -> int:
        return (self.departure - self.arrival).days


class BookingEvent(models.Model):
    """The audit trail: who did what to a booking, when, from which status to which, and why.

    One row per action. It feeds the booking's history, the chat's system messages,
    notifications and webhooks. Rows are never changed.
    """

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="events")
    created_at = models.DateTimeField(_("at"), db_index=True)
    action = models.CharField(_("action"), max_length=32, choices=Action.choices)
    from_status = models.CharField(_("from"), max_length=24, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=24, choices=Status.choices)
    actor_kind = models.CharField(_("actor"), max_length=10, choices=ActorKind.choices)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(_("actor name"), max_length=200, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("booking event")
        verbose_name_plural = _("booking events")
        ordering = ["created_at", "id"]
        constraints = [
            # A reminder is recorded once per booking, however many timers and sweeps race.
            models.UniqueConstraint(
                fields=["booking", "action"],
                condition=Q(
                    action__in=[
                        Action.REMINDER_HALF,
                        Action.REMINDER_FINAL,
                        Action.EXPIRE,
                        Action.CREATE,
                    ]
                ),
                name="booking_event_once_per_booking",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.booking_id} {self.action} {self.from_status}→{self.to_status}"
