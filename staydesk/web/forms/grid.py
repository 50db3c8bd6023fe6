"""The bookings grid's filter form and bulk action form.

The filter form only renders the fields and reports errors: the reading itself is
``BookingFilters.from_params``, the same parser the CSV export and the API use.
"""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from staydesk.bookings.filters import BookingFilters
from staydesk.bookings.services.bulk import BULK_ACTIONS, MAX_REASON
from staydesk.bookings.services.perform import CANCELLATION_TYPES
from staydesk.bookings.states import Status
from staydesk.core.errors import InvalidInput


def _date(label):
    return forms.CharField(label=label, required=False, widget=forms.DateInput({"type": "date"}))


def _text(label, **attrs):
    return forms.CharField(label=label, required=False, widget=forms.TextInput(attrs))


def page_size(raw) -> int:
    """The page size asked for, as one of the allowed sizes (larger ones are capped)."""
    sizes = sorted(settings.STAYDESK_GRID_PAGE_SIZES)
    try:
        wanted = int(raw)
    except (TypeError, ValueError):
        return sizes[0]
    if wanted < 1:
        return sizes[0]
    return next((size for size in sizes if size >= wanted), sizes[-1])


class GridFilterForm(forms.Form):
    """Every filter of SPEC §5; ``filters`` holds the parsed ``BookingFilters`` once valid.

    Fields accept any text, so what was typed is shown back with the error next to it.
    """

    booked_from = _date(_("Booked from"))
    booked_to = _date(_("Booked until"))
    arrival_from = _date(_("Arrival from"))
    arrival_to = _date(_("Arrival until"))
    departure_from = _date(_("Departure from"))
    departure_to = _date(_("Departure until"))
    code = _text(_("Booking code"), autocomplete="off", spellcheck="false")
    guest_last_name = _text(_("Guest last name"), autocomplete="off")
    guest_first_name = _text(_("Guest first name"), autocomplete="off")
    rate_plan = _text(_("Rate plan"))
    property = forms.CharField(label=_("Property"), required=False, widget=forms.Select)
    promotion = _text(_("Promotion ID"), autocomplete="off")
    variant = _text(_("Promotion variant"))
    required_action = forms.CharField(
        label=_("Required action"),
        required=False,
        widget=forms.Select(
            choices=[("", _("Any")), ("done", _("Done")), ("pending", _("Pending"))]
        ),
    )
    kind = forms.CharField(
        label=_("Kind"),
        required=False,
        widget=forms.Select(
            choices=[("", _("All")), ("rooms", _("Rooms")), ("packages", _("Packages"))]
        ),
    )
    deadline_within = forms.CharField(
        label=_("Deadline within (hours)"),
        required=False,
        widget=forms.NumberInput({"min": 1, "step": 1}),
    )
    page_size = forms.CharField(label=_("Rows per page"), required=False, widget=forms.Select)
    status = forms.Field(
        label=_("Status"),
        required=False,
        widget=forms.CheckboxSelectMultiple(choices=Status.choices),
    )
    ordering = forms.CharField(required=False, widget=forms.HiddenInput)

    # Fields laid out in the grid of inputs (status gets a fieldset of its own).
    GRID_FIELDS = (
        "booked_from",
        "booked_to",
        "arrival_from",
        "arrival_to",
        "departure_from",
        "departure_to",
        "code",
        "guest_last_name",
        "guest_first_name",
        "rate_plan",
        "property",
        "promotion",
        "variant",
        "required_action",
        "kind",
        "deadline_within",
        "page_size",
    )

    def __init__(self, *args, properties=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.filters: BookingFilters | None = None
        self.fields["property"].widget.choices = [
            ("", _("All properties")),
            *((str(pk), name) for pk, name in properties),
        ]
        self.fields["page_size"].widget.choices = [
            (str(size), str(size)) for size in settings.STAYDESK_GRID_PAGE_SIZES
        ]

    def grid_fields(self):
        return [self[name] for name in self.GRID_FIELDS]

    def clean(self):
        # Every bad filter gets its error: parse, drop the field it names, parse again.
        params = self.data.copy()
        for _attempt in range(len(self.fields)):
            try:
                self.filters = BookingFilters.from_params(params)
                break
            except InvalidInput as error:
                known = error.field in self.fields
                self.add_error(error.field if known else None, error.message)
                if not known or error.field not in params:
                    break
                params.pop(error.field)
        if self.errors:
            self.filters = None
        return self.cleaned_data

    def selected_page_size(self) -> int:
        return page_size(self.data.get("page_size"))


ACTION_LABELS = {"confirm": _("Confirm"), "reject": _("Reject"), "cancel": _("Cancel")}


class BulkActionForm(forms.Form):
    """What to do to the ticked rows. The bulk service checks the rest (codes, cancel needs
    a type and a reason) so the API gets the same answers."""

    action = forms.ChoiceField(
        label=_("Action"), choices=[(name, ACTION_LABELS[name]) for name in BULK_ACTIONS]
    )
    type = forms.ChoiceField(
        label=_("Cancellation type"),
        required=False,
        choices=[("", "—"), *CANCELLATION_TYPES.items()],
        help_text=_("Required to cancel."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=MAX_REASON,
        widget=forms.Textarea({"rows": 2, "cols": 40}),
        help_text=_("Required to cancel; sent to the guest."),
    )
    code = forms.Field(required=False, widget=forms.MultipleHiddenInput)
