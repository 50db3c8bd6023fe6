"""The price constructor pages (SPEC §2, §4): one page per property, a small form per section.

Each section's form posts to ``/pricing/<property>/<part>/``. A save the services accept
redirects back to the section with a message; a refused one re-renders the page with the
errors next to the fields (nothing was written: each service is one transaction). Only the
organization's own properties are found; any other id is a 404, for reads and posts alike.
"""

from django.contrib import messages
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from staydesk.catalog.models import Property, RatePlan, RoomType
from staydesk.catalog.services import room_type_save
from staydesk.core.errors import DomainError, NotFound
from staydesk.pricing.models import PriceConstructor
from staydesk.pricing.selectors import (
    constructor_overview,
    constructor_property_get,
    constructor_property_list,
    price_constructor_reset_preview,
)
from staydesk.pricing.services import (
    cancellation_tiers_replace,
    nightly_prices_set,
    price_constructor_reset,
    price_constructor_update,
    price_override_add,
    price_override_delete,
    rate_plan_save,
)
from staydesk.web.access import provider_view
from staydesk.web.forms.pricing import (
    ConstructorSettingsForm,
    NightlyPricesForm,
    OverrideForm,
    RatePlanForm,
    RoomTypeForm,
    TiersForm,
    add_domain_error,
)
from staydesk.web.views.pricing_page import percent_text, render_page

FORM_ERROR_STATUS = 422


def _property_or_404(request, property_id: int) -> Property:
    try:
        return constructor_property_get(scope=request.scope, property_id=property_id)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc


def _section_url(prop: Property, section: str) -> str:
    return reverse("web:pricing_property", args=[prop.pk]) + "#" + section


def _posted_id(request, name: str) -> int | None:
    """The id of the edited row (blank: a new one); anything else than a number is a 404."""
    raw = request.POST.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404
    return int(raw)


def _own(model, prop: Property, pk: int | None):
    if pk is None:
        return None
    found = model.objects.filter(property=prop, pk=pk).first()
    if found is None:
        raise Http404
    return found


@provider_view
@require_GET
def pricing_index(request):
    properties = constructor_property_list(scope=request.scope).order_by("name", "pk")
    return render(request, "web/pricing/index.html", {"properties": properties, "nav": "pricing"})


@provider_view
def pricing_property(request, property_id: int):
    prop = _property_or_404(request, property_id)  # another's property: 404 for any method
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return render_page(request, prop)


# --- the sections' saves -------------------------------------------------------------------


def _save(request, prop: Property, *, key: str, form, section: str, write, message):
    """Validate ``form``, run ``write(cleaned_data)`` (a service), redirect or re-render."""
    if form.is_valid():
        try:
            result = write(form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
            return render_page(request, prop, bound={key: form}, status=exc.status)
        messages.success(request, message(result))
        return redirect(_section_url(prop, section))
    return render_page(request, prop, bound={key: form}, status=FORM_ERROR_STATUS)


def _save_settings(request, prop: Property):
    return _save(
        request,
        prop,
        key="settings",
        form=ConstructorSettingsForm(request.POST, auto_id="settings-%s"),
        section="settings",
        write=lambda data: price_constructor_update(property=prop, **data),
        message=lambda _c: _("Prepayment and payment settings saved."),
    )


def _save_room_type(request, prop: Property):
    room = _own(RoomType, prop, _posted_id(request, "room_type"))
    key = f"rt-{room.pk}" if room else "rt-new"
    return _save(
        request,
        prop,
        key=key,
        form=RoomTypeForm(request.POST, auto_id=f"{key}-%s"),
        section="room-types",
        write=lambda data: room_type_save(property=prop, room_type=room, **data),
        message=lambda saved: _("Room type “%(name)s” saved.") % {"name": saved.name},
    )


def _save_rate_plan(request, prop: Property):
    plan = _own(RatePlan, prop, _posted_id(request, "rate_plan"))
    key = f"rp-{plan.pk}" if plan else "rp-new"
    return _save(
        request,
        prop,
        key=key,
        form=RatePlanForm(request.POST, currency=prop.currency, auto_id=f"{key}-%s"),
        section="rate-plans",
        write=lambda data: rate_plan_save(property=prop, rate_plan=plan, **data),
        message=lambda saved: _("Rate plan “%(name)s” saved.") % {"name": saved.name},
    )


def _save_prices(request, prop: Property):
    view = constructor_overview(property=prop)
    form = NightlyPricesForm(
        request.POST,
        rate_plans=view.rate_plans,
        room_types=view.room_types,
        currency=prop.currency,
        auto_id="prices-%s",
    )
    return _save(
        request,
        prop,
        key="prices",
        form=form,
        section="prices",
        write=lambda _data: nightly_prices_set(property=prop, prices=form.prices()),
        message=lambda counts: (
            _("Nightly prices saved: %(set)s set, %(cleared)s cleared.") % counts
        ),
    )


def _save_override(request, prop: Property):
    if "delete" in request.POST:
        override_id = _posted_id(request, "delete")
        try:
            removed = price_override_delete(property=prop, override_id=override_id or 0)
        except NotFound as exc:
            raise Http404(str(exc.message)) from exc
        messages.success(
            request,
            _("Price override of %(start)s to %(end)s removed.")
            % {"start": removed.start.isoformat(), "end": removed.end.isoformat()},
        )
        return redirect(_section_url(prop, "overrides"))
    view = constructor_overview(property=prop)
    return _save(
        request,
        prop,
        key="ov-new",
        form=OverrideForm(
            request.POST,
            rate_plans=view.rate_plans,
            room_types=view.room_types,
            currency=prop.currency,
            auto_id="ov-new-%s",
        ),
        section="overrides",
        write=lambda data: price_override_add(property=prop, **data),
        message=lambda saved: (
            _("Price override of %(start)s to %(end)s added.")
            % {"start": saved.start.isoformat(), "end": saved.end.isoformat()}
        ),
    )


def _save_tiers(request, prop: Property):
    plan = _own(RatePlan, prop, _posted_id(request, "rate_plan"))
    key = f"tiers-{plan.pk}" if plan else "tiers-default"
    form = TiersForm(
        request.POST, row_count=TiersForm.rows_posted(request.POST), auto_id=f"{key}-%s"
    )

    def message(_saved) -> str:
        if plan is None:
            return _("Default cancellation tiers saved.")
        return _("Cancellation tiers of “%(name)s” saved.") % {"name": plan.name}

    return _save(
        request,
        prop,
        key=key,
        form=form,
        section="tiers",
        write=lambda _data: cancellation_tiers_replace(
            property=prop, rate_plan=plan, tiers=form.tiers()
        ),
        message=message,
    )


SECTIONS = {
    "settings": _save_settings,
    "room-types": _save_room_type,
    "rate-plans": _save_rate_plan,
    "prices": _save_prices,
    "overrides": _save_override,
    "tiers": _save_tiers,
}


@provider_view
def pricing_edit(request, property_id: int, part: str):
    prop = _property_or_404(request, property_id)
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    if part == "reset":
        # Never erases by itself: the confirmation page says what would go, and posts.
        return redirect("web:pricing_reset", property_id=prop.pk)
    save = SECTIONS.get(part)
    if save is None:
        raise Http404
    if request.method != "POST":
        return redirect(_section_url(prop, part))
    return save(request, prop)


# --- reset ---------------------------------------------------------------------------------


def _erased_message(prop: Property, erased: dict[str, int]) -> str:
    parts = [
        ngettext("%(n)s nightly price", "%(n)s nightly prices", erased["prices"])
        % {"n": erased["prices"]},
        ngettext("%(n)s date-range price", "%(n)s date-range prices", erased["overrides"])
        % {"n": erased["overrides"]},
        ngettext(
            "%(n)s cancellation tier", "%(n)s cancellation tiers", erased["cancellation_tiers"]
        )
        % {"n": erased["cancellation_tiers"]},
        ngettext(
            "%(n)s package or promotion price",
            "%(n)s package and promotion prices",
            erased["offer_prices"],
        )
        % {"n": erased["offer_prices"]},
    ]
    return _(
        "The price constructor of %(property)s was reset. Erased: %(erased)s. Prepayment, "
        "payment time limits and extra-guest charges are back to their defaults. Existing "
        "bookings keep their price and rules. Enter prices again before rooms can be booked."
    ) % {"property": prop.name, "erased": ", ".join(parts)}


@provider_view
def pricing_reset(request, property_id: int):
    """GET: what a reset would erase (changes nothing). POST: erase it."""
    prop = _property_or_404(request, property_id)
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    if request.method == "POST":
        erased = price_constructor_reset(property=prop)
        messages.success(request, _erased_message(prop, erased))
        return redirect("web:pricing_property", property_id=prop.pk)
    defaults = PriceConstructor()
    return render(
        request,
        "web/pricing/reset_confirm.html",
        {
            "nav": "pricing",
            "property": prop,
            "preview": price_constructor_reset_preview(property=prop),
            "defaults": defaults,
            "default_percent": percent_text(defaults.prepayment_percent),
        },
    )
