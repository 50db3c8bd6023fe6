"""Delivering webhooks: one attempt per task, retried on a fixed schedule."""


def deliveries_sweep() -> dict[str, int]:
    return {}
