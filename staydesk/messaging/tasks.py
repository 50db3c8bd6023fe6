"""Background tasks for the chat: thin, they take ids and call the fan-outs."""

from django.tasks import task

from staydesk.core.retry import task_retry_later


@task()
def dispatch_message(message_id: int, attempt: int = 0) -> None:
    """Tell the other side and the webhooks about a new chat message (queued in the message's
    transaction; both fan-outs are idempotent, so a retry adds only what is missing)."""
    from staydesk.messaging.dispatch import message_dispatch

    try:
        message_dispatch(message_id)
    except Exception:
        task_retry_later(dispatch_message, message_id, attempt=attempt)
        raise
