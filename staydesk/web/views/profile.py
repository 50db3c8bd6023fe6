"""The profile: the organization's notification contacts (owners edit them) and one's language."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from staydesk.accounts.selectors import is_owner, user_language
from staydesk.accounts.services import organization_update_contacts, profile_set_language
from staydesk.web.access import provider_view
from staydesk.web.forms.profile import ContactsForm, LanguageForm

CONTACTS, LANGUAGE = "contacts", "language"


@provider_view
@require_http_methods(["GET", "POST"])
def profile(request):
    organization = request.organization
    can_edit = is_owner(user=request.user, organization=organization)
    contacts = ContactsForm(
        initial={
            "email": organization.notification_email,
            "phone": organization.notification_phone,
        }
    )
    language = LanguageForm(
        initial={"language": user_language(user=request.user) or translation.get_language()}
    )
    if request.method == "POST":
        which = request.POST.get("form")
        if which == CONTACTS:
            if not can_edit:
                raise PermissionDenied(_("Only an owner can change the organization's contacts."))
            contacts = ContactsForm(request.POST)
            if contacts.is_valid():
                organization_update_contacts(
                    organization=organization,
                    user=request.user,
                    email=contacts.cleaned_data["email"],
                    phone=contacts.cleaned_data["phone"],
                )
                messages.success(request, _("The notification contacts are saved."))
                return redirect("web:profile")
        elif which == LANGUAGE:
            language = LanguageForm(request.POST)
            if language.is_valid():
                profile_set_language(user=request.user, language=language.cleaned_data["language"])
                # The next request is served in it (web.middleware.UserLanguageMiddleware).
                with translation.override(language.cleaned_data["language"]):
                    messages.success(request, _("Your language is saved."))
                return redirect("web:profile")
        else:
            return HttpResponseBadRequest()
    context = {
        "nav": "profile",
        "organization": organization,
        "can_edit": can_edit,
        "contacts": contacts,
        "language": language,
    }
    return render(request, "web/profile.html", context)
