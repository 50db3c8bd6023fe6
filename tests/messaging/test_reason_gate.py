"""A rejection or cancellation reason reaches the other side (the chat's system line, the
guest's and the desk's emails, webhooks), so before payment it is held to the chat's rule:
no contact details (SPEC §6). After payment it passes, as a chat message would."""

import pytest

from staydesk.bookings.actors import Actor
from staydesk.bookings.models import Booking, BookingEvent
from staydesk.bookings.services import (
    booking_cancel_by_guest,
    booking_cancel_by_provider,
    booking_reject,
)
from staydesk.bookings.states import CancellationType, Status
from staydesk.core.errors import DomainError
from tests.factories import booking_in_status

pytestmark = pytest.mark.django_db

DIRECT = "Book direct instead: +48 601 999 888, reservations@hotel-direct.example"


def refused(call) -> DomainError:
    with pytest.raises(DomainError) as refusal:
        call()
    assert refusal.value.code == "contact_details_forbidden"
    assert refusal.value.field == "reason"
    return refusal.value


def test_a_rejection_reason_with_contact_details_is_refused_and_nothing_changes(clock, provider):
    booking = booking_in_status(Status.PENDING_CONFIRMATION, frozen=clock, provider=provider)
    events = BookingEvent.objects.count()

    error = refused(lambda: booking_reject(booking=booking, actor=provider, reason=DIRECT))

    assert "+48 601 999 888" in str(error.message)
    assert Booking.objects.get(pk=booking.pk).status == Status.PENDING_CONFIRMATION
    assert BookingEvent.objects.count() == events


def test_a_provider_cancellation_before_payment_is_held_to_the_same_rule(clock, provider):
    booking = booking_in_status(Status.AWAITING_PAYMENT, frozen=clock, provider=provider)
    refused(
        lambda: booking_cancel_by_provider(
            booking=booking,
            actor=provider,
            cancellation_type=CancellationType.OVERBOOKING,
            reason=DIRECT,
        )
    )
    assert Booking.objects.get(pk=booking.pk).status == Status.AWAITING_PAYMENT


def test_a_guest_cancellation_reason_before_payment_is_held_to_the_same_rule(clock, provider):
    booking = booking_in_status(Status.CONFIRMED, frozen=clock, provider=provider)
    refused(
        lambda: booking_cancel_by_guest(
            booking=booking, actor=Actor.guest(), reason="Call me: anna.nowak@example.com"
        )
    )
    assert Booking.objects.get(pk=booking.pk).status == Status.CONFIRMED


def test_after_payment_the_same_reason_passes(clock, provider):
    booking = booking_in_status(Status.PAID, frozen=clock, provider=provider)
    cancelled = booking_cancel_by_provider(
        booking=booking,
        actor=provider,
        cancellation_type=CancellationType.OVERBOOKING,
        reason=DIRECT,
    )
    assert cancelled.status == Status.CANCELLED_BY_PROVIDER
    assert cancelled.cancellation_reason == DIRECT


def test_an_ordinary_reason_passes_before_payment(clock, provider):
    booking = booking_in_status(Status.PENDING_CONFIRMATION, frozen=clock, provider=provider)
    rejected = booking_reject(
        booking=booking, actor=provider, reason="Room 214 is closed on 12.03 for repairs."
    )
    assert rejected.status == Status.REJECTED_BY_PROVIDER
