"""Notifications in the operator's console: the delivery log, read-only, with "retry now"."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from staydesk.core.admin import ReadOnlyModelAdmin
from staydesk.core.outbox import OUTBOX_FIELDS, OutboxStatus
from staydesk.notifications.models import Notification
from staydesk.notifications.services import notification_retry_now


@admin.register(Notification)
class NotificationAdmin(ReadOnlyModelAdmin):
    list_display = (
        "created_at",
        "template",
        "channel",
        "recipient",
        "recipient_kind",
        "language",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "booking",
    )
    list_filter = ("status", "channel", "template", "recipient_kind", "language")
    search_fields = ("recipient", "subject", "booking__code", "dedupe_key")
    date_hierarchy = "created_at"
    list_select_related = ("booking",)
    ordering = ("-created_at", "-id")
    actions = ("retry_now",)
    fields = (
        "organization",
        "agency",
        "booking",
        "event",
        "message",
        "channel",
        "recipient",
        "recipient_kind",
        "template",
        "language",
        "from_name",
        "subject",
        "body_text",
        "body_html",
        *OUTBOX_FIELDS,
        "dedupe_key",
    )
    readonly_fields = fields
    raw_id_fields = ("organization", "agency", "booking", "event", "message")

    @admin.action(description=_("Retry now (failed notifications)"))
    def retry_now(self, request, queryset):
        retried = 0
        for notification in queryset.filter(status=OutboxStatus.FAILED):
            notification_retry_now(notification=notification)
            retried += 1
        skipped = queryset.count() - retried
        if retried:
            self.message_user(
                request,
                ngettext(
                    "%(count)s notification queued to be sent again.",
                    "%(count)s notifications queued to be sent again.",
                    retried,
                )
                % {"count": retried},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)s notification was not failed and was left as it is.",
                    "%(count)s notifications were not failed and were left as they are.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )
