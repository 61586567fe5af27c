"""The suite's task backend: a job enqueued for now runs at once (in the tests, after commit, as a worker
would pick it up at once); a job for later waits in `deferred` until run_due() runs those whose time came."""

from django.utils import timezone
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.base import TaskResult, TaskResultStatus
from django_tasks.utils import get_random_id

from tests.middleware import as_committed


class ImmediateOrLaterBackend(ImmediateBackend):
    supports_defer = True

    def __init__(self, alias, params):
        super().__init__(alias, params)
        self.deferred = []
        self.results = []

    def enqueue(self, task, args, kwargs):
        self.validate_task(task)
        result = TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        self.results.append(result)
        if task.run_after is not None and task.run_after > timezone.now():
            self.deferred.append(result)
        else:
            self._execute_task(result)
        return result

    def run_due(self):
        """Run the deferred jobs whose time has come (the clock may have been moved); returns how many ran."""
        due = [result for result in self.deferred if result.task.run_after <= timezone.now()]
        for result in due:
            self.deferred.remove(result)
            as_committed(self._execute_task, result)  # a worker runs each job in its own transactions
        return len(due)

    def clear(self):
        self.deferred.clear()
        self.results.clear()
