"""Guards: the rules beyond the status table that decide whether an action is allowed now.

Each guard returns the ``DomainError`` that refuses the action, or ``None``. The same guards
drive the services (which raise) and ``allowed_actions`` (which the UI and API show), so what
is offered is exactly what would succeed.
"""

import datetime as dt
from collections.abc import Callable

from django.utils.translation import gettext_lazy as _

from staydesk.bookings.deadlines import reminder_times
from staydesk.bookings.models import Booking
from staydesk.bookings.states import ACTORS, Action, ActorKind, Status, targets
from staydesk.core import clock
from staydesk.core.errors import DomainError, Forbidden

Guard = Callable[[Booking, dt.datetime], DomainError | None]


def property_today(booking: Booking, now: dt.datetime) -> dt.date:
    return clock.local_date(booking.property.timezone, now)


def days_before_arrival(booking: Booking, now: dt.datetime) -> int:
    return (booking.arrival - property_today(booking, now)).days


def _arrival_reached(booking: Booking, now: dt.datetime) -> DomainError | None:
    if property_today(booking, now) < booking.arrival:
        return DomainError(
            "before_arrival", _("This can only be done on or after the arrival date.")
        )
    return None


def _arrival_not_passed(booking: Booking, now: dt.datetime) -> DomainError | None:
    if property_today(booking, now) > booking.arrival:
        return DomainError("arrival_passed", _("The arrival date has passed."))
    return None


def _guest_may_cancel(booking: Booking, now: dt.datetime) -> DomainError | None:
    if booking.required_action_done_at is not None:
        return DomainError(
            "required_action_done",
            _("The required action is done: please contact the provider to cancel."),
        )
    return _arrival_not_passed(booking, now)


def _provider_may_cancel(booking: Booking, now: dt.datetime) -> DomainError | None:
    if not booking.provider_may_cancel:
        return DomainError(
            "policy_forbids_cancellation",
            _("The cancellation policy does not allow the provider to cancel."),
        )
    return _arrival_not_passed(booking, now)


def _before_deadline(booking: Booking, now: dt.datetime) -> DomainError | None:
    """Confirming or paying after the deadline is refused: the timer is about to expire it."""
    deadline = booking.deadline
    if deadline is not None and now >= deadline:
        return DomainError("deadline_passed", _("The deadline has passed."))
    return None


def _overdue(booking: Booking, now: dt.datetime) -> DomainError | None:
    deadline = booking.deadline
    if deadline is None or deadline > now:
        return DomainError("not_overdue", _("The deadline has not passed yet."))
    return None


def _has_pending_required_action(booking: Booking, now: dt.datetime) -> DomainError | None:
    if not booking.required_action_text:
        return DomainError("no_required_action", _("This booking has no required action."))
    if booking.required_action_done_at is not None:
        return DomainError(
            "required_action_already_done", _("The required action is already marked done.")
        )
    return None


def _reminder_due(action: Action) -> Guard:
    def guard(booking: Booking, now: dt.datetime) -> DomainError | None:
        due = booking.confirm_by and reminder_times(
            booked_at=booking.booked_at, confirm_by=booking.confirm_by
        )
        if not due or now < due[action]:
            return DomainError("not_due", _("The reminder is not due yet."))
        if now >= booking.confirm_by:  # a late task: the request expires instead
            return DomainError("deadline_passed", _("The deadline to confirm has passed."))
        return None

    return guard


GUARDS: dict[Action, Guard] = {
    Action.CONFIRM: _before_deadline,
    Action.PAY: _before_deadline,
    Action.EXPIRE: _overdue,
    Action.CANCEL_BY_GUEST: _guest_may_cancel,
    Action.CANCEL_BY_PROVIDER: _provider_may_cancel,
    Action.CHECK_IN: _arrival_reached,
    Action.NO_SHOW: _arrival_reached,
    Action.REQUIRED_ACTION_DONE: _has_pending_required_action,
    Action.REMINDER_HALF: _reminder_due(Action.REMINDER_HALF),
    Action.REMINDER_FINAL: _reminder_due(Action.REMINDER_FINAL),
}


def refusal(
    *, booking: Booking, action: Action, actor_kind: ActorKind, now: dt.datetime
) -> DomainError | None:
    """Why ``action`` is refused for this booking now, or ``None`` if it is allowed."""
    # An action nobody may ask for (``create`` is no transition) is refused, not a KeyError.
    if actor_kind not in ACTORS.get(action, ()):
        return Forbidden("actor_not_allowed", _("You may not do this to a booking."))
    if not targets(action, Status(booking.status)):
        return DomainError(
            "invalid_transition",
            _("This cannot be done to a booking that is “%(status)s”.")
            % {"status": Status(booking.status).label},
        )
    guard = GUARDS.get(action)
    return guard(booking, now) if guard else None


# The actions people choose (timers and payments are not offered as buttons).
OFFERED_ACTIONS = (
    Action.CONFIRM,
    Action.REJECT,
    Action.CANCEL_BY_GUEST,
    Action.CANCEL_BY_PROVIDER,
    Action.CHECK_IN,
    Action.NO_SHOW,
    Action.REQUIRED_ACTION_DONE,
    Action.RESEND_CONFIRMATION,
)


def allowed_actions(
    *, booking: Booking, actor_kind: ActorKind, now: dt.datetime | None = None
) -> list[Action]:
    now = now or clock.now()
    return [
        action
        for action in OFFERED_ACTIONS
        if refusal(booking=booking, action=action, actor_kind=actor_kind, now=now) is None
    ]
