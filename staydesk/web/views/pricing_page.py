"""The price constructor page itself: every section's form, filled from the database or, after
a refused save, the bound form that carries the errors.
"""

from decimal import Decimal

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from staydesk.catalog.models import Property
from staydesk.core import clock
from staydesk.core.money import round_money
from staydesk.pricing.selectors import TierBand, constructor_overview, tier_bands
from staydesk.pricing.services import price_cell
from staydesk.web.forms.pricing import (
    BLANK_TIER_ROWS,
    ConstructorSettingsForm,
    NightlyPricesForm,
    OverrideForm,
    RatePlanForm,
    RoomTypeForm,
    TiersForm,
)


def amount_text(value: Decimal | None, currency: str) -> str:
    return "" if value is None else str(round_money(value, currency))


def percent_text(value: Decimal) -> str:
    return f"{Decimal(value).normalize():f}"


def _band_text(band: TierBand) -> str:
    """One band of the cancellation tiers in plain words."""
    low, high, percent = band.min_days, band.max_days, band.refund_percent
    if high is None and low == 0:
        when = _("Whenever the guest cancels")
    elif high is None:
        when = ngettext(
            "%(n)s day or more before arrival", "%(n)s days or more before arrival", low
        ) % {"n": low}
    elif high == 0:
        when = _("On the arrival day")
    elif low == 0:
        when = ngettext(
            "Less than %(n)s day before arrival", "Less than %(n)s days before arrival", high + 1
        ) % {"n": high + 1}
    elif low == high:
        when = ngettext("%(n)s day before arrival", "%(n)s days before arrival", low) % {"n": low}
    else:
        when = _("%(low)s to %(high)s days before arrival") % {"low": low, "high": high}
    if percent == 0:
        what = _("nothing is refundable")
    elif percent == 100:
        what = _("the whole total is refundable")
    else:
        what = _("%(percent)s %% of the total is refundable") % {"percent": percent_text(percent)}
    return _("%(when)s: %(what)s.") % {"when": when, "what": what}


def _tiers_form(key: str, tiers, bound: dict) -> TiersForm:
    if key in bound:
        return bound[key]
    initial = {"rows": len(tiers) + BLANK_TIER_ROWS}
    for i, tier in enumerate(tiers):
        initial[f"days_{i}"] = tier.days_before
        initial[f"percent_{i}"] = percent_text(tier.refund_percent)
    return TiersForm(initial=initial, row_count=initial["rows"], auto_id=f"{key}-%s")


def render_page(request, prop: Property, *, bound: dict | None = None, status: int = 200):
    """The whole constructor page; ``bound`` holds the form of a refused save, by its key."""
    bound = bound or {}
    view = constructor_overview(property=prop)
    currency = prop.currency
    c = view.constructor

    settings_form = bound.get("settings") or ConstructorSettingsForm(
        initial={
            "prepayment_percent": percent_text(c.prepayment_percent),
            "payment_limit_hours": c.payment_limit_hours,
            "payment_days_before_arrival": c.payment_days_before_arrival,
            "provider_may_cancel": c.provider_may_cancel,
        },
        auto_id="settings-%s",
    )
    room_types = [
        (
            room,
            bound.get(f"rt-{room.pk}")
            or RoomTypeForm(
                initial={
                    "name": room.name,
                    "units": room.units,
                    "max_adults": room.max_adults,
                    "max_children": room.max_children,
                },
                auto_id=f"rt-{room.pk}-%s",
            ),
        )
        for room in view.room_types
    ]
    new_room_type = bound.get("rt-new") or RoomTypeForm(
        initial={"units": 1, "max_adults": 2, "max_children": 0}, auto_id="rt-new-%s"
    )
    rate_plans = [
        (
            plan,
            bound.get(f"rp-{plan.pk}")
            or RatePlanForm(
                initial={
                    "name": plan.name,
                    "is_active": plan.is_active,
                    "included_adults": plan.included_adults,
                    "extra_adult_price": amount_text(plan.extra_adult_price, currency),
                    "extra_child_price": amount_text(plan.extra_child_price, currency),
                },
                currency=currency,
                auto_id=f"rp-{plan.pk}-%s",
            ),
        )
        for plan in view.rate_plans
    ]
    new_rate_plan = bound.get("rp-new") or RatePlanForm(
        initial={
            "is_active": True,
            "included_adults": 2,
            "extra_adult_price": amount_text(Decimal(0), currency),
            "extra_child_price": amount_text(Decimal(0), currency),
        },
        currency=currency,
        auto_id="rp-new-%s",
    )
    prices_form = bound.get("prices") or NightlyPricesForm(
        initial={
            price_cell(plan, room): amount_text(price, currency)
            for (plan, room), price in view.prices.items()
        },
        rate_plans=view.rate_plans,
        room_types=view.room_types,
        currency=currency,
        auto_id="prices-%s",
    )
    matrix = [
        (plan, [prices_form[price_cell(plan.pk, room.pk)] for room in view.room_types])
        for plan in view.rate_plans
    ]
    override_form = bound.get("ov-new") or OverrideForm(
        rate_plans=view.rate_plans,
        room_types=view.room_types,
        currency=currency,
        auto_id="ov-new-%s",
    )
    for override in view.overrides:
        override.price_text = amount_text(override.price, currency)
    default_tiers = view.tiers.get(None, [])
    tier_sections = [
        {
            "key": "tiers-default",
            "rate_plan": None,
            "title": _("Property default"),
            "form": _tiers_form("tiers-default", default_tiers, bound),
            "summary": [_band_text(b) for b in tier_bands(default_tiers)],
            "follows_default": False,
        }
    ]
    for plan in view.rate_plans:
        own = view.tiers.get(plan.pk, [])
        key = f"tiers-{plan.pk}"
        tier_sections.append(
            {
                "key": key,
                "rate_plan": plan,
                "title": plan.name,
                "form": _tiers_form(key, own, bound),
                "summary": [_band_text(b) for b in tier_bands(own or default_tiers)],
                "follows_default": not own,
            }
        )
    context = {
        "nav": "pricing",
        "property": prop,
        "currency": currency,
        "constructor": c,
        "today": clock.local_date(prop.timezone),
        "settings_form": settings_form,
        "room_types": room_types,
        "new_room_type": new_room_type,
        "rate_plans": rate_plans,
        "new_rate_plan": new_rate_plan,
        "plain_room_types": view.room_types,
        "prices_form": prices_form,
        "matrix": matrix,
        "override_form": override_form,
        "overrides": view.overrides,
        "tier_sections": tier_sections,
        "has_errors": bool(bound),
    }
    return render(request, "web/pricing/property.html", context, status=status)
