"""Rate limits of the API, per API key and per client IP (SPEC §8).

Fixed windows counted in the Django cache (``cache.add`` + ``cache.incr``: atomic on Redis
and in the local-memory cache). The rates are read from the settings on every request
(``STAYDESK_API_RATE_PER_KEY``, ``STAYDESK_API_RATE_PER_IP``: ``"<n>/<period>"``). Over the
limit, ninja answers 429 with ``Retry-After`` (the seconds left in the window); the error body
is ``{"detail", "code": "rate_limited"}`` (see ``install_rate_limits``).

The per-IP limit counts every authenticated request from the address, whatever the key; the
per-key limit counts a caller's (``Caller.key``) requests from anywhere.
"""

import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import Throttled
from ninja.throttling import BaseThrottle

from staydesk.api.errors import error_body

PERIODS = {
    "s": 1,
    "sec": 1,
    "second": 1,
    "m": 60,
    "min": 60,
    "minute": 60,
    "h": 3600,
    "hour": 3600,
    "d": 86400,
    "day": 86400,
}


def parse_rate(rate: str) -> tuple[int, int] | None:
    """``"120/min"`` → (120, 60); ``"10/5s"`` → (10, 5). None or "" for no limit."""
    if not rate:
        return None
    count, _sep, period = rate.partition("/")
    digits = "".join(ch for ch in period if ch.isdigit())
    unit = period[len(digits) :].strip().lower()
    if unit not in PERIODS:
        raise ValueError(f"Invalid rate: {rate!r}")
    return int(count), int(digits or 1) * PERIODS[unit]


class FixedWindowThrottle(BaseThrottle):
    """One instance serves every request (and thread): the wait is kept per thread."""

    setting = ""
    prefix = ""

    def __init__(self) -> None:
        self._local = threading.local()

    def ident(self, request: HttpRequest) -> str | None:
        raise NotImplementedError

    def allow_request(self, request: HttpRequest) -> bool:
        self._local.wait = None
        rate = parse_rate(getattr(settings, self.setting, ""))
        ident = self.ident(request)
        if rate is None or ident is None:
            return True
        limit, period = rate
        now = time.time()
        window = int(now // period)
        cache_key = f"api-rate:{self.prefix}:{ident}:{period}:{window}"
        cache.add(cache_key, 0, timeout=period + 1)
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.set(cache_key, 1, timeout=period + 1)
            count = 1
        if count <= limit:
            return True
        self._local.wait = (window + 1) * period - now
        return False

    def wait(self) -> float | None:
        wait = getattr(self._local, "wait", None)
        return max(1.0, wait) if wait is not None else None


class PerKeyThrottle(FixedWindowThrottle):
    setting = "STAYDESK_API_RATE_PER_KEY"
    prefix = "key"

    def ident(self, request: HttpRequest) -> str | None:
        caller = getattr(request, "auth", None)
        return getattr(caller, "key", None)


class PerIPThrottle(FixedWindowThrottle):
    setting = "STAYDESK_API_RATE_PER_IP"
    prefix = "ip"

    def ident(self, request: HttpRequest) -> str | None:
        return self.get_ident(request) or "unknown"


def throttles() -> list[BaseThrottle]:
    return [PerIPThrottle(), PerKeyThrottle()]


def install_rate_limits(api: NinjaAPI) -> None:
    """The 429 in the API's error shape; ninja adds ``Retry-After``."""

    @api.exception_handler(Throttled)
    def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        return api.create_response(
            request,
            error_body(_("Too many requests: slow down and retry later."), "rate_limited"),
            status=429,
        )
