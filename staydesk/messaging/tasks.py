"""Background tasks for the chat: thin, they take ids and call the fan-outs."""

from django.tasks import task


@task()
def dispatch_message(message_id: int) -> None:
    """Tell the other side and the webhooks about a new chat message (queued in the message's
    transaction; both fan-outs are idempotent)."""
    from staydesk.messaging.models import Message
    from staydesk.notifications.fanout import notifications_for_message
    from staydesk.webhooks.fanout import webhooks_for_message

    message = Message.objects.filter(pk=message_id).select_related("booking").first()
    if message is None:
        return
    notifications_for_message(message)
    webhooks_for_message(message)
