"""Rows that carry something to the outside world: an email, an SMS, a webhook delivery.

Each row is written in the transaction of what caused it, so it exists if and only if that
change committed. A task sends it after commit; the row keeps its own state, so a task that
runs twice, a worker killed mid-send or a server that is down never loses or repeats it:

- ``outbox_claim`` takes the row for one attempt with a lease: one conditional UPDATE, so of
  two workers racing for the same row exactly one wins; a worker that dies leaves a lease that
  runs out, and the sweep hands the row to another worker;
- ``outbox_succeeded`` / ``outbox_failed`` close the attempt, only while it still holds its
  lease (a worker slower than its lease finds the row taken and leaves it to the new holder);
  a failure sets the next attempt from a fixed backoff schedule, and once the schedule is used
  up the row is ``failed``;
- ``outbox_due`` lists rows a sweep must send again (a lost task, a lease that ran out).

No network I/O happens while a transaction is open: the claim commits before the send.
"""

import datetime as dt
import logging
from collections.abc import Sequence

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from staydesk.core import clock

logger = logging.getLogger(__name__)


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class OutboxItem(models.Model):
    """Delivery state shared by notifications and webhook deliveries."""

    status = models.CharField(
        _("status"), max_length=16, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    # Set while a worker holds the row; a dead worker's lease runs out and the row is retried.
    leased_until = models.DateTimeField(_("leased until"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        abstract = True


# The delivery state, as the admin pages of every outbox model show it.
OUTBOX_FIELDS = (
    "status",
    "attempts",
    "next_attempt_at",
    "leased_until",
    "last_error",
    "created_at",
    "sent_at",
)


def _claimable(now: dt.datetime) -> Q:
    return Q(status=OutboxStatus.PENDING, next_attempt_at__lte=now) & (
        Q(leased_until__isnull=True) | Q(leased_until__lt=now)
    )


def outbox_claim(model: type[OutboxItem], pk: int, *, lease: dt.timedelta) -> OutboxItem | None:
    """Take row ``pk`` for one attempt, or None if it is not due, done, or held by another."""
    now = clock.now()
    taken = model._default_manager.filter(_claimable(now), pk=pk).update(
        leased_until=now + lease, attempts=models.F("attempts") + 1
    )
    if not taken:
        return None
    return model._default_manager.get(pk=pk)


def _still_mine(item: OutboxItem):
    """The row, if this attempt still holds its lease: a worker slower than its lease must not
    close (or reopen) a row another worker has taken since, maybe already sent."""
    rows = type(item)._default_manager
    if item.leased_until is None:  # not claimed by this attempt, or already closed
        return rows.none()
    return rows.filter(pk=item.pk, leased_until=item.leased_until)


def outbox_succeeded(item: OutboxItem) -> bool:
    """Record the send; False if the lease was lost meanwhile (the other worker records)."""
    now = clock.now()
    closed = _still_mine(item).update(
        status=OutboxStatus.SENT,
        sent_at=now,
        leased_until=None,
        next_attempt_at=None,
        last_error="",
    )
    if not closed:
        logger.warning("%s %s: sent after its lease ran out", type(item).__name__, item.pk)
        return False
    item.status, item.sent_at, item.leased_until, item.next_attempt_at = (
        OutboxStatus.SENT,
        now,
        None,
        None,
    )
    return True


def outbox_failed(item: OutboxItem, *, error: str, schedule: Sequence[dt.timedelta]) -> bool:
    """Record a failed attempt; True if another attempt is scheduled (at ``next_attempt_at``).

    ``schedule[n]`` is the wait after the (n+1)-th failed attempt; when it is used up the row
    is ``failed`` for good.
    """
    now = clock.now()
    retry = item.attempts <= len(schedule)
    held = _still_mine(item)
    # NUL cannot be stored in PostgreSQL text, and a server's answer may contain one.
    item.last_error = error.replace("\x00", "\ufffd")[:2000]
    item.leased_until = None
    if retry:
        item.next_attempt_at = now + schedule[item.attempts - 1]
    else:
        item.status, item.next_attempt_at = OutboxStatus.FAILED, None
    closed = held.update(
        status=item.status,
        next_attempt_at=item.next_attempt_at,
        leased_until=None,
        last_error=item.last_error,
    )
    if not closed:
        logger.warning("%s %s: failed after its lease ran out", type(item).__name__, item.pk)
        return False  # another worker holds the row now: it schedules what follows
    return retry


def outbox_due(
    model: type[OutboxItem], *, late_by: dt.timedelta = dt.timedelta(0), limit: int = 500
) -> list[int]:
    """Ids of rows due for at least ``late_by`` and free: their task was lost or their worker
    died. The sweep passes a ``late_by`` so it does not race a task queued for that moment."""
    now = clock.now()
    return list(
        model._default_manager.filter(_claimable(now), next_attempt_at__lte=now - late_by)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
