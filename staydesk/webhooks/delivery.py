"""Delivering webhooks: one attempt per task, retried on a fixed schedule.

``delivery_attempt`` claims the row (a lease longer than the HTTP timeout, so a worker that
dies mid-request frees it for the sweep), checks the address, POSTs the signed body to the
vetted address, stores the attempt, and then closes the row or schedules the next attempt.
No transaction is open while the request runs.

- 2xx is success; anything else (3xx too: redirects are not followed) is a failure.
- 410 Gone disables the endpoint at once: the receiver says it will never want more.
- Other failures, timeouts and refused addresses are retried after ``SCHEDULE`` (about three
  days in all); an address refusal is retried too, because DNS may change and the owner
  may fix it. An endpoint that fails without a single success for
  STAYDESK_WEBHOOK_DISABLE_AFTER_DAYS is disabled and its owner told.
"""

import datetime as dt
import logging
import time

import httpx
from django.conf import settings
from django.db.models import Q

from staydesk.core import clock
from staydesk.core.outbox import (
    OutboxStatus,
    outbox_claim,
    outbox_due,
    outbox_failed,
    outbox_succeeded,
)
from staydesk.webhooks.guard import AddressRefused, resolve_public, target_of
from staydesk.webhooks.models import DisabledReason, WebhookAttempt, WebhookDelivery
from staydesk.webhooks.signing import signed_headers, signing_secrets

logger = logging.getLogger(__name__)

# The wait after the 1st, 2nd, … failed attempt: 10 attempts over 3 days and 3.5 hours.
SCHEDULE = (
    dt.timedelta(seconds=5),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=5),
    dt.timedelta(hours=10),
    dt.timedelta(hours=14),
    dt.timedelta(hours=20),
    dt.timedelta(hours=24),
)
EXCERPT_BYTES = 2048
USER_AGENT = "Staydesk-Webhooks/1"


def _lease() -> dt.timedelta:
    return dt.timedelta(seconds=settings.STAYDESK_WEBHOOK_LEASE_SECONDS)


class _Result:
    status_code: int | None = None
    excerpt: str = ""
    error: str = ""


def _post(url: str, *, headers: dict, body: bytes) -> _Result:
    """POST to the vetted address of ``url``'s host; never raises for network trouble."""
    result = _Result()
    timeout = float(settings.STAYDESK_WEBHOOK_TIMEOUT_SECONDS)
    try:
        target = target_of(url)
        ip = resolve_public(target)
    except AddressRefused as exc:
        result.error = f"Refused: {exc}"
        return result
    except ValueError as exc:
        result.error = f"Invalid URL: {exc}"
        return result
    original = httpx.URL(url)
    default_port = {"http": 80, "https": 443}[target.scheme]
    host = f"[{target.host}]" if ":" in target.host else target.host
    host_header = host if target.port == default_port else f"{host}:{target.port}"
    request_url = original.copy_with(host=str(ip))
    extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
    deadline = time.monotonic() + timeout
    try:
        # A fresh client per attempt: no pooled connection is reused for another host name
        # (the pool keys on the address), and no proxy from the environment.
        with httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False) as client:
            request = client.build_request(
                "POST",
                request_url,
                content=body,
                headers={**headers, "host": host_header, "user-agent": USER_AGENT},
                extensions=extensions,
            )
            response = client.send(request, stream=True)
            try:
                result.status_code = response.status_code
                chunks, size = [], 0
                for chunk in response.iter_bytes():
                    chunks.append(chunk)
                    size += len(chunk)
                    if size >= EXCERPT_BYTES or time.monotonic() > deadline:
                        break
                result.excerpt = b"".join(chunks)[:EXCERPT_BYTES].decode("utf-8", "replace")
            finally:
                response.close()
    except httpx.TimeoutException as exc:
        result.error = f"Timed out after {timeout:g} s ({type(exc).__name__})"
    except httpx.HTTPError as exc:
        result.error = f"{type(exc).__name__}: {exc}"
    return result


def delivery_attempt(delivery_id: int) -> str:
    """One attempt; returns what happened (for the task's result and the logs)."""
    delivery = outbox_claim(WebhookDelivery, delivery_id, lease=_lease())
    if delivery is None:
        return "not due"  # sent, cancelled, not yet due, or another worker has it
    delivery = WebhookDelivery.objects.select_related("endpoint", "event").filter(pk=delivery.pk)
    delivery = delivery.first()
    if delivery is None:
        return "deleted"  # its endpoint was deleted meanwhile
    endpoint = delivery.endpoint
    if not endpoint.enabled:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=OutboxStatus.CANCELLED, leased_until=None, next_attempt_at=None
        )
        return "cancelled"
    started = clock.now()
    began = time.monotonic()
    body = delivery.event.body
    headers = signed_headers(
        secrets=signing_secrets(endpoint, at=started),
        msg_id=delivery.message_id,
        at=started,
        body=body,
    )
    try:
        result = _post(endpoint.url, headers=headers, body=body.encode("utf-8"))
    except Exception as exc:  # whatever breaks, the attempt is closed and follows the schedule
        logger.exception("Webhook delivery %s: the attempt failed unexpectedly", delivery.pk)
        result = _Result()
        result.error = f"{type(exc).__name__}: {exc}"
    _attempt_record(delivery, started=started, duration_s=time.monotonic() - began, result=result)
    return _close(delivery, result)


def _storable(text: str) -> str:
    return text.replace("\x00", "\ufffd")  # PostgreSQL text cannot hold NUL; answers may


def _attempt_record(delivery, *, started, duration_s: float, result: _Result) -> None:
    try:
        WebhookAttempt.objects.create(
            delivery=delivery,
            started_at=started,
            duration_ms=int(duration_s * 1000),
            url=delivery.endpoint.url,
            status_code=result.status_code,
            response_excerpt=_storable(result.excerpt),
            error=_storable(result.error)[:2000],
        )
    except Exception:  # the log entry must not keep the delivery from being closed
        logger.exception("Webhook delivery %s: could not store its attempt", delivery.pk)


def _close(delivery: WebhookDelivery, result: _Result) -> str:
    from staydesk.webhooks import services, tasks

    endpoint = delivery.endpoint
    code = result.status_code
    if code is not None and 200 <= code < 300:
        outbox_succeeded(delivery)
        type(endpoint).objects.filter(pk=endpoint.pk, failing_since__isnull=False).update(
            failing_since=None
        )
        return "sent"
    error = result.error or f"HTTP {code}"
    if code == 410:
        outbox_failed(delivery, error=error, schedule=())
        services.endpoint_disable(endpoint=endpoint, reason=DisabledReason.GONE)
        return "gone"
    type(endpoint).objects.filter(pk=endpoint.pk, failing_since__isnull=True).update(
        failing_since=clock.now()
    )
    retry = outbox_failed(delivery, error=error, schedule=SCHEDULE)
    if retry:
        tasks.deliver_webhook.using(run_after=delivery.next_attempt_at).enqueue(delivery.pk)
    endpoints_disable_failing(endpoint_ids=[endpoint.pk])
    return "retry" if retry else "failed"


def endpoints_disable_failing(*, endpoint_ids: list[int] | None = None) -> int:
    """Disable the endpoints that have failed without a success for the configured days."""
    from staydesk.webhooks import services
    from staydesk.webhooks.models import WebhookEndpoint

    cutoff = clock.now() - dt.timedelta(days=settings.STAYDESK_WEBHOOK_DISABLE_AFTER_DAYS)
    failing = WebhookEndpoint.objects.filter(enabled=True, failing_since__lte=cutoff)
    if endpoint_ids is not None:
        failing = failing.filter(pk__in=endpoint_ids)
    disabled = 0
    for endpoint in failing.select_related("organization", "agency"):
        disabled += services.endpoint_disable(endpoint=endpoint, reason=DisabledReason.FAILING)
    return disabled


def deliveries_sweep() -> dict[str, int]:
    """Queue deliveries whose task was lost or whose worker died, and disable endpoints that
    keep failing. Rows due for less than a lease are left alone: their task is most likely
    still waiting in the queue (a duplicate would only find the row taken)."""
    from staydesk.webhooks import tasks
    from staydesk.webhooks.models import WebhookEndpoint

    stale = outbox_due(WebhookDelivery, late_by=_lease())
    for pk in stale:
        tasks.deliver_webhook.enqueue(pk)
    disabled = endpoints_disable_failing()
    # Old secrets past their overlap are forgotten.
    WebhookEndpoint.objects.filter(
        ~Q(previous_secret=""), previous_secret_until__lte=clock.now()
    ).update(previous_secret="", previous_secret_until=None)
    if stale or disabled:
        logger.info("Webhooks sweep: %s re-queued, %s endpoints disabled", len(stale), disabled)
    return {"requeued": len(stale), "disabled": disabled}
