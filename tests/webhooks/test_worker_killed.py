"""A worker process killed with SIGKILL in the middle of deliveries loses nothing: after a
new worker starts, every delivery is sent and the receiver has seen every webhook-id.

Real processes and real time (the workers cannot see a frozen clock): the test commits its
bookings, and the workers get the test database and short leases through the environment.
"""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from staydesk.core.outbox import OutboxStatus
from staydesk.webhooks.models import WebhookDelivery
from tests.factories import book_room, room_offer
from tests.webhooks.conftest import endpoint_for
from tests.workers import worker_database_url

BOOKINGS = 12
LEASE_SECONDS = 3


class SlowReceiver:
    """Takes its time over each request (a worker is killed while one is in flight)."""

    def __init__(self, delay: float):
        self.delay = delay
        self.ids: list[str] = []
        self.started = 0
        self.lock = threading.Lock()
        self.in_flight = threading.Event()

    def handle(self, request: Request) -> Response:
        with self.lock:
            self.started += 1
            if self.started == 4:
                self.in_flight.set()
        time.sleep(self.delay)
        with self.lock:
            self.ids.append(request.headers["webhook-id"])
        return Response("ok")


def start_worker() -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": worker_database_url(),
        "DJANGO_SETTINGS_MODULE": "staydesk.settings.test",
        "LOG_LEVEL": "WARNING",
        "STAYDESK_WEBHOOK_ALLOW_PRIVATE": "1",
        "STAYDESK_WEBHOOK_LEASE_SECONDS": str(LEASE_SECONDS),
        "STAYDESK_WEBHOOK_TIMEOUT_SECONDS": "2",
        "STAYDESK_SWEEP_INTERVAL_SECONDS": "1",
        "STAYDESK_TASK_STALE_AFTER_SECONDS": "3",
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--interval", "0.1", "--verbosity", "0"],
        cwd=Path(settings.BASE_DIR),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_for(condition, *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


@pytest.fixture
def slow_receiver():
    receiver = SlowReceiver(delay=0.3)
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.expect_request("/hooks", method="POST").respond_with_handler(receiver.handle)
    server.start()
    receiver.url = server.url_for("/hooks")
    yield receiver
    server.clear()
    server.stop()


def test_a_killed_worker_loses_no_delivery(transactional_db, settings, slow_receiver):
    settings.STAYDESK_WEBHOOK_ALLOW_PRIVATE = True
    offer = room_offer(units=BOOKINGS)
    endpoint_for(offer.property.organization, slow_receiver.url, events=["booking.created"])
    for _ in range(BOOKINGS):
        book_room(offer)  # each queues its dispatch task, which fans out in the worker

    first = start_worker()
    try:
        assert slow_receiver.in_flight.wait(timeout=60), "the first worker delivered nothing"
        first.send_signal(signal.SIGKILL)  # mid-request: its delivery stays leased
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()
    assert first.returncode == -signal.SIGKILL
    sent = WebhookDelivery.objects.filter(status=OutboxStatus.SENT).count()
    assert sent < BOOKINGS, "the worker was killed too late to prove anything"

    second = start_worker()
    try:
        wait_for(
            lambda: (
                WebhookDelivery.objects.count() == BOOKINGS
                and not WebhookDelivery.objects.exclude(status=OutboxStatus.SENT).exists()
            ),
            timeout=90,
            what="every delivery to be sent",
        )
    finally:
        second.send_signal(signal.SIGTERM)
        try:
            output, _ = second.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            second.kill()
            output, _ = second.communicate()
    assert "Traceback" not in output, output

    ids = set(WebhookDelivery.objects.values_list("message_id", flat=True))
    assert len(ids) == BOOKINGS
    assert ids <= set(slow_receiver.ids)  # every webhook-id arrived at least once
    assert set(slow_receiver.ids) == ids  # and nothing else did
