"""A new chat message, after commit: the other side is told, and the webhooks fire."""

from staydesk.core.fanout import fan_out_all
from staydesk.messaging.models import Message


def message_dispatch(message_id: int) -> None:
    from staydesk.notifications.fanout import notifications_for_message
    from staydesk.webhooks.fanout import webhooks_for_message

    message = (
        Message.objects.filter(pk=message_id)
        .select_related("booking__property__organization", "booking__agency")
        .first()
    )
    if message is None:
        return
    fan_out_all(message, notifications_for_message, webhooks_for_message)
