"""Sending notifications: one attempt per task, retried with backoff."""


def notifications_sweep() -> dict[str, int]:
    return {}
