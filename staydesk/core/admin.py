"""The platform settings in the admin, and the read-only building blocks the other admins share."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from staydesk.core.models import PlatformSettings


class ReadOnlyMixin:
    """Rows written only by services (audit trail, ledger, stock): viewable, never edited here."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyModelAdmin(ReadOnlyMixin, admin.ModelAdmin):
    pass


class ReadOnlyTabularInline(ReadOnlyMixin, admin.TabularInline):
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True

    def get_readonly_fields(self, request, obj=None):
        return self.fields or ()


@admin.register(PlatformSettings)
class PlatformSettingsAdmin(admin.ModelAdmin):
    """A singleton: the one row is created on first use; it can be edited, never deleted."""

    list_display = (
        "__str__",
        "transfer_fee_percent",
        "commission_percent",
        "confirmation_window_hours",
    )
    fieldsets = (
        (_("Money"), {"fields": ("transfer_fee_percent", "commission_percent")}),
        (_("Booking requests"), {"fields": ("confirmation_window_hours",)}),
    )

    def has_add_permission(self, request) -> bool:
        return not PlatformSettings.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.pk = 1  # the row PlatformSettings.load() reads
        super().save_model(request, obj, form, change)

    def changelist_view(self, request, extra_context=None):
        if not PlatformSettings.objects.filter(pk=1).exists():
            PlatformSettings.defaults().save()  # so the operator always finds the row to edit
        return super().changelist_view(request, extra_context)
