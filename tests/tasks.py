"""Running the queued background tasks in the test process, as the worker would."""

from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult


def run_tasks(*, max_rounds: int = 50) -> int:
    """Run every READY task that is due now (by the frozen clock), as the worker would, until
    none is left; tasks queued by a task run in the same call. Returns how many ran."""
    ran = 0
    for _round in range(max_rounds):
        due = list(DBTaskResult.objects.ready().order_by("enqueued_at", "id"))
        if not due:
            return ran
        for result in due:
            result.claim("test-worker")
            try:
                args, kwargs = result.args_kwargs["args"], result.args_kwargs["kwargs"]
                value = import_string(result.task_path).call(*args, **kwargs)
            except Exception as exc:
                result.set_failed(exc)
                raise
            result.set_successful(value)
            ran += 1
    raise AssertionError("tasks keep queueing tasks")
