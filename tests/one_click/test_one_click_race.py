"""Two uses of one-click links at the same moment (PostgreSQL: real locks, one thread each)."""

import pytest
from django.test import Client

from staydesk.bookings.models import Booking, BookingEvent, OneClickUse
from staydesk.bookings.one_click import one_click_url
from staydesk.bookings.states import Action, Status
from tests.factories import OrganizationFactory, book_room, race, room_offer
from tests.one_click.conftest import path_of


@pytest.fixture
def live_pending(postgres, clock) -> Booking:
    organization = OrganizationFactory(notification_email="desk@alpha.example")
    return book_room(room_offer(organization=organization), arrival_in_days=30)


@pytest.mark.parametrize("rounds", [5])
def test_the_same_link_posted_twice_at_once_confirms_once(live_pending, rounds):
    for _ in range(rounds):
        booking = book_room(room_offer(), arrival_in_days=30)
        path = path_of(one_click_url(booking=booking, action="confirm"))

        outcomes = race([lambda p=path: Client().post(p), lambda p=path: Client().post(p)])

        assert [o.error for o in outcomes] == [None, None]
        assert sorted(o.value.status_code for o in outcomes) == [200, 410]
        assert Booking.objects.get(pk=booking.pk).status == Status.AWAITING_PAYMENT
        assert BookingEvent.objects.filter(booking=booking, action=Action.CONFIRM).count() == 1
        assert OneClickUse.objects.filter(booking=booking).count() == 1


def test_confirm_and_reject_at_once_answer_once(live_pending):
    confirm = path_of(one_click_url(booking=live_pending, action="confirm"))
    reject = path_of(one_click_url(booking=live_pending, action="reject"))

    outcomes = race([lambda: Client().post(confirm), lambda: Client().post(reject)])

    assert [o.error for o in outcomes] == [None, None]
    codes = sorted(o.value.status_code for o in outcomes)
    assert codes == [200, 409]
    answered = BookingEvent.objects.filter(
        booking=live_pending, action__in=[Action.CONFIRM, Action.REJECT]
    )
    assert answered.count() == 1
    assert Booking.objects.get(pk=live_pending.pk).status in (
        Status.AWAITING_PAYMENT,
        Status.REJECTED_BY_PROVIDER,
    )
    assert OneClickUse.objects.count() == 1
