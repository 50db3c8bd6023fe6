"""Background tasks for bookings: thin, they take ids and call the timer services."""

from django.tasks import task

from staydesk.bookings import timers
from staydesk.core.retry import task_retry_later


@task()
def expire_booking(booking_id: int) -> bool:
    return timers.expire_if_overdue(booking_id)


@task()
def remind_booking(booking_id: int, action: str) -> bool:
    return timers.remind_if_due(booking_id, action)


@task()
def sweep_timers() -> dict[str, int]:
    return timers.timers_sweep()


@task()
def dispatch_event(event_id: int, attempt: int = 0) -> None:
    """Fan an audit event out to notifications and webhooks (queued in the event's transaction,
    so it runs if and only if the event committed; both fan-outs are idempotent, so a retry
    after a partial run adds only what is missing)."""
    from staydesk.bookings.dispatch import event_dispatch

    try:
        event_dispatch(event_id)
    except Exception:
        task_retry_later(dispatch_event, event_id, attempt=attempt)
        raise
