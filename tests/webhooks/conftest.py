"""Helpers for the webhook tests: owners with endpoints, a receiver that verifies signatures,
and a tiny runner for the queued delivery tasks (the frozen clock decides what is due)."""

import json
from dataclasses import dataclass, field

import pytest
from django_tasks_db.models import DBTaskResult
from pytest_httpserver import HTTPServer
from standardwebhooks.webhooks import Webhook
from werkzeug import Request, Response

from staydesk.webhooks.delivery import delivery_attempt
from staydesk.webhooks.models import WebhookEndpoint
from staydesk.webhooks.services import endpoint_create

DELIVER = "staydesk.webhooks.tasks.deliver_webhook"


def run_deliveries() -> list[str]:
    """Run the queued delivery tasks that are due now, as a worker would; their results."""
    results = []
    while True:
        task = DBTaskResult.objects.ready().filter(task_path=DELIVER).first()
        if task is None:
            return results
        DBTaskResult.objects.filter(pk=task.pk).update(status="SUCCESSFUL")
        results.append(delivery_attempt(task.args_kwargs["args"][0]))


def queued_deliveries() -> list[tuple[int, object]]:
    """(delivery id, run_after) of delivery tasks still waiting."""
    return list(
        DBTaskResult.objects.filter(task_path=DELIVER, status="READY").values_list(
            "args_kwargs__args__0", "run_after"
        )
    )


@dataclass
class Received:
    headers: dict
    body: bytes
    payload: dict | None = None

    @property
    def id(self) -> str:
        return self.headers["webhook-id"]

    @property
    def type(self) -> str:
        return json.loads(self.body)["type"]


@dataclass
class Receiver:
    """A real HTTP server: verifies each request with the given secrets (any one may pass)
    and answers with the next queued status (200 when none is left)."""

    server: HTTPServer
    secrets: list[str] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    verified_with: list[list[str]] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.server.url_for("/hooks")

    def handle(self, request: Request) -> Response:
        headers = {k.lower(): v for k, v in request.headers.items()}
        body = request.get_data()
        item = Received(headers=headers, body=body)
        passed = []
        for secret in self.secrets:
            try:
                item.payload = Webhook(secret).verify(body, headers)
                passed.append(secret)
            except Exception:
                pass
        self.received.append(item)
        self.verified_with.append(passed)
        status = self.statuses.pop(0) if self.statuses else 200
        return Response(json.dumps({"ok": status < 300}), status=status)


@pytest.fixture
def allow_private(settings):
    """The receiver runs on 127.0.0.1: the operator's switch for private addresses is on."""
    settings.STAYDESK_WEBHOOK_ALLOW_PRIVATE = True


@pytest.fixture
def receiver(httpserver, allow_private) -> Receiver:
    recv = Receiver(server=httpserver)
    httpserver.expect_request("/hooks", method="POST").respond_with_handler(recv.handle)
    return recv


def endpoint_for(owner, url: str, events=None, **kwargs) -> WebhookEndpoint:
    from staydesk.accounts.models import Agency

    key = "agency" if isinstance(owner, Agency) else "organization"
    return endpoint_create(
        **{key: owner},
        url=url,
        events=events or ["booking.created", "booking.status_changed", "message.created"],
        **kwargs,
    )
