"""The organization's webhook endpoints: owners manage them, staff may look (no secrets)."""

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from staydesk.accounts.selectors import is_owner
from staydesk.core.errors import DomainError
from staydesk.web.access import owner_or_403, provider_view
from staydesk.web.forms.webhooks import WebhookForm
from staydesk.webhooks import services
from staydesk.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint

RECENT_DELIVERIES = 25


def _owner_or_403(request) -> None:
    owner_or_403(request, _("Only an owner manages the organization's webhooks."))


def _endpoint(request, endpoint_id: int) -> WebhookEndpoint:
    return get_object_or_404(WebhookEndpoint, pk=endpoint_id, organization=request.organization)


@provider_view
@require_http_methods(["GET", "POST"])
def webhook_list(request):
    owner = is_owner(user=request.user, organization=request.organization)
    form = WebhookForm(request.POST or None) if owner else None
    if request.method == "POST":
        _owner_or_403(request)
        if form.is_valid():
            endpoint = services.endpoint_create(
                organization=request.organization, **form.cleaned_data
            )
            messages.success(request, _("The endpoint is registered. Its signing secret is below."))
            return redirect("web:webhook", endpoint_id=endpoint.pk)
    endpoints = WebhookEndpoint.objects.filter(organization=request.organization).order_by(
        "-created_at"
    )
    return render(
        request,
        "web/webhooks/list.html",
        {"nav": "webhooks", "form": form, "endpoints": endpoints, "is_owner": owner},
    )


@provider_view
@require_http_methods(["GET", "POST"])
def webhook_detail(request, endpoint_id: int):
    """The endpoint, its settings (owners change them here) and its recent deliveries."""
    endpoint = _endpoint(request, endpoint_id)
    owner = is_owner(user=request.user, organization=request.organization)
    form = None
    if owner:
        initial = {
            "url": endpoint.url,
            "events": endpoint.events,
            "description": endpoint.description,
        }
        form = WebhookForm(request.POST or None, initial=initial)
    if request.method == "POST":
        _owner_or_403(request)
        if form.is_valid():
            services.endpoint_update(endpoint=endpoint, **form.cleaned_data)
            messages.success(request, _("The endpoint is saved."))
            return redirect("web:webhook", endpoint_id=endpoint.pk)
    deliveries = (
        WebhookDelivery.objects.filter(endpoint=endpoint)
        .select_related("event")
        .prefetch_related(
            Prefetch("attempt_log", queryset=WebhookAttempt.objects.order_by("started_at", "id"))
        )
        .order_by("-created_at", "-id")[:RECENT_DELIVERIES]
    )
    return render(
        request,
        "web/webhooks/detail.html",
        {
            "nav": "webhooks",
            "endpoint": endpoint,
            "form": form,
            "deliveries": deliveries,
            "is_owner": owner,
        },
    )


@provider_view
@require_POST
def webhook_action(request, endpoint_id: int, action: str):
    _owner_or_403(request)
    endpoint = _endpoint(request, endpoint_id)
    try:
        if action == "rotate":
            services.endpoint_rotate_secret(endpoint=endpoint)
            messages.success(
                request,
                _("A new secret is set. The old one keeps signing for %(h)s hours.")
                % {"h": _overlap_hours()},
            )
        elif action == "enable":
            services.endpoint_update(endpoint=endpoint, enabled=True)
            messages.success(request, _("The endpoint is enabled."))
        elif action == "disable":
            services.endpoint_update(endpoint=endpoint, enabled=False)
            messages.success(request, _("The endpoint is disabled."))
        elif action == "ping":
            services.endpoint_ping(endpoint=endpoint)
            messages.success(request, _("A test ping is on its way; see it below."))
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("web:webhook", endpoint_id=endpoint.pk)


def _overlap_hours() -> int:
    from django.conf import settings

    return settings.STAYDESK_WEBHOOK_SECRET_OVERLAP_HOURS


@provider_view
@require_http_methods(["GET", "POST"])
def webhook_delete(request, endpoint_id: int):
    """GET asks for confirmation (changes nothing); POST deletes."""
    _owner_or_403(request)
    endpoint = _endpoint(request, endpoint_id)
    if request.method == "POST":
        services.endpoint_delete(endpoint=endpoint)
        messages.success(request, _("The endpoint %(url)s is deleted.") % {"url": endpoint.url})
        return redirect("web:webhooks")
    return render(
        request,
        "web/webhooks/delete_confirm.html",
        {"nav": "webhooks", "endpoint": endpoint, "count": endpoint.deliveries.count()},
    )


@provider_view
@require_POST
def webhook_redeliver(request, endpoint_id: int, delivery_id: int):
    _owner_or_403(request)
    endpoint = _endpoint(request, endpoint_id)
    delivery = get_object_or_404(WebhookDelivery, pk=delivery_id, endpoint=endpoint)
    delivery.endpoint = endpoint
    try:
        services.delivery_redeliver(delivery=delivery)
        messages.success(
            request,
            _("Delivery %(id)s is queued again with the same webhook-id.")
            % {"id": delivery.message_id},
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("web:webhook", endpoint_id=endpoint.pk)
