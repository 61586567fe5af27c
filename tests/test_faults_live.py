"""Faults against a live server (gunicorn, a throw-away database): the database or Redis unreachable.

The outcomes of tests/test_database_outage.py and tests/test_cache_outage.py, end to end: clean 503s
or uncached pages, the commenter's text kept, a few log lines instead of tracebacks, recovery without
a restart, and no accepted comment lost. The database outage is made by a proxy the test cuts off, so
the machine's own PostgreSQL keeps running.
"""

import http.cookies
import json
import urllib.parse

import pytest
from django.db import connection

from tests import live
from tests.smtp import SMTPServer

pytestmark = pytest.mark.django_db(transaction=True)

SETUP = """
from articles.models import Section
from comments.models import CommentSettings
from tests.factories import make_article, make_publication
make_publication()
world = Section.objects.create(name="World", slug="world")
make_article(headline="Harbour bridge reopens", slug="harbour", section=world, tags=["Port"])
CommentSettings.objects.create(flood_seconds=0)
"""
HOLD_EVERY_COMMENT = "from comments.models import CommentSettings; CommentSettings.objects.update(hold_all=True)"
COUNT = "from comments.models import Comment; print(sorted(Comment.objects.values_list('body', flat=True)))"


def post_comment(server, text):
    """What comments.js and the browser do: fetch the tokens, then post the form with the CSRF cookie."""
    status, headers, body = server.get("/comments/form-token/")
    if status != 200:
        return status, headers, body
    tokens = json.loads(body)
    cookie = http.cookies.SimpleCookie(headers.get("Set-Cookie", ""))["csrftoken"].value
    form = {
        "comment": text,
        "author": "Ada Lovelace",
        "email": "ada@example.com",
        "url": "",
        "comment_parent": "",
        "subject": "",
        "form_token": tokens["form_token"],
        "csrfmiddlewaretoken": tokens["csrf_token"],
    }
    return server.request(
        "POST",
        "/comments/post/1/",
        data=urllib.parse.urlencode(form).encode(),
        headers={"Cookie": f"csrftoken={cookie}", "Content-Type": "application/x-www-form-urlencoded"},
    )


@pytest.fixture
def site(tmp_path):
    with live.site_env(tmp_path) as env:
        live.manage(env, "migrate", "--no-input", "-v", "0")
        live.manage(env, "shell", "-v", "0", "-c", SETUP)
        yield env


READER_PAGES = ["/", "/articles/harbour/", "/section/world/", "/tag/port/", "/search/?q=harbour", "/feed/"]


def behind_proxy(site, proxy, **extra):
    port = connection.settings_dict["PORT"] or 5432
    return {**site, "DATABASE_URL": site["DATABASE_URL"].replace(f":{port}/", f":{proxy.port}/"), **extra}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL=postgres://...)")
def test_database_unreachable_then_back(tmp_path, site):
    """Without the page cache, every read meets the outage: a clean 503 each time."""
    proxy = live.TcpProxy(int(connection.settings_dict["PORT"] or 5432))
    env = behind_proxy(site, proxy, NEWSROOM_PAGE_CACHE="0")
    server = live.Server(env, tmp_path / "gunicorn.log")
    try:
        assert [server.get(path)[0] for path in READER_PAGES] == [200] * len(READER_PAGES)
        assert post_comment(server, "Before the outage.")[0] == 302

        proxy.cut()
        for _ in range(5):
            statuses = {server.get(path)[0] for path in READER_PAGES}
            assert statuses == {503}
        _, headers, body = server.get("/")
        assert headers["Retry-After"] == "60" and b"Please try again in a minute." in body
        assert b"Traceback" not in body and b"OperationalError" not in body and b"5432" not in body
        assert server.get("/comments/form-token/")[0] == 503, "no tokens for a form that cannot be saved"
        with_token = server.request(
            "POST", "/comments/post/1/", data=b"comment=Written+during+the+outage.&author=Ada&email=a%40b.c"
        )
        assert with_token[0] in {403, 503}  # refused without CSRF, or the outage form; never a 500
        assert server.get("/healthz/")[0] == 200, "the process itself is fine: no restart wanted"
        assert server.get("/readyz/", headers={"Accept": "application/json"})[0] == 503

        proxy.resume()
        assert [server.get(path)[0] for path in READER_PAGES] == [200] * len(READER_PAGES)
        assert post_comment(server, "After the outage.")[0] == 302
        log = server.log_text()
    finally:
        server.stop()
        proxy.close()
    assert "Traceback" not in log
    assert 1 <= log.count("Database unreachable") <= 2, log  # once per worker, not once per request
    assert live.manage(site, "shell", "-v", "0", "-c", COUNT).strip() == "['After the outage.', 'Before the outage.']"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL=postgres://...)")
def test_with_the_page_cache_readers_keep_reading_through_a_database_outage(tmp_path, site):
    """Pages readers were reading stay served from the cache; a page nobody had asked for is a clean 503."""
    proxy = live.TcpProxy(int(connection.settings_dict["PORT"] or 5432))
    server = live.Server(behind_proxy(site, proxy), tmp_path / "gunicorn.log", workers=1)
    try:
        for _ in range(2):
            assert [server.get(path)[0] for path in READER_PAGES] == [200] * len(READER_PAGES)
        proxy.cut()
        assert [server.get(path)[0] for path in READER_PAGES] == [200] * len(READER_PAGES)
        assert server.get("/section/world/?page=2")[0] == 503
        proxy.resume()
        assert server.get("/section/world/?page=2")[0] in {200, 404}
    finally:
        server.stop()
        proxy.close()


def test_a_comment_posted_during_a_database_outage_comes_back_with_its_text(tmp_path, site):
    """The form token is fetched while the database answers; the post itself meets the outage."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...)")
    proxy = live.TcpProxy(int(connection.settings_dict["PORT"] or 5432))
    env = {
        **site,
        "DATABASE_URL": site["DATABASE_URL"].replace(
            f":{connection.settings_dict['PORT'] or 5432}/", f":{proxy.port}/"
        ),
    }
    server = live.Server(env, tmp_path / "gunicorn.log", workers=1)
    try:
        status, headers, body = server.get("/comments/form-token/")
        tokens = json.loads(body)
        cookie = http.cookies.SimpleCookie(headers["Set-Cookie"])["csrftoken"].value
        proxy.cut()
        form = {
            "comment": "My careful words.",
            "author": "Ada",
            "email": "ada@example.com",
            "form_token": tokens["form_token"],
            "csrfmiddlewaretoken": tokens["csrf_token"],
        }
        status, headers, body = server.request(
            "POST",
            "/comments/post/1/",
            data=urllib.parse.urlencode(form).encode(),
            headers={"Cookie": f"csrftoken={cookie}", "Content-Type": "application/x-www-form-urlencoded"},
        )
        assert status == 503 and headers["Retry-After"] == "60"
        assert b"My careful words." in body and b"try again in a minute" in body
    finally:
        server.stop()
        proxy.close()


def test_redis_unreachable_serves_uncached_and_logs_once(tmp_path, site):
    env = {**site, "REDIS_URL": f"redis://127.0.0.1:{live.free_port()}/0"}
    server = live.Server(env, tmp_path / "gunicorn.log")
    try:
        for _ in range(3):
            assert [server.get(path)[0] for path in READER_PAGES] == [200] * len(READER_PAGES)
        assert post_comment(server, "Posted with the cache down.")[0] == 302
        assert server.get("/readyz/", headers={"Accept": "application/json"})[0] == 503
        log = server.log_text()
    finally:
        server.stop()
    assert "Traceback" not in log
    assert 1 <= log.count("Cache unreachable") <= 2, log  # once per worker
    assert "Posted with the cache down." in live.manage(site, "shell", "-v", "0", "-c", COUNT)


def test_a_hung_mail_server_neither_slows_a_comment_post_nor_loses_its_mail(tmp_path, site):
    """Mail is a job: the post answers without touching SMTP; a worker delivers once SMTP answers."""
    hung, answering = SMTPServer(hang=True), SMTPServer()
    mail = {
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "DJANGO_EMAIL_HOST": "127.0.0.1",
        "DJANGO_EMAIL_TIMEOUT": "30",
        "DJANGO_ADMINS": "Desk <desk@example.com>",
    }
    env = {**site, **mail, "DJANGO_EMAIL_PORT": str(hung.port)}
    live.manage(site, "shell", "-v", "0", "-c", HOLD_EVERY_COMMENT)
    server = live.Server(env, tmp_path / "gunicorn.log")
    try:
        status, _headers, _body = post_comment(server, "Held while the mail server hangs.")
        assert status == 302
        assert server.get("/")[0] == 200
        assert hung.connections == 0, "the request never waited for the mail server"
        live.manage({**env, "DJANGO_EMAIL_PORT": str(answering.port)}, "db_worker", "--batch", "--no-startup-delay")
    finally:
        server.stop()
        hung.close()
        answering.close()
    [(_sender, recipients, message)] = answering.messages
    assert recipients == ["desk@example.com"] and "Held while the mail server hangs." in message.get_payload()
    assert "Held while the mail server hangs." in live.manage(site, "shell", "-v", "0", "-c", COUNT)
