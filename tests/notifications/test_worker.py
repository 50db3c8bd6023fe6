"""Real worker processes (``manage.py worker --batch``) on the test database, sending to a real
SMTP server and the SMS file: what a dead worker or a mail server that was down left behind
is delivered by the next worker, once."""

import datetime as dt
import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from staydesk.core.outbox import OutboxStatus
from staydesk.notifications.models import Notification
from tests.factories import book_room, guest, room_offer
from tests.workers import worker_database_url

SEND = "staydesk.notifications.tasks.send_notification"


@pytest.fixture
def worker(transactional_db, smtp_server, tmp_path):
    """Run one worker to the end of its queue, as production runs it: the base settings with
    the SMTP backend from the environment (the test settings would use the locmem mailbox)."""
    sms_file = tmp_path / "sms.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "staydesk.settings.base",
        "DATABASE_URL": worker_database_url(),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_server.port),
        "EMAIL_USE_TLS": "0",
        "EMAIL_TIMEOUT": "5",
        "STAYDESK_SMS_BACKEND": "staydesk.notifications.channels.sms.FileBackend",
        "STAYDESK_SMS_FILE": str(sms_file),
        "LOG_LEVEL": "ERROR",
    }

    def run() -> None:
        process = subprocess.run(
            [sys.executable, "manage.py", "worker", "--batch", "--verbosity", "0"],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        output = process.stdout + process.stderr
        assert process.returncode == 0, output
        assert "Traceback" not in output, output

    run.sms = lambda: (
        [json.loads(line) for line in sms_file.read_text().splitlines()]
        if sms_file.exists()
        else []
    )
    return run


def test_a_worker_sends_the_new_booking_notifications(worker, smtp_server):
    booking = book_room(room_offer(), guest=guest(email="guest@example.com"))
    worker()
    assert len(smtp_server.to("guest@example.com")) == 1
    assert len(smtp_server.to(booking.organization.notification_email)) == 1
    assert [line["to"] for line in worker.sms()] == [booking.organization.notification_phone]
    assert set(Notification.objects.values_list("status", flat=True)) == {OutboxStatus.SENT}


def test_what_a_killed_worker_and_a_down_server_left_is_sent_once_by_the_next_worker(
    worker, smtp_server
):
    smtp_server.stop()
    booking = book_room(room_offer(), guest=guest(email="guest@example.com"))
    worker()  # the mail server is down: the emails wait, the SMS went out
    emails = Notification.objects.filter(channel="email")
    assert set(emails.values_list("status", flat=True)) == {OutboxStatus.PENDING}
    assert set(emails.values_list("attempts", flat=True)) == {1}
    assert len(worker.sms()) == 1

    # Meanwhile a worker took the guest's email and was SIGKILLed mid-send: its task is left
    # RUNNING and the row leased; both ran out long ago.
    long_ago = timezone.now() - dt.timedelta(hours=1)
    to_guest = emails.get(recipient="guest@example.com")
    Notification.objects.filter(pk=to_guest.pk).update(attempts=2, leased_until=long_ago)
    DBTaskResult.objects.filter(task_path=SEND, args_kwargs__args__0=to_guest.pk).update(
        status="RUNNING", started_at=long_ago, worker_ids=["killed"]
    )
    # ... and the desk's retry is due now.
    emails.update(next_attempt_at=long_ago)
    DBTaskResult.objects.filter(task_path=SEND, status="READY").update(run_after=long_ago)

    smtp_server.start()
    worker()
    worker()  # another worker after it finds nothing left to do
    assert len(smtp_server.to("guest@example.com")) == 1
    assert len(smtp_server.to(booking.organization.notification_email)) == 1
    assert len(worker.sms()) == 1
    assert set(emails.values_list("status", flat=True)) == {OutboxStatus.SENT}
