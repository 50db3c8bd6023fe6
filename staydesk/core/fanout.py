"""Running the fan-outs of one cause (notifications, webhooks) independently of each other."""

import logging
from collections.abc import Callable

logger = logging.getLogger(__name__)


def fan_out_all(cause: object, *fan_outs: Callable[[object], object]) -> None:
    """Call each fan-out with ``cause``; one failing does not keep the others from running.

    The first error is raised once all have run, so the task is retried; the fan-outs are
    idempotent, so the retry adds only what the failed one missed.
    """
    first_error: Exception | None = None
    for fan_out in fan_outs:
        try:
            fan_out(cause)
        except Exception as exc:
            logger.exception("%s failed for %r", fan_out.__qualname__, cause)
            first_error = first_error or exc
    if first_error is not None:
        raise first_error
