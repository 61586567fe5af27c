"""Project-wide defences: login redirects, security headers, lockout, two-factor login, health probes."""

from datetime import timedelta

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("staffer", "staffer@example.com", PASSWORD, is_staff=True)


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example/", "/\\evil.example/", "javascript:alert(1)", "http:///evil.example"],
)
def test_login_with_a_next_address_on_another_site_lands_on_the_admin_not_a_404(client, staff, next_url):
    """Regression: Django's fallback is /accounts/profile/, which does not exist here."""
    response = client.post(
        reverse("admin:login") + "?next=" + next_url, {"username": "staffer", "password": PASSWORD, "next": next_url}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    assert client.get(response["Location"]).status_code == 200


def test_reader_pages_carry_a_strict_content_security_policy(client, publication, section):
    from tests.factories import make_article

    article = make_article(section=section)
    for url in ["/", article.get_absolute_url(), "/search/?q=x", "/about-nothing/"]:
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "object-src 'none'" in policy and "frame-ancestors 'none'" in policy
        assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
        assert "camera=()" in response["Permissions-Policy"]


def test_json_ld_is_allowed_by_its_hash_and_nothing_else_inline(client, publication, section):
    import base64
    import hashlib
    import re

    from tests.factories import make_article

    article = make_article(section=section)
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
    assert blocks
    script_src = next(part for part in response["Content-Security-Policy"].split(";") if "script-src" in part)
    for block in blocks:
        digest = base64.b64encode(hashlib.sha256(block.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in script_src
    assert script_src.count("'sha256-") == len(set(blocks))


def test_the_admin_gets_a_policy_too_with_inline_styles_for_its_editor_but_no_inline_scripts(editor_client, section):
    response = editor_client.get(reverse("admin:articles_article_add"))
    policy = response["Content-Security-Policy"]
    style_src = next(part for part in policy.split(";") if "style-src" in part)
    script_src = next(part for part in policy.split(";") if "script-src" in part)
    assert "'unsafe-inline'" in style_src and "'unsafe-inline'" not in script_src
    assert "'sha256-" in script_src, "the editor's import map is allowed by its hash"


def test_hsts_lasts_a_year_with_subdomains_under_django_secure():
    result = run_manage(["check", "--deploy", "--fail-level", "WARNING"], production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    result = run_manage(["shell", "-v", "0", "-c", SHOW_HSTS], production_env())
    assert result.stdout.split() == ["31536000", "True", "False"], result.stderr


SHOW_HSTS = (
    "from django.conf import settings as s; "
    "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD)"
)


def production_env():
    """The documented production settings (.env.example), with a real-looking secret."""
    import os
    from pathlib import Path

    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "NEWSROOM_"))}
    example = Path(__file__).resolve().parent.parent / ".env.example"
    for line in example.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            key, _, value = line.partition("=")
            env[key] = value
    env["DJANGO_SECRET_KEY"] = "k3" * 30 + "-production-like-secret-Zq9"
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    return env


def run_manage(args, env):
    import subprocess
    import sys
    from pathlib import Path

    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def failed_login(client, username="staffer", ip="203.0.113.5"):
    return client.post(
        reverse("admin:login"), {"username": username, "password": "wrong", "next": "/admin/"}, REMOTE_ADDR=ip
    )


def test_ten_wrong_passwords_lock_the_account_then_the_lock_cools_off(client, staff, settings):
    import time_machine
    from django.utils import timezone

    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for attempt in range(9):
            assert failed_login(client, ip=f"203.0.113.{attempt}").status_code == 200
        assert failed_login(client, ip="203.0.113.99").status_code == 429, "the tenth failure locks"
        right = {"username": "staffer", "password": PASSWORD, "next": "/admin/"}
        locked = client.post(reverse("admin:login"), right, REMOTE_ADDR="198.51.100.1")
        assert locked.status_code == 429
        assert "Too many failed sign-ins" in locked.content.decode()
    with time_machine.travel(start + settings.AXES_COOLOFF_TIME + timedelta(seconds=1), tick=False):
        assert client.post(reverse("admin:login"), right, REMOTE_ADDR="198.51.100.1").status_code == 302


def test_ten_failures_from_one_address_lock_that_address_for_every_name(client, staff, django_user_model):
    django_user_model.objects.create_user("other", password=PASSWORD, is_staff=True)
    for attempt in range(10):
        failed_login(client, username=f"guess{attempt}", ip="203.0.113.77")
    right = {"username": "other", "password": PASSWORD, "next": "/admin/"}
    assert client.post(reverse("admin:login"), right, REMOTE_ADDR="203.0.113.77").status_code == 429
    assert client.post(reverse("admin:login"), right, REMOTE_ADDR="203.0.113.78").status_code == 302


def test_superusers_see_login_and_failed_login_records_editors_do_not(client, staff, django_user_model, editor):
    client.post(reverse("admin:login"), {"username": "staffer", "password": PASSWORD, "next": "/admin/"})
    client.logout()
    failed_login(client)
    boss = django_user_model.objects.create_superuser("boss", "boss@example.com", PASSWORD)
    client.force_login(boss)
    for name in ["accessattempt", "accesslog", "accessfailurelog"]:
        response = client.get(reverse(f"admin:axes_{name}_changelist"))
        assert response.status_code == 200
        assert "staffer" in response.content.decode(), name
    client.force_login(editor)
    assert client.get(reverse("admin:axes_accesslog_changelist")).status_code == 403


def test_a_staff_session_ends_after_the_idle_time(client, staff, settings):
    import time_machine
    from django.utils import timezone

    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(staff)
        assert client.get(reverse("admin:index")).status_code == 200
    idle = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    with time_machine.travel(start + idle - timedelta(minutes=1), tick=False):
        assert client.get(reverse("admin:index")).status_code == 200, "each request renews the session"
    with time_machine.travel(start + 2 * idle - timedelta(minutes=2), tick=False):
        assert client.get(reverse("admin:index")).status_code == 200
    with time_machine.travel(start + 3 * idle, tick=False):
        assert client.get(reverse("admin:index")).status_code == 302


def totp_code(device):
    from django_otp.oath import totp

    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"


def test_staff_with_an_authenticator_must_give_its_code(client, staff):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    form = {"username": "staffer", "password": PASSWORD, "next": "/admin/"}
    response = client.post(reverse("admin:login"), form)
    assert response.status_code == 200 and "Please enter your OTP token" in response.content.decode()
    response = client.post(
        reverse("admin:login"), {**form, "otp_token": "000000" if totp_code(device) != "000000" else "111111"}
    )
    assert response.status_code == 200
    response = client.post(
        reverse("admin:login"), {**form, "otp_device": device.persistent_id, "otp_token": totp_code(device)}
    )
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_password_alone_never_opens_the_admin_for_a_user_with_an_authenticator(client, staff):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    client.force_login(staff)  # as if the password step were bypassed
    assert client.get(reverse("admin:index")).status_code == 302


def test_a_group_that_must_use_two_factor_cannot_sign_in_without_it(client, settings):
    from tests.factories import make_user

    settings.TWO_FACTOR_GROUPS = ["Editors"]
    make_user("dana", group="Editors")
    response = client.post(reverse("admin:login"), {"username": "dana", "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 200
    assert "must sign in with an authenticator app" in response.content.decode()
    settings.TWO_FACTOR_GROUPS = []
    response = client.post(reverse("admin:login"), {"username": "dana", "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 302


def test_healthz_needs_no_database(client, monkeypatch):
    from django.db import connection

    def refuse(*args, **kwargs):
        raise AssertionError("healthz touched the database")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/healthz/")
    assert response.status_code == 200 and response.content == b"ok\n"


def test_readyz_checks_the_database_the_cache_and_the_job_queue(client):
    response = client.get("/readyz/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert set(response.json()) == {"Database(alias='default')", "Cache(alias='default')", "TaskQueue()"}


def test_readyz_answers_503_when_the_job_queue_is_unreachable(client, settings, monkeypatch):
    from django_tasks_db.models import DBTaskResult

    def refuse(*args, **kwargs):
        raise ConnectionError("the queue's table is gone")

    settings.TASKS_BACKEND = "database"
    monkeypatch.setattr(type(DBTaskResult.objects), "exists", refuse)
    response = client.get("/readyz/", HTTP_ACCEPT="application/json")
    assert response.status_code == 503
    assert "job queue" in response.json()["TaskQueue()"]


def test_readyz_answers_503_when_the_database_is_down(client, monkeypatch):
    from django.db import OperationalError
    from django.db.backends.base.base import BaseDatabaseWrapper

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(BaseDatabaseWrapper, "temporary_connection", refuse)
    response = client.get("/readyz/", HTTP_ACCEPT="application/json")
    assert response.status_code == 503
