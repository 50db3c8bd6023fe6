"""Email through Django's mailers (settings.MAILERS): SMTP in production, file or console by
default, locmem in tests."""

from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from staydesk.notifications.models import Notification


def from_address(display_name: str) -> str:
    """DEFAULT_FROM_EMAIL's address with the property's name shown as the sender."""
    default_name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((display_name or default_name, address))


def email_send(notification: Notification) -> None:
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=notification.body_text,
        from_email=from_address(notification.from_name),
        to=[notification.recipient],
        headers={
            "Content-Language": notification.language,
            # Lets a receiving system tell repeats of one notification apart from new ones.
            "X-Staydesk-Notification": notification.dedupe_key[:200],
            "Auto-Submitted": "auto-generated",
        },
    )
    if notification.body_html:
        message.attach_alternative(notification.body_html, "text/html")
    message.send()
