"""``/api/v1/webhooks``: each owner manages its own endpoints; nobody sees another's."""

import json

import pytest

from staydesk.webhooks.fanout import webhooks_for_event
from staydesk.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from tests.api.conftest import bearer

URL = "https://pms.example.com/staydesk"


def post(client, path, body=None):
    return client.post(path, json.dumps(body or {}), content_type="application/json")


def patch(client, path, body):
    return client.patch(path, json.dumps(body), content_type="application/json")


def create(client, **body):
    data = {"url": URL, "events": ["booking.created", "booking.status_changed"], **body}
    return post(client, "/api/v1/webhooks", data)


@pytest.fixture
def sides(two_sides, settings):
    settings.STAYDESK_WEBHOOK_ALLOW_PRIVATE = False
    return two_sides


def test_a_provider_registers_an_endpoint_and_sees_its_secret_once(sides):
    a, _b = sides
    response = create(a.provider, description="Channel manager")
    assert response.status_code == 201, response.content
    body = response.json()
    endpoint = WebhookEndpoint.objects.get(pk=body["id"])
    assert endpoint.organization == a.offer.property.organization and endpoint.agency is None
    assert body["secret"] == endpoint.secret and body["secret"].startswith("whsec_")
    assert body["events"] == ["booking.created", "booking.status_changed"]
    assert (body["url"], body["description"], body["enabled"]) == (URL, "Channel manager", True)

    listed = a.provider.get("/api/v1/webhooks").json()
    assert [e["id"] for e in listed] == [endpoint.pk]
    assert "secret" not in listed[0] and listed[0]["secret_hint"].startswith("whsec_")
    one = a.provider.get(f"/api/v1/webhooks/{endpoint.pk}").json()
    assert "secret" not in one and one["id"] == endpoint.pk


def test_an_agency_endpoint_belongs_to_the_agency(sides):
    a, _b = sides
    response = create(a.agent)
    assert response.status_code == 201
    endpoint = WebhookEndpoint.objects.get(pk=response.json()["id"])
    assert endpoint.agency == a.agency and endpoint.organization is None
    assert a.provider.get("/api/v1/webhooks").json() == []


def test_a_guest_secret_may_not_manage_webhooks(sides):
    a, _b = sides
    assert a.guest.get("/api/v1/webhooks").status_code == 403
    response = create(a.guest)
    assert response.status_code == 403 and response.json()["code"] == "actor_not_allowed"
    assert not WebhookEndpoint.objects.exists()


def test_another_owners_endpoint_is_404_everywhere(sides):
    a, b = sides
    theirs = create(b.provider).json()["id"]
    agency_endpoint = create(b.agent).json()["id"]
    for client in (a.provider, a.agent):
        for target in (theirs, agency_endpoint):
            base = f"/api/v1/webhooks/{target}"
            assert client.get(base).status_code == 404
            assert patch(client, base, {"enabled": False}).status_code == 404
            assert post(client, base, {"enabled": False}).status_code == 404
            assert client.delete(base).status_code == 404
            assert post(client, f"{base}/rotate-secret").status_code == 404
            assert post(client, f"{base}/ping").status_code == 404
            assert client.get(f"{base}/deliveries").status_code == 404
            assert post(client, f"{base}/deliveries/1/redeliver").status_code == 404
    assert WebhookEndpoint.objects.filter(enabled=True).count() == 2
    assert not WebhookDelivery.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/hooks",
        "http://[::1]/hooks",
        "http://0x7f000001/",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/",
        "http://192.168.0.10/",
        "http://localhost/",
        "ftp://example.com/",
        "https://user:pw@example.com/",
    ],
)
def test_a_url_that_is_not_public_http_is_422_naming_the_field(sides, url):
    a, _b = sides
    response = create(a.provider, url=url)
    assert response.status_code == 422, response.content
    assert response.json()["field"] == "url" and response.json()["code"] == "invalid_url"
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize("events", [[], ["booking.nope"], ["ping"], ["booking.created", 7]])
def test_unknown_or_missing_events_are_422(sides, events):
    a, _b = sides
    response = create(a.provider, events=events)
    assert response.status_code == 422
    assert response.json()["field"].startswith("events")
    assert not WebhookEndpoint.objects.exists()


def test_changing_an_endpoint(sides):
    a, _b = sides
    endpoint_id = create(a.provider).json()["id"]
    path = f"/api/v1/webhooks/{endpoint_id}"
    response = patch(a.provider, path, {"events": ["booking.paid"], "enabled": False})
    assert response.status_code == 200, response.content
    assert response.json()["events"] == ["booking.paid"]
    assert response.json()["enabled"] is False
    assert response.json()["disabled_reason"] == "owner"

    WebhookEndpoint.objects.filter(pk=endpoint_id).update(failing_since="2026-11-20T00:00Z")
    response = post(a.provider, path, {"enabled": True, "url": "https://new.example.com/h"})
    assert response.status_code == 200
    body = response.json()
    assert body["enabled"] is True and body["failing_since"] is None
    assert body["url"] == "https://new.example.com/h" and body["events"] == ["booking.paid"]

    response = patch(a.provider, path, {"url": "http://10.1.1.1/"})
    assert response.status_code == 422 and response.json()["field"] == "url"
    assert WebhookEndpoint.objects.get(pk=endpoint_id).url == "https://new.example.com/h"


def test_rotating_the_secret_keeps_the_old_one_for_a_day(sides, clock):
    a, _b = sides
    created = create(a.provider).json()
    response = post(a.provider, f"/api/v1/webhooks/{created['id']}/rotate-secret")
    assert response.status_code == 200
    body = response.json()
    assert body["secret"] != created["secret"] and body["secret"].startswith("whsec_")
    assert body["previous_secret_valid_until"] == "2026-11-25T11:00:00Z"
    endpoint = WebhookEndpoint.objects.get(pk=created["id"])
    assert (endpoint.secret, endpoint.previous_secret) == (body["secret"], created["secret"])


def test_deleting_an_endpoint(sides):
    a, _b = sides
    endpoint_id = create(a.provider).json()["id"]
    assert a.provider.delete(f"/api/v1/webhooks/{endpoint_id}").status_code == 204
    assert not WebhookEndpoint.objects.exists()
    assert a.provider.get(f"/api/v1/webhooks/{endpoint_id}").status_code == 404


def test_ping_deliveries_and_redelivery(sides, clock):
    a, _b = sides
    endpoint_id = create(a.provider).json()["id"]
    base = f"/api/v1/webhooks/{endpoint_id}"
    webhooks_for_event(a.booking.events.get(action="create"))  # two deliveries

    response = post(a.provider, f"{base}/ping")
    assert response.status_code == 202, response.content
    ping = response.json()
    assert ping["type"] == "ping" and ping["status"] == "pending"
    assert ping["webhook_id"].startswith("msg_") and ping["payload"]["type"] == "ping"

    page = a.provider.get(f"{base}/deliveries?page_size=2").json()
    assert (page["count"], page["pages"], len(page["results"])) == (3, 2, 2)
    assert page["results"][0]["id"] == ping["id"]  # newest first
    assert a.provider.get(f"{base}/deliveries?page_size=500").status_code == 422

    delivery = WebhookDelivery.objects.get(pk=ping["id"])
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status="failed", attempts=10)
    WebhookAttempt.objects.create(
        delivery=delivery, started_at=clock.now, url=URL, status_code=500, error=""
    )
    response = post(a.provider, f"{base}/deliveries/{delivery.pk}/redeliver")
    assert response.status_code == 202, response.content
    again = response.json()
    assert again["webhook_id"] == ping["webhook_id"]
    assert (again["status"], again["attempt_count"]) == ("pending", 0)
    assert again["attempts"][0]["status_code"] == 500  # the log is kept

    other = WebhookDelivery.objects.exclude(endpoint_id=endpoint_id).first()
    assert other is None
    missing = post(a.provider, f"{base}/deliveries/999999/redeliver")
    assert missing.status_code == 404


def test_a_disabled_endpoint_cannot_be_pinged(sides):
    a, _b = sides
    endpoint_id = create(a.provider).json()["id"]
    patch(a.provider, f"/api/v1/webhooks/{endpoint_id}", {"enabled": False})
    response = post(a.provider, f"/api/v1/webhooks/{endpoint_id}/ping")
    assert response.status_code == 409 and response.json()["code"] == "endpoint_disabled"


def test_revoked_or_missing_token_is_401(sides):
    assert bearer("sd_nope_nope").get("/api/v1/webhooks").status_code == 401
