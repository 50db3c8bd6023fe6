"""The one way a booking changes: lock, check, change, save, record — in one transaction."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from staydesk.bookings.actors import Actor
from staydesk.bookings.events import event_record
from staydesk.bookings.models import Booking
from staydesk.bookings.rules import refusal
from staydesk.bookings.services.holds import release_units
from staydesk.bookings.states import HOLDING, Action, Status, targets
from staydesk.core import clock


@dataclass
class Change:
    """What an action's own logic decided, for ``run_transition`` to save and record."""

    target: Status | None = None  # None: the only target the table lists
    fields: tuple[str, ...] = ()  # further columns it set on the booking
    data: dict[str, Any] = field(default_factory=dict)  # stored on the audit event


Apply = Callable[[Booking, dt.datetime], Change]


def lock_booking(pk: int) -> Booking:
    return Booking.objects.select_for_update(of=("self",)).select_related("property").get(pk=pk)


def run_transition(
    *,
    booking: Booking,
    action: Action,
    actor: Actor,
    reason: str = "",
    apply: Apply | None = None,
) -> Booking:
    """Apply ``action`` to the booking or raise the ``DomainError`` that refuses it.

    A refusal raises before anything is written, and any error later rolls the whole
    transaction back: a refused action changes nothing.
    """
    with transaction.atomic():
        locked = lock_booking(booking.pk)
        now = clock.now()
        error = refusal(booking=locked, action=action, actor_kind=actor.kind, now=now)
        if error is not None:
            raise error
        from_status = Status(locked.status)
        change = apply(locked, now) if apply else Change()
        allowed = targets(action, from_status)
        to_status = change.target or allowed[0]
        if to_status not in allowed:  # a bug in an action, never user input
            raise RuntimeError(f"{action}: {from_status} -> {to_status} is not in TRANSITIONS")
        fields = ["status", *change.fields]
        locked.status = to_status
        if from_status in HOLDING and to_status not in HOLDING:
            release_units(locked)
            locked.closed_at = now
            fields.append("closed_at")
        locked.save(update_fields=fields)
        event_record(
            booking=locked,
            action=action,
            actor=actor,
            from_status=from_status,
            reason=reason,
            data=change.data,
        )
    return locked
