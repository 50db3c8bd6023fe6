from django import forms
from django.utils.translation import gettext_lazy as _


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the new key"),
        max_length=100,
        help_text=_("Where it is used, e.g. “Channel manager”."),
    )
