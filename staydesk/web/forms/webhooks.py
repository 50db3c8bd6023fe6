from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from staydesk.core.errors import InvalidInput
from staydesk.webhooks.guard import MAX_URL_LENGTH, url_check
from staydesk.webhooks.services import MAX_DESCRIPTION, events_check
from staydesk.webhooks.types import SUBSCRIBABLE, EventType


class WebhookForm(forms.Form):
    url = forms.CharField(
        label=_("URL of your receiver"),
        max_length=MAX_URL_LENGTH,
        widget=forms.URLInput(
            attrs={"placeholder": "https://pms.example.com/staydesk", "size": 60}
        ),
        help_text=_("http:// or https://; private and loopback addresses are refused."),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=[(t, format_lazy("{} — {}", t, EventType(t).label)) for t in SUBSCRIBABLE],
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=MAX_DESCRIPTION,
        required=False,
        help_text=_("What receives it, e.g. “Channel manager”."),
    )

    def _checked(self, check, value):
        try:
            return check(value)
        except InvalidInput as exc:
            raise forms.ValidationError(str(exc.message), code=exc.code) from None

    def clean_url(self) -> str:
        return self._checked(url_check, self.cleaned_data["url"])

    def clean_events(self) -> list[str]:
        return self._checked(events_check, self.cleaned_data["events"])
