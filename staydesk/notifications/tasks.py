"""Background tasks for notifications: thin, they take ids and call the services."""

from django.tasks import task


@task()
def send_notification(notification_id: int) -> str:
    """One attempt to send a notification; a repeat of the task sends nothing twice."""
    from staydesk.notifications.services import notification_send

    return notification_send(notification_id=notification_id)
