"""Retrying a task that failed: django-tasks-db has no retries of its own (DESIGN.md).

A task body that may fail for a passing reason (a database hiccup, a deploy mid-way) calls
``task_retry_later`` from its ``except``: the same task is queued again with ``attempt + 1``
after a growing delay, up to ``len(RETRY_DELAYS)`` times. Task bodies are idempotent, so a
retry after a partial run is safe.
"""

import datetime as dt
import logging

from django.tasks import Task

from staydesk.core import clock

logger = logging.getLogger(__name__)

RETRY_DELAYS = (
    dt.timedelta(seconds=30),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=6),
)


def task_retry_later(task: Task, *args, attempt: int) -> bool:
    """Queue ``task(*args, attempt=attempt + 1)`` after a delay; False once retries are spent."""
    if attempt >= len(RETRY_DELAYS):
        logger.error("%s%r failed %s times; giving up", task.name, args, attempt + 1)
        return False
    run_after = clock.now() + RETRY_DELAYS[attempt]
    task.using(run_after=run_after).enqueue(*args, attempt=attempt + 1)
    logger.warning("%s%r failed; retrying at %s", task.name, args, run_after.isoformat())
    return True
