"""Background tasks for webhooks: thin, they take ids and call the delivery service."""

from django.tasks import task


@task()
def deliver_webhook(delivery_id: int) -> str:
    """One attempt of a delivery; a failure queues the next attempt itself (at its time)."""
    from staydesk.webhooks.delivery import delivery_attempt

    return delivery_attempt(delivery_id)
