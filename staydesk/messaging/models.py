"""The conversation of a booking: one thread, the provider on one side and the guest (or the
travel agency that booked for the guest) on the other, with system messages for every status
change. Messages are never edited: once sent, only the read marks of each side are set."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from staydesk.bookings.models import Booking, BookingEvent


class SenderKind(models.TextChoices):
    PROVIDER = "provider", _("Provider")
    GUEST = "guest", _("Guest")
    AGENCY = "agency", _("Travel agency")
    SYSTEM = "system", _("System")


class Side(models.TextChoices):
    """Who reads: the provider, or the guest's side (the guest and the agency share it)."""

    PROVIDER = "provider", _("Provider")
    GUEST = "guest", _("Guest")


# Whose messages each side has to read; system messages count for nobody.
INCOMING = {
    Side.PROVIDER: (SenderKind.GUEST, SenderKind.AGENCY),
    Side.GUEST: (SenderKind.PROVIDER,),
}
READ_FIELD = {Side.PROVIDER: "read_by_provider_at", Side.GUEST: "read_by_guest_at"}


class Message(models.Model):
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="messages")
    sender_kind = models.CharField(_("sender"), max_length=10, choices=SenderKind.choices)
    sender_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sender_label = models.CharField(_("sender name"), max_length=200, blank=True)
    # Empty for system messages: their text is made from the event, in the reader's language.
    body = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("sent at"))
    event = models.OneToOneField(
        BookingEvent,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="system_message",
    )
    read_by_provider_at = models.DateTimeField(_("read by provider"), null=True, blank=True)
    read_by_guest_at = models.DateTimeField(_("read by guest"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["booking", "created_at"], name="message_booking_created"),
            # The unread counts of the dashboard and the grid.
            models.Index(
                fields=["booking"],
                condition=Q(read_by_provider_at__isnull=True),
                name="message_unread_by_provider",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(sender_kind__in=SenderKind.values), name="message_sender_valid"
            ),
            # A system message is an event's; a person's message is never one.
            models.CheckConstraint(
                condition=Q(sender_kind=SenderKind.SYSTEM, event__isnull=False)
                | (~Q(sender_kind=SenderKind.SYSTEM) & Q(event__isnull=True)),
                name="message_system_iff_event",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.booking_id} {self.sender_kind} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_system(self) -> bool:
        return self.sender_kind == SenderKind.SYSTEM

    @property
    def text(self) -> str:
        """What the message says, in the active language for system messages."""
        if self.event_id is None:
            return self.body
        from staydesk.messaging.system_messages import system_text

        return system_text(self.event)
