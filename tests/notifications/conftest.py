"""Helpers for the notification tests: run the queued tasks in-process, capture SMS, and a
real SMTP server (aiosmtpd) on a free loopback port."""

import logging
import socket
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from staydesk.notifications.channels import sms


def pending_sends() -> list[DBTaskResult]:
    return list(
        DBTaskResult.objects.filter(
            task_path="staydesk.notifications.tasks.send_notification", status="READY"
        )
    )


@pytest.fixture(autouse=True)
def sms_outbox(settings):
    settings.STAYDESK_SMS_BACKEND = "staydesk.notifications.channels.sms.LocmemBackend"
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage


@dataclass
class Collector:
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd calls it by this name
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        with self.lock:
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpServer:
    """A real SMTP server on 127.0.0.1; ``stop()`` and ``start()`` take it down and back up on
    the same port, as a mail server that goes away for a while."""

    def __init__(self):
        self.port = free_port()
        self.collector = Collector()
        self.controller: Controller | None = None

    @property
    def received(self) -> list[Received]:
        return self.collector.received

    def start(self) -> None:
        self.controller = Controller(self.collector, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def to(self, address: str) -> list[EmailMessage]:
        return [r.message for r in self.received if address in r.recipients]


@pytest.fixture
def smtp_server():
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command
    server = SmtpServer()
    server.start()
    mailers = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": server.port, "timeout": 5},
        }
    }
    with override_settings(MAILERS=mailers):
        yield server
    server.stop()
