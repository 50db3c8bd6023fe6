"""The operator's webhook pages: they open, the secret is masked, redeliver works."""

import pytest
from django.urls import reverse

from staydesk.core.outbox import OutboxStatus
from staydesk.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from staydesk.webhooks.services import endpoint_create, endpoint_ping
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivery(clock):
    endpoint = endpoint_create(
        organization=OrganizationFactory(), url="https://pms.example.com/h", events=["booking.paid"]
    )
    delivery = endpoint_ping(endpoint=endpoint)
    WebhookAttempt.objects.create(
        delivery=delivery,
        started_at=clock.now,
        url=endpoint.url,
        status_code=500,
        response_excerpt="oops from the receiver",
    )
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status=OutboxStatus.FAILED)
    return delivery


def test_the_pages_open_and_mask_the_secret(admin_client, delivery):
    endpoint = delivery.endpoint
    for model, pk in ((WebhookEndpoint, endpoint.pk), (WebhookDelivery, delivery.pk)):
        name = f"admin:webhooks_{model._meta.model_name}"
        listing = admin_client.get(reverse(f"{name}_changelist"), {"q": "example"})
        assert listing.status_code == 200
        page = admin_client.get(reverse(f"{name}_change", args=[pk]))
        assert page.status_code == 200
        assert endpoint.secret not in page.content.decode()
        assert admin_client.get(reverse(f"{name}_add")).status_code == 403
    page = admin_client.get(reverse("admin:webhooks_webhookdelivery_change", args=[delivery.pk]))
    assert "oops from the receiver" in page.content.decode()  # the attempts inline
    assert delivery.message_id in page.content.decode()


def test_the_redeliver_action(admin_client, delivery):
    response = admin_client.post(
        reverse("admin:webhooks_webhookdelivery_changelist"),
        {"action": "redeliver", "_selected_action": [delivery.pk]},
        follow=True,
    )
    assert response.status_code == 200
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (OutboxStatus.PENDING, 0)
