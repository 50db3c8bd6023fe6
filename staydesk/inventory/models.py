"""Per-night counters of sold units. The CHECK constraint is what makes overselling impossible."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class StockNight(models.Model):
    """How many units of one sellable resource are held on one date.

    ``resource`` names what is counted: ``room:<id>`` per night of a stay, ``package:<id>`` and
    ``variant:<id>`` per start date. ``capacity`` is copied from the resource so the database
    can check ``held <= capacity`` on every UPDATE: a second booking of the last unit fails in
    the database, whatever the concurrency.
    """

    resource = models.CharField(_("resource"), max_length=32)
    date = models.DateField(_("date"))
    capacity = models.PositiveIntegerField(_("capacity"))
    held = models.PositiveIntegerField(_("held"), default=0)

    class Meta:
        verbose_name = _("stock night")
        verbose_name_plural = _("stock nights")
        constraints = [
            models.UniqueConstraint(fields=["resource", "date"], name="stock_night_unique"),
            models.CheckConstraint(condition=Q(held__gte=0), name="stock_held_not_negative"),
            models.CheckConstraint(
                condition=Q(held__lte=F("capacity")), name="stock_never_oversold"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resource} {self.date}: {self.held}/{self.capacity}"
