"""Email through a real SMTP server (aiosmtpd) started by the test: a booking's whole life
arrives, each message to the right person in their language; with the server down the
messages wait and arrive exactly once when it is back."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext
from django_tasks_db.models import DBTaskResult

from staydesk.bookings.actors import Actor
from staydesk.bookings.guest_links import guest_token
from staydesk.bookings.services import booking_check_in, booking_confirm
from staydesk.core.outbox import OutboxStatus
from staydesk.notifications.models import Notification
from staydesk.notifications.services import notifications_sweep
from staydesk.notifications.tasks import send_notification
from staydesk.payments.services import payment_record
from tests.factories import advance_to, arrival_morning, book_room, guest, room_offer
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db

GUEST = "ivan.petrov@example.com"


def parts(message) -> dict[str, str]:
    """The text and HTML bodies of a received multipart/alternative message."""
    assert message.get_content_type() == "multipart/alternative"
    found = {part.get_content_type(): part.get_content() for part in message.iter_parts()}
    assert set(found) == {"text/plain", "text/html"}
    return found


def only(messages: list) -> object:
    assert len(messages) == 1, [m["Subject"] for m in messages]
    return messages[0]


@pytest.fixture
def offer():
    return room_offer(name="Pensjonat Pod Lipami", contact_email="recepcja@podlipami.example")


def test_a_booking_life_arrives_by_smtp_to_each_recipient_in_their_language(
    smtp_server, clock, offer, provider, sms_outbox
):
    org = offer.property.organization
    booking = book_room(offer, guest=guest(first_name="Ivan", email=GUEST, language="ru"))
    token = guest_token(booking)
    run_tasks()

    # The provider: a new request with the booking link and the one-click links, in English.
    to_desk = only(smtp_server.to(org.notification_email))
    assert "New request" in to_desk["Subject"] and booking.code in to_desk["Subject"]
    assert to_desk["From"].addresses[0].display_name == "Pensjonat Pod Lipami"
    assert to_desk["From"].addresses[0].addr_spec == "bookings@staydesk.localhost"
    assert to_desk["Content-Language"] == "en"
    body = parts(to_desk)
    assert f"http://127.0.0.1:8000/bookings/{booking.code}/" in body["text/plain"]
    assert f"/answer/{booking.code}.confirm." in body["text/plain"]
    assert f"/answer/{booking.code}.reject." in body["text/plain"]
    assert 'data-link="confirm"' in body["text/html"] and '<html lang="en">' in body["text/html"]
    # ... and an SMS to the organization's phone.
    assert [s.to for s in sms_outbox] == [org.notification_phone]
    assert booking.code in sms_outbox[0].text

    # The traveller: "request received", in Russian, with the secret link and the chat.
    to_guest = only(smtp_server.to(GUEST))
    assert to_guest["Content-Language"] == "ru"
    assert to_guest["From"].addresses[0].display_name == "Pensjonat Pod Lipami"
    body = parts(to_guest)
    assert '<html lang="ru">' in body["text/html"]
    assert f"/voucher/{token}/" in body["text/plain"]
    assert f"/voucher/{token}/chat/" in body["text/plain"]  # before payment: the chat
    assert "recepcja@podlipami.example" not in body["text/plain"]
    assert "/answer/" not in body["text/plain"]  # the one-click links are the provider's only
    # The text is the ru catalogue's (whatever it says today).
    with translation.override("ru"):
        expected = gettext("%(property)s: we received your request %(code)s") % {
            "property": "Pensjonat Pod Lipami",
            "code": booking.code,
        }
    assert to_guest["Subject"] == expected
    assert f"Pensjonat Pod Lipami: мы получили вашу заявку {booking.code}" == expected  # ru, really
    guest_row = Notification.objects.get(recipient=GUEST, template="guest_confirmation")
    assert (guest_row.language, guest_row.status) == ("ru", OutboxStatus.SENT)

    # Confirmed: the guest is asked for the minimum prepayment by the deadline.
    smtp_server.received.clear()
    booking = booking_confirm(booking=booking, actor=provider)
    run_tasks()
    confirmed = only(smtp_server.to(GUEST))
    assert confirmed["Content-Language"] == "ru"
    text = parts(confirmed)["text/plain"]
    assert "100,00" in text  # the minimum prepayment, formatted for the ru locale
    assert smtp_server.to(org.notification_email) == []  # the provider did it itself

    # Paid: the voucher and the property's contact details; the provider hears of the payment.
    smtp_server.received.clear()
    booking = payment_record(
        booking=booking, amount=booking.min_prepayment, actor=Actor.guest(), reference="card-1"
    )
    run_tasks()
    paid = only(smtp_server.to(GUEST))
    text = parts(paid)["text/plain"]
    assert f"/voucher/{token}/" in text
    assert "recepcja@podlipami.example" in text
    assert offer.property.address in text
    provider_paid = only(smtp_server.to(org.notification_email))
    assert booking.code in provider_paid["Subject"] and provider_paid["Content-Language"] == "en"

    # Checked in.
    smtp_server.received.clear()
    advance_to(clock, arrival_morning(booking))
    booking_check_in(booking=booking, actor=provider)
    run_tasks()
    welcome = only(smtp_server.to(GUEST))
    assert welcome["Content-Language"] == "ru" and booking.code in welcome["Subject"]

    # Every row was sent once; nothing went to the in-memory mailbox instead.
    assert set(Notification.objects.values_list("status", flat=True)) == {OutboxStatus.SENT}
    assert set(Notification.objects.values_list("attempts", flat=True)) == {1}
    assert mail.outbox == []


def test_with_the_mail_server_down_the_emails_wait_and_arrive_once_when_it_is_back(
    smtp_server, clock, offer
):
    org = offer.property.organization
    smtp_server.stop()
    booking = book_room(offer, guest=guest(email=GUEST))
    run_tasks()

    emails = Notification.objects.filter(channel="email")
    assert emails.count() == 2
    for row in emails:
        assert row.status == OutboxStatus.PENDING
        assert row.attempts == 1
        assert row.next_attempt_at == clock.now + dt.timedelta(minutes=1)
        assert "Connection refused" in row.last_error or "Errno" in row.last_error
    # The next attempts wait in the queue for their time; nothing runs before.
    assert run_tasks() == 0

    clock.shift(minutes=2)
    run_tasks()  # still down: the second attempt fails, the next waits 5 minutes
    assert set(emails.values_list("attempts", flat=True)) == {2}
    assert set(emails.values_list("status", flat=True)) == {OutboxStatus.PENDING}

    smtp_server.start()
    clock.shift(minutes=6)
    run_tasks()
    assert len(smtp_server.to(org.notification_email)) == 1
    assert len(smtp_server.to(GUEST)) == 1
    assert set(emails.values_list("status", flat=True)) == {OutboxStatus.SENT}
    assert set(emails.values_list("last_error", flat=True)) == {""}

    # Later sweeps and repeated tasks send nothing again.
    clock.shift(hours=1)
    notifications_sweep()
    for row in Notification.objects.all():
        send_notification.enqueue(row.pk)
    run_tasks()
    assert len(smtp_server.received) == 2
    assert booking.code in smtp_server.received[0].message["Subject"]


def test_a_send_task_lost_while_the_server_was_down_is_picked_up_by_the_sweep(
    smtp_server, clock, offer
):
    smtp_server.stop()
    book_room(offer, guest=guest(email=GUEST))
    run_tasks()
    # The worker holding the retries died and its queue was lost.
    DBTaskResult.objects.filter(task_path="staydesk.notifications.tasks.send_notification").delete()
    smtp_server.start()
    clock.shift(minutes=1)
    assert notifications_sweep() == {"queued": 0}  # not late yet: its task may still come
    clock.shift(minutes=5)
    assert notifications_sweep()["queued"] == 2  # the two emails (the SMS went out)
    notifications_sweep()  # a second sweep (another worker) is harmless
    run_tasks()
    assert len(smtp_server.to(GUEST)) == 1
    assert len(smtp_server.received) == 2
    assert set(Notification.objects.values_list("status", flat=True)) == {OutboxStatus.SENT}
