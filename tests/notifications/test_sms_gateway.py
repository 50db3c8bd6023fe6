"""The HTTP SMS gateway backend against a real HTTP server (pytest-httpserver)."""

import json

import pytest
from werkzeug import Response

from staydesk.core.outbox import OutboxStatus
from staydesk.notifications.channels import DeliveryError
from staydesk.notifications.channels.sms import FileBackend, HttpGatewayBackend, Sms
from staydesk.notifications.models import Notification
from tests.factories import book_room, room_offer
from tests.notifications.conftest import free_port
from tests.tasks import run_tasks

TOKEN = "gw-secret-123"


@pytest.fixture
def gateway(httpserver, settings):
    settings.STAYDESK_SMS_BACKEND = "staydesk.notifications.channels.sms.HttpGatewayBackend"
    settings.STAYDESK_SMS_GATEWAY_URL = httpserver.url_for("/v1/sms")
    settings.STAYDESK_SMS_GATEWAY_TOKEN = TOKEN
    settings.STAYDESK_SMS_SENDER_ID = "PodLipami"
    settings.STAYDESK_SMS_GATEWAY_TIMEOUT_SECONDS = 2
    return httpserver


def posted(httpserver) -> list[dict]:
    return [json.loads(request.get_data()) for request, _response in httpserver.log]


def test_the_gateway_gets_the_sms_as_json_with_the_bearer_token(gateway):
    gateway.expect_request(
        "/v1/sms",
        method="POST",
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
    ).respond_with_json({"id": "m-1"}, status=202)
    HttpGatewayBackend().send(Sms(to="+48601234567", text="Nowa rezerwacja", reference="42"))
    assert posted(gateway) == [
        {"to": "+48601234567", "text": "Nowa rezerwacja", "sender": "PodLipami", "reference": "42"}
    ]
    gateway.check_assertions()


@pytest.mark.parametrize("status", [500, 429, 401, 302])
def test_a_non_2xx_answer_is_a_failure(gateway, status):
    gateway.expect_request("/v1/sms").respond_with_response(
        Response("nope", status=status, headers={"Location": "http://elsewhere.example/"})
    )
    with pytest.raises(DeliveryError, match=str(status)):
        HttpGatewayBackend().send(Sms(to="+48601234567", text="x", reference="1"))


def test_an_unreachable_gateway_is_a_failure(settings):
    settings.STAYDESK_SMS_GATEWAY_URL = f"http://127.0.0.1:{free_port()}/sms"
    with pytest.raises(DeliveryError, match="unreachable"):
        HttpGatewayBackend().send(Sms(to="+48601234567", text="x", reference="1"))


@pytest.mark.django_db
def test_a_gateway_failing_with_500_is_retried_and_the_sms_sent_once(gateway, clock):
    calls = []

    def answer(request):
        calls.append(json.loads(request.get_data()))
        return Response("busy", status=500) if len(calls) == 1 else Response("{}", status=200)

    gateway.expect_request("/v1/sms", method="POST").respond_with_handler(answer)
    booking = book_room(room_offer())
    run_tasks()
    row = Notification.objects.get(channel="sms")
    assert (row.status, row.attempts) == (OutboxStatus.PENDING, 1)
    assert "answered 500" in row.last_error

    clock.shift(minutes=1)
    run_tasks()
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (OutboxStatus.SENT, 2, "")
    assert len(calls) == 2 and calls[0] == calls[1]  # the same SMS, the same reference
    assert booking.code in calls[1]["text"] and calls[1]["to"] == "+48601234567"
    assert calls[1]["reference"] == str(row.pk)
    clock.shift(hours=1)
    run_tasks()
    assert len(calls) == 2


def test_the_file_backend_appends_one_json_line_per_sms(settings, tmp_path):
    settings.STAYDESK_SMS_FILE = str(tmp_path / "sms" / "out.log")
    FileBackend().send(Sms(to="+420601234567", text="Nová zpráva", reference="7"))
    FileBackend().send(Sms(to="+420601234567", text="Druhá", reference="8"))
    lines = [json.loads(line) for line in (tmp_path / "sms" / "out.log").read_text().splitlines()]
    assert [(line["to"], line["text"], line["ref"]) for line in lines] == [
        ("+420601234567", "Nová zpráva", "7"),
        ("+420601234567", "Druhá", "8"),
    ]
