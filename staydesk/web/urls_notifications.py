"""URLs: notifications (included into the web namespace by web/urls.py)."""

from django.urls import path

from staydesk.web.views import notifications

urlpatterns: list = [
    path(
        # Two segments: "bookings/<code>/<action>/" above takes every single one.
        "bookings/<str:code>/notifications/log/",
        notifications.booking_notifications_panel,
        name="booking_notifications",
    ),
]
