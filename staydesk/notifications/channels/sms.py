"""SMS backends, chosen by STAYDESK_SMS_BACKEND (a dotted path to a class with ``send``).

- ``ConsoleBackend`` logs the text;
- ``FileBackend`` appends one JSON line per SMS to STAYDESK_SMS_FILE (local runs);
- ``LocmemBackend`` keeps them in ``outbox`` (tests), like Django's locmem mail backend;
- ``HttpGatewayBackend`` POSTs JSON to STAYDESK_SMS_GATEWAY_URL with a Bearer token.

``send`` raises ``DeliveryError`` when the SMS was not accepted; the attempt is retried.
"""

import json
import logging
import threading
from dataclasses import dataclass
from pathlib import Path

import httpx
from django.conf import settings
from django.utils.module_loading import import_string

from staydesk.core import clock
from staydesk.notifications.channels import DeliveryError

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Sms:
    to: str
    text: str
    reference: str  # stable across retries, so a gateway can drop a repeat


class BaseSmsBackend:
    def send(self, sms: Sms) -> None:
        raise NotImplementedError


class ConsoleBackend(BaseSmsBackend):
    def send(self, sms: Sms) -> None:
        logger.info("SMS to %s: %s", sms.to, sms.text)


class FileBackend(BaseSmsBackend):
    _lock = threading.Lock()

    def send(self, sms: Sms) -> None:
        path = Path(settings.STAYDESK_SMS_FILE)
        line = json.dumps(
            {"at": clock.now().isoformat(), "to": sms.to, "text": sms.text, "ref": sms.reference},
            ensure_ascii=False,
        )
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with self._lock, path.open("a", encoding="utf-8") as handle:
                handle.write(line + "\n")
        except OSError as exc:
            raise DeliveryError(f"cannot write {path}: {exc}") from exc


outbox: list[Sms] = []


class LocmemBackend(BaseSmsBackend):
    def send(self, sms: Sms) -> None:
        outbox.append(sms)


class HttpGatewayBackend(BaseSmsBackend):
    """A JSON gateway: ``POST {"to", "text", "sender", "reference"}`` with a Bearer token."""

    def send(self, sms: Sms) -> None:
        url = settings.STAYDESK_SMS_GATEWAY_URL
        if not url:
            raise DeliveryError("STAYDESK_SMS_GATEWAY_URL is not set")
        payload = {
            "to": sms.to,
            "text": sms.text,
            "sender": settings.STAYDESK_SMS_SENDER_ID,
            "reference": sms.reference,
        }
        headers = {"Authorization": f"Bearer {settings.STAYDESK_SMS_GATEWAY_TOKEN}"}
        try:
            response = httpx.post(
                url,
                json=payload,
                headers=headers,
                timeout=settings.STAYDESK_SMS_GATEWAY_TIMEOUT_SECONDS,
                follow_redirects=False,
            )
        except httpx.HTTPError as exc:
            raise DeliveryError(f"SMS gateway unreachable: {exc!r}") from exc
        if not response.is_success:
            raise DeliveryError(
                f"SMS gateway answered {response.status_code}: {response.text[:300]}"
            )


def sms_backend() -> BaseSmsBackend:
    return import_string(settings.STAYDESK_SMS_BACKEND)()
