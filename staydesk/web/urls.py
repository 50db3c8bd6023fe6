"""URLs of the extranet. Provider pages are wrapped by ``access.provider_view``; the guest's
voucher and chat, one-click answers and calendar feeds open with the secret in their URL."""

from django.urls import path

from staydesk.web.views import (
    api_keys,
    auth,
    booking,
    calendars,
    chat,
    dashboard,
    grid,
    notifications,
    one_click,
    pricing,
    profile,
    webhooks,
)

app_name = "web"

urlpatterns = [
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("password/change/", auth.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/change/done/", auth.PasswordChangeDoneView.as_view(), name="password_change_done"
    ),
    path("password/reset/", auth.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", auth.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        auth.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("", dashboard.dashboard, name="dashboard"),
    path("bookings/", grid.grid, name="grid"),
    path("bookings/export.csv", grid.export_csv, name="export"),
    path("bookings/bulk/", grid.bulk, name="bulk"),
    path("bookings/<str:code>/", booking.booking_detail, name="booking"),
    path("bookings/<str:code>/chat/messages/", chat.chat_messages, name="chat_messages"),
    path("bookings/<str:code>/chat/", chat.chat_post, name="chat_post"),
    path(
        "bookings/<str:code>/notifications/",
        notifications.booking_notifications_panel,
        name="booking_notifications",
    ),
    path("bookings/<str:code>/<slug:action>/", booking.booking_action, name="booking_action"),
    path("voucher/<str:token>/", booking.voucher, name="voucher"),
    path("voucher/<str:token>/chat/", chat.guest_chat, name="guest_chat"),
    path(
        "voucher/<str:token>/chat/messages/", chat.guest_chat_messages, name="guest_chat_messages"
    ),
    path("profile/", profile.profile, name="profile"),
    path("api-keys/", api_keys.api_keys, name="api_keys"),
    path("api-keys/<int:key_id>/revoke/", api_keys.api_key_revoke_view, name="api_key_revoke"),
    path("pricing/", pricing.pricing_index, name="pricing"),
    path("pricing/<int:property_id>/", pricing.pricing_property, name="pricing_property"),
    path("pricing/<int:property_id>/<slug:part>/", pricing.pricing_edit, name="pricing_edit"),
    path("pricing/<int:property_id>/reset/confirm/", pricing.pricing_reset, name="pricing_reset"),
    path("calendars/", calendars.calendars, name="calendars"),
    path(
        "calendars/<int:property_id>/new-secret/",
        calendars.calendar_secret_renew,
        name="calendar_secret_renew",
    ),
    path("webhooks/", webhooks.webhook_list, name="webhooks"),
    path("webhooks/<int:endpoint_id>/", webhooks.webhook_detail, name="webhook"),
    path("webhooks/<int:endpoint_id>/delete/", webhooks.webhook_delete, name="webhook_delete"),
    path(
        "webhooks/<int:endpoint_id>/deliveries/<int:delivery_id>/redeliver/",
        webhooks.webhook_redeliver,
        name="webhook_redeliver",
    ),
    path(
        "webhooks/<int:endpoint_id>/<slug:action>/", webhooks.webhook_action, name="webhook_action"
    ),
    # No sign-in: the secret in the URL is the key.
    path("answer/<str:token>/", one_click.one_click, name="one_click"),
    path("calendars/<str:token>.ics", calendars.calendar_feed, name="calendar_feed"),
]
