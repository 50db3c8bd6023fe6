"""Operator views of webhooks: endpoints (secret masked), deliveries with their attempts,
read-only, and a "redeliver" action."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from staydesk.core.errors import DomainError
from staydesk.core.outbox import OUTBOX_FIELDS
from staydesk.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from staydesk.webhooks.services import delivery_redeliver


class ReadOnly:
    """Written only by services, but the operator may delete (an abusive endpoint, old logs)."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("url", "organization", "agency", "enabled", "failing_since", "created_at")
    list_filter = ("enabled", "disabled_reason")
    search_fields = ("url", "description", "organization__name", "agency__name")
    fields = (
        "organization",
        "agency",
        "url",
        "description",
        "events",
        "masked_secret",
        "previous_secret_until",
        "enabled",
        "disabled_at",
        "disabled_reason",
        "failing_since",
        "created_at",
    )
    readonly_fields = fields

    @admin.display(description=_("secret"))
    def masked_secret(self, obj: WebhookEndpoint) -> str:
        return obj.secret_hint


class AttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    fields = ("started_at", "duration_ms", "status_code", "error", "response_excerpt")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("message_id", "event_type", "endpoint", "status", "attempts", "created_at")
    list_filter = ("status", "event__type")
    search_fields = ("message_id", "event__id", "endpoint__url")
    list_select_related = ("event", "endpoint")
    readonly_fields = (
        "message_id",
        "event",
        "endpoint",
        *OUTBOX_FIELDS,
        "payload",
    )
    fields = readonly_fields
    inlines = [AttemptInline]
    actions = ["redeliver"]

    @admin.display(description=_("type"))
    def event_type(self, obj: WebhookDelivery) -> str:
        return obj.event.type

    @admin.display(description=_("payload"))
    def payload(self, obj: WebhookDelivery) -> str:
        return obj.event.body

    @admin.action(description=_("Redeliver (same webhook-id)"))
    def redeliver(self, request, queryset) -> None:
        done = 0
        for delivery in queryset.select_related("endpoint"):
            try:
                delivery_redeliver(delivery=delivery)
                done += 1
            except DomainError as exc:
                self.message_user(
                    request, f"{delivery.message_id}: {exc.message}", level=messages.WARNING
                )
        self.message_user(
            request,
            ngettext("%(n)s delivery queued again.", "%(n)s deliveries queued again.", done)
            % {"n": done},
        )
