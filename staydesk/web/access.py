"""Who the provider pages serve: a signed-in member of an organization, scoped to it.

``provider_view`` puts ``request.organization``, ``request.scope`` and ``request.actor`` on
the request; every page and query below it reads only through that scope, so another
organization's booking is a 404, never a leak.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from staydesk.accounts.selectors import is_owner, organizations_of
from staydesk.bookings.actors import Actor
from staydesk.core.tenancy import Scope

SESSION_ORGANIZATION = "staydesk_organization_id"


def provider_view(view):
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        organizations = organizations_of(user=request.user)
        if not organizations:
            raise PermissionDenied("Not a member of any organization.")
        chosen = request.session.get(SESSION_ORGANIZATION)
        organization = next((o for o in organizations if o.pk == chosen), organizations[0])
        request.organization = organization
        request.organizations = organizations
        request.scope = Scope(organization_id=organization.pk)
        request.actor = Actor.provider(request.user)
        return view(request, *args, **kwargs)

    return wrapped


def owner_or_403(request, message: str) -> None:
    """Some pages change what the whole organization relies on (API keys, webhooks, calendar
    links): staff may look, only an owner may change them."""
    if not is_owner(user=request.user, organization=request.organization):
        raise PermissionDenied(message)
