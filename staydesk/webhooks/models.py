"""Webhook endpoints, the events made for them, one delivery per (event, endpoint), and every
attempt of a delivery with its response (DESIGN §8)."""

import base64
import secrets

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from staydesk.accounts.models import Agency, Organization
from staydesk.bookings.models import Booking
from staydesk.core import clock
from staydesk.core.outbox import OutboxItem
from staydesk.webhooks.ids import new_event_id, new_message_id
from staydesk.webhooks.types import EventType

SECRET_PREFIX = "whsec_"  # noqa: S105 (a prefix, not a secret)


def new_secret() -> str:
    """``whsec_`` and 32 random bytes in base64, as the Standard Webhooks libraries read it."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode("ascii")


class DisabledReason(models.TextChoices):
    OWNER = "owner", _("Disabled by its owner")
    GONE = "gone", _("The receiver answered 410 Gone")
    FAILING = "failing", _("Deliveries kept failing")


class WebhookEndpoint(models.Model):
    """A receiver's URL, owned by exactly one organization or agency."""

    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="webhook_endpoints",
    )
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    url = models.CharField(_("URL"), max_length=2000)
    description = models.CharField(_("description"), max_length=200, blank=True)
    events = models.JSONField(_("events"), default=list)
    secret = models.CharField(_("secret"), max_length=100, default=new_secret)
    # After a rotation the old secret signs too, until then (receivers switch over meanwhile).
    previous_secret = models.CharField(max_length=100, blank=True)
    previous_secret_until = models.DateTimeField(null=True, blank=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    disabled_at = models.DateTimeField(_("disabled at"), null=True, blank=True)
    disabled_reason = models.CharField(
        _("disabled because"), max_length=16, choices=DisabledReason.choices, blank=True
    )
    # Start of the current run of failed attempts; cleared by the first success.
    failing_since = models.DateTimeField(_("failing since"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=clock.now)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(organization__isnull=False, agency__isnull=True)
                    | Q(organization__isnull=True, agency__isnull=False)
                ),
                name="webhook_endpoint_has_exactly_one_owner",
            )
        ]

    def __str__(self) -> str:
        return self.url

    @property
    def owner(self) -> Organization | Agency:
        return self.organization or self.agency

    @property
    def audience(self) -> str:
        """Whose view of a booking the payloads show (see ``WebhookEvent.audience``)."""
        if self.organization_id:
            return f"organization:{self.organization_id}"
        return f"agency:{self.agency_id}"

    @property
    def secret_hint(self) -> str:
        return self.secret[: len(SECRET_PREFIX) + 4] + "…"


class WebhookEvent(models.Model):
    """The payload of one event as one audience sees it, made once and sent as it is.

    ``source`` names what caused it (``booking_event:<id>``, ``message:<id>``, ``ping:<id>``);
    ``audience`` is ``organization:<id>`` or ``agency:<id>``: the booking in the payload is
    shown as that owner sees it through the API (its allowed actions differ). The body is
    kept as the exact text sent, so every attempt carries the same bytes.
    """

    id = models.CharField(primary_key=True, max_length=40, default=new_event_id, editable=False)
    type = models.CharField(_("type"), max_length=40, choices=EventType.choices)
    source = models.CharField(max_length=80)
    audience = models.CharField(max_length=40)
    booking = models.ForeignKey(
        Booking, null=True, blank=True, on_delete=models.CASCADE, related_name="webhook_events"
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now)
    body = models.TextField(_("payload"))

    class Meta:
        verbose_name = _("webhook event")
        verbose_name_plural = _("webhook events")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "type", "audience"], name="webhook_event_once_per_audience"
            )
        ]

    def __str__(self) -> str:
        return f"{self.id} {self.type}"


class WebhookDelivery(OutboxItem):
    """One event for one endpoint. ``message_id`` is the ``webhook-id`` header: the same on
    every attempt and every manual redelivery, so receivers can drop duplicates."""

    message_id = models.CharField(
        _("webhook-id"), max_length=40, unique=True, default=new_message_id, editable=False
    )
    event = models.ForeignKey(WebhookEvent, on_delete=models.CASCADE, related_name="deliveries")
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "endpoint"], name="webhook_delivery_once_per_endpoint"
            )
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due"),
            models.Index(fields=["endpoint", "-created_at"], name="webhook_delivery_endpoint"),
        ]

    def __str__(self) -> str:
        return f"{self.message_id} → {self.endpoint_id}"


class WebhookAttempt(models.Model):
    """One HTTP request of a delivery (or the refusal to make it) and what came back."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    started_at = models.DateTimeField(_("started at"))
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    url = models.CharField(_("URL"), max_length=2000)
    status_code = models.PositiveSmallIntegerField(_("status code"), null=True, blank=True)
    response_excerpt = models.TextField(_("response (start)"), blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")
        ordering = ["started_at", "id"]

    def __str__(self) -> str:
        return f"{self.delivery_id} {self.status_code or self.error[:40]}"

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300
