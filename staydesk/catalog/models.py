"""What is booked: properties, room types, rate plans, packages, promotions and variants."""

import datetime as dt
import secrets
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from staydesk.accounts.models import Organization
from staydesk.core.money import is_known_currency


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("Unknown timezone: %(tz)s"), params={"tz": value})


def validate_currency(value: str) -> None:
    if not is_known_currency(value):
        raise ValidationError(_("Unknown ISO 4217 currency: %(c)s"), params={"c": value})


def new_calendar_secret() -> str:
    return secrets.token_urlsafe(32)


class Property(models.Model):
    class BookingMode(models.TextChoices):
        REQUEST = "request", _("Request to book (provider confirms)")
        INSTANT = "instant", _("Instant booking")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="properties"
    )
    name = models.CharField(_("name"), max_length=200)
    address = models.TextField(_("address"))
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166 code, e.g. PL."))
    timezone = models.CharField(
        _("timezone"), max_length=64, default="UTC", validators=[validate_timezone]
    )
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    languages = models.JSONField(_("languages"), default=list, blank=True)
    check_in_time = models.TimeField(_("check-in from"), default=dt.time(14, 0))
    check_out_time = models.TimeField(_("check-out until"), default=dt.time(11, 0))
    booking_mode = models.CharField(
        _("booking mode"), max_length=10, choices=BookingMode.choices, default=BookingMode.REQUEST
    )
    # Contact details reach the guest only once the booking is paid (SPEC §6).
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    website = models.URLField(_("website"), blank=True)
    # The key of the property's calendar feed URLs (inventory.calendar_feed); a new one
    # revokes every old URL at once.
    calendar_secret = models.CharField(max_length=64, default=new_calendar_secret, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("property")
        verbose_name_plural = _("properties")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RoomType(models.Model):
    property = models.ForeignKey(Property, on_delete=models.CASCADE, related_name="room_types")
    name = models.CharField(_("name"), max_length=200)
    units = models.PositiveIntegerField(
        _("units"), help_text=_("How many rooms of this type can be sold per night.")
    )
    max_adults = models.PositiveSmallIntegerField(
        _("max adults"), validators=[MinValueValidator(1)]
    )
    max_children = models.PositiveSmallIntegerField(_("max children"), default=0)

    class Meta:
        verbose_name = _("room type")
        verbose_name_plural = _("room types")
        ordering = ["property", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_adults__gte=1), name="room_type_max_adults_min_1"
            )
        ]

    def __str__(self) -> str:
        return f"{self.property.name} · {self.name}"


class RatePlan(models.Model):
    """A named price plan ("master rate"): nightly prices per room type plus extra-guest charges.

    The price for a night is the override covering that night, else the plan's base price for
    the room type. ``included_adults`` guests are in the base price; each further adult and
    every child pays the extra charge per night.
    """

    property = models.ForeignKey(Property, on_delete=models.CASCADE, related_name="rate_plans")
    name = models.CharField(_("name"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)
    included_adults = models.PositiveSmallIntegerField(_("adults included in the price"), default=2)
    extra_adult_price = models.DecimalField(
        _("extra adult per night"), max_digits=12, decimal_places=3, default=0
    )
    extra_child_price = models.DecimalField(
        _("child per night"), max_digits=12, decimal_places=3, default=0
    )

    class Meta:
        verbose_name = _("rate plan")
        verbose_name_plural = _("rate plans")
        ordering = ["property", "name"]
        constraints = [
            models.UniqueConstraint(fields=["property", "name"], name="rate_plan_unique_name"),
            models.CheckConstraint(
                condition=Q(extra_adult_price__gte=0, extra_child_price__gte=0),
                name="rate_plan_extra_prices_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.property.name} · {self.name}"


class RatePrice(models.Model):
    """The base nightly price of a room type in a rate plan."""

    rate_plan = models.ForeignKey(RatePlan, on_delete=models.CASCADE, related_name="prices")
    room_type = models.ForeignKey(RoomType, on_delete=models.CASCADE, related_name="rate_prices")
    price = models.DecimalField(_("price per night"), max_digits=12, decimal_places=3)

    class Meta:
        verbose_name = _("nightly price")
        verbose_name_plural = _("nightly prices")
        constraints = [
            models.UniqueConstraint(fields=["rate_plan", "room_type"], name="rate_price_unique"),
            models.CheckConstraint(condition=Q(price__gte=0), name="rate_price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.rate_plan} · {self.room_type.name}: {self.price}"


class RatePriceOverride(models.Model):
    """A different nightly price for the nights ``start`` … ``end`` (both included)."""

    rate_plan = models.ForeignKey(RatePlan, on_delete=models.CASCADE, related_name="overrides")
    room_type = models.ForeignKey(RoomType, on_delete=models.CASCADE, related_name="rate_overrides")
    start = models.DateField(_("first night"))
    end = models.DateField(_("last night"))
    price = models.DecimalField(_("price per night"), max_digits=12, decimal_places=3)

    class Meta:
        verbose_name = _("price override")
        verbose_name_plural = _("price overrides")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")), name="override_end_after_start"
            ),
            models.CheckConstraint(condition=Q(price__gte=0), name="override_price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.rate_plan} {self.start}…{self.end}: {self.price}"


class Offer(models.Model):
    """What packages and promotion variants share: a fixed price, a length, a daily capacity."""

    name = models.CharField(_("name"), max_length=200)
    # Blank after a price-constructor reset: the offer is not sold until priced again.
    price = models.DecimalField(_("price"), max_digits=12, decimal_places=3, null=True, blank=True)
    nights = models.PositiveSmallIntegerField(_("nights"), default=1)
    capacity_per_date = models.PositiveIntegerField(
        _("capacity per start date"), help_text=_("How many can start on the same date.")
    )
    max_adults = models.PositiveSmallIntegerField(
        _("max adults"), default=2, validators=[MinValueValidator(1)]
    )
    max_children = models.PositiveSmallIntegerField(_("max children"), default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name


class Package(Offer):
    """A tour package ("путевка"): booked for a start date, on request or instantly."""

    property = models.ForeignKey(Property, on_delete=models.CASCADE, related_name="packages")
    description = models.TextField(_("description"), blank=True)
    required_action_text = models.TextField(
        _("required action"),
        blank=True,
        help_text=_("How to redeem, e.g. sign the travel contract."),
    )

    class Meta:
        verbose_name = _("package")
        verbose_name_plural = _("packages")
        ordering = ["property", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(price__gte=0), name="package_price_not_negative")
        ]


class Promotion(models.Model):
    """A deal sold as a prepaid voucher. ``public_id`` is the promotion ID providers filter by."""

    property = models.ForeignKey(Property, on_delete=models.CASCADE, related_name="promotions")
    public_id = models.CharField(_("promotion ID"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    required_action_text = models.TextField(
        _("required action"),
        help_text=_("How to redeem the voucher, shown in red on it until done."),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        verbose_name = _("promotion")
        verbose_name_plural = _("promotions")
        ordering = ["property", "public_id"]

    def __str__(self) -> str:
        return f"{self.public_id} · {self.name}"


class PromotionVariant(Offer):
    promotion = models.ForeignKey(Promotion, on_delete=models.CASCADE, related_name="variants")

    class Meta:
        verbose_name = _("promotion variant")
        verbose_name_plural = _("promotion variants")
        ordering = ["promotion", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(price__gte=0), name="variant_price_not_negative")
        ]

    def __str__(self) -> str:
        return f"{self.promotion.public_id} · {self.name}"


LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
