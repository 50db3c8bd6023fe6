"""Writes of webhooks: endpoints (create, change, rotate, disable, delete), a test ping, and
a manual redelivery. Keyword-only; callers (API, UI, admin) pass the owner they act for."""

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from staydesk.accounts.models import Agency, Organization
from staydesk.core import clock
from staydesk.core.errors import DomainError, InvalidInput
from staydesk.core.outbox import OutboxStatus
from staydesk.core.text import clean_text
from staydesk.webhooks import payloads
from staydesk.webhooks.fanout import delivery_queue
from staydesk.webhooks.guard import url_check
from staydesk.webhooks.ids import new_event_id
from staydesk.webhooks.models import (
    DisabledReason,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
    new_secret,
)
from staydesk.webhooks.types import SUBSCRIBABLE, EventType

logger = logging.getLogger(__name__)

MAX_DESCRIPTION = 200


def events_check(events: list[str] | None) -> list[str]:
    chosen = list(dict.fromkeys(str(e).strip() for e in (events or [])))
    if not chosen:
        raise InvalidInput("invalid_events", _("Choose at least one event."), field="events")
    unknown = [e for e in chosen if e not in SUBSCRIBABLE]
    if unknown:
        raise InvalidInput(
            "invalid_events",
            _("Unknown event types: %(unknown)s. Known: %(known)s.")
            % {"unknown": ", ".join(unknown), "known": ", ".join(SUBSCRIBABLE)},
            field="events",
        )
    return [e for e in SUBSCRIBABLE if e in chosen]  # a stable order


def _description(text: str) -> str:
    return clean_text(text or "", field="description", max_length=MAX_DESCRIPTION, required=False)


def endpoint_create(
    *,
    organization: Organization | None = None,
    agency: Agency | None = None,
    url: str,
    events: list[str],
    description: str = "",
) -> WebhookEndpoint:
    if (organization is None) == (agency is None):
        raise ValueError("An endpoint has exactly one owner: an organization or an agency.")
    return WebhookEndpoint.objects.create(
        organization=organization,
        agency=agency,
        url=url_check(url),
        events=events_check(events),
        description=_description(description),
        created_at=clock.now(),
    )


def endpoint_update(
    *,
    endpoint: WebhookEndpoint,
    url: str | None = None,
    events: list[str] | None = None,
    description: str | None = None,
    enabled: bool | None = None,
) -> WebhookEndpoint:
    """Change what is given. Re-enabling starts afresh: the failure run is forgotten."""
    fields = []
    if url is not None:
        endpoint.url = url_check(url)
        fields.append("url")
    if events is not None:
        endpoint.events = events_check(events)
        fields.append("events")
    if description is not None:
        endpoint.description = _description(description)
        fields.append("description")
    with transaction.atomic():
        if enabled is True and not endpoint.enabled:
            endpoint.enabled, endpoint.disabled_at, endpoint.disabled_reason = True, None, ""
            endpoint.failing_since = None
            fields += ["enabled", "disabled_at", "disabled_reason", "failing_since"]
        if fields:
            endpoint.save(update_fields=fields)
        if enabled is False and endpoint.enabled:
            endpoint_disable(endpoint=endpoint, reason=DisabledReason.OWNER)
    return endpoint


def endpoint_disable(*, endpoint: WebhookEndpoint, reason: DisabledReason | str) -> int:
    """Disable ``endpoint`` (1) unless it already is (0); its pending deliveries are cancelled.
    When the system disables it (410, failing for days), its owner is told by email."""
    now = clock.now()
    with transaction.atomic():
        changed = WebhookEndpoint.objects.filter(pk=endpoint.pk, enabled=True).update(
            enabled=False, disabled_at=now, disabled_reason=reason
        )
        if not changed:
            return 0
        endpoint.enabled, endpoint.disabled_at, endpoint.disabled_reason = False, now, reason
        WebhookDelivery.objects.filter(endpoint=endpoint, status=OutboxStatus.PENDING).update(
            status=OutboxStatus.CANCELLED, next_attempt_at=None, leased_until=None
        )
        if reason != DisabledReason.OWNER:
            _tell_owner(endpoint)
    logger.warning("Webhook endpoint %s disabled: %s", endpoint.pk, reason)
    return 1


def _tell_owner(endpoint: WebhookEndpoint) -> None:
    from staydesk.notifications.services import notification_owner_email

    owner = endpoint.owner
    failing_since = endpoint.failing_since
    notification_owner_email(
        organization=endpoint.organization,
        agency=endpoint.agency,
        template="webhook_disabled",
        context={
            "owner_name": owner.name,
            "endpoint_id": endpoint.pk,
            "url": endpoint.url,
            "description": endpoint.description,
            "reason": endpoint.disabled_reason,
            "disabled_at": endpoint.disabled_at,
            "failing_since": failing_since,
            "days": settings.STAYDESK_WEBHOOK_DISABLE_AFTER_DAYS,
            "manage_url": _manage_url(endpoint),
        },
        dedupe_key=f"webhook_disabled:{endpoint.pk}:{endpoint.disabled_at.isoformat()}",
    )


def _manage_url(endpoint: WebhookEndpoint) -> str:
    base = settings.STAYDESK_PUBLIC_URL.rstrip("/")
    if endpoint.organization_id:
        from django.urls import NoReverseMatch, reverse

        try:
            return base + reverse("web:webhook", args=[endpoint.pk])
        except NoReverseMatch:
            return base + "/webhooks/"
    return base + "/api/v1/docs"


def endpoint_rotate_secret(*, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """A new secret; the current one keeps signing for STAYDESK_WEBHOOK_SECRET_OVERLAP_HOURS
    (an older previous secret is dropped: at most two sign at once)."""
    now = clock.now()
    endpoint.previous_secret = endpoint.secret
    endpoint.previous_secret_until = now + dt.timedelta(
        hours=settings.STAYDESK_WEBHOOK_SECRET_OVERLAP_HOURS
    )
    endpoint.secret = new_secret()
    endpoint.save(update_fields=["secret", "previous_secret", "previous_secret_until"])
    return endpoint


def endpoint_delete(*, endpoint: WebhookEndpoint) -> None:
    """Gone with its deliveries and attempts; a task of one finds nothing and does nothing."""
    endpoint.delete()


def endpoint_ping(*, endpoint: WebhookEndpoint) -> WebhookDelivery:
    """A ``ping`` event to this endpoint alone, whatever it subscribes to."""
    if not endpoint.enabled:
        raise DomainError("endpoint_disabled", _("Enable the endpoint before sending it a ping."))
    now = clock.now()
    event_id = new_event_id()
    body = payloads.envelope(
        type=EventType.PING,
        event_id=event_id,
        at=now,
        data={"endpoint": {"id": endpoint.pk, "url": endpoint.url}},
    )
    with transaction.atomic():
        event = WebhookEvent.objects.create(
            id=event_id,
            type=EventType.PING,
            source=f"ping:{event_id}",
            audience=endpoint.audience,
            created_at=now,
            body=body,
        )
        delivery = delivery_queue(event=event, endpoint=endpoint)
    return delivery


def delivery_redeliver(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send the delivery again now, with the same ``webhook-id`` and body and a fresh
    schedule of retries (its earlier attempts stay in the log)."""
    from staydesk.webhooks import tasks

    endpoint = delivery.endpoint
    if not endpoint.enabled:
        raise DomainError("endpoint_disabled", _("Enable the endpoint before redelivering."))
    now = clock.now()
    with transaction.atomic():
        reopened = (
            WebhookDelivery.objects.filter(pk=delivery.pk)
            .exclude(status=OutboxStatus.PENDING, leased_until__gt=now)
            .update(
                status=OutboxStatus.PENDING,
                attempts=0,
                next_attempt_at=now,
                leased_until=None,
                sent_at=None,
            )
        )
        if not reopened:
            raise DomainError(
                "delivery_in_progress", _("This delivery is being sent right now; try again.")
            )
        tasks.deliver_webhook.enqueue(delivery.pk)
    delivery.refresh_from_db()
    return delivery
