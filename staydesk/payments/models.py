"""The ledger: every movement of money for a booking is one row; amounts are always positive.

What a guest has paid is derived from it: payments - refunds (see ``selectors.paid_amount``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from staydesk.bookings.models import Booking


class LedgerEntry(models.Model):
    class Kind(models.TextChoices):
        PAYMENT = "payment", _("Payment from guest")
        REFUND = "refund", _("Refund to guest")
        TRANSFER_FEE = "transfer_fee", _("Transfer fee")
        PAYOUT = "payout", _("Payout to provider")
        COMMISSION = "commission", _("Platform commission")

    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="ledger_entries")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=3)
    currency = models.CharField(_("currency"), max_length=3)
    reference = models.CharField(_("reference"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="ledger_amount_positive"),
            # A payment reference (from the payment provider) is recorded once per booking,
            # so a retried notification of the same payment never counts twice.
            models.UniqueConstraint(
                fields=["booking", "reference"],
                condition=Q(kind="payment") & ~Q(reference=""),
                name="ledger_payment_reference_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} {self.currency}"
