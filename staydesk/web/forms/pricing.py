"""Forms of the price constructor pages: they read the input, the pricing services judge it.

Field names are plain (no prefixes) because every section is a ``<form>`` of its own; each
form gets its own ``auto_id`` so the ids on the page stay unique.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from staydesk.catalog.services import MAX_GUESTS, MAX_UNITS
from staydesk.core.errors import DomainError, InvalidInput
from staydesk.pricing.services import (
    MAX_INCLUDED_ADULTS,
    MAX_PAYMENT_DAYS_BEFORE_ARRIVAL,
    MAX_PAYMENT_LIMIT_HOURS,
    MAX_TIER_DAYS,
    price_cell,
    price_parse,
)

MAX_TIER_ROWS = 30
BLANK_TIER_ROWS = 3


def add_domain_error(form: forms.Form, exc: DomainError) -> None:
    """Show a service's refusal at its field, or above the form when no field matches."""
    form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))


class PriceInput(forms.TextInput):
    def __init__(self, attrs=None):
        super().__init__(
            {"inputmode": "decimal", "autocomplete": "off", "size": 9, **(attrs or {})}
        )


class PricesForm(forms.Form):
    """A form with amount fields, parsed in the property's currency (``price_fields``)."""

    price_fields: tuple[str, ...] = ()

    def __init__(self, *args, currency: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.currency = currency

    def clean(self):
        data = super().clean()
        for name in self.price_fields:
            raw = data.get(name)
            if raw in (None, ""):
                data[name] = None
                continue
            # A decimal comma is as good as a dot ("12,50").
            text = str(raw).strip()
            if "," in text and "." not in text:
                text = text.replace(",", ".")
            try:
                data[name] = price_parse(text, currency=self.currency, field=name)
            except InvalidInput as exc:
                self.add_error(name, str(exc.message))
        return data


class ConstructorSettingsForm(forms.Form):
    prepayment_percent = forms.DecimalField(
        # xgettext:no-python-format
        label=_("Minimum prepayment (% of the total)"),
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        help_text=_("0 means no prepayment: the guest pays at the property."),
    )
    payment_limit_hours = forms.IntegerField(
        label=_("Payment time limit (hours after confirmation)"),
        min_value=1,
        max_value=MAX_PAYMENT_LIMIT_HOURS,
    )
    payment_days_before_arrival = forms.IntegerField(
        label=_("Pay at the latest N days before arrival"),
        min_value=0,
        max_value=MAX_PAYMENT_DAYS_BEFORE_ARRIVAL,
        required=False,
        help_text=_("Optional. Leave blank for no such limit."),
    )
    provider_may_cancel = forms.BooleanField(
        label=_("We may cancel confirmed bookings (the guest gets a full refund)"),
        required=False,
    )


class RoomTypeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    units = forms.IntegerField(label=_("Units"), min_value=0, max_value=MAX_UNITS)
    max_adults = forms.IntegerField(label=_("Max adults"), min_value=1, max_value=MAX_GUESTS)
    max_children = forms.IntegerField(label=_("Max children"), min_value=0, max_value=MAX_GUESTS)


class RatePlanForm(PricesForm):
    price_fields = ("extra_adult_price", "extra_child_price")

    name = forms.CharField(label=_("Name"), max_length=200)
    is_active = forms.BooleanField(label=_("Active (bookable)"), required=False)
    included_adults = forms.IntegerField(
        label=_("Adults included in the price"), min_value=1, max_value=MAX_INCLUDED_ADULTS
    )
    extra_adult_price = forms.CharField(
        label=_("Each further adult, per night"), widget=PriceInput, max_length=30
    )
    extra_child_price = forms.CharField(
        label=_("Each child, per night"), widget=PriceInput, max_length=30
    )


class NightlyPricesForm(PricesForm):
    """The matrix rate plan x room type: one optional base price per night in each cell."""

    def __init__(self, *args, rate_plans, room_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.cells: dict[str, tuple[int, int]] = {}
        for plan in rate_plans:
            for room in room_types:
                name = price_cell(plan.pk, room.pk)
                self.cells[name] = (plan.pk, room.pk)
                self.fields[name] = forms.CharField(
                    label=_("%(room)s in %(plan)s, per night")
                    % {"room": room.name, "plan": plan.name},
                    required=False,
                    max_length=30,
                    widget=PriceInput,
                )
        self.price_fields = tuple(self.cells)

    def prices(self) -> dict[tuple[int, int], object]:
        """The cells that were posted: one added since the page was loaded stays as it is."""
        return {
            cell: self.cleaned_data[name] for name, cell in self.cells.items() if name in self.data
        }


class OverrideForm(PricesForm):
    price_fields = ("price",)

    def __init__(self, *args, rate_plans, room_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rate_plan"].choices = [(p.pk, p.name) for p in rate_plans]
        self.fields["room_type"].choices = [(r.pk, r.name) for r in room_types]

    rate_plan = forms.TypedChoiceField(label=_("Rate plan"), coerce=int)
    room_type = forms.TypedChoiceField(label=_("Room type"), coerce=int)
    start = forms.DateField(label=_("First night"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(
        label=_("Last night (included)"), widget=forms.DateInput(attrs={"type": "date"})
    )
    price = forms.CharField(label=_("Price per night"), widget=PriceInput, max_length=30)


class TiersForm(forms.Form):
    """Rows of "at least N days before arrival -> R % refundable"; a blank row is no tier."""

    rows = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_TIER_ROWS)

    def __init__(self, *args, row_count: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.row_count = max(1, min(row_count, MAX_TIER_ROWS))
        for i in range(self.row_count):
            self.fields[f"days_{i}"] = forms.IntegerField(
                label=_("At least N days before arrival (row %(n)s)") % {"n": i + 1},
                min_value=0,
                max_value=MAX_TIER_DAYS,
                required=False,
                widget=forms.NumberInput(attrs={"size": 5}),
            )
            self.fields[f"percent_{i}"] = forms.DecimalField(
                label=_("Refundable %% of the total (row %(n)s)") % {"n": i + 1},
                min_value=0,
                max_value=100,
                max_digits=5,
                decimal_places=2,
                required=False,
                widget=forms.NumberInput(attrs={"size": 6, "step": "0.01"}),
            )

    @staticmethod
    def rows_posted(data) -> int:
        try:
            return int(data.get("rows", BLANK_TIER_ROWS))
        except (TypeError, ValueError):
            return BLANK_TIER_ROWS

    def clean(self):
        data = super().clean()
        for i in range(self.row_count):
            days, percent = data.get(f"days_{i}"), data.get(f"percent_{i}")
            invalid = self.has_error(f"days_{i}") or self.has_error(f"percent_{i}")
            if (days is None) != (percent is None) and not invalid:
                missing = f"percent_{i}" if percent is None else f"days_{i}"
                self.add_error(missing, _("Fill in both, or leave the row blank to remove it."))
        return data

    def row_fields(self):
        """(days field, percent field) per row, for the template."""
        return [(self[f"days_{i}"], self[f"percent_{i}"]) for i in range(self.row_count)]

    def tiers(self) -> list[tuple[int, object]]:
        pairs = (
            (self.cleaned_data[f"days_{i}"], self.cleaned_data[f"percent_{i}"])
            for i in range(self.row_count)
        )
        return [(d, p) for d, p in pairs if d is not None and p is not None]
