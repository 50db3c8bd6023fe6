"""Which endpoint gets which event: the type mapping, the owners' isolation, idempotency."""

import json

import pytest

from staydesk.bookings.actors import Actor
from staydesk.bookings.services import booking_confirm
from staydesk.bookings.states import Action, Status
from staydesk.messaging.services import message_post
from staydesk.webhooks.fanout import webhooks_for_event, webhooks_for_message
from staydesk.webhooks.models import WebhookDelivery, WebhookEvent
from staydesk.webhooks.types import EventType, types_for_event
from tests.factories import AgencyFactory, book_room, booking_in_status, room_offer
from tests.webhooks.conftest import endpoint_for

pytestmark = pytest.mark.django_db

ALL = [t for t in EventType.values if t != "ping"]


def fan_out_everything(booking) -> None:
    for event in booking.events.order_by("id"):
        webhooks_for_event(event)


def delivered(endpoint) -> list[tuple[str, str]]:
    """(type, booking code) of each delivery of the endpoint, oldest first."""
    rows = WebhookDelivery.objects.filter(endpoint=endpoint).order_by("id")
    return [
        (d.event.type, json.loads(d.event.body)["data"]["booking"]["code"])
        for d in rows.select_related("event")
    ]


S = Status
A = Action
CHANGED = "booking.status_changed"


@pytest.mark.parametrize(
    ("action", "from_status", "to_status", "expected"),
    [
        (A.CREATE, "", S.PENDING_CONFIRMATION, ["booking.created", CHANGED]),
        (
            Action.CONFIRM,
            S.PENDING_CONFIRMATION,
            S.AWAITING_PAYMENT,
            ["booking.confirmed", CHANGED],
        ),
        (
            Action.REJECT,
            S.PENDING_CONFIRMATION,
            S.REJECTED_BY_PROVIDER,
            ["booking.rejected", CHANGED],
        ),
        (A.EXPIRE, S.AWAITING_PAYMENT, S.EXPIRED_UNPAID, ["booking.expired", CHANGED]),
        (A.PAY, S.AWAITING_PAYMENT, S.AWAITING_PAYMENT, ["booking.paid"]),
        (A.PAY, S.AWAITING_PAYMENT, S.PAID, ["booking.paid", CHANGED]),
        (A.CANCEL_BY_GUEST, S.PAID, S.CANCELLED_BY_GUEST, ["booking.cancelled", CHANGED]),
        (
            Action.CANCEL_BY_PROVIDER,
            S.PAID,
            S.CANCELLED_BY_PROVIDER,
            ["booking.cancelled", CHANGED],
        ),
        (A.CHECK_IN, S.PAID, S.COMPLETED, ["booking.checked_in", CHANGED]),
        (A.NO_SHOW, S.PAID, S.NO_SHOW, ["booking.no_show", CHANGED]),
        (A.REQUIRED_ACTION_DONE, S.PAID, S.PAID, ["required_action.completed"]),
        (A.UPDATE_GUEST, S.PAID, S.PAID, ["booking.guest_updated"]),
        (A.RESEND_CONFIRMATION, S.PAID, S.PAID, []),
        (A.REMINDER_HALF, S.PENDING_CONFIRMATION, S.PENDING_CONFIRMATION, []),
    ],
)
def test_each_action_maps_to_its_types(action, from_status, to_status, expected):
    found = types_for_event(action=action, from_status=from_status, to_status=to_status)
    assert found == expected


def test_an_organization_endpoint_gets_only_its_own_bookings(clock, provider):
    mine, theirs = room_offer(), room_offer()
    endpoint = endpoint_for(mine.property.organization, "https://a.example.com/", events=ALL)
    other = endpoint_for(theirs.property.organization, "https://b.example.com/", events=ALL)
    my_booking = book_room(mine)
    their_booking = book_room(theirs)
    for booking in (my_booking, their_booking):
        fan_out_everything(booking)

    assert delivered(endpoint) == [
        ("booking.created", my_booking.code),
        ("booking.status_changed", my_booking.code),
    ]
    assert delivered(other) == [
        ("booking.created", their_booking.code),
        ("booking.status_changed", their_booking.code),
    ]


def test_an_agency_endpoint_gets_only_the_bookings_it_made(clock):
    offer = room_offer(units=5)
    agency, stranger = AgencyFactory(), AgencyFactory()
    agency_endpoint = endpoint_for(agency, "https://agency.example.com/", events=ALL)
    stranger_endpoint = endpoint_for(stranger, "https://stranger.example.com/", events=ALL)
    provider_endpoint = endpoint_for(
        offer.property.organization, "https://hotel.example.com/", events=ALL
    )
    by_agency = book_room(offer, agency=agency, actor=Actor.for_agency(agency))
    direct = book_room(offer)
    for booking in (by_agency, direct):
        fan_out_everything(booking)

    assert {code for _t, code in delivered(agency_endpoint)} == {by_agency.code}
    assert delivered(stranger_endpoint) == []
    assert {code for _t, code in delivered(provider_endpoint)} == {by_agency.code, direct.code}
    # Each owner sees the booking as it does in the API: its own allowed actions.
    for endpoint, actions in (
        (agency_endpoint, ["cancel"]),
        (provider_endpoint, ["confirm", "reject"]),
    ):
        body = json.loads(
            WebhookDelivery.objects.filter(endpoint=endpoint, event__booking=by_agency)
            .first()
            .event.body
        )
        assert body["data"]["booking"]["allowed_actions"] == actions


def test_only_subscribed_and_enabled_endpoints_get_an_event(clock):
    offer = room_offer()
    org = offer.property.organization
    paid_only = endpoint_for(org, "https://paid.example.com/", events=["booking.paid"])
    created = endpoint_for(org, "https://created.example.com/", events=["booking.created"])
    off = endpoint_for(org, "https://off.example.com/", events=["booking.created"])
    off.enabled = False
    off.save()
    fan_out_everything(book_room(offer))
    assert WebhookDelivery.objects.filter(endpoint=paid_only).count() == 0
    assert WebhookDelivery.objects.filter(endpoint=off).count() == 0
    assert WebhookDelivery.objects.filter(endpoint=created).count() == 1


def test_two_endpoints_of_one_owner_share_the_event_with_their_own_webhook_ids(clock):
    offer = room_offer()
    org = offer.property.organization
    first = endpoint_for(org, "https://one.example.com/", events=["booking.created"])
    second = endpoint_for(org, "https://two.example.com/", events=["booking.created"])
    fan_out_everything(book_room(offer))
    one, two = (WebhookDelivery.objects.get(endpoint=e) for e in (first, second))
    assert one.event_id == two.event_id
    assert one.message_id != two.message_id


def test_a_fan_out_that_runs_twice_adds_nothing(clock):
    offer = room_offer()
    endpoint_for(offer.property.organization, "https://a.example.com/", events=ALL)
    booking = book_room(offer)
    event = booking.events.get()
    assert webhooks_for_event(event) == 2
    assert webhooks_for_event(event) == 0
    assert WebhookDelivery.objects.count() == 2 and WebhookEvent.objects.count() == 2


def test_a_payment_carries_the_amount_and_the_paid_total(clock, provider):
    offer = room_offer(prepayment_percent="50")
    endpoint = endpoint_for(
        offer.property.organization, "https://a.example.com/", events=["booking.paid"]
    )
    booking = booking_in_status(Status.PARTIALLY_PAID, frozen=clock, provider=provider, offer=offer)
    fan_out_everything(booking)
    [delivery] = WebhookDelivery.objects.filter(endpoint=endpoint)
    data = json.loads(delivery.event.body)["data"]
    assert data["payment"] == {
        "amount": "100.00",
        "reference": "build-minimum",
        "paid": "100.00",
        "currency": "PLN",
    }
    assert (data["from_status"], data["to_status"]) == ("awaiting_payment", "partially_paid")
    assert data["booking"]["paid"] == "100.00"


def test_a_chat_message_is_sent_to_both_owners_with_its_body(clock):
    offer = room_offer()
    agency = AgencyFactory()
    provider_endpoint = endpoint_for(offer.property.organization, "https://h.example.com/")
    agency_endpoint = endpoint_for(agency, "https://a.example.com/")
    stranger_endpoint = endpoint_for(AgencyFactory(), "https://s.example.com/")
    booking = book_room(offer, agency=agency, actor=Actor.for_agency(agency))
    message = message_post(
        booking=booking, actor=Actor.for_agency(agency), body="Late arrival, 23:00"
    )

    assert webhooks_for_message(message) == 2
    assert webhooks_for_message(message) == 0
    for endpoint in (provider_endpoint, agency_endpoint):
        [delivery] = WebhookDelivery.objects.filter(endpoint=endpoint)
        data = json.loads(delivery.event.body)["data"]
        assert json.loads(delivery.event.body)["type"] == "message.created"
        assert data["message"]["body"] == "Late arrival, 23:00"
        assert data["message"]["sender"] == "agency"
        assert data["booking"]["code"] == booking.code
    assert not WebhookDelivery.objects.filter(endpoint=stranger_endpoint).exists()


def test_the_event_dispatch_task_makes_the_deliveries(clock, django_capture_on_commit_callbacks):
    """The real path: the audit event's dispatch task (queued with the event) fans out."""
    from staydesk.bookings.dispatch import event_dispatch

    offer = room_offer()
    endpoint_for(offer.property.organization, "https://a.example.com/", events=["booking.created"])
    booking = book_room(offer)
    event_dispatch(booking.events.get().pk)
    assert WebhookDelivery.objects.get().event.booking == booking


def test_an_endpoint_added_after_an_event_does_not_get_it_from_a_late_fan_out(clock, provider):
    booking = book_room(room_offer(), nights=2)
    clock.shift(minutes=5)  # the worker was down: the booking's fan-out runs only now
    late = endpoint_for(booking.organization, "https://pms.example.com/late", events=ALL)

    fan_out_everything(booking)
    assert delivered(late) == []

    clock.shift(minutes=1)
    booking_confirm(booking=booking, actor=provider)
    fan_out_everything(booking)
    assert delivered(late) == [
        ("booking.confirmed", booking.code),
        ("booking.status_changed", booking.code),
    ]


def test_a_late_fan_out_sends_the_booking_as_the_event_left_it(clock, provider):
    booking = book_room(room_offer(), nights=2)
    endpoint = endpoint_for(booking.organization, "https://pms.example.com/in", events=ALL)
    clock.shift(minutes=5)
    booking_confirm(booking=booking, actor=provider)  # before the creation's fan-out ran

    fan_out_everything(booking)

    bodies = [
        json.loads(d.event.body)
        for d in WebhookDelivery.objects.filter(endpoint=endpoint).order_by("id")
    ]
    statuses = [(b["type"], b["data"]["booking"]["status"]) for b in bodies]
    assert statuses == [
        ("booking.created", "pending_confirmation"),
        ("booking.status_changed", "pending_confirmation"),
        ("booking.confirmed", "awaiting_payment"),
        ("booking.status_changed", "awaiting_payment"),
    ]
