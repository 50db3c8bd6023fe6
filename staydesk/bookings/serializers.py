"""Bookings as the API shows them: the same for the API list, one booking, actions and webhooks."""

from django.conf import settings
from django.urls import reverse

from staydesk.bookings.actors import Actor
from staydesk.bookings.guest_links import guest_token
from staydesk.bookings.models import Booking
from staydesk.bookings.services.perform import allowed_action_names
from staydesk.core.money import round_money
from staydesk.payments.ledger import paid_amount


def _ref(obj) -> dict | None:
    return None if obj is None else {"id": obj.pk, "name": obj.name}


def booking_json(booking: Booking, *, actor: Actor, paid=None) -> dict:
    """``paid`` comes annotated by the selectors; pass it when the booking was just changed."""
    currency = booking.currency
    paid = getattr(booking, "paid", None) if paid is None else paid
    if paid is None:
        paid = paid_amount(booking=booking)
    voucher_url = None
    if booking.voucher_issued_at:
        path = reverse("web:voucher", args=[guest_token(booking)])
        voucher_url = settings.STAYDESK_PUBLIC_URL.rstrip("/") + path
    return {
        "code": booking.code,
        "kind": booking.kind,
        "status": booking.status,
        "property": _ref(booking.property),
        "room_type": _ref(booking.room_type),
        "offer": booking.offer_name,
        "package": _ref(booking.package),
        "promotion": booking.promotion.public_id if booking.promotion_id else None,
        "variant": _ref(booking.variant),
        "rate_plan": booking.rate_plan_name or None,
        "arrival": booking.arrival,
        "departure": booking.departure,
        "adults": booking.adults,
        "children": booking.children,
        "guest": {
            "first_name": booking.guest_first_name,
            "last_name": booking.guest_last_name,
            "email": booking.guest_email,
            "phone": booking.guest_phone,
            "language": booking.guest_language,
        },
        "agency": _ref(booking.agency),
        "booked_at": booking.booked_at,
        "total": round_money(booking.total, currency),
        "paid": round_money(paid, currency),
        "currency": currency,
        "min_prepayment": round_money(booking.min_prepayment, currency),
        "confirm_by": booking.confirm_by,
        "pay_by": booking.pay_by,
        "required_action": (
            {
                "text": booking.required_action_text,
                "done": booking.required_action_done_at is not None,
                "done_at": booking.required_action_done_at,
            }
            if booking.required_action_text
            else None
        ),
        "allowed_actions": allowed_action_names(booking=booking, actor=actor),
        "voucher_url": voucher_url,
        "cancellation_type": booking.cancellation_type or None,
        "cancellation_reason": booking.cancellation_reason or None,
    }
