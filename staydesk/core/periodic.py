"""Jobs the worker runs at start and then every minute: the safety nets behind deferred tasks.

Each job is idempotent, so any number of workers may run them at the same time.
"""

import datetime as dt
import logging
import threading

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from staydesk.core import clock

logger = logging.getLogger(__name__)

PERIODIC_JOBS = (
    "staydesk.core.periodic.requeue_stale_tasks",
    "staydesk.bookings.timers.timers_sweep",
)


def requeue_stale_tasks() -> int:
    """Put back in the queue the tasks left RUNNING by a worker that died (SIGKILL, OOM).

    django-tasks-db does not do this itself (its issue 5). Task bodies are idempotent, so
    running one again is safe.
    """
    cutoff = clock.now() - dt.timedelta(seconds=settings.STAYDESK_TASK_STALE_AFTER_SECONDS)
    count = (
        DBTaskResult.objects.running()
        .filter(started_at__lt=cutoff)
        .update(status="READY", started_at=None, run_after=clock.now())
    )
    if count:
        logger.warning("Re-queued %s tasks whose worker vanished", count)
    return count


def run_periodic_jobs() -> None:
    for path in PERIODIC_JOBS:
        try:
            import_string(path)()
        except Exception:  # one failing job must not stop the others or the worker
            logger.exception("Periodic job %s failed", path)


class PeriodicRunner(threading.Thread):
    """Runs the periodic jobs every ``interval`` seconds beside the worker loop."""

    def __init__(self, interval: float):
        super().__init__(name="staydesk-periodic", daemon=True)
        self.interval = interval
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            close_old_connections()
            run_periodic_jobs()
            connection.close()

    def stop(self) -> None:
        self.stopped.set()
