"""URLs: webhooks (included into the web namespace by web/urls.py)."""

from django.urls import path

from staydesk.web.views import webhooks

urlpatterns: list = [
    path("webhooks/", webhooks.webhook_list, name="webhooks"),
    path("webhooks/<int:endpoint_id>/", webhooks.webhook_detail, name="webhook"),
    path("webhooks/<int:endpoint_id>/delete/", webhooks.webhook_delete, name="webhook_delete"),
    path(
        "webhooks/<int:endpoint_id>/deliveries/<int:delivery_id>/redeliver/",
        webhooks.webhook_redeliver,
        name="webhook_redeliver",
    ),
    path(
        "webhooks/<int:endpoint_id>/<slug:action>/",
        webhooks.webhook_action,
        name="webhook_action",
    ),
]
