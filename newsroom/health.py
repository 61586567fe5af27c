"""Probes for load balancers and orchestrators.

/healthz: the process answers (no database, no cache): restart it if this fails.
/readyz: the database and the cache answer: send it traffic only while this succeeds.
"""

from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from health_check.views import HealthCheckView


@never_cache
def healthz(request):
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")


class ReadyView(HealthCheckView):
    checks = ("health_check.checks.Database", "health_check.checks.Cache")

    async def get(self, request, *args, **kwargs):
        response = await super().get(request, *args, **kwargs)
        if response.status_code == 500:
            response.status_code = 503  # "not ready", which load balancers understand; not a server error
        return response


readyz = ReadyView.as_view()
