"""newsroom.per_request: the cache reads of one request made together, kept until it ends."""

import pytest
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from newsroom import per_request
from tests.cache_calls import record_cache_calls

SHARED = per_request.together("test-shared:v1")


@pytest.fixture(autouse=True)
def _keep_the_test_database_open():
    """As Django's test client does: a request's start would close the test's database connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def in_a_request():
    request_started.send(sender=None)
    yield
    request_finished.send(sender=None)


@pytest.fixture
def asked(monkeypatch):
    return record_cache_calls(monkeypatch, cache, ("get", "get_many"))


def test_outside_a_request_every_read_goes_to_the_cache(asked):
    cache.set(SHARED, "one")
    assert per_request.get(SHARED) == "one"
    cache.set(SHARED, "two")
    assert per_request.get(SHARED) == "two"
    assert asked == ["get", "get"]


def test_the_first_read_of_a_request_reads_every_registered_key_at_once(in_a_request, asked):
    from articles.breaking import CACHE_KEY as BREAKING
    from articles.chrome import CHROME_CACHE_KEY
    from comments.models import SETTINGS_CACHE_KEY

    cache.set_many({SHARED: "shared", CHROME_CACHE_KEY: "chrome"})
    assert per_request.get(SHARED) == "shared"
    assert per_request.get(CHROME_CACHE_KEY) == "chrome"
    assert per_request.get(BREAKING) is None  # not in the cache: read, and known to be absent
    assert per_request.get(SETTINGS_CACHE_KEY) is None
    assert asked == ["get_many"]


def test_keys_read_ahead_go_with_the_registered_ones_and_are_not_read_again(in_a_request, asked):
    cache.set_many({"image:1": "first", "image:2": "second", SHARED: "shared"})
    per_request.read_ahead(["image:1", "image:2", "image:3"])
    assert per_request.get_many(["image:1", "image:3"]) == {"image:1": "first"}
    assert per_request.get("image:2") == "second"
    assert per_request.get(SHARED) == "shared"
    assert asked == ["get_many"]
    per_request.get("image:4")  # not read ahead: one more round trip
    assert asked == ["get_many", "get_many"]


def test_what_the_request_writes_or_removes_through_it_is_seen_at_once(in_a_request):
    cache.set(SHARED, "old")
    assert per_request.get(SHARED) == "old"
    per_request.set(SHARED, "new", 60)
    assert per_request.get(SHARED) == "new" and cache.get(SHARED) == "new"
    per_request.delete(SHARED)
    assert per_request.get(SHARED) is None and cache.get(SHARED) is None
    per_request.set_many({SHARED: "newer"}, 60)
    assert per_request.get(SHARED) == "newer"


def test_a_value_read_is_kept_for_the_request_and_the_next_request_reads_anew(asked):
    cache.set(SHARED, "old")
    request_started.send(sender=None)
    assert per_request.get(SHARED) == "old"
    cache.set(SHARED, "changed by another process")
    assert per_request.get(SHARED) == "old"
    request_finished.send(sender=None)
    request_started.send(sender=None)
    assert per_request.get(SHARED) == "changed by another process"
    request_finished.send(sender=None)


@pytest.mark.django_db
def test_rules_saved_during_a_request_are_the_ones_it_reads_next(in_a_request):
    from comments.models import CommentSettings

    assert CommentSettings.objects.current().hold_all is False
    CommentSettings.objects.create(hold_all=True)
    assert CommentSettings.objects.current().hold_all is True


@pytest.mark.django_db
def test_a_publication_renamed_during_a_request_is_what_its_chrome_shows_next(in_a_request, publication):
    from articles.chrome import site_chrome

    assert site_chrome()["publication"].name == publication.name
    publication.name = "The Renamed Gazette"
    publication.save()
    assert site_chrome()["publication"].name == "The Renamed Gazette"


def test_a_value_kept_under_a_generation_counts_until_the_generation_is_renewed(in_a_request):
    from newsroom import generations

    generation, kept = generations.read("test-generation", "test-kept")
    assert kept is None
    generations.keep_under("test-generation", generation, "test-kept", "value", 60)
    assert generations.read("test-generation", "test-kept")[1] == "value"
    per_request.delete("test-generation")  # what renewing it is: the next read makes a new one
    generation, kept = generations.read("test-generation", "test-kept")
    assert generation is None and kept is None
    generations.keep_under("test-generation", generation, "test-kept", "newer", 60)
    assert generations.read("test-generation", "test-kept")[1] == "newer"


def test_a_content_change_renews_the_content_generation(db, committed):
    from articles import events
    from newsroom import generations

    generation, _ = generations.read(events.CONTENT_GENERATION_KEY, "test-kept")
    generations.keep_under(events.CONTENT_GENERATION_KEY, generation, "test-kept", "value", 60)
    assert generations.read(events.CONTENT_GENERATION_KEY, "test-kept")[1] == "value"
    with committed():
        events.emit(events.ARTICLE_UPDATED, paths=["/"])
    assert generations.read(events.CONTENT_GENERATION_KEY, "test-kept")[1] is None
