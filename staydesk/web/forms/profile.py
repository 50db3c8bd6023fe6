"""The profile page's forms: the organization's notification contacts and one's own language."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from staydesk.core.errors import InvalidInput
from staydesk.core.phones import normalize_phone


class ContactsForm(forms.Form):
    email = forms.EmailField(
        label=_("Notification email"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("New bookings, requests and reminders go here."),
    )
    phone = forms.CharField(
        label=_("Notification mobile phone"),
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        help_text=_("In international format, e.g. +48601234567. SMS alerts go here."),
    )

    def clean_phone(self) -> str:
        try:
            return normalize_phone(self.cleaned_data["phone"])
        except InvalidInput as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from exc


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Your language"), choices=settings.LANGUAGES)
