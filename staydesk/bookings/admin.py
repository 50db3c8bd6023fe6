"""Bookings in the operator's console.

A booking is created and moved only by the services: the admin cannot add or delete one, its
status and frozen rules are read-only, and the actions below call the same services as the
provider UI and the API (as the platform operator). Only the guest's details can be corrected.
"""

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from staydesk.bookings.actors import Actor
from staydesk.bookings.models import Booking, BookingEvent, OneClickUse
from staydesk.bookings.rules import allowed_actions
from staydesk.bookings.services import (
    GuestDetails,
    booking_check_in,
    booking_confirm,
    booking_expire,
    booking_mark_no_show,
    booking_mark_required_action_done,
    booking_reject,
    booking_resend_confirmation,
    booking_update_guest,
)
from staydesk.bookings.states import Action, ActorKind
from staydesk.core.admin import ReadOnlyModelAdmin, ReadOnlyTabularInline
from staydesk.core.errors import DomainError, InvalidInput
from staydesk.core.money import round_money
from staydesk.core.phones import normalize_phone
from staydesk.payments.ledger import paid_subquery
from staydesk.payments.models import LedgerEntry

# What each offered action is called on a button (Action's labels name the past event).
ACTION_NAMES = {
    Action.CONFIRM: _("Confirm"),
    Action.REJECT: _("Reject"),
    Action.CANCEL_BY_GUEST: _("Cancel for the guest"),
    Action.CANCEL_BY_PROVIDER: _("Cancel as the provider"),
    Action.CHECK_IN: _("Confirm check-in"),
    Action.NO_SHOW: _("Mark as no-show"),
    Action.REQUIRED_ACTION_DONE: _("Mark required action done"),
    Action.RESEND_CONFIRMATION: _("Resend confirmation email"),
}
GUEST_FIELDS = (
    "guest_first_name",
    "guest_last_name",
    "guest_email",
    "guest_phone",
    "guest_language",
)


class BookingForm(forms.ModelForm):
    class Meta:
        model = Booking
        fields = GUEST_FIELDS

    def clean_guest_phone(self) -> str:
        try:
            return normalize_phone(
                self.cleaned_data["guest_phone"], region=self.instance.property.country
            )
        except InvalidInput as exc:
            raise forms.ValidationError(exc.message) from exc


class BookingEventInline(ReadOnlyTabularInline):
    model = BookingEvent
    fields = ("created_at", "action", "from_status", "to_status", "actor_kind", "actor_label")
    verbose_name_plural = _("history")


class LedgerEntryInline(ReadOnlyTabularInline):
    model = LedgerEntry
    fields = ("created_at", "kind", "amount", "currency", "reference", "created_by")
    verbose_name_plural = _("payments, refunds and payouts")


def _run_service(request, queryset, service, **kwargs) -> None:
    """Call ``service`` for each selected booking; report what happened to each."""
    done, refused = [], []
    for booking in queryset.select_related("property"):
        try:
            service(booking=booking, **kwargs)
        except DomainError as exc:
            refused.append((booking.code, str(exc.message)))
        else:
            done.append(booking.code)
    if done:
        messages.success(
            request,
            ngettext("%(n)d booking done: %(codes)s", "%(n)d bookings done: %(codes)s", len(done))
            % {"n": len(done), "codes": ", ".join(done)},
        )
    for code, reason in refused:
        messages.warning(
            request, _("%(code)s refused: %(reason)s") % {"code": code, "reason": reason}
        )


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    form = BookingForm
    list_display = (
        "code",
        "booked_at",
        "guest_full_name",
        "property",
        "offer_name",
        "rate_plan_name",
        "arrival",
        "departure",
        "adults",
        "children",
        "amount_display",
        "status",
        "kind",
        "agency",
    )
    list_filter = (
        "status",
        "kind",
        ("property", admin.RelatedOnlyFieldListFilter),
        ("organization", admin.RelatedOnlyFieldListFilter),
        ("agency", admin.RelatedOnlyFieldListFilter),
        ("required_action_done_at", admin.EmptyFieldListFilter),
    )
    search_fields = (
        "=code",
        "guest_first_name",
        "guest_last_name",
        "guest_email",
        "guest_phone",
        "=promotion__public_id",
    )
    date_hierarchy = "booked_at"
    list_select_related = ("property", "agency")
    list_per_page = 50
    inlines = (BookingEventInline, LedgerEntryInline)
    actions = (
        "confirm",
        "reject",
        "check_in",
        "mark_no_show",
        "mark_required_action_done",
        "resend_confirmation",
        "expire_overdue",
    )
    fieldsets = (
        (
            None,
            {
                "fields": (
                    ("code", "status", "kind"),
                    ("organization", "property", "agency"),
                    "booked_at",
                    "allowed_actions_display",
                )
            },
        ),
        (
            _("Offer"),
            {
                "fields": (
                    ("offer_name", "rate_plan_name"),
                    ("room_type", "rate_plan"),
                    ("package", "promotion", "variant"),
                    ("arrival", "departure"),
                    ("adults", "children"),
                )
            },
        ),
        (_("Guest"), {"fields": GUEST_FIELDS}),
        (
            _("Money (frozen at booking)"),
            {
                "fields": (
                    ("total", "paid_display", "currency"),
                    ("min_prepayment", "prepayment_percent"),
                    ("payment_limit_hours", "payment_days_before_arrival"),
                    ("cancellation_tiers", "provider_may_cancel"),
                    "nightly_prices",
                )
            },
        ),
        (
            _("Deadlines"),
            {
                "fields": (
                    ("confirm_by", "pay_by"),
                    ("confirmed_at", "voucher_issued_at", "closed_at"),
                )
            },
        ),
        (
            _("Required action and cancellation"),
            {
                "fields": (
                    "required_action_text",
                    ("required_action_done_at", "required_action_done_by"),
                    ("cancellation_type", "cancellation_reason"),
                )
            },
        ),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(paid=paid_subquery())

    def get_readonly_fields(self, request, obj=None):
        names = [f.name for f in Booking._meta.concrete_fields if f.name not in GUEST_FIELDS]
        return [*names, "paid_display", "allowed_actions_display"]

    def has_add_permission(self, request) -> bool:
        return False  # bookings are made by guests, agents and providers, through the services

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj: Booking, form, change: bool) -> None:
        # Through the service: validated, audited, and only the guest's details are written.
        if not any(name in GUEST_FIELDS for name in form.changed_data):
            return
        details = GuestDetails(
            **{f.removeprefix("guest_"): form.cleaned_data[f] for f in GUEST_FIELDS}
        )
        try:
            booking_update_guest(booking=obj, actor=Actor.operator(request.user), guest=details)
        except DomainError as exc:
            transaction.set_rollback(True)
            messages.error(request, exc.message)

    @admin.display(description=_("paid / total"))
    def amount_display(self, obj: Booking) -> str:
        paid, total = (round_money(x, obj.currency) for x in (obj.paid, obj.total))
        return f"{paid} / {total} {obj.currency}"

    @admin.display(description=_("paid"))
    def paid_display(self, obj: Booking) -> str:
        return f"{round_money(obj.paid, obj.currency)} {obj.currency}"

    @admin.display(description=_("actions allowed now"))
    def allowed_actions_display(self, obj: Booking) -> str:
        actions = allowed_actions(booking=obj, actor_kind=ActorKind.OPERATOR)
        if not actions:
            return "—"
        names = (ACTION_NAMES.get(a, Action(a).label) for a in actions)
        return format_html_join(", ", "{}", ((name,) for name in names))

    # --- actions: the services, as the platform operator --------------------------------------

    @admin.action(description=_("Confirm selected requests"))
    def confirm(self, request, queryset) -> None:
        _run_service(request, queryset, booking_confirm, actor=Actor.operator(request.user))

    @admin.action(description=_("Reject selected requests"))
    def reject(self, request, queryset) -> None:
        _run_service(
            request,
            queryset,
            booking_reject,
            actor=Actor.operator(request.user),
            reason=str(_("Rejected by the platform operator.")),
        )

    @admin.action(description=_("Confirm check-in"))
    def check_in(self, request, queryset) -> None:
        _run_service(request, queryset, booking_check_in, actor=Actor.operator(request.user))

    @admin.action(description=_("Mark as no-show"))
    def mark_no_show(self, request, queryset) -> None:
        _run_service(request, queryset, booking_mark_no_show, actor=Actor.operator(request.user))

    @admin.action(description=_("Mark required action done"))
    def mark_required_action_done(self, request, queryset) -> None:
        _run_service(
            request,
            queryset,
            booking_mark_required_action_done,
            actor=Actor.operator(request.user),
        )

    @admin.action(description=_("Resend confirmation email"))
    def resend_confirmation(self, request, queryset) -> None:
        _run_service(
            request, queryset, booking_resend_confirmation, actor=Actor.operator(request.user)
        )

    @admin.action(description=_("Expire overdue (past the confirmation or payment deadline)"))
    def expire_overdue(self, request, queryset) -> None:
        # Expiring is the timer's action; the operator only runs it early, recorded by name.
        actor = Actor(
            kind=ActorKind.SYSTEM,
            user=request.user,
            label=f"Staydesk ({request.user.get_username()})",
        )
        _run_service(request, queryset, booking_expire, actor=actor)


@admin.register(BookingEvent)
class BookingEventAdmin(ReadOnlyModelAdmin):
    list_display = (
        "created_at",
        "booking",
        "action",
        "from_status",
        "to_status",
        "actor_kind",
        "actor_label",
    )
    list_filter = ("action", "actor_kind", "to_status")
    search_fields = ("=booking__code", "actor_label", "reason")
    date_hierarchy = "created_at"
    list_select_related = ("booking",)


@admin.register(OneClickUse)
class OneClickUseAdmin(ReadOnlyModelAdmin):
    """Which one-click Confirm / Reject link answered which request, and when."""

    list_display = ("used_at", "booking", "action", "token_id")
    list_filter = ("action",)
    search_fields = ("=booking__code", "=token_id")
    list_select_related = ("booking",)
