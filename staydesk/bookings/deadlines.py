"""Deadline arithmetic, pure: when a request must be confirmed and a booking paid."""

import datetime as dt

# However close to arrival a booking is confirmed, the guest gets at least this long to pay.
MIN_TIME_TO_PAY = dt.timedelta(hours=1)
# However close to arrival a request is made, the provider gets at least this long to answer.
MIN_TIME_TO_ANSWER = dt.timedelta(hours=1)


def confirmation_deadline(
    *, booked_at: dt.datetime, window_hours: int, arrival_start: dt.datetime
) -> dt.datetime:
    """The window after booking, and never after the guest's check-in time.

    A request made just before arrival still leaves the provider ``MIN_TIME_TO_ANSWER``.
    """
    deadline = min(booked_at + dt.timedelta(hours=window_hours), arrival_start)
    return max(deadline, booked_at + MIN_TIME_TO_ANSWER)


def payment_deadline(
    *,
    confirmed_at: dt.datetime,
    limit_hours: int,
    days_before_arrival: int | None,
    arrival_start: dt.datetime,
) -> dt.datetime:
    """``limit_hours`` after confirmation, never later than N days before arrival, and never
    after the guest's check-in time.

    If those rules put the deadline in the past (a late booking), the guest still gets
    ``MIN_TIME_TO_PAY``.
    """
    deadline = min(confirmed_at + dt.timedelta(hours=limit_hours), arrival_start)
    if days_before_arrival is not None:
        deadline = min(deadline, arrival_start - dt.timedelta(days=days_before_arrival))
    return max(deadline, confirmed_at + MIN_TIME_TO_PAY)


# Reminders before a confirmation deadline: at half the window, and two hours before.
FINAL_REMINDER_BEFORE = dt.timedelta(hours=2)


def reminder_times(*, booked_at: dt.datetime, confirm_by: dt.datetime) -> dict[str, dt.datetime]:
    """When each reminder is due, keyed by its action value."""
    return {
        "reminder_half": booked_at + (confirm_by - booked_at) / 2,
        "reminder_final": confirm_by - FINAL_REMINDER_BEFORE,
    }
