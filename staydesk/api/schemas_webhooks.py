"""The shapes of ``/api/v1/webhooks`` (SPEC §7, §8)."""

import datetime as dt
from typing import Any

from ninja import Field, Schema

from staydesk.webhooks.guard import MAX_URL_LENGTH
from staydesk.webhooks.services import MAX_DESCRIPTION
from staydesk.webhooks.types import SUBSCRIBABLE

EVENTS_DESCRIPTION = "Event types to receive: " + ", ".join(f"`{t}`" for t in SUBSCRIBABLE) + "."


class WebhookIn(Schema):
    url: str = Field(
        max_length=MAX_URL_LENGTH,
        examples=["https://pms.example.com/staydesk/webhooks"],
        description="http(s) only, no credentials; private and loopback addresses are refused.",
    )
    events: list[str] = Field(
        max_length=len(SUBSCRIBABLE) * 2,
        examples=[["booking.created", "booking.status_changed"]],
        description=EVENTS_DESCRIPTION,
    )
    description: str = Field("", max_length=MAX_DESCRIPTION, examples=["Channel manager"])


class WebhookPatch(Schema):
    url: str | None = Field(None, max_length=MAX_URL_LENGTH)
    events: list[str] | None = Field(
        None, max_length=len(SUBSCRIBABLE) * 2, description=EVENTS_DESCRIPTION
    )
    description: str | None = Field(None, max_length=MAX_DESCRIPTION)
    enabled: bool | None = Field(
        None, description="false disables; true re-enables and forgets the failure run."
    )


class WebhookOut(Schema):
    id: int
    url: str
    description: str
    events: list[str]
    enabled: bool
    disabled_at: dt.datetime | None
    disabled_reason: str | None = Field(description="owner, gone (410) or failing")
    failing_since: dt.datetime | None = Field(description="First failure since the last success.")
    secret_hint: str = Field(description="The start of the signing secret.")
    previous_secret_valid_until: dt.datetime | None = Field(
        description="After a rotation, the old secret also signs until then."
    )
    created_at: dt.datetime


class WebhookWithSecretOut(WebhookOut):
    secret: str = Field(
        description="The signing secret (`whsec_…`), shown only when created or rotated.",
        examples=["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
    )


class AttemptOut(Schema):
    started_at: dt.datetime
    duration_ms: int
    status_code: int | None
    response_excerpt: str = Field(description="The first 2 KB of the response body.")
    error: str


class DeliveryOut(Schema):
    id: int
    webhook_id: str = Field(description="The `webhook-id` header: the same on every attempt.")
    event_id: str
    type: str
    status: str = Field(description="pending, sent, failed or cancelled")
    attempt_count: int
    next_attempt_at: dt.datetime | None
    last_error: str
    created_at: dt.datetime
    sent_at: dt.datetime | None
    payload: dict[str, Any]
    attempts: list[AttemptOut]


class DeliveryPage(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    results: list[DeliveryOut]
