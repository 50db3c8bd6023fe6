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

MAX_TASK_ATTEMPTS = 5

PERIODIC_JOBS = (
    "staydesk.core.periodic.requeue_stale_tasks",
    "staydesk.bookings.timers.timers_sweep",
    "staydesk.api.idempotency.purge_expired",
    "staydesk.notifications.services.notifications_sweep",
    "staydesk.webhooks.delivery.deliveries_sweep",
)


def requeue_stale_tasks() -> dict[str, int]:
    """Put back in the queue the tasks left RUNNING by a worker that died (SIGKILL, OOM).

    django-tasks-db does not do this itself (its issue 5). Task bodies are idempotent, so
    running one again is safe. A task that has already been claimed ``MAX_TASK_ATTEMPTS`` times
    (it keeps killing its worker) is marked FAILED instead of looping forever.
    A task is taken for dead after STAYDESK_TASK_STALE_AFTER_SECONDS: our tasks take seconds.
    """
    now = clock.now()
    stale = DBTaskResult.objects.running().filter(
        started_at__lt=now - dt.timedelta(seconds=settings.STAYDESK_TASK_STALE_AFTER_SECONDS)
    )
    requeued = failed = 0
    for task_id, worker_ids in stale.values_list("id", "worker_ids"):
        still_stale = stale.filter(id=task_id)  # re-checked in the UPDATE: a race is harmless
        if len(worker_ids or []) >= MAX_TASK_ATTEMPTS:
            failed += still_stale.update(
                status="FAILED",
                finished_at=now,
                exception_class_path="staydesk.core.periodic.WorkerLost",
                traceback=f"The worker running it vanished {len(worker_ids)} times.",
            )
        else:
            requeued += still_stale.update(status="READY", started_at=None, run_after=now)
    if requeued or failed:
        logger.warning("Tasks whose worker vanished: %s re-queued, %s failed", requeued, failed)
    return {"requeued": requeued, "failed": failed}


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
