"""The record of a used one-click link (see ``staydesk.bookings.one_click``).

Links themselves are never stored: they are signed. Only their first use is, with the link's
random id as unique key, so the database refuses a second use even when two arrive at once.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OneClickUse(models.Model):
    token_id = models.CharField(_("link id"), max_length=32, unique=True)
    booking = models.ForeignKey(
        "bookings.Booking", on_delete=models.CASCADE, related_name="one_click_uses"
    )
    action = models.CharField(_("action"), max_length=10)
    used_at = models.DateTimeField(_("used at"))

    class Meta:
        verbose_name = _("used one-click link")
        verbose_name_plural = _("used one-click links")

    def __str__(self) -> str:
        return f"{self.booking_id} {self.action} {self.token_id}"
