"""Properties and what they sell, in the operator's console.

Capacity changes go through ``catalog.services`` so the stock counters follow them.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from staydesk.catalog.models import (
    Package,
    Promotion,
    PromotionVariant,
    Property,
    RatePlan,
    RatePrice,
    RatePriceOverride,
    RoomType,
)
from staydesk.catalog.services import capacity_refusal, sellable_of, sellable_sync_capacity
from staydesk.core.errors import DomainError

# --- stock capacity ------------------------------------------------------------------------


class CapacityForm(forms.ModelForm):
    """Refuses a capacity below what is already booked on a coming date."""

    def clean(self):
        data = super().clean()
        sellable = sellable_of(self.instance)
        if sellable is None or sellable.capacity_field not in self.changed_data:
            return data
        new = data.get(sellable.capacity_field)
        if new is not None and (error := capacity_refusal(sellable=sellable, capacity=new)):
            self.add_error(sellable.capacity_field, error.message)
        return data


def _sync_stock(request, obj) -> None:
    try:
        sellable_sync_capacity(obj=obj)
    except DomainError as exc:  # booked in the meantime, after the form was checked
        transaction.set_rollback(True)  # the admin's own transaction: nothing is saved
        messages.error(request, exc.message)


class StockCapacityMixin:
    """Keeps stock counters in step with capacities edited on the page or in its inlines."""

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        sellable = sellable_of(obj)
        if change and sellable and sellable.capacity_field in form.changed_data:
            _sync_stock(request, obj)

    def save_formset(self, request, form, formset, change) -> None:
        super().save_formset(request, form, formset, change)
        for obj, changed_fields in formset.changed_objects:
            sellable = sellable_of(obj)
            if sellable and sellable.capacity_field in changed_fields:
                _sync_stock(request, obj)


# --- properties --------------------------------------------------------------------------


class PropertyForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("languages"),
        choices=settings.LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class RoomTypeInline(admin.TabularInline):
    model = RoomType
    form = CapacityForm
    extra = 0
    show_change_link = True


class RatePlanInline(admin.TabularInline):
    model = RatePlan
    extra = 0
    show_change_link = True


@admin.register(Property)
class PropertyAdmin(StockCapacityMixin, admin.ModelAdmin):
    form = PropertyForm
    list_display = (
        "name",
        "organization",
        "booking_mode",
        "country",
        "currency",
        "timezone",
        "created_at",
    )
    list_filter = ("booking_mode", "country", "currency", "organization")
    search_fields = ("name", "address", "organization__name", "contact_email")
    list_select_related = ("organization",)
    autocomplete_fields = ("organization",)
    date_hierarchy = "created_at"
    inlines = (RoomTypeInline, RatePlanInline)
    fieldsets = (
        (None, {"fields": ("organization", "name", "booking_mode")}),
        (_("Location"), {"fields": ("address", "country", "timezone")}),
        (
            _("Stay"),
            {"fields": ("currency", "languages", "check_in_time", "check_out_time")},
        ),
        (
            _("Contact details (shown to the guest once paid)"),
            {"fields": ("contact_email", "contact_phone", "website")},
        ),
    )


@admin.register(RoomType)
class RoomTypeAdmin(StockCapacityMixin, admin.ModelAdmin):
    form = CapacityForm
    list_display = ("name", "property", "units", "max_adults", "max_children")
    list_filter = ("property__organization", "property")
    search_fields = ("name", "property__name")
    list_select_related = ("property",)
    autocomplete_fields = ("property",)


# --- rate plans ----------------------------------------------------------------------------


class RoomTypeOfPlanMixin:
    """Offers only the room types of the rate plan's own property."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None:
            field = formset.form.base_fields["room_type"]
            field.queryset = field.queryset.filter(property_id=obj.property_id)
        return formset


class RatePriceInline(RoomTypeOfPlanMixin, admin.TabularInline):
    model = RatePrice
    extra = 0


class RatePriceOverrideInline(RoomTypeOfPlanMixin, admin.TabularInline):
    model = RatePriceOverride
    extra = 0


@admin.register(RatePlan)
class RatePlanAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "property",
        "is_active",
        "included_adults",
        "extra_adult_price",
        "extra_child_price",
    )
    list_filter = ("is_active", "property__organization", "property")
    search_fields = ("name", "property__name")
    list_select_related = ("property",)
    autocomplete_fields = ("property",)
    inlines = (RatePriceInline, RatePriceOverrideInline)


@admin.register(RatePrice)
class RatePriceAdmin(admin.ModelAdmin):
    list_display = ("rate_plan", "room_type", "price")
    list_filter = ("rate_plan__property", "rate_plan__name")
    search_fields = ("rate_plan__name", "room_type__name", "rate_plan__property__name")
    list_select_related = ("rate_plan__property", "room_type__property")
    autocomplete_fields = ("rate_plan", "room_type")


@admin.register(RatePriceOverride)
class RatePriceOverrideAdmin(admin.ModelAdmin):
    list_display = ("rate_plan", "room_type", "start", "end", "price")
    list_filter = ("rate_plan__property", "rate_plan__name")
    search_fields = ("rate_plan__name", "room_type__name", "rate_plan__property__name")
    list_select_related = ("rate_plan__property", "room_type__property")
    autocomplete_fields = ("rate_plan", "room_type")
    date_hierarchy = "start"


# --- packages and promotions ---------------------------------------------------------------


@admin.register(Package)
class PackageAdmin(StockCapacityMixin, admin.ModelAdmin):
    form = CapacityForm
    list_display = ("name", "property", "price", "nights", "capacity_per_date", "max_adults")
    list_filter = ("property__organization", "property", "nights")
    search_fields = ("name", "description", "required_action_text", "property__name")
    list_select_related = ("property",)
    autocomplete_fields = ("property",)


class PromotionVariantInline(admin.TabularInline):
    model = PromotionVariant
    form = CapacityForm
    extra = 0


@admin.register(Promotion)
class PromotionAdmin(StockCapacityMixin, admin.ModelAdmin):
    list_display = ("public_id", "name", "property", "valid_from", "valid_to")
    list_filter = ("property__organization", "property")
    search_fields = ("public_id", "name", "property__name")
    list_select_related = ("property",)
    autocomplete_fields = ("property",)
    inlines = (PromotionVariantInline,)


@admin.register(PromotionVariant)
class PromotionVariantAdmin(StockCapacityMixin, admin.ModelAdmin):
    form = CapacityForm
    list_display = ("name", "promotion", "price", "nights", "capacity_per_date", "max_adults")
    list_filter = ("promotion__property", "promotion")
    search_fields = ("name", "promotion__public_id", "promotion__name")
    list_select_related = ("promotion",)
    autocomplete_fields = ("promotion",)
