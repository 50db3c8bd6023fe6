"""``/api/v1/webhooks``: endpoints, their deliveries, redelivery and a test ping.

A provider key manages its organization's endpoints, an agency key its agency's; a guest's
booking secret may not. Another owner's endpoint or delivery is 404.
"""

import json
import math

from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema, Status

from staydesk.accounts.models import Organization
from staydesk.api.routers.bookings import ERRORS, MAX_PAGE, MAX_PAGE_SIZE
from staydesk.api.schemas_webhooks import (
    DeliveryOut,
    DeliveryPage,
    WebhookIn,
    WebhookOut,
    WebhookPatch,
    WebhookWithSecretOut,
)
from staydesk.bookings.states import ActorKind
from staydesk.core.errors import Forbidden, InvalidInput, NotFound
from staydesk.webhooks import services
from staydesk.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint

router = Router(tags=["webhooks"])

MAX_ID = 2**63 - 1
EndpointId = Path(..., ge=1, le=MAX_ID)


def _owner(request) -> dict:
    caller = request.auth
    if caller.kind == ActorKind.GUEST or not (caller.organization_id or caller.agency_id):
        raise Forbidden(
            "actor_not_allowed", _("Webhooks are managed with a provider or agency API key.")
        )
    if caller.organization_id:
        return {"organization_id": caller.organization_id}
    return {"agency_id": caller.agency_id}


def _endpoint(request, id: int) -> WebhookEndpoint:
    endpoint = WebhookEndpoint.objects.filter(pk=id, **_owner(request)).first()
    if endpoint is None:
        raise NotFound("unknown_webhook", _("No such webhook endpoint."))
    return endpoint


def endpoint_json(endpoint: WebhookEndpoint, *, with_secret: bool = False) -> dict:
    data = {
        "id": endpoint.pk,
        "url": endpoint.url,
        "description": endpoint.description,
        "events": endpoint.events,
        "enabled": endpoint.enabled,
        "disabled_at": endpoint.disabled_at,
        "disabled_reason": endpoint.disabled_reason or None,
        "failing_since": endpoint.failing_since,
        "secret_hint": endpoint.secret_hint,
        "previous_secret_valid_until": (
            endpoint.previous_secret_until if endpoint.previous_secret else None
        ),
        "created_at": endpoint.created_at,
    }
    if with_secret:
        data["secret"] = endpoint.secret
    return data


def delivery_json(delivery: WebhookDelivery) -> dict:
    return {
        "id": delivery.pk,
        "webhook_id": delivery.message_id,
        "event_id": delivery.event_id,
        "type": delivery.event.type,
        "status": delivery.status,
        "attempt_count": delivery.attempts,
        "next_attempt_at": delivery.next_attempt_at,
        "last_error": delivery.last_error,
        "created_at": delivery.created_at,
        "sent_at": delivery.sent_at,
        "payload": json.loads(delivery.event.body),
        "attempts": [
            {
                "started_at": a.started_at,
                "duration_ms": a.duration_ms,
                "status_code": a.status_code,
                "response_excerpt": a.response_excerpt,
                "error": a.error,
            }
            for a in delivery.attempt_log.all()
        ],
    }


def deliveries_of(endpoint: WebhookEndpoint):
    """Newest first, with their event and attempts (two queries more, whatever the page)."""
    return (
        WebhookDelivery.objects.filter(endpoint=endpoint)
        .select_related("event")
        .prefetch_related(
            Prefetch("attempt_log", queryset=WebhookAttempt.objects.order_by("started_at", "id"))
        )
        .order_by("-created_at", "-id")
    )


@router.get("", response={200: list[WebhookOut], **ERRORS}, summary="Your webhook endpoints")
def list_webhooks(request):
    return [endpoint_json(e) for e in WebhookEndpoint.objects.filter(**_owner(request))]


@router.post(
    "", response={201: WebhookWithSecretOut, **ERRORS}, summary="Register a webhook endpoint"
)
def create_webhook(request, payload: WebhookIn):
    """The answer carries the signing secret (`whsec_…`): keep it, it is not shown again
    (rotate it to get a new one). Deliveries are signed per Standard Webhooks."""
    owner = _owner(request)
    if "organization_id" in owner:
        owned = {"organization": Organization.objects.get(pk=owner["organization_id"])}
    else:
        owned = {"agency": request.auth.actor.agency}
    endpoint = services.endpoint_create(
        **owned, url=payload.url, events=payload.events, description=payload.description
    )
    return Status(201, endpoint_json(endpoint, with_secret=True))


@router.get("/{id}", response={200: WebhookOut, **ERRORS}, summary="One webhook endpoint")
def get_webhook(request, id: int = EndpointId):
    return endpoint_json(_endpoint(request, id))


def _update(request, id: int, payload: WebhookPatch) -> dict:
    endpoint = _endpoint(request, id)
    services.endpoint_update(endpoint=endpoint, **payload.model_dump(exclude_unset=True))
    return endpoint_json(endpoint)


@router.patch("/{id}", response={200: WebhookOut, **ERRORS}, summary="Change an endpoint")
def patch_webhook(request, payload: WebhookPatch, id: int = EndpointId):
    """Change the URL, events, description, or `enabled` (re-enabling clears the failure
    run); fields left out stay as they are."""
    return _update(request, id, payload)


@router.post("/{id}", response={200: WebhookOut, **ERRORS}, summary="Change an endpoint (POST)")
def post_webhook(request, payload: WebhookPatch, id: int = EndpointId):
    """The same as PATCH, for clients that cannot send PATCH."""
    return _update(request, id, payload)


@router.delete("/{id}", response={204: None, **ERRORS}, summary="Delete an endpoint")
def delete_webhook(request, id: int = EndpointId):
    """The endpoint goes with its delivery log; nothing more is sent to it."""
    services.endpoint_delete(endpoint=_endpoint(request, id))
    return HttpResponse(status=204)


@router.post(
    "/{id}/rotate-secret",
    response={200: WebhookWithSecretOut, **ERRORS},
    summary="Rotate the signing secret",
)
def rotate_secret(request, id: int = EndpointId):
    """A new secret, in the answer. The old one keeps signing too for 24 hours
    (`webhook-signature` carries both), so receivers can switch without losing events."""
    endpoint = services.endpoint_rotate_secret(endpoint=_endpoint(request, id))
    return endpoint_json(endpoint, with_secret=True)


@router.post("/{id}/ping", response={202: DeliveryOut, **ERRORS}, summary="Send a test ping")
def ping(request, id: int = EndpointId):
    """A `ping` event to this endpoint, whatever it subscribes to; see its delivery in
    `deliveries`. A disabled endpoint is 409 `endpoint_disabled`."""
    delivery = services.endpoint_ping(endpoint=_endpoint(request, id))
    return Status(202, delivery_json(deliveries_of(delivery.endpoint).get(pk=delivery.pk)))


class DeliveryParams(Schema):
    page: int = 1
    page_size: int = 25


@router.get(
    "/{id}/deliveries",
    response={200: DeliveryPage, **ERRORS},
    summary="The endpoint's deliveries",
)
def list_deliveries(request, params: Query[DeliveryParams], id: int = EndpointId):
    """Newest first, each with its payload and every attempt (status code, duration, the
    start of the response, or the error)."""
    endpoint = _endpoint(request, id)
    if not 1 <= params.page_size <= MAX_PAGE_SIZE:
        raise InvalidInput(
            "invalid_filter",
            _("page_size is 1 to %(m)s.") % {"m": MAX_PAGE_SIZE},
            field="page_size",
        )
    if not 1 <= params.page <= MAX_PAGE:
        raise InvalidInput(
            "invalid_filter", _("page is 1 to %(m)s.") % {"m": MAX_PAGE}, field="page"
        )
    qs = deliveries_of(endpoint)
    count = qs.count()
    start = (params.page - 1) * params.page_size
    return {
        "count": count,
        "page": params.page,
        "page_size": params.page_size,
        "pages": max(1, math.ceil(count / params.page_size)),
        "results": [delivery_json(d) for d in qs[start : start + params.page_size]],
    }


@router.post(
    "/{id}/deliveries/{delivery_id}/redeliver",
    response={202: DeliveryOut, **ERRORS},
    summary="Redeliver by hand",
)
def redeliver(request, id: int = EndpointId, delivery_id: int = Path(..., ge=1, le=MAX_ID)):
    """Send the delivery again now, with the same `webhook-id` and body, and a fresh
    retry schedule. 409 `endpoint_disabled` or `delivery_in_progress` when it cannot."""
    endpoint = _endpoint(request, id)
    delivery = WebhookDelivery.objects.filter(pk=delivery_id, endpoint=endpoint).first()
    if delivery is None:
        raise NotFound("unknown_delivery", _("No such delivery of this endpoint."))
    delivery.endpoint = endpoint
    services.delivery_redeliver(delivery=delivery)
    return Status(202, delivery_json(deliveries_of(endpoint).get(pk=delivery.pk)))
