"""Public ids of webhook events and messages: a prefix and a ULID (time-ordered, random)."""

import secrets

from staydesk.core import clock

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def ulid() -> str:
    """26 characters: 48 bits of milliseconds, then 80 random bits, in Crockford base32."""
    value = (int(clock.now().timestamp() * 1000) << 80) | secrets.randbits(80)
    return "".join(_CROCKFORD[(value >> shift) & 31] for shift in range(125, -1, -5))


def new_event_id() -> str:
    return f"evt_{ulid()}"


def new_message_id() -> str:
    return f"msg_{ulid()}"
