"""Sign-in throttling: too many failed attempts for a username or from an address are refused
for a while. Counters live in the cache (Redis when configured), so every web process shares
them."""

from django.conf import settings
from django.core.cache import cache


def _keys(*, username: str, ip: str) -> list[str]:
    return [f"login-fail:user:{username.strip().lower()[:150]}", f"login-fail:ip:{ip}"]


def login_is_throttled(*, username: str, ip: str) -> bool:
    counts = cache.get_many(_keys(username=username, ip=ip))
    return any(count >= settings.STAYDESK_LOGIN_ATTEMPTS for count in counts.values())


def login_failed(*, username: str, ip: str) -> None:
    for key in _keys(username=username, ip=ip):
        # add() starts the window on the first failure; incr() keeps its expiry.
        if not cache.add(key, 1, timeout=settings.STAYDESK_LOGIN_WINDOW_SECONDS):
            try:
                cache.incr(key)
            except ValueError:  # expired between add() and incr()
                cache.add(key, 1, timeout=settings.STAYDESK_LOGIN_WINDOW_SECONDS)


def login_succeeded(*, username: str, ip: str) -> None:
    cache.delete(_keys(username=username, ip=ip)[0])
