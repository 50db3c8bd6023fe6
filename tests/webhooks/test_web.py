"""The provider UI of webhooks: owners manage, staff look, other organizations get 404."""

import pytest
from django.test import Client

from staydesk.accounts.models import Membership
from staydesk.core.outbox import OutboxStatus
from staydesk.webhooks.models import WebhookDelivery, WebhookEndpoint
from staydesk.webhooks.services import endpoint_create, endpoint_ping
from tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

URL = "https://cm.example.net/hooks/in"


def signed_in(organization, role=Membership.Role.OWNER) -> Client:
    membership = MembershipFactory(organization=organization, role=role)
    client = Client()
    client.force_login(membership.user)
    return client


@pytest.fixture
def org():
    return OrganizationFactory()


@pytest.fixture
def owner(org):
    return signed_in(org)


@pytest.fixture
def endpoint(org):
    return endpoint_create(organization=org, url=URL, events=["booking.created"])


def test_an_owner_adds_an_endpoint_and_sees_its_secret(owner, org, clock):
    page = owner.get("/webhooks/")
    assert page.status_code == 200 and b"booking.status_changed" in page.content
    response = owner.post(
        "/webhooks/",
        {"url": URL, "events": ["booking.created", "booking.paid"], "description": "CM"},
    )
    endpoint = WebhookEndpoint.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/webhooks/{endpoint.pk}/"
    assert (endpoint.organization, endpoint.events) == (org, ["booking.created", "booking.paid"])
    detail = owner.get(f"/webhooks/{endpoint.pk}/").content.decode()
    assert endpoint.secret in detail and "data-secret" in detail  # behind a click (details)
    assert URL in owner.get("/webhooks/").content.decode()


@pytest.mark.parametrize(
    ("data", "field_error"),
    [
        ({"url": "http://127.0.0.1:8000/", "events": ["booking.created"]}, "non-public"),
        ({"url": "http://169.254.169.254/", "events": ["booking.created"]}, "non-public"),
        ({"url": "ftp://example.com/", "events": ["booking.created"]}, "Only http"),
        ({"url": URL, "events": []}, "This field is required"),
        ({"url": URL, "events": ["booking.nope"]}, "Select a valid choice"),
    ],
)
def test_a_bad_form_shows_the_error_and_stores_nothing(owner, settings, data, field_error):
    settings.STAYDESK_WEBHOOK_ALLOW_PRIVATE = False
    response = owner.post("/webhooks/", data)
    assert response.status_code == 200
    assert field_error in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_staff_may_look_but_not_manage_or_see_the_secret(org, endpoint):
    staff = signed_in(org, role=Membership.Role.STAFF)
    listing = staff.get("/webhooks/").content.decode()
    assert URL in listing and "Add endpoint" not in listing
    detail = staff.get(f"/webhooks/{endpoint.pk}/")
    assert detail.status_code == 200 and endpoint.secret not in detail.content.decode()
    assert staff.post("/webhooks/", {"url": URL, "events": ["booking.paid"]}).status_code == 403
    for action in ("rotate", "disable", "ping"):
        assert staff.post(f"/webhooks/{endpoint.pk}/{action}/").status_code == 403
    assert staff.post(f"/webhooks/{endpoint.pk}/delete/").status_code == 403
    endpoint.refresh_from_db()
    assert endpoint.enabled and WebhookEndpoint.objects.count() == 1


def test_another_organizations_endpoint_is_404(endpoint):
    stranger = signed_in(OrganizationFactory())
    delivery = endpoint_ping(endpoint=endpoint)
    base = f"/webhooks/{endpoint.pk}"
    assert stranger.get(f"{base}/").status_code == 404
    assert stranger.post(f"{base}/", {"url": URL, "events": ["booking.paid"]}).status_code == 404
    for action in ("rotate", "disable", "enable", "ping"):
        assert stranger.post(f"{base}/{action}/").status_code == 404
    assert stranger.get(f"{base}/delete/").status_code == 404
    assert stranger.post(f"{base}/delete/").status_code == 404
    assert stranger.post(f"{base}/deliveries/{delivery.pk}/redeliver/").status_code == 404
    assert URL not in stranger.get("/webhooks/").content.decode()
    endpoint.refresh_from_db()
    assert endpoint.enabled and endpoint.events == ["booking.created"]


def test_rotate_disable_enable_ping_and_redeliver(owner, endpoint, clock):
    base = f"/webhooks/{endpoint.pk}"
    old = endpoint.secret
    assert owner.post(f"{base}/rotate/").status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.secret != old and endpoint.previous_secret == old

    owner.post(f"{base}/ping/")
    delivery = WebhookDelivery.objects.get()
    assert delivery.event.type == "ping"
    page = owner.get(f"{base}/").content.decode()
    assert delivery.message_id in page and "Redeliver" in page

    WebhookDelivery.objects.filter(pk=delivery.pk).update(status=OutboxStatus.FAILED)
    assert owner.post(f"{base}/deliveries/{delivery.pk}/redeliver/").status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == OutboxStatus.PENDING

    owner.post(f"{base}/disable/")
    endpoint.refresh_from_db()
    assert not endpoint.enabled and endpoint.disabled_reason == "owner"
    delivery.refresh_from_db()
    assert delivery.status == OutboxStatus.CANCELLED
    response = owner.post(f"{base}/ping/", follow=True)
    assert "Enable the endpoint" in response.content.decode()
    assert WebhookDelivery.objects.count() == 1
    owner.post(f"{base}/enable/")
    endpoint.refresh_from_db()
    assert endpoint.enabled
    assert owner.post(f"{base}/explode/").status_code == 404


def test_settings_are_changed_on_the_endpoint_page(owner, endpoint, settings):
    settings.STAYDESK_WEBHOOK_ALLOW_PRIVATE = False
    base = f"/webhooks/{endpoint.pk}/"
    bad = owner.post(base, {"url": "http://10.0.0.1/", "events": ["booking.paid"]})
    assert bad.status_code == 200 and "non-public" in bad.content.decode()
    endpoint.refresh_from_db()
    assert endpoint.url == URL
    owner.post(base, {"url": "https://new.example.com/", "events": ["booking.paid"]})
    endpoint.refresh_from_db()
    assert (endpoint.url, endpoint.events) == ("https://new.example.com/", ["booking.paid"])


def test_delete_asks_first(owner, endpoint):
    confirm = owner.get(f"/webhooks/{endpoint.pk}/delete/")
    assert confirm.status_code == 200 and b"Delete the endpoint" in confirm.content
    assert WebhookEndpoint.objects.exists()  # GET changes nothing
    response = owner.post(f"/webhooks/{endpoint.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == "/webhooks/"
    assert not WebhookEndpoint.objects.exists()


def test_the_menu_links_to_webhooks(owner):
    assert b'href="/webhooks/"' in owner.get("/").content
