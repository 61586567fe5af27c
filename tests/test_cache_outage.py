"""Redis unreachable: the site keeps serving (uncached), comments still post, the outage is logged once."""

import logging
import socket

import pytest
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCacheClient
from django.urls import reverse

import newsroom.cache
from comments.models import Comment
from newsroom.env import cache_config
from tests.factories import comment_form_data, make_article

pytestmark = pytest.mark.django_db


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens here once the socket is closed


@pytest.fixture(autouse=True)
def _fresh_outage_state(monkeypatch):
    monkeypatch.setattr(newsroom.cache, "_outages", {})


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {"default": cache_config(f"redis://127.0.0.1:{closed_port()}/0")}  # as REDIS_URL configures it
    settings.COMMENTS_MIN_FORM_AGE = 0
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def outage_records(caplog):
    records = caplog.get_records("setup") + caplog.get_records("call")
    return [record for record in records if record.name == "newsroom.cache"]


def test_reader_pages_and_a_comment_post_work_with_redis_unreachable(client, redis_down, section, publication, caplog):
    """Regression: ConnectionError from articles/chrome.py made every page and comment post a 500."""
    article = make_article(headline="Harbour bridge reopens", section=section, tags=["Port"])
    pages = ["/", article.get_absolute_url(), reverse("articles:section", args=[section.slug]), "/search/?q=harbour"]
    for url in pages * 3:
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("comments:form_token")).status_code == 200
    response = client.post(reverse("comments:post", args=[article.pk]), comment_form_data(comment="Still here."))
    assert response.status_code == 302
    assert Comment.objects.get().body == "Still here."
    errors = outage_records(caplog)
    assert len(errors) == 1, "logged once per outage, not per request"
    assert errors[0].levelno == logging.ERROR and "Cache unreachable" in errors[0].getMessage()


class FlakyRedis:
    """Stands in for the Redis client calls: a dict, or ConnectionError while `down`."""

    def __init__(self, monkeypatch):
        import redis

        self.down, self.store, self.error = False, {}, redis.exceptions.ConnectionError("Connection refused")
        for name in ["get", "set", "add", "delete", "delete_many"]:
            monkeypatch.setattr(RedisCacheClient, name, self.method(name))

    def method(self, name):
        def call(client, *args):
            if self.down:
                raise self.error
            if name == "get":
                return self.store.get(args[0], args[1])
            if name in {"set", "add"}:
                if name == "add" and args[0] in self.store:
                    return False
                self.store[args[0]] = args[1]
                return True
            keys = args[0] if name == "delete_many" else [args[0]]
            return any([self.store.pop(key, None) is not None for key in keys])

        return call


def test_an_outage_is_logged_once_and_its_end_once_and_missed_deletes_are_made(settings, monkeypatch, caplog):
    settings.CACHES = {"default": {"BACKEND": "newsroom.cache.ResilientRedisCache", "LOCATION": "redis://fake:1/0"}}
    monkeypatch.setattr(newsroom.cache, "RETRY_SECONDS", 0)
    redis = FlakyRedis(monkeypatch)
    caplog.set_level(logging.INFO, logger="newsroom.cache")
    cache.set("chrome", "old masthead")
    redis.down = True
    assert cache.get("chrome") is None  # a miss, not an exception
    cache.delete("chrome")  # an edit during the outage invalidates the chrome: not possible now
    assert cache.add("nonce", 1) is True  # one-time tokens still work
    for _ in range(20):
        cache.get("anything")
    redis.down = False
    assert cache.get("other") is None
    assert cache.get("chrome") is None, "the deletion missed during the outage was made on recovery"
    messages = [record.getMessage() for record in outage_records(caplog)]
    assert len(messages) == 2
    assert "Cache unreachable" in messages[0] and "Cache reachable again" in messages[1]


def test_while_down_redis_is_not_asked_again_before_the_retry_interval(settings, monkeypatch):
    settings.CACHES = {"default": {"BACKEND": "newsroom.cache.ResilientRedisCache", "LOCATION": "redis://fake:2/0"}}
    redis = FlakyRedis(monkeypatch)
    calls = []
    real_get = RedisCacheClient.get
    monkeypatch.setattr(RedisCacheClient, "get", lambda client, *args: calls.append(1) or real_get(client, *args))
    redis.down = True
    for _ in range(50):
        assert cache.get("key", "default") == "default"
    assert len(calls) == 1


def test_cache_calls_share_one_redis_client_instead_of_building_one_per_call(monkeypatch):
    """Django builds a redis.Redis per call; its constructor cost more than a local round trip."""
    import redis

    built = []
    real_init = redis.Redis.__init__
    monkeypatch.setattr(redis.Redis, "__init__", lambda client, *a, **k: built.append(1) or real_init(client, *a, **k))
    client = newsroom.cache.ResilientRedisCacheClient([f"redis://127.0.0.1:{closed_port()}/0"])
    first = client.get_client("a")
    for key in ["b", "c", "d"]:
        assert client.get_client(key) is first
        assert client.get_client(key, write=True) is first
    assert len(built) == 1
    assert client.get("key", "default") == "default"  # still a miss, not an error, with nothing listening
