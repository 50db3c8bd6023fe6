from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

PERCENT_VALIDATORS = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


class PlatformSettings(models.Model):
    """The operator's knobs for the whole installation: one row, edited in the admin."""

    transfer_fee_percent = models.DecimalField(
        _("transfer fee %"),
        max_digits=5,
        decimal_places=2,
        validators=PERCENT_VALIDATORS,
        help_text=_("Deducted from a guest's refund when the guest cancels."),
    )
    commission_percent = models.DecimalField(
        _("platform commission %"),
        max_digits=5,
        decimal_places=2,
        validators=PERCENT_VALIDATORS,
        help_text=_("Kept by the platform from each payout to a provider."),
    )
    confirmation_window_hours = models.PositiveIntegerField(
        _("confirmation window (hours)"),
        validators=[MinValueValidator(1)],
        help_text=_("How long a provider has to answer a booking request."),
    )

    class Meta:
        verbose_name = _("platform settings")
        verbose_name_plural = _("platform settings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(transfer_fee_percent__gte=0, transfer_fee_percent__lte=100),
                name="platform_fee_percent_range",
            ),
            models.CheckConstraint(
                condition=models.Q(commission_percent__gte=0, commission_percent__lte=100),
                name="platform_commission_percent_range",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Platform settings"))

    @classmethod
    def defaults(cls) -> "PlatformSettings":
        return cls(
            pk=1,
            transfer_fee_percent=settings.STAYDESK_DEFAULT_TRANSFER_FEE_PERCENT,
            commission_percent=settings.STAYDESK_DEFAULT_COMMISSION_PERCENT,
            confirmation_window_hours=settings.STAYDESK_DEFAULT_CONFIRMATION_WINDOW_HOURS,
        )

    @classmethod
    def load(cls) -> "PlatformSettings":
        """The single row (made by migration core/0002); never writes.

        If an operator deleted it, the settings' defaults apply until the admin saves it again.
        """
        return cls.objects.filter(pk=1).first() or cls.defaults()
