"""The organization's API keys: create (the token is shown once), list, revoke. Owners only."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from staydesk.accounts.models import ApiKey
from staydesk.accounts.services import api_key_create, api_key_revoke
from staydesk.web.access import owner_or_403, provider_view
from staydesk.web.forms.api_keys import ApiKeyForm


def _owner_or_403(request) -> None:
    owner_or_403(request, _("Only an owner manages the organization's API keys."))


@provider_view
@require_http_methods(["GET", "POST"])
def api_keys(request):
    _owner_or_403(request)
    form = ApiKeyForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _key, new_token = api_key_create(
            name=form.cleaned_data["name"], organization=request.organization
        )
        form = ApiKeyForm()
    keys = ApiKey.objects.filter(organization=request.organization).order_by("-created_at")
    return render(
        request,
        "web/api_keys.html",
        {"nav": "api_keys", "form": form, "keys": keys, "new_token": new_token},
    )


@provider_view
@require_POST
def api_key_revoke_view(request, key_id: int):
    _owner_or_403(request)
    key = get_object_or_404(ApiKey, pk=key_id, organization=request.organization)
    api_key_revoke(key=key)
    messages.success(request, _("The key %(name)s is revoked.") % {"name": key.name})
    return redirect("web:api_keys")
