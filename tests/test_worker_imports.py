"""A worker that serves reader pages never imports the Content API's django-ninja and pydantic (about 14 MB of
every worker's memory); the first request under /api/v1/ does, and the API then answers as before."""

import json
import subprocess
import sys

import pytest

from tests import live

pytestmark = pytest.mark.django_db(transaction=True)

SETUP = """
from articles.models import Section
from tests.factories import make_article, make_publication
make_publication()
world = Section.objects.create(name="World", slug="world")
make_article(headline="Harbour bridge reopens", slug="harbour", section=world, tags=["Port"])
"""

WORKER = """
import json, sys
import django
django.setup()
from django.test import Client
from django.urls import reverse

client = Client()
heavy = ("ninja", "pydantic")
seen = {"reverse_front": reverse("articles:front")}
for path in ["/", "/articles/harbour/", "/section/world/", "/tag/port/", "/search/?q=harbour", "/feed/", "/nothing/"]:
    seen[path] = client.get(path).status_code
seen["before_api"] = sorted(name for name in heavy if name in sys.modules)
from articles.api.content import api_path
seen["api_path"] = api_path("articles", 7)  # a reverse into the API's namespace loads it too
answer = client.get("/api/v1/articles")
seen["api"] = [answer.status_code, answer["Content-Type"], [item["slug"] for item in answer.json()["items"]]]
seen["docs"] = client.get("/api/v1/docs").status_code
seen["after_api"] = sorted(name for name in heavy if name in sys.modules)
print(json.dumps(seen))
"""


def test_reader_pages_do_not_load_the_api_until_it_is_asked_for(tmp_path):
    with live.site_env(tmp_path) as env:
        live.manage(env, "migrate", "--no-input", "-v", "0")
        live.manage(env, "shell", "-v", "0", "-c", SETUP)
        env = {**env, "DJANGO_SETTINGS_MODULE": "newsroom.settings", "DJANGO_ALLOWED_HOSTS": "testserver"}
        result = subprocess.run(
            [sys.executable, "-c", WORKER], cwd=live.BASE_DIR, env=env, capture_output=True, text=True, timeout=300
        )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["reverse_front"] == "/"
    assert [seen[path] for path in ["/", "/articles/harbour/", "/section/world/", "/tag/port/"]] == [200] * 4
    assert (seen["/search/?q=harbour"], seen["/feed/"], seen["/nothing/"]) == (200, 200, 404)
    assert seen["before_api"] == []
    assert seen["api_path"] == "/api/v1/articles/7"
    assert seen["api"] == [200, "application/json; charset=utf-8", ["harbour"]]
    assert seen["docs"] == 200
    assert seen["after_api"] == ["ninja", "pydantic"]
