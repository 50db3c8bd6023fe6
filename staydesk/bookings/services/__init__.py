"""Every write to a booking. Views, API endpoints, tasks and commands call these, nothing else."""

from staydesk.bookings.services.actions import (
    booking_cancel_by_guest,
    booking_cancel_by_provider,
    booking_check_in,
    booking_confirm,
    booking_expire,
    booking_mark_no_show,
    booking_mark_required_action_done,
    booking_reject,
    booking_remind,
    booking_resend_confirmation,
    booking_update_guest,
)
from staydesk.bookings.services.create import GuestDetails, booking_create

__all__ = [
    "GuestDetails",
    "booking_cancel_by_guest",
    "booking_cancel_by_provider",
    "booking_check_in",
    "booking_confirm",
    "booking_create",
    "booking_expire",
    "booking_mark_no_show",
    "booking_mark_required_action_done",
    "booking_reject",
    "booking_remind",
    "booking_resend_confirmation",
    "booking_update_guest",
]
