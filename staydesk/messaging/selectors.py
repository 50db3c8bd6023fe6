"""Reads of the chat. The conversation itself arrives with the chat work (issue 5); until
then nobody has unread messages, and every page already asks this one selector."""

from staydesk.core.tenancy import Scope


def unread_message_count(*, scope: Scope) -> int:
    """Messages the caller has not read yet, over every booking in its scope."""
    return 0


def unread_by_booking(*, scope: Scope, booking_ids: list[int]) -> dict[int, int]:
    """Unread messages per booking, for the grid (one query once the chat exists)."""
    return {}
