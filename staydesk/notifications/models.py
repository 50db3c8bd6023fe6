"""Notifications: one row per email or SMS to one recipient, rendered when it is created.

The row is an outbox item (staydesk.core.outbox): written after the event committed, sent by
a task, retried with backoff. Subject and bodies are rendered at fan-out time, so what is sent
and what the provider sees in the log are the same text, whatever changes later.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from staydesk.accounts.models import Agency, Organization
from staydesk.bookings.models import Booking, BookingEvent
from staydesk.core.outbox import OutboxItem
from staydesk.messaging.models import Message


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")


class RecipientKind(models.TextChoices):
    PROVIDER = "provider", _("Provider")
    GUEST = "guest", _("Guest")
    AGENCY = "agency", _("Travel agency")


class Notification(OutboxItem):
    # Whose it is (for scoping): the organization, or the agency for an agency's own notices.
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    booking = models.ForeignKey(
        Booking, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.ForeignKey(
        BookingEvent, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    recipient = models.CharField(_("recipient"), max_length=254)
    recipient_kind = models.CharField(
        _("recipient kind"), max_length=10, choices=RecipientKind.choices
    )
    template = models.CharField(_("template"), max_length=64)
    language = models.CharField(_("language"), max_length=8)
    # The sender's display name (the property's name); the address is DEFAULT_FROM_EMAIL's.
    from_name = models.CharField(_("sender name"), max_length=200, blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    # What makes this notification unique (event/message, template, channel, recipient):
    # a fan-out that runs twice finds the row and creates nothing.
    dedupe_key = models.CharField(max_length=255, unique=True, editable=False)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["booking", "created_at"], name="notification_booking"),
            models.Index(fields=["status", "next_attempt_at"], name="notification_due"),
        ]

    def __str__(self) -> str:
        return f"{self.template} → {self.recipient} ({self.status})"
