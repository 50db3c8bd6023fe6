"""Notifications: queueing (render once, store, send by a task) and sending with retries.

Template files (see ``rendering.py``), all under ``staydesk/notifications/templates/``:
``notifications/<name>.subject.txt``, ``notifications/<name>.txt``, ``notifications/<name>.html``
(optional) and ``notifications/<name>.sms.txt`` (SMS only). ``notification_owner_email(template=
"webhook_disabled", ...)`` renders ``notifications/webhook_disabled.subject.txt`` etc.

A row is written once per ``dedupe_key`` (a fan-out that runs twice creates nothing), sent by
``tasks.send_notification`` after commit, and retried on failure along ``RETRY_SCHEDULE``; a
mail or SMS server down for hours delays a notification but never loses or repeats it: the
outbox claim lets exactly one worker send a row, and a sent row is never sent again.
"""

import datetime as dt
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from staydesk.accounts.models import Agency, Organization
from staydesk.bookings.models import Booking, BookingEvent
from staydesk.core import clock
from staydesk.core.errors import DomainError
from staydesk.core.outbox import (
    OutboxStatus,
    outbox_claim,
    outbox_due,
    outbox_failed,
    outbox_succeeded,
)
from staydesk.messaging.models import Message
from staydesk.notifications.channels.email import email_send
from staydesk.notifications.channels.sms import Sms, sms_backend
from staydesk.notifications.models import Channel, Notification, RecipientKind
from staydesk.notifications.rendering import render_email, render_sms

logger = logging.getLogger(__name__)

# The wait after each failed attempt: 1 min … 24 h, about 3.5 days in all before a row is
# given up ("failed", shown to the provider and retried by hand from the admin).
RETRY_SCHEDULE = tuple(
    dt.timedelta(minutes=m) for m in (1, 5, 15, 60, 180, 360, 720, 1440, 1440, 1440)
)
# A due row whose task should already have run gets a new task from the sweep only after
# this grace, so the sweep does not race the task queued for the same moment.
SWEEP_GRACE = dt.timedelta(minutes=2)


def notification_queue(
    *,
    channel: Channel | str,
    recipient: str,
    recipient_kind: RecipientKind | str,
    template: str,
    language: str,
    context: dict,
    dedupe_key: str,
    organization: Organization | None = None,
    agency: Agency | None = None,
    booking: Booking | None = None,
    event: BookingEvent | None = None,
    message: Message | None = None,
    from_name: str = "",
    tz: str | None = None,
    file: str | None = None,
) -> Notification | None:
    """Render and store one notification and queue its sending; None if it exists already.

    ``template`` is the kind recorded on the row; ``file`` the template files it is rendered
    from (``template`` when not given).
    """
    if not recipient:
        return None
    if Notification.objects.filter(dedupe_key=dedupe_key).exists():
        return None
    name = file or template
    if channel == Channel.SMS:
        subject, text, html = "", render_sms(name, context, language=language, tz=tz), ""
    else:
        rendered = render_email(name, context, language=language, tz=tz)
        subject, text, html = rendered.subject, rendered.text, rendered.html
    now = clock.now()
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                organization=organization,
                agency=agency,
                booking=booking,
                event=event,
                message=message,
                channel=channel,
                recipient=recipient,
                recipient_kind=recipient_kind,
                template=template,
                language=language,
                from_name=from_name[:200],
                subject=subject,
                body_text=text,
                body_html=html,
                dedupe_key=dedupe_key,
                created_at=now,
                next_attempt_at=now,
            )
            _queue_send(notification.pk)  # same transaction: the task exists iff the row does
    except IntegrityError:  # a concurrent fan-out wrote the same row first
        return None
    return notification


def _queue_send(notification_id: int, run_after: dt.datetime | None = None) -> None:
    from staydesk.notifications.tasks import send_notification

    task = send_notification.using(run_after=run_after) if run_after else send_notification
    task.enqueue(notification_id)


def notification_owner_email(
    *,
    organization: Organization | None = None,
    agency: Agency | None = None,
    template: str,
    context: dict,
    dedupe_key: str,
) -> None:
    """Email the owner of something (an organization's notification email, or an agency's
    email) in its language, rendered from ``notifications/<template>.*`` with ``context``."""
    owner = organization or agency
    if owner is None:
        raise ValueError("notification_owner_email needs an organization or an agency")
    notification_queue(
        organization=organization,
        agency=agency,
        channel=Channel.EMAIL,
        recipient=organization.notification_email if organization else agency.email,
        recipient_kind=RecipientKind.PROVIDER if organization else RecipientKind.AGENCY,
        template=template,
        language=owner.language,
        context={"owner": owner, **context},
        dedupe_key=f"owner:{dedupe_key}"[:255],
        from_name="Staydesk",
    )


def _deliver(notification: Notification) -> None:
    if notification.channel == Channel.SMS:
        sms = Sms(
            to=notification.recipient, text=notification.body_text, reference=str(notification.pk)
        )
        sms_backend().send(sms)
    else:
        email_send(notification)


def notification_send(*, notification_id: int) -> str:
    """One attempt to send a notification: "sent", "retry", "failed" or "skipped" (not due,
    already sent, or held by another worker — a repeated task sends nothing twice)."""
    lease = dt.timedelta(seconds=settings.STAYDESK_NOTIFICATION_LEASE_SECONDS)
    notification = outbox_claim(Notification, notification_id, lease=lease)
    if notification is None:
        return "skipped"
    try:
        _deliver(notification)
    except Exception as exc:  # any failure of the channel: the row waits for the next attempt
        error = f"{type(exc).__name__}: {exc}"
        retry = outbox_failed(notification, error=error, schedule=RETRY_SCHEDULE)
        logger.warning(
            "Notification %s (%s to %s), attempt %s failed: %s",
            notification.pk,
            notification.channel,
            notification.recipient,
            notification.attempts,
            error,
        )
        if retry:
            _queue_send(notification.pk, run_after=notification.next_attempt_at)
            return "retry"
        return "failed"
    outbox_succeeded(notification)
    return "sent"


def notification_retry_now(*, notification: Notification) -> None:
    """Send a failed (or waiting) notification again now: one more attempt, from the admin."""
    if notification.status not in (OutboxStatus.FAILED, OutboxStatus.PENDING):
        raise DomainError("not_retryable", _("This notification was already sent or cancelled."))
    now = clock.now()
    with transaction.atomic():
        Notification.objects.filter(
            pk=notification.pk, status__in=(OutboxStatus.FAILED, OutboxStatus.PENDING)
        ).update(status=OutboxStatus.PENDING, next_attempt_at=now)
        _queue_send(notification.pk)


def notifications_sweep() -> dict[str, int]:
    """Queue a send for every due row whose task was lost or whose worker died mid-send."""
    queued = 0
    for pk in outbox_due(Notification, late_by=SWEEP_GRACE):
        _queue_send(pk)
        queued += 1
    if queued:
        logger.info("Notifications sweep queued %s sends", queued)
    return {"queued": queued}
