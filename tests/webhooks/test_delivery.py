"""Deliveries to a real HTTP server (pytest-httpserver) that verifies every signature with the
``standardwebhooks`` library; time is moved with the frozen clock past each next attempt."""

import datetime as dt
import json

import pytest

from staydesk.bookings.actors import Actor
from staydesk.bookings.services import booking_confirm
from staydesk.core.outbox import OutboxStatus
from staydesk.notifications.models import Notification
from staydesk.webhooks.delivery import SCHEDULE, deliveries_sweep
from staydesk.webhooks.fanout import webhooks_for_event
from staydesk.webhooks.models import (
    DisabledReason,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from staydesk.webhooks.services import (
    delivery_redeliver,
    endpoint_ping,
    endpoint_rotate_secret,
    endpoint_update,
)
from tests.factories import book_room, room_offer
from tests.webhooks.conftest import endpoint_for, queued_deliveries, run_deliveries

pytestmark = pytest.mark.django_db


def _created(offer):
    booking = book_room(offer)
    webhooks_for_event(booking.events.get(action="create"))
    return booking


def test_a_booking_event_arrives_signed_with_the_booking_as_the_api_shows_it(clock, receiver):
    offer = room_offer()
    endpoint = endpoint_for(offer.property.organization, receiver.url, events=["booking.created"])
    receiver.secrets = [endpoint.secret]

    booking = _created(offer)
    assert run_deliveries() == ["sent"]

    [got] = receiver.received
    assert receiver.verified_with == [[endpoint.secret]]
    assert got.headers["content-type"] == "application/json"
    assert got.headers["webhook-timestamp"] == str(int(clock.now.timestamp()))
    delivery = WebhookDelivery.objects.get()
    assert got.id == delivery.message_id and got.id.startswith("msg_")
    payload = got.payload
    assert payload["type"] == "booking.created" and payload["version"] == 1
    assert payload["timestamp"] == "2026-11-24T11:00:00Z"
    data = payload["data"]
    assert data["event_id"] == delivery.event_id and data["event_id"].startswith("evt_")
    assert (data["from_status"], data["to_status"]) == (None, "pending_confirmation")
    assert data["booking"]["code"] == booking.code
    assert data["booking"]["guest"]["last_name"] == "Nowak"
    assert data["booking"]["allowed_actions"] == ["confirm", "reject"]  # the provider's
    assert (delivery.status, delivery.attempts) == (OutboxStatus.SENT, 1)
    attempt = WebhookAttempt.objects.get()
    assert (attempt.status_code, attempt.error) == (200, "")
    assert json.loads(attempt.response_excerpt) == {"ok": True}


def test_a_receiver_failing_three_times_gets_the_event_on_the_fourth_attempt(clock, receiver):
    offer = room_offer()
    endpoint = endpoint_for(offer.property.organization, receiver.url, events=["booking.created"])
    receiver.secrets = [endpoint.secret]
    receiver.statuses = [500, 500, 503]
    _created(offer)

    assert run_deliveries() == ["retry"]
    for wait, expected in zip(SCHEDULE[:3], ["retry", "retry", "sent"], strict=True):
        delivery = WebhookDelivery.objects.get()
        assert delivery.next_attempt_at == clock_now() + wait
        assert [run_after for _pk, run_after in queued_deliveries()] == [delivery.next_attempt_at]
        clock.shift(seconds=wait.total_seconds() - 1)
        assert run_deliveries() == []  # not yet
        clock.shift(seconds=1)
        assert run_deliveries() == [expected]

    assert len(receiver.received) == 4
    assert len({r.id for r in receiver.received}) == 1  # the same webhook-id each time
    assert len({r.headers["webhook-timestamp"] for r in receiver.received}) == 4  # fresh
    assert all(passed == [endpoint.secret] for passed in receiver.verified_with)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == (OutboxStatus.SENT, 4)
    codes = list(WebhookAttempt.objects.order_by("id").values_list("status_code", flat=True))
    assert codes == [500, 500, 503, 200]
    endpoint.refresh_from_db()
    assert endpoint.failing_since is None  # the success ended the failure run


def clock_now():
    from staydesk.core import clock as sd_clock

    return sd_clock.now()


def test_the_schedule_gives_up_after_about_three_days(clock, receiver):
    offer = room_offer()
    endpoint_for(offer.property.organization, receiver.url, events=["booking.created"])
    receiver.statuses = [500] * 20
    _created(offer)
    assert dt.timedelta(days=3) <= sum(SCHEDULE, dt.timedelta()) <= dt.timedelta(days=3, hours=4)

    results = run_deliveries()
    for wait in SCHEDULE:
        clock.shift(seconds=wait.total_seconds())
        results += run_deliveries()

    assert results == ["retry"] * len(SCHEDULE) + ["failed"]
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == (OutboxStatus.FAILED, len(SCHEDULE) + 1)
    assert delivery.last_error == "HTTP 500"
    assert queued_deliveries() == []


def test_410_gone_disables_the_endpoint_at_once_and_tells_the_owner(clock, receiver):
    offer = room_offer()
    endpoint = endpoint_for(offer.property.organization, receiver.url)
    receiver.statuses = [410]
    booking = _created(offer)  # booking.created and booking.status_changed: two deliveries

    assert sorted(run_deliveries()[:1]) == ["gone"]
    endpoint.refresh_from_db()
    assert not endpoint.enabled
    assert endpoint.disabled_reason == DisabledReason.GONE
    assert endpoint.disabled_at == clock.now
    statuses = sorted(WebhookDelivery.objects.values_list("status", flat=True))
    assert statuses == [OutboxStatus.CANCELLED, OutboxStatus.FAILED]
    assert len(receiver.received) == 1

    booking_confirm(booking=booking, actor=Actor.provider(_user()))
    webhooks_for_event(booking.events.get(action="confirm"))
    assert WebhookDelivery.objects.count() == 2  # a disabled endpoint gets nothing new
    assert run_deliveries() == []
    _assert_owner_told(endpoint, reason="410 Gone")


def _user():
    from tests.factories import UserFactory

    return UserFactory()


def _assert_owner_told(endpoint: WebhookEndpoint, *, reason: str) -> None:
    """One email to the owner's notification address, in its language, with the URL, the
    reason and a link to the endpoint's page."""
    from staydesk.notifications.models import Notification

    [email] = Notification.objects.filter(template="webhook_disabled")
    organization = endpoint.organization
    assert email.recipient == organization.notification_email
    assert email.language == organization.language
    assert endpoint.url in email.subject
    assert endpoint.url in email.body_text and reason in email.body_text
    assert f"/webhooks/{endpoint.pk}/" in email.body_text
    assert f"/webhooks/{endpoint.pk}/" in email.body_html


def test_an_endpoint_failing_for_days_is_disabled_and_its_owner_told(clock, receiver, settings):
    settings.STAYDESK_WEBHOOK_DISABLE_AFTER_DAYS = 2
    offer = room_offer()
    endpoint = endpoint_for(offer.property.organization, receiver.url, events=["booking.created"])
    receiver.statuses = [500] * 20
    _created(offer)
    run_deliveries()
    endpoint.refresh_from_db()
    assert endpoint.failing_since == clock.now

    clock.shift(days=2, seconds=-1)
    deliveries_sweep()
    endpoint.refresh_from_db()
    assert endpoint.enabled
    clock.shift(seconds=1)
    assert deliveries_sweep()["disabled"] == 1
    endpoint.refresh_from_db()
    assert (endpoint.enabled, endpoint.disabled_reason) == (False, DisabledReason.FAILING)
    assert WebhookDelivery.objects.get().status == OutboxStatus.CANCELLED
    seen = len(receiver.received)
    assert set(run_deliveries()) == {"not due"}  # its queued retries find it cancelled
    assert len(receiver.received) == seen
    _assert_owner_told(endpoint, reason="failed for 2 days")
    deliveries_sweep()
    assert Notification.objects.filter(template="webhook_disabled").count() == 1  # once

    endpoint_update(endpoint=endpoint, enabled=True)
    endpoint.refresh_from_db()
    assert endpoint.enabled and endpoint.failing_since is None and not endpoint.disabled_reason


def test_a_redelivery_carries_the_same_webhook_id_and_body(clock, receiver):
    offer = room_offer()
    endpoint = endpoint_for(offer.property.organization, receiver.url, events=["booking.created"])
    receiver.secrets = [endpoint.secret]
    _created(offer)
    run_deliveries()
    delivery = WebhookDelivery.objects.get()

    clock.shift(hours=1)
    delivery_redeliver(delivery=delivery)
    assert run_deliveries() == ["sent"]

    first, second = receiver.received
    assert first.id == second.id == delivery.message_id
    assert first.body == second.body
    assert (
        int(second.headers["webhook-timestamp"]) - int(first.headers["webhook-timestamp"]) == 3600
    )
    assert receiver.verified_with == [[endpoint.secret], [endpoint.secret]]
    assert delivery.attempt_log.count() == 2


def test_during_a_rotation_both_secrets_verify(clock, receiver):
    offer = room_offer()
    endpoint = endpoint_for(offer.property.organization, receiver.url, events=["booking.created"])
    old = endpoint.secret
    endpoint_rotate_secret(endpoint=endpoint)
    new = endpoint.secret
    assert new != old and new.startswith("whsec_")
    receiver.secrets = [old, new]

    _created(offer)
    run_deliveries()
    assert receiver.verified_with == [[old, new]]
    assert len(receiver.received[0].headers["webhook-signature"].split(" ")) == 2

    clock.shift(hours=24)  # the overlap is over: only the new secret signs
    endpoint_ping(endpoint=endpoint)
    run_deliveries()
    assert receiver.verified_with[-1] == [new]
    assert receiver.received[-1].type == "ping"
    deliveries_sweep()
    endpoint.refresh_from_db()
    assert (endpoint.previous_secret, endpoint.previous_secret_until) == ("", None)


def test_a_ping_reaches_the_endpoint_whatever_it_subscribes_to(clock, receiver):
    offer = room_offer()
    endpoint = endpoint_for(offer.property.organization, receiver.url, events=["booking.paid"])
    receiver.secrets = [endpoint.secret]
    delivery = endpoint_ping(endpoint=endpoint)
    assert run_deliveries() == ["sent"]
    [got] = receiver.received
    assert got.payload["type"] == "ping"
    assert got.payload["data"]["endpoint"] == {"id": endpoint.pk, "url": endpoint.url}
    assert got.id == delivery.message_id


def test_a_redirect_is_not_followed_and_counts_as_a_failure(clock, httpserver, allow_private):
    offer = room_offer()
    httpserver.expect_request("/moved", method="POST").respond_with_data(
        "", status=302, headers={"Location": httpserver.url_for("/elsewhere")}
    )
    endpoint_for(offer.property.organization, httpserver.url_for("/moved"))
    _created(offer)
    assert set(run_deliveries()) == {"retry"}
    assert {r.path for r, _response in httpserver.log} == {"/moved"}
    assert set(WebhookAttempt.objects.values_list("status_code", flat=True)) == {302}


def test_a_receiver_that_is_down_is_an_attempt_with_an_error(clock, allow_private):
    offer = room_offer()
    endpoint_for(
        offer.property.organization, "http://127.0.0.1:9/hooks", events=["booking.created"]
    )
    _created(offer)
    assert run_deliveries() == ["retry"]
    attempt = WebhookAttempt.objects.get()
    assert attempt.status_code is None and "ConnectError" in attempt.error


def test_a_slow_receiver_times_out(clock, httpserver, allow_private, settings):
    import time

    settings.STAYDESK_WEBHOOK_TIMEOUT_SECONDS = 0.5

    def slow(request):
        time.sleep(1.5)
        from werkzeug import Response

        return Response("late")

    httpserver.expect_request("/slow", method="POST").respond_with_handler(slow)
    offer = room_offer()
    endpoint_for(
        offer.property.organization, httpserver.url_for("/slow"), events=["booking.created"]
    )
    _created(offer)
    assert run_deliveries() == ["retry"]
    assert "Timed out" in WebhookAttempt.objects.get().error


def test_the_sweep_requeues_a_delivery_whose_worker_died(clock, receiver, settings):
    settings.STAYDESK_WEBHOOK_LEASE_SECONDS = 30
    from django_tasks_db.models import DBTaskResult

    from staydesk.core.outbox import outbox_claim
    from staydesk.webhooks.delivery import _lease

    offer = room_offer()
    endpoint_for(offer.property.organization, receiver.url, events=["booking.created"])
    _created(offer)
    delivery = WebhookDelivery.objects.get()
    assert outbox_claim(WebhookDelivery, delivery.pk, lease=_lease())  # then the worker died
    DBTaskResult.objects.all().delete()

    assert deliveries_sweep()["requeued"] == 0  # still leased
    clock.shift(seconds=31)
    assert deliveries_sweep()["requeued"] == 1
    assert run_deliveries() == ["sent"]
    assert deliveries_sweep()["requeued"] == 0
    assert len(receiver.received) == 1


def test_an_unexpected_error_is_an_attempt_on_the_schedule_not_a_loop(clock, receiver, monkeypatch):
    """A bug or a library error mid-attempt must not leave the row leased and re-sent every
    sweep: it is recorded, and the next attempt waits its turn."""

    def broken(url, *, headers, body):
        raise RuntimeError("something nobody expected")

    monkeypatch.setattr("staydesk.webhooks.delivery._post", broken)
    offer = room_offer()
    endpoint_for(offer.property.organization, receiver.url, events=["booking.created"])
    _created(offer)

    assert run_deliveries() == ["retry"]
    delivery = WebhookDelivery.objects.get()
    assert delivery.leased_until is None
    assert delivery.next_attempt_at == clock.now + SCHEDULE[0]
    assert "something nobody expected" in WebhookAttempt.objects.get().error
    assert delivery.endpoint.failing_since == clock.now
    assert run_deliveries() == []  # nothing more until the schedule says so


def test_an_answer_with_a_nul_byte_is_logged_once_and_the_delivery_sent(
    clock, httpserver, allow_private
):
    httpserver.expect_request("/hooks", method="POST").respond_with_data("ok\x00!", status=200)
    offer = room_offer()
    endpoint_for(
        offer.property.organization, httpserver.url_for("/hooks"), events=["booking.created"]
    )
    _created(offer)

    assert run_deliveries() == ["sent"]
    assert WebhookAttempt.objects.get().response_excerpt == "ok\ufffd!"
    assert len(httpserver.log) == 1
