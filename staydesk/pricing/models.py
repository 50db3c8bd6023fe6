"""The price constructor: a property's prepayment, payment limits and cancellation rules."""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from staydesk.catalog.models import Property, RatePlan
from staydesk.core.models import PERCENT_VALIDATORS


class PriceConstructor(models.Model):
    property = models.OneToOneField(
        Property, on_delete=models.CASCADE, related_name="price_constructor"
    )
    prepayment_percent = models.DecimalField(
        _("minimum prepayment %"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(0),
        validators=PERCENT_VALIDATORS,
        help_text=_("0 means no prepayment: the guest pays at the property."),
    )
    payment_limit_hours = models.PositiveIntegerField(
        _("payment time limit (hours after confirmation)"), default=48
    )
    payment_days_before_arrival = models.PositiveIntegerField(
        _("pay at the latest N days before arrival"), null=True, blank=True
    )
    provider_may_cancel = models.BooleanField(
        _("provider may cancel confirmed bookings"),
        default=True,
        help_text=_("With a cancellation type and reason; the guest gets a full refund."),
    )

    class Meta:
        verbose_name = _("price constructor")
        verbose_name_plural = _("price constructors")
        constraints = [
            models.CheckConstraint(
                condition=Q(prepayment_percent__gte=0, prepayment_percent__lte=100),
                name="constructor_prepayment_percent_range",
            )
        ]

    def __str__(self) -> str:
        return str(_("Price constructor of %(property)s") % {"property": self.property.name})


class CancellationTier(models.Model):
    """At least ``days_before`` days before arrival, ``refund_percent`` of the total is refundable.

    Tiers with a rate plan apply to that plan only; tiers without one are the property's default.
    """

    constructor = models.ForeignKey(
        PriceConstructor, on_delete=models.CASCADE, related_name="tiers"
    )
    rate_plan = models.ForeignKey(
        RatePlan, null=True, blank=True, on_delete=models.CASCADE, related_name="cancellation_tiers"
    )
    days_before = models.PositiveIntegerField(_("at least N days before arrival"))
    refund_percent = models.DecimalField(
        # xgettext:no-python-format
        _("refundable % of total"),
        max_digits=5,
        decimal_places=2,
        validators=PERCENT_VALIDATORS,
    )

    class Meta:
        verbose_name = _("cancellation tier")
        verbose_name_plural = _("cancellation tiers")
        ordering = ["-days_before"]
        constraints = [
            models.CheckConstraint(
                condition=Q(refund_percent__gte=0, refund_percent__lte=100),
                name="tier_refund_percent_range",
            ),
            models.UniqueConstraint(
                fields=["constructor", "rate_plan", "days_before"], name="tier_unique_days"
            ),
        ]

    def __str__(self) -> str:
        return f"≥{self.days_before} d → {self.refund_percent} %"
