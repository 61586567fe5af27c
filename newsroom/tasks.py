"""Background jobs: Django's Tasks API, with retries and a way to enqueue after commit.

Every job of the project is declared with `background_task` and enqueued with `enqueue_on_commit`,
so a job never sees a row its request has not committed, and a rolled-back write sends no mail.
The import below is the only line to change when the project moves to Django 6 (django.tasks).
"""

import functools
import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger("newsroom.tasks")


def retry_delay(attempt):
    """Seconds before try number `attempt + 1`: TASK_RETRY_SECONDS, doubling each time."""
    return settings.TASK_RETRY_SECONDS * 2 ** (attempt - 1)


def background_task(function):
    """Declare a job. A job that raises is logged and enqueued again after retry_delay(), until
    TASK_MAX_ATTEMPTS tries have failed; then it is logged as given up. Jobs must therefore be
    safe to run twice (they re-read the database and check what is already done)."""

    @functools.wraps(function)
    def run(*args, attempt=1, **kwargs):
        try:
            return function(*args, **kwargs)
        except Exception:
            name = f"{function.__module__}.{function.__name__}"
            if attempt >= settings.TASK_MAX_ATTEMPTS:
                logger.exception("Job %s%r failed %d times; giving up.", name, args, attempt)
                raise
            delay = retry_delay(attempt)
            logger.warning("Job %s%r failed (try %d); trying again in %d s.", name, args, attempt, delay, exc_info=True)
            job.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(*args, attempt=attempt + 1, **kwargs)
            return None

    job = task()(run)
    return job


def enqueue_on_commit(job, *args, run_after=None, **kwargs):
    """Enqueue `job` once the current transaction commits (at once outside a transaction)."""

    def enqueue():
        try:
            configured = job.using(run_after=run_after) if run_after is not None else job
            configured.enqueue(*args, **kwargs)
        except Exception:  # The write has committed: a queue that is down must not turn it into an error page.
            logger.exception("Could not enqueue %s%r", job.name, args)

    transaction.on_commit(enqueue)
