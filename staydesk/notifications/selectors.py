"""Reading notifications: a booking's delivery log for the provider's booking page."""

from django.db.models import QuerySet

from staydesk.bookings.models import Booking
from staydesk.notifications.models import Notification


def booking_notifications(*, booking: Booking) -> QuerySet[Notification]:
    """The booking's notifications, newest first, without their (large) bodies."""
    return (
        Notification.objects.filter(booking=booking)
        .defer("body_text", "body_html")
        .order_by("-created_at", "-id")
    )
