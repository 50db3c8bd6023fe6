"""Stock counters: read-only, they change only when bookings hold and release units."""

from django.contrib import admin
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from staydesk.core.admin import ReadOnlyModelAdmin
from staydesk.inventory.models import StockNight


class ResourceKindFilter(admin.SimpleListFilter):
    title = _("counts")
    parameter_name = "counts"

    def lookups(self, request, model_admin):
        return (
            ("room", _("Room nights")),
            ("package", _("Package starts")),
            ("variant", _("Promotion variant starts")),
            ("full", _("Sold out")),
        )

    def queryset(self, request, queryset):
        if self.value() == "full":
            return queryset.filter(held__gte=F("capacity"))
        if self.value() in ("room", "package", "variant"):
            return queryset.filter(resource__startswith=f"{self.value()}:")
        return queryset


@admin.register(StockNight)
class StockNightAdmin(ReadOnlyModelAdmin):
    list_display = ("resource", "date", "held", "capacity")
    list_filter = (ResourceKindFilter,)
    search_fields = ("resource",)
    date_hierarchy = "date"
    ordering = ("resource", "date")
