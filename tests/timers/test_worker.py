"""The worker (``manage.py worker``): deferred tasks, the sweep at start, stale tasks.

In-process runs use the frozen clock (the worker's queries ask Django for the time, which
time-machine moves). Real worker processes cannot see time-machine, so their bookings are
made with the clock moved back (they are overdue in real time) and committed, and the
worker gets the test database through ``DATABASE_URL``.
"""

import datetime as dt
import logging
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from staydesk.bookings.actors import Actor
from staydesk.bookings.models import Booking, BookingEvent
from staydesk.bookings.services import booking_confirm
from staydesk.bookings.states import Status
from staydesk.core.periodic import requeue_stale_tasks
from tests.conftest import NOW
from tests.factories import UserFactory, book_room, room_offer
from tests.workers import worker_database_url

BASE_DIR = Path(settings.BASE_DIR)
EXPIRE = "staydesk.bookings.tasks.expire_booking"
REMIND = "staydesk.bookings.tasks.remind_booking"


@pytest.fixture
def run_worker(transactional_db, caplog):
    """Run ``manage.py worker --batch`` in this process (it sees the frozen clock).

    The worker logs a failing periodic job instead of stopping, so the log must stay clean.
    db_worker installs its own signal handlers; they are put back afterwards.
    """
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}

    def run() -> None:
        call_command("worker", batch=True, verbosity=0)
        errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
        assert errors == [], errors

    yield run
    for signum, handler in handlers.items():
        signal.signal(signum, handler)


@pytest.fixture
def provider_actor(transactional_db):
    return Actor.provider(UserFactory())


def actions_of(booking: Booking) -> list[str]:
    return list(BookingEvent.objects.filter(booking=booking).values_list("action", flat=True))


def tasks_by_status() -> dict[str, int]:
    """The timer tasks by status (every event also queues its fan-out, tested elsewhere)."""
    counts: dict[str, int] = {}
    timers = DBTaskResult.objects.filter(task_path__in=[EXPIRE, REMIND])
    for status in timers.values_list("status", flat=True):
        counts[status] = counts.get(status, 0) + 1
    return counts


# --- In this process, with the frozen clock --------------------------------------------------


def test_the_worker_runs_each_timer_when_it_is_due(run_worker, clock):
    booking = book_room(room_offer(), nights=2)

    run_worker()
    assert actions_of(booking) == ["create"]
    assert tasks_by_status() == {"READY": 3}

    clock.shift(hours=12, minutes=1)
    run_worker()
    assert actions_of(booking) == ["create", "reminder_half"]
    assert tasks_by_status() == {"SUCCESSFUL": 1, "READY": 2}

    clock.shift(hours=10)
    run_worker()
    assert actions_of(booking) == ["create", "reminder_half", "reminder_final"]

    clock.shift(hours=2)
    run_worker()
    run_worker()
    assert actions_of(booking) == ["create", "reminder_half", "reminder_final", "expire"]
    booking.refresh_from_db()
    assert booking.status == Status.EXPIRED_UNCONFIRMED
    assert tasks_by_status() == {"SUCCESSFUL": 3}


def test_the_timers_of_a_booking_confirmed_meanwhile_do_nothing(run_worker, clock, provider_actor):
    booking = book_room(room_offer(prepayment_percent="50"), nights=2)
    booking_confirm(booking=booking, actor=provider_actor)
    clock.shift(hours=25)  # every task of the request is due

    run_worker()
    booking.refresh_from_db()
    assert booking.status == Status.AWAITING_PAYMENT
    assert actions_of(booking) == ["create", "confirm"]
    request_tasks = DBTaskResult.objects.filter(run_after__lte=NOW + dt.timedelta(hours=24))
    assert request_tasks.count() == 3
    assert set(request_tasks.values_list("status", "return_value")) == {("SUCCESSFUL", False)}

    clock.shift(hours=24)  # past pay_by
    run_worker()
    run_worker()
    booking.refresh_from_db()
    assert booking.status == Status.EXPIRED_UNPAID
    assert actions_of(booking) == ["create", "confirm", "expire"]
    assert tasks_by_status() == {"SUCCESSFUL": 4}


def test_the_worker_expires_at_start_what_went_overdue_while_it_was_down(
    run_worker, clock, provider_actor
):
    """Nothing ran for three days, and one booking's tasks were lost altogether."""
    request = book_room(room_offer(), nights=2)
    lost = book_room(room_offer(), nights=2)
    unpaid = book_room(room_offer(booking_mode="instant"), nights=2)
    DBTaskResult.objects.filter(args_kwargs__args__0=lost.pk).delete()
    clock.shift(days=3)

    run_worker()

    statuses = dict(Booking.objects.values_list("pk", "status"))
    assert statuses == {
        request.pk: Status.EXPIRED_UNCONFIRMED,
        lost.pk: Status.EXPIRED_UNCONFIRMED,
        unpaid.pk: Status.EXPIRED_UNPAID,
    }
    for booking in (request, lost, unpaid):
        assert actions_of(booking) == ["create", "expire"]  # and no late reminders
    assert tasks_by_status() == {"SUCCESSFUL": 4}


def test_a_task_left_running_by_a_dead_worker_is_requeued(transactional_db, clock):
    booking = book_room(room_offer(), nights=2)
    stale_after = dt.timedelta(seconds=settings.STAYDESK_TASK_STALE_AFTER_SECONDS)
    half, final = (
        DBTaskResult.objects.get(task_path=REMIND, args_kwargs__args__1=action)
        for action in ("reminder_half", "reminder_final")
    )
    DBTaskResult.objects.filter(pk=half.pk).update(
        status="RUNNING", started_at=NOW - stale_after - dt.timedelta(seconds=1)
    )
    DBTaskResult.objects.filter(pk=final.pk).update(
        status="RUNNING", started_at=NOW - stale_after + dt.timedelta(seconds=1)
    )

    assert requeue_stale_tasks() == {"requeued": 1, "failed": 0}

    half.refresh_from_db()
    assert (half.status, half.started_at, half.run_after) == ("READY", None, NOW)
    final.refresh_from_db()
    assert final.status == "RUNNING"  # its worker may still be at it
    assert requeue_stale_tasks() == {"requeued": 0, "failed": 0}
    assert booking.pk == half.args_kwargs["args"][0]


def test_a_task_that_keeps_killing_its_worker_fails_instead_of_looping(transactional_db, clock):
    from staydesk.core.periodic import MAX_TASK_ATTEMPTS

    book_room(room_offer(), nights=2)
    task = DBTaskResult.objects.filter(task_path=REMIND).first()
    stale_after = dt.timedelta(seconds=settings.STAYDESK_TASK_STALE_AFTER_SECONDS)
    DBTaskResult.objects.filter(pk=task.pk).update(
        status="RUNNING",
        started_at=NOW - stale_after - dt.timedelta(seconds=1),
        worker_ids=[f"w{i}" for i in range(MAX_TASK_ATTEMPTS)],
    )
    assert requeue_stale_tasks() == {"requeued": 0, "failed": 1}
    task.refresh_from_db()
    assert task.status == "FAILED"
    assert "vanished" in task.traceback


def test_the_worker_requeues_and_runs_a_task_whose_worker_died(run_worker, clock):
    """The expire task was taken by a worker that was then killed; at the deadline a new
    worker puts it back in the queue and runs it."""
    booking = book_room(room_offer(), nights=2)
    clock.shift(hours=24)
    task = DBTaskResult.objects.get(task_path=EXPIRE)
    DBTaskResult.objects.filter(pk=task.pk).update(
        status="RUNNING",
        started_at=timezone.now() - dt.timedelta(hours=1),
        worker_ids=["killed-worker"],
    )
    DBTaskResult.objects.exclude(pk=task.pk).delete()

    run_worker()

    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"
    assert task.worker_ids[0] == "killed-worker" and len(task.worker_ids) == 2
    booking.refresh_from_db()
    assert booking.status == Status.EXPIRED_UNCONFIRMED
    assert actions_of(booking) == ["create", "expire"]


# --- Real worker processes, real time --------------------------------------------------------


def worker_process(*extra: str) -> subprocess.Popen:
    """Start ``manage.py worker --batch`` on the test database."""
    env = {
        **os.environ,
        "DATABASE_URL": worker_database_url(),
        "DJANGO_SETTINGS_MODULE": "staydesk.settings.test",
        "LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--batch", "--verbosity", "0", *extra],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def run_workers(count: int) -> None:
    """``count`` worker processes: at once on PostgreSQL, one after another on SQLite (whose
    single writer makes parallel workers a non-goal)."""
    parallel = connection.vendor == "postgresql"
    started: list[subprocess.Popen] = []
    for _ in range(count):
        started.append(worker_process())
        if not parallel:
            _finish(started[-1])
    for process in started:
        _finish(process)


def _finish(process: subprocess.Popen) -> None:
    output, _ = process.communicate(timeout=60)
    assert process.returncode == 0, output
    assert "Traceback" not in output, output  # a periodic job that failed is only logged


def made_ago(delta: dt.timedelta):
    """Make bookings as if it were ``delta`` ago (then committed: the worker must see them)."""
    return time_machine.travel(timezone.now() - delta, tick=False)


def test_a_worker_process_expires_at_start_what_went_overdue_during_downtime(transactional_db):
    with made_ago(dt.timedelta(days=2)):
        request = book_room(room_offer(), nights=2)
        lost = book_room(room_offer(), nights=2)
        killed = book_room(room_offer(), nights=2)
    with made_ago(dt.timedelta(days=3)):
        unpaid = book_room(room_offer(booking_mode="instant"), nights=2)
    DBTaskResult.objects.filter(args_kwargs__args__0=lost.pk).delete()
    # The worker that had taken this expire task died with it; its other tasks are gone.
    DBTaskResult.objects.filter(args_kwargs__args__0=killed.pk, task_path=REMIND).delete()
    DBTaskResult.objects.filter(args_kwargs__args__0=killed.pk).update(
        status="RUNNING", started_at=timezone.now() - dt.timedelta(days=1)
    )
    assert request.confirm_by < timezone.now() and unpaid.pay_by < timezone.now()

    run_workers(1)

    statuses = dict(Booking.objects.values_list("pk", "status"))
    assert statuses == {
        request.pk: Status.EXPIRED_UNCONFIRMED,
        lost.pk: Status.EXPIRED_UNCONFIRMED,
        killed.pk: Status.EXPIRED_UNCONFIRMED,
        unpaid.pk: Status.EXPIRED_UNPAID,
    }
    for booking in (request, lost, killed, unpaid):
        assert actions_of(booking) == ["create", "expire"]
    assert tasks_by_status() == {"SUCCESSFUL": 5}

    run_workers(1)
    assert BookingEvent.objects.count() == 8


def test_worker_processes_fire_each_timer_once(transactional_db):
    """Three workers start together (on PostgreSQL; in turn on SQLite) after downtime: each
    runs the sweep at start and then takes tasks from the shared queue."""
    with made_ago(dt.timedelta(days=3)):
        offer = room_offer(units=20)
        instant = room_offer(units=20, booking_mode="instant")
        overdue = [book_room(offer, nights=2) for _ in range(5)]
        overdue += [book_room(instant, nights=2) for _ in range(5)]
    with made_ago(dt.timedelta(hours=13)):
        half_way = [book_room(offer, nights=2) for _ in range(5)]

    run_workers(3)

    for booking in overdue:
        assert actions_of(booking) == ["create", "expire"]
    for booking in half_way:
        assert actions_of(booking) == ["create", "reminder_half"]
    assert set(
        Booking.objects.filter(pk__in=[b.pk for b in half_way]).values_list("status", flat=True)
    ) == {Status.PENDING_CONFIRMATION}
    assert not DBTaskResult.objects.exclude(status__in=["SUCCESSFUL", "READY"]).exists()
    assert not DBTaskResult.objects.ready().exists()  # nothing due was left behind
