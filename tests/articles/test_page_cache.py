"""The anonymous page cache: pages served without a query, removed exactly when what they show changes."""

import json
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import time_machine
from django.db import connection
from django.test import Client
from taggit.models import Tag

from articles import page_cache, services
from articles.models import Article, Correction
from comments import services as comment_services
from tests.cache_calls import record_cache_calls
from tests.factories import (
    make_article,
    make_author,
    make_comment,
    make_moderator,
    make_page,
    make_publisher,
    make_section,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _cache_on(settings, tmp_path):
    settings.PAGE_CACHE = True
    settings.PAGE_CACHE_EPOCH_FILE = str(tmp_path / "epoch")
    page_cache.page_cache().clear()
    with time_machine.travel(NOW, tick=True):
        yield
    page_cache.page_cache().clear()


@pytest.fixture
def story(publication):
    return make_article(
        headline="Dam breaks",
        slug="dam-breaks",
        section=make_section(name="World", slug="world"),
        authors=[make_author(name="Ada", slug="ada")],
        publisher=make_publisher(name="Wire", slug="wire"),
        tags=["Japan"],
        published_at=NOW - timedelta(hours=2),
    )


@pytest.fixture
def other(story):
    return make_article(headline="Bridge opens", slug="bridge-opens", section=make_section(name="Sport", slug="sport"))


def get(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return response


def cached(client, *paths):
    """Visit each path until it is served from the cache."""
    for path in paths:
        get(client, path)
        assert get(client, path)["X-Cache"] == "hit", path


def is_hit(client, path):
    return client.get(path).get("X-Cache") == "hit"


def test_a_second_visit_is_served_without_any_query(client, story, django_assert_num_queries):
    first = get(client, "/")
    assert "X-Cache" not in first
    with django_assert_num_queries(0):
        second = get(client, "/")
    assert second["X-Cache"] == "hit" and second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


def test_a_hit_asks_the_cache_once(client, story, monkeypatch):
    """With Redis every question is a network round trip: a hit reads the page and its generations together."""
    cache = page_cache.page_cache()
    asked = record_cache_calls(monkeypatch, cache, ("get", "get_many", "add", "set", "delete", "delete_many"))
    cached(client, "/")
    asked.clear()
    assert get(client, "/")["X-Cache"] == "hit"
    assert asked == ["get_many"]


def test_caching_headers_let_a_cdn_keep_the_page_and_vary_on_nothing_needless(client, story):
    response = get(client, story.get_absolute_url())
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"public", "max-age=60", "s-maxage=600", "stale-while-revalidate=60"} <= cache_control
    assert "Accept-Language" not in response.get("Vary", "")
    assert response.has_header("ETag") and not response.cookies


@pytest.mark.parametrize("path", ["/", "/articles/dam-breaks/", "/feed/", "/tag/japan/"])
def test_a_conditional_get_is_answered_304_fresh_or_cached(client, story, path):
    etag = get(client, path)["ETag"]
    assert client.get(path, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(path, HTTP_IF_NONE_MATCH=etag)["ETag"] == etag


def test_a_feed_answers_if_modified_since_with_304(client, story):
    last_modified = get(client, "/feed/")["Last-Modified"]
    assert client.get("/feed/", HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304


def test_signed_in_staff_always_get_a_fresh_page(client, story, desk_editor):
    cached(client, "/")
    staff = Client()
    staff.force_login(desk_editor)
    assert "X-Cache" not in staff.get("/")
    assert "X-Cache" not in staff.get("/")


def test_never_cached_and_per_reader_responses_are_not_kept(client, story):
    for _ in range(2):
        assert "X-Cache" not in client.get("/comments/form-token/")
        assert "X-Cache" not in client.get("/articles/no-such-story/")
    assert client.get("/articles/no-such-story/").status_code == 404


def test_an_http_request_never_gets_the_https_page(client, story):
    cached(client, "/")
    assert "X-Cache" not in client.get("/", secure=True)


class TestExactInvalidation:
    def test_editing_an_article_renews_its_pages_and_keeps_the_others(self, client, story, other, committed):
        cached(client, "/", story.get_absolute_url(), "/tag/japan/", other.get_absolute_url(), "/section/sport/")
        story.headline = "Dam breaks upstream"
        with committed():
            services.article_save(article=story)
        for path in ["/", story.get_absolute_url(), "/tag/japan/", "/section/world/", "/author/ada/"]:
            assert "Dam breaks upstream" in get(client, path).content.decode(), path
        assert is_hit(client, other.get_absolute_url()) and is_hit(client, "/section/sport/")

    def test_a_page_with_a_query_string_is_renewed_with_its_path(self, client, story, committed):
        cached(client, "/tag/japan/?page=1")
        story.headline = "Renamed"
        with committed():
            services.article_save(article=story)
        assert "Renamed" in get(client, "/tag/japan/?page=1").content.decode()

    def test_publishing(self, client, story, committed):
        cached(client, "/", "/feed/")
        draft = make_article(headline="Fresh news", section=story.section, status="draft", published_at=None)
        draft.status = Article.Status.PUBLISHED
        with committed():
            services.article_save(article=draft)
        assert "Fresh news" in get(client, "/").content.decode()
        assert "Fresh news" in get(client, "/feed/").content.decode()

    def test_unpublishing(self, client, story, committed, desk_editor):
        cached(client, story.get_absolute_url(), "/")
        with committed():
            services.article_transition(article=story, user=desk_editor, to_status=Article.Status.UNPUBLISHED)
        assert client.get(story.get_absolute_url()).status_code == 404
        assert "Dam breaks" not in get(client, "/").content.decode()

    def test_a_correction(self, client, story, committed):
        cached(client, story.get_absolute_url(), "/corrections/")
        with committed():
            services.article_save(article=story, corrections=[(Correction.Kind.CORRECTION, "It was the Elbe.")])
        assert "It was the Elbe." in get(client, story.get_absolute_url()).content.decode()
        assert "Dam breaks" in get(client, "/corrections/").content.decode()

    def test_a_comment_approved_or_removed(self, client, story, committed):
        moderator = make_moderator()
        comment = make_comment(article=story, status="pending", body="A held remark.")
        cached(client, story.get_absolute_url(), "/", "/comments/feed/")
        with committed():
            comment_services.comment_approve(comment=comment, actor=moderator)
        assert "A held remark." in get(client, story.get_absolute_url()).content.decode()
        assert "1 comment" in get(client, "/").content.decode().replace("One comment", "1 comment")
        assert "A held remark." in get(client, "/comments/feed/").content.decode()
        cached(client, story.get_absolute_url())
        with committed():
            comment_services.comment_trash(comment=comment, actor=moderator)
        assert "A held remark." not in get(client, story.get_absolute_url()).content.decode()

    def test_a_tag_renamed(self, client, story, committed):
        cached(client, story.get_absolute_url(), "/tag/japan/")
        tag = Tag.objects.get(name="Japan")
        tag.name = "Nippon"
        with committed():
            tag.save()
        assert "Nippon" in get(client, story.get_absolute_url()).content.decode()

    @pytest.mark.parametrize("thing", ["section", "page", "publication", "publisher", "author"])
    def test_what_pages_show_of_their_surroundings(self, client, story, committed, publication, thing):
        about = make_page(title="About us", slug="about")
        cached(client, "/", story.get_absolute_url())
        with committed():
            if thing == "section":
                story.section.name = "Worldwide"
                story.section.save()
            elif thing == "page":
                about.title = "Who we are"
                about.save()
            elif thing == "publication":
                publication.name = "The New Gazette"
                publication.save()
            elif thing == "publisher":
                story.publisher.name = "Wire Service"
                story.publisher.save()
            else:
                author = story.authors.get()
                author.name = "Ada Lovelace"
                author.save()
        expected = {
            "section": "Worldwide",
            "page": "Who we are",
            "publication": "The New Gazette",
            "publisher": "Wire Service",
            "author": "Ada Lovelace",
        }[thing]
        assert expected in get(client, story.get_absolute_url()).content.decode()

    def test_a_scheduled_article_appears_at_its_time(self, client, story, committed, task_backend):
        later = make_article(headline="Later today", section=story.section, status="draft", published_at=None)
        later.status, later.published_at = Article.Status.PUBLISHED, NOW + timedelta(hours=1)
        with committed():
            services.article_save(article=later)
        cached(client, "/")
        with time_machine.travel(NOW + timedelta(hours=1), tick=False):
            task_backend.run_due()
            assert "Later today" in get(client, "/").content.decode()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="search vectors are PostgreSQL's")
def test_a_search_page_cached_before_the_reindex_job_is_renewed_when_it_has_run(client, story, committed):
    """The content-changed event comes at commit and the job rebuilding the search vectors after it: a search
    page cached in between is kept only while the matches it shows are, which the job renews."""
    from articles import tasks

    cached(client, "/search/?q=lighthouse")
    story.tags.add("Lighthouse")  # committed, the vector not rebuilt yet
    page_cache.forget(["/search/"])  # as the change's event does
    cached(client, "/search/?q=lighthouse")
    assert "Dam breaks" not in get(client, "/search/?q=lighthouse").content.decode()
    with committed():
        tasks.reindex_articles.enqueue([story.pk])
    assert not is_hit(client, "/search/?q=lighthouse")
    assert "Dam breaks" in get(client, "/search/?q=lighthouse").content.decode()
    assert is_hit(client, "/search/?q=lighthouse")


def test_another_process_with_its_own_memory_drops_its_pages_after_a_change(client, story, settings):
    settings.CACHES = {
        **settings.CACHES,
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "epoch-test"},
    }
    cached(client, "/")
    page_cache.forget(["/unrelated/"])  # as if another process heard of a change: the epoch file moves
    page_cache._seen_epoch["value"] = -1  # this process saw an older epoch
    assert not is_hit(client, "/")


def test_a_cdn_is_told_which_urls_to_purge(client, story, committed, settings):
    received = []

    class Purge(BaseHTTPRequestHandler):
        def do_POST(self):
            received.append(
                (self.headers["Authorization"], json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            )
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Purge)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        settings.CDN_PURGE_URL = f"http://127.0.0.1:{server.server_address[1]}/purge"
        settings.CDN_PURGE_TOKEN = "secret-token"
        settings.SITE_URL = "https://news.example.com"
        story.headline = "Dam breaks upstream"
        with committed():
            services.article_save(article=story)
    finally:
        server.shutdown()
        server.server_close()
    [(authorization, body)] = received
    assert authorization == "Bearer secret-token"
    assert "https://news.example.com/articles/dam-breaks/" in body["files"]
    assert "https://news.example.com/" in body["files"]
    assert f"https://news.example.com/api/v1/articles/{story.pk}" in body["files"], "the API answer too"
