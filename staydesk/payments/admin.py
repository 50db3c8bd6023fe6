"""The ledger in the operator's console: read-only, written only by the payment services."""

from django.contrib import admin

from staydesk.core.admin import ReadOnlyModelAdmin
from staydesk.payments.models import LedgerEntry


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyModelAdmin):
    list_display = (
        "created_at",
        "booking",
        "kind",
        "amount",
        "currency",
        "reference",
        "created_by",
    )
    list_filter = ("kind", "currency", ("booking__organization", admin.RelatedOnlyFieldListFilter))
    search_fields = ("=booking__code", "reference")
    date_hierarchy = "created_at"
    list_select_related = ("booking", "created_by")
