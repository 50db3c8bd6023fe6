"""``/api/v1/webhooks``: endpoints, their deliveries, redelivery and a test ping."""

from ninja import Router

router = Router(tags=["webhooks"])
