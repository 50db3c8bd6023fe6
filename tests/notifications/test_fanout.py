"""Who is told what: the fan-out of audit events and chat messages, through the real chain
(event → dispatch task → fan-out → send task → Django's locmem mailbox / the locmem SMS)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail

from staydesk.bookings.actors import Actor
from staydesk.bookings.dispatch import event_dispatch
from staydesk.bookings.models import BookingEvent
from staydesk.bookings.services import (
    booking_cancel_by_guest,
    booking_cancel_by_provider,
    booking_confirm,
    booking_mark_required_action_done,
    booking_reject,
    booking_resend_confirmation,
)
from staydesk.bookings.states import Action, Status
from staydesk.catalog.models import Property
from staydesk.messaging.models import Message
from staydesk.messaging.services import message_post
from staydesk.notifications.models import Notification
from staydesk.payments.services import payment_record
from tests.factories import (
    AgencyFactory,
    PackageFactory,
    book_package,
    book_room,
    booking_in_status,
    guest,
    room_offer,
)
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db

GUEST = "anna.nowak@example.com"


def in_english(booking):
    """The texts below are asserted in English (the other languages have catalogues now);
    the guest's language is not frozen, and notifications render it at fan-out time."""
    type(booking).objects.filter(pk=booking.pk).update(guest_language="en")
    booking.guest_language = "en"
    return booking


def sent_to(address: str) -> list:
    return [m for m in mail.outbox if m.to == [address]]


def templates(**filters) -> list[str]:
    return list(Notification.objects.filter(**filters).values_list("template", flat=True))


def text_of(message) -> str:
    return message.body


def html_of(message) -> str:
    (html, mimetype), *_ = message.alternatives
    assert mimetype == "text/html"
    return html


def test_an_instant_booking_tells_the_desk_by_email_and_sms_and_confirms_to_the_guest(
    clock, sms_outbox
):
    offer = room_offer(booking_mode=Property.BookingMode.INSTANT)
    org = offer.property.organization
    booking = book_room(offer, guest=guest(language="en"))
    assert booking.status == Status.AWAITING_PAYMENT
    run_tasks()

    desk = sent_to(org.notification_email)
    assert [m.subject for m in desk] == [f"New booking {booking.code}: Anna Nowak"]
    assert "/answer/" not in text_of(desk[0])  # no one-click links: nothing to answer
    assert f"/bookings/{booking.code}/" in text_of(desk[0])
    assert [s.to for s in sms_outbox] == [org.notification_phone]

    (confirmation,) = sent_to(GUEST)
    assert "awaiting your payment" in confirmation.subject
    text = text_of(confirmation)
    assert "PLN200.00" in text and "PLN100.00" in text  # total and minimum prepayment
    assert "Pay by" in text and "minimum prepayment of PLN100.00 by" in " ".join(text.split())
    assert confirmation.extra_headers["Content-Language"] == "en"


def test_the_travel_agency_gets_the_travellers_confirmation_in_its_own_language(clock, provider):
    agency = AgencyFactory(language="cs", email="desk@agency.example")
    offer = room_offer()
    booking = book_room(offer, actor=Actor.for_agency(agency), agency=agency)
    run_tasks()

    (to_guest,) = sent_to(GUEST)
    (to_agency,) = sent_to("desk@agency.example")
    assert to_guest.extra_headers["Content-Language"] == "pl"
    assert to_agency.extra_headers["Content-Language"] == "cs"
    assert '<html lang="cs">' in html_of(to_agency)
    assert booking.guest_full_name in text_of(to_agency)
    assert "/voucher/" in text_of(to_agency)
    row = Notification.objects.get(recipient="desk@agency.example")
    assert (row.recipient_kind, row.language, row.template) == (
        "agency",
        "cs",
        "guest_confirmation",
    )
    # The agency also hears of every later status change.
    mail.outbox.clear()
    booking_reject(booking=booking, actor=provider, reason="Fully booked")
    run_tasks()
    assert sorted(m.to[0] for m in mail.outbox) == ["anna.nowak@example.com", "desk@agency.example"]


def test_a_dispatch_that_runs_twice_sends_nothing_twice(clock, sms_outbox):
    booking = book_room(room_offer())
    run_tasks()
    sent, rows = len(mail.outbox), Notification.objects.count()
    assert (sent, len(sms_outbox), rows) == (2, 1, 3)

    event = BookingEvent.objects.get(booking=booking, action=Action.CREATE)
    event_dispatch(event.pk)  # the task ran again (a worker died after the fan-out)
    event_dispatch(event.pk)
    run_tasks()
    assert (len(mail.outbox), len(sms_outbox), Notification.objects.count()) == (2, 1, 3)


def test_the_reminders_reach_the_desk_with_the_one_click_links(clock, sms_outbox):
    booking = book_room(room_offer())
    org = booking.organization
    run_tasks()
    mail.outbox.clear()
    sms_outbox.clear()

    clock.shift(hours=12, minutes=1)  # half of the 24-hour window
    run_tasks()
    (reminder,) = sent_to(org.notification_email)
    assert "Reminder" in reminder.subject and booking.code in reminder.subject
    assert f"/answer/{booking.code}.confirm." in text_of(reminder)
    assert len(sms_outbox) == 1 and booking.code in sms_outbox[0].text

    clock.shift(hours=10)  # two hours before the deadline
    run_tasks()
    assert templates(event__action=Action.REMINDER_FINAL) == [
        "provider_reminder_final",
        "provider_reminder_final",
    ]
    assert len(sent_to(org.notification_email)) == 2


def _last_guest_email():
    return sent_to(GUEST)[-1]


@pytest.mark.parametrize(
    ("status", "template", "says"),
    [
        ("awaiting_payment", "guest_confirmed", "minimum prepayment of PLN100.00"),
        ("confirmed", "guest_confirmed", "No prepayment is needed"),
        ("rejected_by_provider", "guest_rejected", "could not accept your request"),
        ("expired_unconfirmed", "guest_expired_unconfirmed", "did not answer your request"),
        ("expired_unpaid", "guest_expired_unpaid", "was not received in time"),
        ("partially_paid", "guest_paid", "payment of PLN100.00"),
        ("paid", "guest_paid", "payment of PLN200.00"),
        ("completed", "guest_completed", "confirmed your check-in"),
        ("cancelled_by_guest", "guest_cancelled_by_guest", "Refund to your card"),
        ("cancelled_by_provider", "guest_cancelled_by_provider", "refunded in full: PLN100.00"),
        ("no_show", "guest_no_show", "did not arrive"),
    ],
)
def test_each_status_change_sends_the_matching_email_to_the_guest(
    clock, provider, status, template, says
):
    booking = in_english(booking_in_status(status, frozen=clock, provider=provider))
    run_tasks()
    assert booking.status == status
    last_event = (
        BookingEvent.objects.filter(booking=booking)
        .exclude(action__in=[Action.REMINDER_HALF, Action.REMINDER_FINAL])
        .last()
    )
    (row,) = Notification.objects.filter(event=last_event, recipient_kind="guest")
    assert row.template == template
    assert says in " ".join(row.body_text.split()), row.body_text
    # What the row shows is what was sent.
    (message,) = [m for m in sent_to(GUEST) if text_of(m) == row.body_text]
    assert message.subject == row.subject
    assert message.extra_headers["Content-Language"] == "en"


def test_payment_releases_the_contact_details_and_tells_the_provider(clock, provider):
    offer = room_offer(contact_phone="+48221234567")
    booking = booking_in_status("awaiting_payment", frozen=clock, provider=provider, offer=offer)
    in_english(booking)
    org = booking.organization
    run_tasks()
    before = text_of(_last_guest_email())
    assert "+48221234567" not in before and "/chat/" in before

    mail.outbox.clear()
    payment_record(booking=booking, amount=Decimal("100.00"), actor=Actor.guest(), reference="r1")
    run_tasks()
    text = text_of(_last_guest_email())
    assert "+48221234567" in text and org.notification_email in text
    assert "ul. Długa 1, 00-001 Warszawa" in text
    assert "/voucher/" in text
    (to_desk,) = sent_to(org.notification_email)
    assert to_desk.subject.startswith("Payment of PLN100.00 received")


def test_a_cancellation_by_the_guest_shows_the_refund_and_tells_the_desk(clock, provider):
    booking = in_english(booking_in_status("partially_paid", frozen=clock, provider=provider))
    run_tasks()
    mail.outbox.clear()
    booking_cancel_by_guest(booking=booking, actor=Actor.guest(), reason="Plans changed")
    run_tasks()
    event = BookingEvent.objects.get(booking=booking, action=Action.CANCEL_BY_GUEST)
    text = " ".join(text_of(_last_guest_email()).split())
    refund = Decimal(event.data["refund"])
    assert f"Refund to your card: PLN{refund:.2f}" in text
    (to_desk,) = sent_to(booking.organization.notification_email)
    assert "cancelled by the guest" in to_desk.subject
    assert "Plans changed" in text_of(to_desk)


def test_a_cancellation_by_the_provider_gives_type_and_reason(clock, provider):
    booking = in_english(booking_in_status("confirmed", frozen=clock, provider=provider))
    run_tasks()
    booking_cancel_by_provider(
        booking=booking, actor=provider, cancellation_type="overbooking", reason="Pipe burst"
    )
    run_tasks()
    text = " ".join(text_of(_last_guest_email()).split())
    assert "(Overbooking): Pipe burst" in text
    assert templates(event__action=Action.CANCEL_BY_PROVIDER) == ["guest_cancelled_by_provider"]


def test_required_action_done_and_resend_confirmation_email_the_guest(clock, provider):
    offer = room_offer()
    PackageFactory(property=offer.property)
    booking = in_english(book_package(offer))
    booking = booking_confirm(booking=booking, actor=provider)
    booking = payment_record(booking=booking, amount=booking.total, actor=Actor.guest())
    run_tasks()
    mail.outbox.clear()

    booking_mark_required_action_done(booking=booking, actor=provider)
    run_tasks()
    (done,) = sent_to(GUEST)
    assert "voucher" in done.subject and "/voucher/" in text_of(done)

    booking_resend_confirmation(booking=booking, actor=provider)
    booking_resend_confirmation(booking=booking, actor=provider)
    run_tasks()
    resent = [m for m in sent_to(GUEST) if m is not done]
    assert len(resent) == 2  # one per request: each is its own event
    assert all("confirmed" in m.subject for m in resent)
    # Paid: the resent confirmation carries the property's contacts, not the chat.
    assert booking.organization.notification_email in text_of(resent[0])


def test_chat_messages_reach_the_other_side(clock, provider, sms_outbox):
    booking = book_room(room_offer(), guest=guest(phone=""))
    org = booking.organization
    run_tasks()
    mail.outbox.clear()
    sms_outbox.clear()
    system_before = Message.objects.filter(sender_kind="system").count()

    message_post(booking=booking, actor=Actor.guest("Anna Nowak"), body="Is there parking?")
    run_tasks()
    (to_desk,) = mail.outbox
    assert to_desk.to == [org.notification_email]
    assert "Is there parking?" in text_of(to_desk)
    assert f"/bookings/{booking.code}/" in text_of(to_desk)
    assert [s.to for s in sms_outbox] == [org.notification_phone]

    mail.outbox.clear()
    sms_outbox.clear()
    message_post(booking=booking, actor=provider, body="Yes, free of charge.")
    run_tasks()
    (to_guest,) = mail.outbox
    assert to_guest.to == [GUEST] and "/chat/" in text_of(to_guest)
    assert sms_outbox == []  # the guest left no phone

    # System lines (status changes) notify no one by themselves.
    mail.outbox.clear()
    booking_confirm(booking=booking, actor=provider)
    run_tasks()
    assert Message.objects.filter(sender_kind="system").count() > system_before
    assert templates(message__isnull=False) == [
        "provider_message",
        "provider_message",
        "guest_message",
    ]
    assert [m.to for m in mail.outbox] == [[GUEST]]  # only the status email


def test_a_guest_with_a_phone_gets_an_sms_for_a_provider_message(clock, provider, sms_outbox):
    booking = book_room(room_offer())
    run_tasks()
    sms_outbox.clear()
    message_post(booking=booking, actor=provider, body="See you soon")
    run_tasks()
    assert [s.to for s in sms_outbox] == [booking.guest_phone]
    assert "/chat/" in sms_outbox[0].text and len(sms_outbox[0].text) < 200


def test_no_phone_no_sms_for_the_desk(clock, sms_outbox):
    offer = room_offer()
    offer.property.organization.__class__.objects.filter(pk=offer.property.organization_id).update(
        notification_phone=""
    )
    book_room(offer)
    run_tasks()
    assert sms_outbox == []
    assert templates(channel="sms") == []


def test_reminder_for_a_request_answered_meanwhile_tells_no_one(clock, provider):
    booking = book_room(room_offer())
    run_tasks()
    booking_confirm(booking=booking, actor=provider)
    event = BookingEvent.objects.create(
        booking=booking,
        created_at=clock.now + dt.timedelta(hours=1),
        action=Action.REMINDER_HALF,
        from_status=Status.PENDING_CONFIRMATION,
        to_status=Status.PENDING_CONFIRMATION,
        actor_kind="system",
    )
    event_dispatch(event.pk)
    assert templates(event=event) == []


def test_a_late_fan_out_describes_the_booking_as_its_event_left_it(clock, provider):
    """The worker was down: by the time the request's fan-out runs, the provider has already
    confirmed it. The new-request email still shows the request's status, and carries no
    one-click links (there is nothing left to answer)."""
    booking = book_room(room_offer(), guest=guest(language="en"))
    org = booking.organization
    clock.shift(minutes=30)
    booking_confirm(booking=booking, actor=provider)

    event_dispatch(booking.events.get(action=Action.CREATE).pk)
    run_tasks()

    request_mail = next(m for m in sent_to(org.notification_email) if "request" in m.subject)
    assert "Status: Awaiting confirmation" in text_of(request_mail)
    assert "/answer/" not in text_of(request_mail)
    (guest_mail,) = [m for m in sent_to(GUEST) if "received your request" in m.subject]
    assert "Status: Awaiting confirmation" in text_of(guest_mail)
