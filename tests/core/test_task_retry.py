"""A fan-out task that fails is queued again later, with a growing delay, a bounded number of
times; the event's fan-out then runs in full."""

import datetime as dt

import pytest
from django_tasks_db.models import DBTaskResult

from staydesk.bookings import tasks
from staydesk.core.retry import RETRY_DELAYS
from tests.conftest import NOW
from tests.factories import book_room, room_offer

DISPATCH = "staydesk.bookings.tasks.dispatch_event"


@pytest.fixture
def failing_fanout(monkeypatch):
    calls = []

    def fail(event):
        calls.append(event.pk)
        raise ConnectionError("database went away")

    monkeypatch.setattr("staydesk.notifications.fanout.notifications_for_event", fail)
    return calls


def test_a_failed_dispatch_is_queued_again_with_the_next_attempt(db, clock, failing_fanout):
    booking = book_room(room_offer(), nights=2)
    event = booking.events.get()

    with pytest.raises(ConnectionError):
        tasks.dispatch_event.call(event.pk)

    retry = DBTaskResult.objects.get(task_path=DISPATCH, args_kwargs__kwargs__attempt=1)
    assert retry.args_kwargs["args"] == [event.pk]
    assert retry.run_after == NOW + RETRY_DELAYS[0]
    assert failing_fanout == [event.pk]


def test_retries_stop_after_the_last_delay(db, clock, failing_fanout):
    booking = book_room(room_offer(), nights=2)
    event = booking.events.get()
    queued = DBTaskResult.objects.filter(task_path=DISPATCH).count()

    with pytest.raises(ConnectionError):
        tasks.dispatch_event.call(event.pk, attempt=len(RETRY_DELAYS))

    assert DBTaskResult.objects.filter(task_path=DISPATCH).count() == queued


def test_the_delays_grow(db):
    assert list(RETRY_DELAYS) == sorted(RETRY_DELAYS)
    assert RETRY_DELAYS[0] >= dt.timedelta(seconds=1)


def test_a_failing_notification_fan_out_does_not_keep_the_webhooks_from_theirs(
    db, clock, failing_fanout, monkeypatch
):
    webhooks = []
    monkeypatch.setattr("staydesk.webhooks.fanout.webhooks_for_event", webhooks.append)
    booking = book_room(room_offer(), nights=2)
    event = booking.events.get()

    with pytest.raises(ConnectionError):
        tasks.dispatch_event.call(event.pk)

    assert failing_fanout == [event.pk]
    assert [e.pk for e in webhooks] == [event.pk]
