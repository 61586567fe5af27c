"""Probes for load balancers and orchestrators.

/healthz: the process answers (no database, no cache): restart it if this fails.
/readyz: the database, the cache and the job queue answer: send it traffic only while this succeeds.
"""

import dataclasses

from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView


@never_cache
def healthz(request):
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")


@dataclasses.dataclass
class TaskQueue(HealthCheck):
    """The job queue takes jobs: the database queue's table answers, or Redis for RQ (newsroom/tasks.py)."""

    def run(self):
        try:
            if settings.TASKS_BACKEND == "database":
                from django_tasks_db.models import DBTaskResult

                DBTaskResult.objects.exists()
            elif settings.TASKS_BACKEND == "rq":
                import django_rq

                django_rq.get_connection("default").ping()
        except Exception as error:
            raise ServiceUnavailable("The job queue cannot be reached.") from error


class ReadyView(HealthCheckView):
    checks = ("health_check.checks.Database", "health_check.checks.Cache", "newsroom.health.TaskQueue")

    async def get(self, request, *args, **kwargs):
        response = await super().get(request, *args, **kwargs)
        if response.status_code == 500:
            response.status_code = 503  # "not ready", which load balancers understand; not a server error
        return response


readyz = ReadyView.as_view()
