"""Standard Webhooks signatures (https://www.standardwebhooks.com), with the reference library.

Every attempt gets a fresh ``webhook-timestamp`` and signature; ``webhook-id`` stays the
delivery's. During a secret rotation both secrets sign: ``webhook-signature`` then carries two
space-separated ``v1,`` signatures, and a receiver that knows either one verifies.
"""

import datetime as dt
import math

from standardwebhooks.webhooks import Webhook

from staydesk.webhooks.models import WebhookEndpoint


def signing_secrets(endpoint: WebhookEndpoint, *, at: dt.datetime) -> list[str]:
    found = [endpoint.secret]
    if (
        endpoint.previous_secret
        and endpoint.previous_secret_until
        and at < (endpoint.previous_secret_until)
    ):
        found.append(endpoint.previous_secret)
    return found


def signed_headers(*, secrets: list[str], msg_id: str, at: dt.datetime, body: str) -> dict:
    at = at.astimezone(dt.UTC)
    signatures = " ".join(Webhook(s).sign(msg_id=msg_id, timestamp=at, data=body) for s in secrets)
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(math.floor(at.timestamp())),
        "webhook-signature": signatures,
        "content-type": "application/json",
    }
