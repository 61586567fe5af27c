"""The database unreachable: a clean 503 with Retry-After, the commenter's text kept, a few log lines, recovery."""

import logging

import pytest
from django.db import OperationalError, connection
from django.test import RequestFactory
from django.urls import reverse

from comments.models import Comment
from newsroom import outage
from tests.factories import comment_form_data, make_article

pytestmark = pytest.mark.django_db

REFUSED = 'connection to server at "127.0.0.1", port 5432 failed: Connection refused'


@pytest.fixture(autouse=True)
def _fresh_log_window(monkeypatch):
    monkeypatch.setattr(outage._Log, "last_at", None)
    monkeypatch.setattr(outage._Log, "refused", 0)


@pytest.fixture
def article(publication, section):
    return make_article(headline="Harbour bridge reopens", section=section)


@pytest.fixture
def database_down(monkeypatch, article, settings):
    """Every query fails as it does when PostgreSQL stops answering; undo() brings it back."""
    settings.COMMENTS_MIN_FORM_AGE = 0

    def refuse(*args, **kwargs):
        raise OperationalError(REFUSED)

    monkeypatch.setattr(connection, "cursor", refuse)
    monkeypatch.setattr(connection, "chunked_cursor", refuse, raising=False)
    return monkeypatch.undo


def outage_lines(caplog):
    return [record for record in caplog.records if record.name == "newsroom.outage"]


@pytest.mark.parametrize("path", ["/", "/search/?q=harbour", "/feed/", "/tag/port/", "/comments/feed/"])
def test_reader_pages_answer_a_clean_503_with_retry_after(client, database_down, path, settings):
    """Regression: readers got a generic 500 (and every request logged a full traceback)."""
    response = client.get(path)
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "no-cache" in response["Cache-Control"]
    html = response.content.decode()
    assert "Please try again in a minute." in html
    for leak in ["Traceback", "OperationalError", "5432", settings.SECRET_KEY]:
        assert leak not in html


def test_the_article_page_is_a_503_too(client, database_down, article):
    assert client.get(article.get_absolute_url()).status_code == 503


def test_a_comment_post_keeps_the_readers_text_and_asks_to_try_again(client, database_down, article):
    """Regression: a comment post during the outage was a 500 and the reader's text was gone."""
    data = comment_form_data(comment="My carefully written <b>thoughts</b>.", author="Ada", url="https://ada.example")
    response = client.post(reverse("comments:post", args=[article.pk]), data)
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    html = response.content.decode()
    assert "try again in a minute" in html
    assert "My carefully written &lt;b&gt;thoughts&lt;/b&gt;." in html
    assert 'value="Ada"' in html and 'value="ada@example.com"' in html and 'value="https://ada.example"' in html
    assert f'action="{reverse("comments:post", args=[article.pk])}#respond"' in html
    assert 'name="csrfmiddlewaretoken"' in html and 'name="form_token" value="' in html


def test_the_text_posted_again_after_recovery_is_saved(client, database_down, article):
    data = comment_form_data(comment="Posted during the outage.")
    assert client.post(reverse("comments:post", args=[article.pk]), data).status_code == 503
    database_down()
    assert client.post(reverse("comments:post", args=[article.pk]), comment_form_data(**{**data})).status_code == 302
    assert Comment.objects.get().body == "Posted during the outage."


def test_the_form_token_endpoint_hands_out_nothing_during_an_outage(client, database_down):
    """Regression: tokens kept coming, for a form that could not be saved."""
    response = client.get(reverse("comments:form_token"))
    assert response.status_code == 503 and b"form_token" not in response.content
    database_down()
    assert client.get(reverse("comments:form_token")).status_code == 200


def test_the_site_recovers_without_a_restart(client, database_down):
    assert client.get("/").status_code == 503
    database_down()
    assert client.get("/").status_code == 200


def test_an_outage_is_logged_once_a_minute_without_tracebacks(client, database_down, caplog, monkeypatch):
    caplog.set_level(logging.INFO)
    clock = [1000.0]
    monkeypatch.setattr(outage.time, "monotonic", lambda: clock[0])
    for _ in range(30):
        client.get("/")
    clock[0] += 61
    client.get("/")
    lines = outage_lines(caplog)
    assert [line.getMessage().split(":")[0] for line in lines] == ["Database unreachable (OperationalError"] * 2
    assert "1 request(s)" in lines[0].getMessage() and "30 request(s)" in lines[1].getMessage()
    assert all(line.exc_info is None for line in lines)


def test_djangos_per_request_error_records_for_an_outage_are_dropped():
    skip = outage.SkipOutageRecords()
    request = RequestFactory().get("/")
    try:
        raise OperationalError(REFUSED)
    except OperationalError:
        import sys

        with_traceback = logging.LogRecord("django.request", logging.ERROR, "", 0, "Internal", (), sys.exc_info())
    assert not skip.filter(with_traceback)
    request._database_outage = True
    served = logging.LogRecord("django.request", logging.ERROR, "", 0, "Service Unavailable: /", (), None)
    served.status_code, served.request = 503, request
    assert not skip.filter(served)
    other = logging.LogRecord("django.request", logging.ERROR, "", 0, "Internal Server Error: /", (), None)
    other.status_code, other.request = 500, RequestFactory().get("/")
    assert skip.filter(other)


def test_a_database_error_outside_any_view_also_answers_503():
    request = RequestFactory().get("/")
    try:
        raise OperationalError(REFUSED)
    except OperationalError:
        response = outage.server_error(request)
    assert response.status_code == 503 and response["Retry-After"] == "60"
    try:
        raise ValueError("a bug")
    except ValueError:
        assert outage.server_error(request).status_code == 500


def test_the_console_handler_filters_outage_records(settings):
    assert "skip_outages" in settings.LOGGING["handlers"]["console"]["filters"]
