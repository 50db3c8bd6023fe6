"""``manage.py worker``: django-tasks-db's db_worker plus our periodic jobs.

At start it runs the jobs once (a booking that went overdue while nothing ran expires now),
then every STAYDESK_SWEEP_INTERVAL_SECONDS, beside the normal task loop.
"""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from staydesk.core.periodic import PeriodicRunner, run_periodic_jobs


class Command(BaseCommand):
    help = "Run a background worker with the timer sweep (extra arguments go to db_worker)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--batch", action="store_true", help="Run what is due, then exit.")
        parser.add_argument("--interval", type=float, default=1.0)
        parser.add_argument("--worker-id", default=None)

    def handle(self, *args, batch: bool, interval: float, worker_id: str | None, **options) -> None:
        run_periodic_jobs()
        runner = None
        if not batch:
            runner = PeriodicRunner(settings.STAYDESK_SWEEP_INTERVAL_SECONDS)
            runner.start()
        extra = {"worker_id": worker_id} if worker_id else {}
        try:
            call_command(
                "db_worker",
                batch=batch,
                interval=interval,
                reload=False,
                startup_delay=not batch,
                queue_name="*",
                verbosity=options.get("verbosity", 1),
                **extra,
            )
        finally:
            if runner:
                runner.stop()
