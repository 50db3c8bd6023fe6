"""Price constructors and their cancellation tiers in the operator's console."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from staydesk.pricing.models import CancellationTier, PriceConstructor


class CancellationTierInline(admin.TabularInline):
    model = CancellationTier
    extra = 0
    verbose_name_plural = _("cancellation tiers (no rate plan: the property's default)")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None:  # only the rate plans of the constructor's own property
            field = formset.form.base_fields["rate_plan"]
            field.queryset = field.queryset.filter(property_id=obj.property_id)
        return formset


@admin.register(PriceConstructor)
class PriceConstructorAdmin(admin.ModelAdmin):
    list_display = (
        "property",
        "prepayment_percent",
        "payment_limit_hours",
        "payment_days_before_arrival",
        "provider_may_cancel",
    )
    list_filter = ("provider_may_cancel", "property__organization")
    search_fields = ("property__name", "property__organization__name")
    list_select_related = ("property",)
    autocomplete_fields = ("property",)
    inlines = (CancellationTierInline,)


@admin.register(CancellationTier)
class CancellationTierAdmin(admin.ModelAdmin):
    list_display = ("constructor", "rate_plan", "days_before", "refund_percent")
    list_filter = ("constructor__property",)
    search_fields = ("constructor__property__name", "rate_plan__name")
    list_select_related = ("constructor__property", "rate_plan__property")
    autocomplete_fields = ("constructor", "rate_plan")
