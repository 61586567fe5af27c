"""The Content API's HTTP manners: keys, rate limits, ETags, caching headers, CORS; and the keys' admin."""

import logging
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache

from articles.models import ApiKey
from articles.models.integrations import hash_key
from tests.factories import make_article

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 26, 9, 0, 10, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def story(publication, section):
    return make_article(headline="Dam breaks", section=section, published_at=NOW - timedelta(hours=1))


def make_key(**fields):
    key = ApiKey(name=fields.pop("name", "Partner"), **fields)
    raw = key.set_new_key()
    key.save()
    return key, raw


class TestKeys:
    def test_keys_are_stored_only_as_a_digest(self):
        key, raw = make_key()
        assert raw.startswith("nr_") and len(raw) > 40
        stored = ApiKey.objects.get(pk=key.pk)
        assert stored.hashed_key == hash_key(raw) and raw not in str(stored.__dict__)
        assert stored.prefix == raw[:10]

    def test_an_unknown_key_is_refused_not_treated_as_anonymous(self, client, story):
        response = client.get("/api/v1/articles", headers={"X-API-Key": "nr_not-a-real-key"})
        assert response.status_code == 401 and response.json()["code"] == "invalid_key"
        assert response["Cache-Control"] == "no-store"

    def test_a_revoked_key_stops_working_at_once(self, client, story):
        key, raw = make_key()
        assert client.get("/api/v1/articles", headers={"X-API-Key": raw}).status_code == 200
        key.revoked_at = NOW
        key.save()
        assert client.get("/api/v1/articles", headers={"X-API-Key": raw}).status_code == 401

    @pytest.mark.parametrize(
        "value", ["x" * 5000, "nr_\u00e9\u00e8", "nr_abc\tdef", "' OR 1=1 --", "nr_" + "\u2603" * 50, "%00", "  "]
    )
    def test_hostile_key_headers_get_401_or_anonymous_access_never_500(self, client, story, value):
        response = client.get("/api/v1/articles", headers={"X-API-Key": value})
        assert response.status_code == (200 if not value.strip() else 401)

    def test_last_used_is_recorded_without_a_write_on_every_request(self, client, story, django_assert_num_queries):
        key, raw = make_key()
        client.get("/api/v1/articles", headers={"X-API-Key": raw})
        key.refresh_from_db()
        assert key.last_used_at == NOW
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=None)
        client.get("/api/v1/articles", headers={"X-API-Key": raw})
        key.refresh_from_db()
        assert key.last_used_at is None  # written at most every few minutes
        with time_machine.travel(NOW + timedelta(minutes=6), tick=False):
            cache.clear()
            client.get("/api/v1/articles", headers={"X-API-Key": raw})
        key.refresh_from_db()
        assert key.last_used_at == NOW + timedelta(minutes=6)

    def test_anonymous_access_can_be_turned_off(self, client, story, settings):
        settings.API_ANON_PER_MINUTE = 0
        response = client.get("/api/v1/articles")
        assert response.status_code == 401 and response.json()["code"] == "key_required"
        _key, raw = make_key()
        assert client.get("/api/v1/articles", headers={"X-API-Key": raw}).status_code == 200
        schema = client.get("/api/v1/openapi.json").json()
        assert {} not in schema["paths"]["/api/v1/articles"]["get"]["security"]

    def test_the_schema_says_a_key_is_optional_while_anonymous_access_is_on(self, client):
        security = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/articles"]["get"]["security"]
        assert {"ApiKeyAuth": []} in security and {} in security


class TestRateLimits:
    def test_anonymous_callers_get_429_with_retry_after_past_their_limit(self, client, story, settings):
        settings.API_ANON_PER_MINUTE = 3
        answers = [client.get("/api/v1/articles") for _ in range(4)]
        assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
        assert answers[0]["X-RateLimit-Limit"] == "3" and answers[2]["X-RateLimit-Remaining"] == "0"
        assert answers[3]["Retry-After"] == "50"  # the minute's window ends 50 s after 09:00:10
        assert answers[3].json()["code"] == "rate_limited" and answers[3]["Cache-Control"] == "no-store"
        other = client.get("/api/v1/articles", REMOTE_ADDR="198.51.100.7")
        assert other.status_code == 200  # counted per address
        with time_machine.travel(NOW + timedelta(seconds=51), tick=False):
            assert client.get("/api/v1/articles").status_code == 200

    def test_each_key_has_its_own_limit(self, client, story, settings):
        settings.API_ANON_PER_MINUTE = 1
        settings.API_KEY_PER_MINUTE = 5
        _small, small_raw = make_key(rate_limit=2)
        _default, default_raw = make_key(name="App")
        small = [client.get("/api/v1/articles", headers={"X-API-Key": small_raw}).status_code for _ in range(3)]
        assert small == [200, 200, 429]
        default = [client.get("/api/v1/articles", headers={"X-API-Key": default_raw}).status_code for _ in range(6)]
        assert default == [200] * 5 + [429]

    def test_with_the_cache_down_the_api_stays_open_and_logs_once(self, client, story, settings, monkeypatch, caplog):
        from articles.api import access

        settings.API_ANON_PER_MINUTE = 1

        def broken(*args, **kwargs):
            raise ConnectionError("cache is down")

        for name in ["get", "set", "add", "incr", "delete"]:
            monkeypatch.setattr(access.cache, name, broken)
        _key, raw = make_key()
        with caplog.at_level(logging.ERROR, logger="articles.api.access"):
            statuses = [client.get("/api/v1/articles").status_code for _ in range(3)]
            statuses.append(client.get("/api/v1/articles", headers={"X-API-Key": raw}).status_code)
        assert statuses == [200, 200, 200, 200]
        assert len([record for record in caplog.records if "cache is unreachable" in record.getMessage()]) == 1
        monkeypatch.undo()
        access._cache_call.failing = False


class TestConditionalRequests:
    def test_a_matching_etag_gets_304_with_no_body(self, client, story):
        first = client.get("/api/v1/articles")
        etag = first["ETag"]
        assert etag.startswith('"')
        again = client.get("/api/v1/articles", headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b""
        assert again["ETag"] == etag and again["Cache-Control"] == first["Cache-Control"]

    def test_a_change_changes_the_etag(self, client, story):
        etag = client.get(f"/api/v1/articles/{story.pk}")["ETag"]
        story.headline = "Dam breaks: update"
        story.save()
        response = client.get(f"/api/v1/articles/{story.pk}", headers={"If-None-Match": etag})
        assert response.status_code == 200 and response["ETag"] != etag

    def test_public_answers_may_be_cached_by_a_cdn(self, client, story, settings):
        settings.API_CACHE_SECONDS = 600
        response = client.get("/api/v1/articles")
        assert response["Cache-Control"] == "public, max-age=60, s-maxage=600"
        assert "X-API-Key" in response["Vary"]
        assert not response.cookies

    def test_head_answers_like_get_without_a_body(self, client, story):
        get = client.get("/api/v1/articles")
        head = client.head("/api/v1/articles")
        assert head.status_code == 200 and head.content == b"" and head["ETag"] == get["ETag"]

    def test_writes_are_not_allowed(self, client, story):
        for method in [client.post, client.put, client.delete]:
            response = method("/api/v1/articles")
            assert response.status_code == 405

    def test_unknown_api_addresses_are_json_404s(self, client):
        response = client.get("/api/v1/nothing/here")
        assert response.status_code == 404 and response.json()["code"] == "not_found"


class TestCors:
    def test_any_origin_may_read_by_default(self, client, story):
        response = client.get("/api/v1/articles", headers={"Origin": "https://app.example"})
        assert response["Access-Control-Allow-Origin"] == "*"
        assert "ETag" in response["Access-Control-Expose-Headers"]
        assert "Access-Control-Allow-Credentials" not in response

    def test_configured_origins_only(self, client, story, settings):
        settings.API_CORS_ORIGINS = ["https://partner.example"]
        allowed = client.get("/api/v1/articles", headers={"Origin": "https://partner.example"})
        assert allowed["Access-Control-Allow-Origin"] == "https://partner.example"
        assert "Origin" in allowed["Vary"]
        refused = client.get("/api/v1/articles", headers={"Origin": "https://evil.example"})
        assert "Access-Control-Allow-Origin" not in refused

    def test_a_preflight_allows_the_key_header_for_get(self, client, story):
        response = client.options(
            "/api/v1/articles",
            headers={"Origin": "https://app.example", "Access-Control-Request-Method": "GET"},
        )
        assert response.status_code == 204
        assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
        assert "X-API-Key" in response["Access-Control-Allow-Headers"]

    def test_no_cors_when_turned_off(self, client, story, settings):
        settings.API_CORS_ORIGINS = []
        response = client.get("/api/v1/articles", headers={"Origin": "https://app.example"})
        assert "Access-Control-Allow-Origin" not in response


class TestKeyAdmin:
    @pytest.fixture
    def admin_client(self, client, django_user_model):
        admin = django_user_model.objects.create_superuser("root", "root@example.com", "correct horse battery")
        client.force_login(admin)
        return client

    def test_a_new_key_is_shown_once_and_stored_hashed(self, admin_client):
        response = admin_client.post(
            "/admin/articles/apikey/add/", {"name": "iOS app", "rate_limit": "", "sees_scheduled": "on"}
        )
        assert response.status_code == 200
        key = ApiKey.objects.get(name="iOS app")
        html = response.content.decode()
        raw = html.split('id="new-api-key" class="vTextField" type="text" value="')[1].split('"')[0]
        assert key.hashed_key == hash_key(raw) and key.sees_scheduled
        assert "no-store" in response["Cache-Control"]
        change_page = admin_client.get(f"/admin/articles/apikey/{key.pk}/change/").content.decode()
        assert raw not in change_page and key.prefix in change_page

    def test_keys_are_revoked_with_an_action(self, admin_client, client):
        key, _raw = make_key()
        response = admin_client.post(
            "/admin/articles/apikey/", {"action": "revoke", "_selected_action": [key.pk]}, follow=True
        )
        assert "1 key revoked" in response.content.decode()
        key.refresh_from_db()
        assert key.revoked_at is not None and not key.is_active()

    @pytest.mark.parametrize("rate", ["-1", "abc", "99999999999999999999"])
    def test_hostile_rate_limits_are_form_errors(self, admin_client, rate):
        response = admin_client.post("/admin/articles/apikey/add/", {"name": "Bad", "rate_limit": rate})
        assert response.status_code == 200 and "errorlist" in response.content.decode()
        assert not ApiKey.objects.exists()
