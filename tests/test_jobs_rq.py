"""The RQ queue is a setting away: a job enqueued with NEWSROOM_TASKS_BACKEND=rq waits in Redis and an
rqworker (another process, as on another machine) runs it. Needs Redis: runs where REDIS_URL is set."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("REDIS_URL", "")

pytestmark = pytest.mark.skipif(not REDIS_URL, reason="needs Redis (REDIS_URL=redis://...)")

ENQUEUE = """
from django_tasks import task_backends
from articles.tasks import reindex_articles
result = reindex_articles.enqueue([])
print(type(task_backends["default"]).__name__, result.id)
"""

RESULT = """
import sys
from articles.tasks import reindex_articles
print(reindex_articles.get_result(sys.argv[-1]).status)
"""


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_a_job_enqueued_on_rq_is_run_by_an_rq_worker(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DJANGO_DEBUG": "1",
        "NEWSROOM_TASKS_BACKEND": "rq",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'rq.sqlite3'}",
    }
    assert manage("check", env=env).returncode == 0
    enqueued = manage("shell", "-c", ENQUEUE, env=env)
    assert enqueued.returncode == 0, enqueued.stderr
    backend, job_id = enqueued.stdout.split()[-2:]
    assert backend == "RQBackend"
    worked = manage("rqworker", "default", "--burst", "--job-class", "django_tasks_rq.Job", env=env)
    assert worked.returncode == 0, worked.stderr
    status = manage("shell", "-c", RESULT.replace("sys.argv[-1]", repr(job_id)), env=env)
    assert status.stdout.split()[-1] == "SUCCESSFUL", status.stderr
