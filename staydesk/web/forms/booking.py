"""The booking page's action forms and the words for each action (input only, no rules).

Which actions exist and which are destructive is decided by ``bookings.services.perform``;
here each public action name gets its button label, its confirmation question and the message
shown once it is done.
"""

from dataclasses import dataclass

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from staydesk.bookings.services.actions import MAX_REASON
from staydesk.bookings.services.perform import ACTION_NAMES, CANCEL, CANCELLATION_TYPES


@dataclass(frozen=True)
class ActionText:
    label: str | Promise  # the menu entry and the button
    question: str | Promise  # asked on the confirmation page
    done: str | Promise  # the success message


ACTION_TEXTS: dict[str, ActionText] = {
    "confirm": ActionText(
        _("Confirm request"),
        _("Confirm this booking request? The guest is asked to pay if a prepayment is due."),
        _("The booking is confirmed."),
    ),
    "reject": ActionText(
        _("Reject request"),
        _("Reject this booking request? The units are released and this cannot be undone."),
        _("The booking request is rejected."),
    ),
    CANCEL: ActionText(
        _("Cancel booking"),
        _(
            "Cancel this booking? Everything the guest paid is refunded, the units are released "
            "and this cannot be undone."
        ),
        _("The booking is cancelled."),
    ),
    "resend-confirmation": ActionText(
        _("Resend confirmation email"),
        _("Send the confirmation email to the guest again?"),
        _("The confirmation email will be sent again."),
    ),
    "required-action": ActionText(
        _("Mark required action done"),
        _(
            "Mark the required action as done? The guest's voucher then shows a confirmation "
            "instead of the instructions."
        ),
        _("The required action is marked done."),
    ),
    "check-in": ActionText(
        _("Confirm check-in"),
        _("Confirm that the guest has arrived? The booking is completed and the payout released."),
        _("Check-in confirmed: the booking is completed."),
    ),
    "no-show": ActionText(
        _("Mark no-show"),
        _(
            "Mark the guest as a no-show? The booking counts as a refusal, the prepaid money "
            "stays with you and this cannot be undone."
        ),
        _("The booking is marked as a no-show."),
    ),
}
assert set(ACTION_TEXTS) == set(ACTION_NAMES), "every public action needs its words"


class ActionForm(forms.Form):
    """An action without input: only the CSRF token and the confirmation click."""

    def action_arguments(self) -> dict[str, str]:
        return {}


class RejectForm(ActionForm):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded in the booking's history."),
    )

    def action_arguments(self) -> dict[str, str]:
        return {"reason": self.cleaned_data["reason"]}


class CancelForm(ActionForm):
    # Named as in the API (``type``, ``reason``), so a service error names the same field.
    type = forms.ChoiceField(
        label=_("Cancellation type"),
        choices=[("", _("Choose…")), *CANCELLATION_TYPES.items()],
        error_messages={"required": _("Choose a cancellation type.")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Recorded in the booking's history."),
        error_messages={"required": _("Give a reason for the cancellation.")},
    )

    def action_arguments(self) -> dict[str, str]:
        return {
            "cancellation_type": self.cleaned_data["type"],
            "reason": self.cleaned_data["reason"],
        }


FORMS: dict[str, type[ActionForm]] = {"reject": RejectForm, CANCEL: CancelForm}


def action_form(name: str, data=None) -> ActionForm:
    return FORMS.get(name, ActionForm)(data=data)
