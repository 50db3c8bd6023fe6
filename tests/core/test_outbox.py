"""The outbox claim: one worker per attempt, a dead worker's lease runs out, and a worker
slower than its lease can neither close nor reopen a row that another worker has taken."""

import datetime as dt

import pytest

from staydesk.core import clock as real_clock
from staydesk.core.outbox import (
    OutboxStatus,
    outbox_claim,
    outbox_due,
    outbox_failed,
    outbox_succeeded,
)
from staydesk.notifications.models import Notification

pytestmark = pytest.mark.django_db

LEASE = dt.timedelta(minutes=2)
SCHEDULE = (dt.timedelta(minutes=1), dt.timedelta(minutes=5))


def row(**fields) -> Notification:
    now = real_clock.now()
    return Notification.objects.create(
        channel="email",
        recipient="desk@example.com",
        recipient_kind="provider",
        template="test",
        language="en",
        body_text="Hello",
        dedupe_key=fields.pop("dedupe_key", "test"),
        created_at=now,
        next_attempt_at=now,
        **fields,
    )


def fresh(item) -> Notification:
    return Notification.objects.get(pk=item.pk)


def test_one_claim_per_attempt(clock):
    item = row()
    assert outbox_claim(Notification, item.pk, lease=LEASE).attempts == 1
    assert outbox_claim(Notification, item.pk, lease=LEASE) is None  # held
    assert outbox_due(Notification) == []


def test_a_dead_workers_lease_runs_out_and_the_row_is_due_again(clock):
    item = row()
    outbox_claim(Notification, item.pk, lease=LEASE)
    clock.shift(minutes=3)
    assert outbox_due(Notification) == [item.pk]
    assert outbox_claim(Notification, item.pk, lease=LEASE).attempts == 2


def test_failures_follow_the_schedule_then_the_row_fails(clock):
    item = row()
    assert outbox_failed(
        outbox_claim(Notification, item.pk, lease=LEASE), error="down", schedule=SCHEDULE
    )
    assert fresh(item).next_attempt_at == clock.now + SCHEDULE[0]
    clock.shift(minutes=1)
    assert outbox_failed(
        outbox_claim(Notification, item.pk, lease=LEASE), error="down", schedule=SCHEDULE
    )
    clock.shift(minutes=5)
    assert not outbox_failed(
        outbox_claim(Notification, item.pk, lease=LEASE), error="down", schedule=SCHEDULE
    )
    assert fresh(item).status == OutboxStatus.FAILED
    assert outbox_claim(Notification, item.pk, lease=LEASE) is None


def test_a_worker_slower_than_its_lease_does_not_reopen_a_sent_row(clock):
    item = row()
    slow = outbox_claim(Notification, item.pk, lease=LEASE)
    clock.shift(minutes=3)  # its lease ran out; the sweep gave the row to another worker
    fast = outbox_claim(Notification, item.pk, lease=LEASE)
    assert outbox_succeeded(fast)

    assert outbox_failed(slow, error="SMTP timeout", schedule=SCHEDULE) is False
    assert not outbox_succeeded(slow)
    after = fresh(item)
    assert after.status == OutboxStatus.SENT
    assert after.next_attempt_at is None
    assert outbox_due(Notification) == []


def test_a_nul_in_a_servers_answer_is_stored(clock):
    item = row()
    claimed = outbox_claim(Notification, item.pk, lease=LEASE)
    outbox_failed(claimed, error="bad\x00answer", schedule=SCHEDULE)
    assert fresh(item).last_error == "bad\ufffdanswer"
