"""Sending: one attempt per task, retried on the fixed schedule, never twice for one row."""

import datetime as dt
import time

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from staydesk.bookings.dispatch import event_dispatch
from staydesk.bookings.models import BookingEvent
from staydesk.core.outbox import OutboxStatus
from staydesk.notifications.channels import DeliveryError
from staydesk.notifications.channels.sms import LocmemBackend
from staydesk.notifications.fanout import notifications_for_event
from staydesk.notifications.models import Notification
from staydesk.notifications.services import (
    RETRY_SCHEDULE,
    notification_owner_email,
    notification_send,
    notifications_sweep,
)
from tests.factories import AgencyFactory, OrganizationFactory, book_room, race, room_offer
from tests.notifications.conftest import pending_sends
from tests.tasks import run_tasks

SEND = "staydesk.notifications.tasks.send_notification"


class BrokenGateway:
    """An SMS gateway that is down."""

    def send(self, sms) -> None:
        raise DeliveryError("gateway answered 503")


class SlowGateway(LocmemBackend):
    """Holds each send a moment, so racing workers overlap."""

    def send(self, sms) -> None:
        time.sleep(0.3)
        super().send(sms)


def sms_row() -> Notification:
    return Notification.objects.get(channel="sms")


def fan_out(booking) -> None:
    """Only the fan-out of the booking's creation, not the sends it queues."""
    event_dispatch(BookingEvent.objects.get(booking=booking, action="create").pk)


@pytest.mark.django_db
def test_sending_a_sent_notification_again_sends_nothing(clock, sms_outbox):
    book_room(room_offer())
    run_tasks()
    row = sms_row()
    assert notification_send(notification_id=row.pk) == "skipped"
    assert notification_send(notification_id=row.pk) == "skipped"
    assert len(sms_outbox) == 1 and len(mail.outbox) == 2


@pytest.mark.django_db
def test_a_failing_channel_is_retried_on_the_schedule_then_given_up(clock, settings, sms_outbox):
    settings.STAYDESK_SMS_BACKEND = f"{__name__}.BrokenGateway"
    # Confirmed at once, nothing to prepay: no timers run meanwhile, only the sends.
    book_room(room_offer(booking_mode="instant", prepayment_percent="0"))
    run_tasks()
    row = sms_row()
    start = clock.now
    elapsed = dt.timedelta(0)
    for attempt, wait in enumerate(RETRY_SCHEDULE, start=1):
        row.refresh_from_db()
        assert (row.status, row.attempts) == (OutboxStatus.PENDING, attempt)
        assert row.next_attempt_at == start + elapsed + wait
        assert row.last_error == "DeliveryError: gateway answered 503"
        # The retry is a task deferred to that moment, and nothing runs before it.
        (task,) = [t for t in pending_sends() if t.args_kwargs["args"] == [row.pk]]
        assert task.run_after == row.next_attempt_at
        assert run_tasks() == 0
        clock.shift(seconds=wait.total_seconds())
        elapsed += wait
        run_tasks()
    row.refresh_from_db()
    assert (row.status, row.attempts, row.next_attempt_at) == (
        OutboxStatus.FAILED,
        len(RETRY_SCHEDULE) + 1,
        None,
    )
    assert elapsed > dt.timedelta(days=3)  # a gateway down for days still gets its chance
    assert pending_sends() == [] and sms_outbox == []
    assert notifications_sweep() == {"queued": 0}


@pytest.mark.django_db
def test_the_gateway_back_after_two_failures_sends_once(clock, settings, sms_outbox):
    settings.STAYDESK_SMS_BACKEND = f"{__name__}.BrokenGateway"
    book_room(room_offer())
    run_tasks()
    clock.shift(minutes=1)
    run_tasks()
    settings.STAYDESK_SMS_BACKEND = "staydesk.notifications.channels.sms.LocmemBackend"
    clock.shift(minutes=5)
    run_tasks()
    row = sms_row()
    assert (row.status, row.attempts, row.last_error) == (OutboxStatus.SENT, 3, "")
    assert len(sms_outbox) == 1
    clock.shift(days=1)
    notifications_sweep()
    run_tasks()
    assert len(sms_outbox) == 1


@pytest.mark.django_db
def test_a_worker_killed_mid_send_leaves_a_lease_that_runs_out(clock, sms_outbox):
    fan_out(book_room(room_offer()))
    # The worker claimed the SMS and died before it could record anything.
    DBTaskResult.objects.filter(task_path=SEND).delete()
    row = Notification.objects.get(channel="sms")
    Notification.objects.filter(pk=row.pk).update(
        attempts=1, leased_until=clock.now + dt.timedelta(minutes=2)
    )
    assert notification_send(notification_id=row.pk) == "skipped"  # still held
    clock.shift(minutes=3)
    assert notifications_sweep()["queued"] == 3  # the SMS and the two emails, all lost
    run_tasks()
    assert len(sms_outbox) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutboxStatus.SENT, 2)


@pytest.mark.django_db
def test_the_admin_lists_notifications_and_retries_a_failed_one(
    admin_client, clock, settings, sms_outbox
):
    settings.STAYDESK_SMS_BACKEND = f"{__name__}.BrokenGateway"
    booking = book_room(room_offer())
    run_tasks()
    row = sms_row()
    Notification.objects.filter(pk=row.pk).update(status=OutboxStatus.FAILED, next_attempt_at=None)
    DBTaskResult.objects.filter(task_path=SEND).delete()
    changelist = reverse("admin:notifications_notification_changelist")
    page = admin_client.get(changelist, {"status__exact": "failed"}).content.decode()
    assert row.recipient in page and booking.code in page
    assert (
        admin_client.get(changelist, {"channel__exact": "sms", "q": booking.code}).status_code
        == 200
    )
    detail = admin_client.get(reverse("admin:notifications_notification_change", args=[row.pk]))
    assert detail.status_code == 200 and 'name="_save"' not in detail.content.decode()

    settings.STAYDESK_SMS_BACKEND = "staydesk.notifications.channels.sms.LocmemBackend"
    sent = Notification.objects.exclude(pk=row.pk).first()
    response = admin_client.post(
        changelist, {"action": "retry_now", "_selected_action": [row.pk, sent.pk]}
    )
    assert response.status_code == 302
    run_tasks()
    row.refresh_from_db()
    assert row.status == OutboxStatus.SENT and len(sms_outbox) == 1
    sent.refresh_from_db()
    assert sent.attempts == 1  # a sent row is left alone


@pytest.mark.django_db
def test_owner_email_goes_to_the_organization_or_agency_in_its_language(clock, tmp_path):
    folder = tmp_path / "notifications"
    folder.mkdir()
    (folder / "owner_test.subject.txt").write_text("Endpoint {{ endpoint }} disabled")
    (folder / "owner_test.txt").write_text(
        "{% load i18n %}{% get_current_language as lang %}Hello {{ owner.name }} ({{ lang }})"
    )
    templates = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "DIRS": [str(tmp_path)],
            "APP_DIRS": True,
        }
    ]
    org = OrganizationFactory(language="pl")
    agency = AgencyFactory(language="is")
    with override_settings(TEMPLATES=templates):
        for _ in range(2):  # the caller retries: one email each
            notification_owner_email(
                organization=org,
                template="owner_test",
                context={"endpoint": "https://cm.example/hook"},
                dedupe_key="endpoint-7-disabled",
            )
            notification_owner_email(
                agency=agency,
                template="owner_test",
                context={"endpoint": "https://a.example/hook"},
                dedupe_key="endpoint-8-disabled",
            )
    run_tasks()
    to_org = [m for m in mail.outbox if m.to == [org.notification_email]]
    to_agency = [m for m in mail.outbox if m.to == [agency.email]]
    assert [m.subject for m in to_org] == ["Endpoint https://cm.example/hook disabled"]
    assert to_org[0].body == f"Hello {org.name} (pl)"
    assert [m.body for m in to_agency] == [f"Hello {agency.name} (is)"]
    assert to_org[0].alternatives == []  # no HTML template: plain text only
    row = Notification.objects.get(recipient=agency.email)
    assert (row.agency, row.organization, row.recipient_kind) == (agency, None, "agency")


def test_two_workers_racing_for_one_notification_send_it_once(postgres, settings, sms_outbox):
    settings.STAYDESK_SMS_BACKEND = f"{__name__}.SlowGateway"
    fan_out(book_room(room_offer()))
    row = Notification.objects.get(channel="sms")
    outcomes = race([lambda: notification_send(notification_id=row.pk) for _ in range(4)])
    assert [o.error for o in outcomes] == [None] * 4
    assert sorted(o.value for o in outcomes) == ["sent", "skipped", "skipped", "skipped"]
    assert len(sms_outbox) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutboxStatus.SENT, 1)


def test_fan_outs_racing_for_one_event_write_each_row_once(postgres):
    book_room(room_offer())
    event = BookingEvent.objects.get(action="create")
    outcomes = race([lambda: notifications_for_event(event) for _ in range(4)])
    assert [o.error for o in outcomes] == [None] * 4
    assert Notification.objects.count() == 3
    assert DBTaskResult.objects.filter(task_path=SEND).count() == 3
