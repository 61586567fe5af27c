"""Webhooks: a real receiver on 127.0.0.1 checks signatures, ordering and retries; events map to payloads;
targets on private addresses are refused; a subscription that keeps failing is disabled and its owner told."""

import hashlib
import hmac
import ipaddress
import json
import socket
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from taggit.models import Tag

from articles import outbound, services
from articles.api.invalidation import api_paths
from articles.events import ContentChange
from articles.models import Article, WebhookDelivery, WebhookSubscription
from comments import services as comment_services
from comments.models import Comment
from tests.factories import make_article, make_comment, make_correction, make_moderator, make_section, make_user

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
SECRET = "whsec_test-secret-of-enough-length"
Status = Article.Status


def verify(secret, headers, body, tolerance=300):
    """The README's verification snippet, as a receiver would run it."""
    timestamp = headers["X-Newsroom-Timestamp"]
    if abs(time.time() - int(timestamp)) > tolerance:
        return False
    expected = "sha256=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, headers["X-Newsroom-Signature"])


class Receiver:
    """An HTTP server on 127.0.0.1 that records every POST and fails the first `failures` of them."""

    def __init__(self, failures=0):
        self.failures = failures
        self.requests = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append({"headers": dict(self.headers), "body": body, "path": self.path})
                failing = len(receiver.requests) <= receiver.failures
                self.send_response(500 if failing else 200)
                self.end_headers()
                self.wfile.write(b"boom" if failing else b"thanks")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/newsroom?from=test"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def payloads(self):
        return [json.loads(request["body"]) for request in self.requests]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def loopback_allowed(settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = [ipaddress.ip_network("127.0.0.1/32")]


@pytest.fixture
def receiver(loopback_allowed):
    receiver = Receiver()
    yield receiver
    receiver.close()


def subscribe(url, events=("article.published", "article.updated"), **fields):
    return WebhookSubscription.objects.create(
        name="Partner", target_url=url, secret=SECRET, events=list(events), **fields
    )


@pytest.fixture
def draft(publication, section):
    return make_article(
        headline="Dam breaks", slug="dam-breaks", section=section, status=Status.DRAFT, published_at=None
    )


def publish(article, committed):
    with committed():
        services.article_publish_now(article=article, user=None)


def later(seconds):
    return time_machine.travel(NOW + timedelta(seconds=seconds), tick=False)


class TestDelivery:
    def test_a_published_article_reaches_the_receiver_signed_with_its_representation(self, receiver, draft, committed):
        subscribe(receiver.url)
        publish(draft, committed)
        [request] = receiver.requests
        headers, body = request["headers"], request["body"]
        assert verify(SECRET, headers, body)
        assert not verify("another-secret-entirely-wrong", headers, body)
        assert headers["X-Newsroom-Event"] == "article.published"
        assert headers["Content-Type"] == "application/json"
        assert request["path"] == "/hooks/newsroom?from=test"
        payload = json.loads(body)
        assert payload["event"] == "article.published" and payload["id"] == headers["X-Newsroom-Delivery"]
        assert payload["object"] == {
            "type": "article",
            "id": draft.pk,
            "api_url": f"http://localhost/api/v1/articles/{draft.pk}",
        }
        assert payload["data"]["headline"] == "Dam breaks" and payload["data"]["availability"] == "public"
        delivery = WebhookDelivery.objects.get()
        assert delivery.status == "delivered" and delivery.response_code == 200 and delivery.attempts == 1
        assert delivery.duration_ms is not None and delivery.response_excerpt == "thanks"

    def test_a_tampered_body_or_an_old_timestamp_fails_verification(self, receiver, draft, committed):
        subscribe(receiver.url)
        publish(draft, committed)
        [request] = receiver.requests
        assert not verify(SECRET, request["headers"], request["body"].replace(b"Dam", b"Dog"))
        with time_machine.travel(NOW + timedelta(minutes=10)):
            assert not verify(SECRET, request["headers"], request["body"])

    def test_failed_deliveries_are_retried_with_backoff_and_arrive_in_order(
        self, loopback_allowed, publication, section, committed, task_backend
    ):
        receiver = Receiver(failures=2)
        try:
            subscribe(receiver.url)
            first = make_article(headline="First", section=section, status=Status.DRAFT, published_at=None)
            second = make_article(headline="Second", section=section, status=Status.DRAFT, published_at=None)
            publish(first, committed)
            publish(second, committed)
            assert len(receiver.requests) == 1  # the second waits behind the first, which failed
            head = WebhookDelivery.objects.order_by("pk").first()
            assert head.status == "retrying" and head.response_code == 500
            assert head.next_attempt_at == head.last_attempt_at + timedelta(seconds=60)
            with later(59):
                task_backend.run_due()
            assert len(receiver.requests) == 1  # not due yet
            with later(61):
                task_backend.run_due()
            assert len(receiver.requests) == 2
            head.refresh_from_db()
            assert head.attempts == 2 and head.next_attempt_at == head.last_attempt_at + timedelta(seconds=120)
            with later(61 + 121):
                task_backend.run_due()
            headlines = [payload["data"]["headline"] for payload in receiver.payloads()]
            assert headlines == ["First", "First", "First", "Second"]
            assert all(verify(SECRET, request["headers"], request["body"]) for request in receiver.requests)
            assert len({request["headers"]["X-Newsroom-Delivery"] for request in receiver.requests}) == 2
            statuses = list(WebhookDelivery.objects.order_by("pk").values_list("status", "attempts"))
            assert statuses == [("delivered", 3), ("delivered", 1)]
        finally:
            receiver.close()

    def test_a_subscription_failing_for_a_day_is_disabled_and_its_owner_told(
        self, loopback_allowed, draft, committed, task_backend
    ):
        receiver = Receiver(failures=10_000)
        try:
            owner = make_user("integrator")
            subscription = subscribe(receiver.url, owner=owner)
            publish(draft, committed)
            for _ in range(40):
                delivery = WebhookDelivery.objects.get()
                if delivery.status != "retrying":
                    break
                with time_machine.travel(delivery.next_attempt_at + timedelta(seconds=1), tick=False):
                    task_backend.run_due()
            delivery.refresh_from_db()
            assert delivery.status == "failed"
            assert delivery.last_attempt_at - delivery.created_at >= timedelta(hours=24)
            assert delivery.last_attempt_at - delivery.created_at < timedelta(hours=24, minutes=5)
            assert 10 <= delivery.attempts == len(receiver.requests) <= 14
            subscription.refresh_from_db()
            assert not subscription.is_active and "24 hours" in subscription.disabled_reason
            [message] = mail.outbox
            assert message.to == ["integrator@example.com"] and "disabled" in message.subject
            assert subscription.get_absolute_url() in message.body
        finally:
            receiver.close()

    def test_only_the_events_asked_for_are_sent(self, receiver, publication, section, committed):
        subscribe(receiver.url, events=["article.corrected"])
        article = make_article(section=section)
        with committed():
            services.article_save(article=article)  # updated: not asked for
        assert receiver.requests == []
        with committed():
            services.article_save(article=article, corrections=[("correction", "It was Tuesday.")])
        assert [payload["event"] for payload in receiver.payloads()] == ["article.corrected"]
        assert receiver.payloads()[0]["data"]["corrections"][0]["text"] == "It was Tuesday."

    def test_an_unpublished_article_is_announced_with_no_representation(
        self, receiver, publication, section, committed
    ):
        subscribe(receiver.url, events=["article.unpublished"])
        article = make_article(section=section)
        editor = make_user("desk", group="Editors")
        with committed():
            services.article_transition(article=article, user=editor, to_status=Status.UNPUBLISHED)
        [payload] = receiver.payloads()
        assert payload["event"] == "article.unpublished" and payload["data"] is None
        assert payload["object"]["id"] == article.pk

    def test_an_approved_comment_is_sent_without_personal_data(self, receiver, publication, section, committed):
        subscribe(receiver.url, events=["comment.approved"])
        comment = make_comment(
            article=make_article(section=section),
            status=Comment.Status.PENDING,
            author_email="private@example.com",
            ip_address="203.0.113.5",
            user_agent="SecretBrowser/1.0",
        )
        with committed():
            comment_services.comment_approve(comment=comment, actor=make_moderator())
        [request] = receiver.requests
        body = request["body"].decode()
        payload = json.loads(body)
        assert payload["event"] == "comment.approved" and payload["data"]["body"] == comment.body
        assert payload["object"]["api_url"] == f"http://localhost/api/v1/comments/{comment.pk}"
        for secret in ["private@example.com", "203.0.113.5", "SecretBrowser"]:
            assert secret not in body

    def test_a_renamed_tag_is_a_taxonomy_change(self, receiver, publication, section, committed):
        subscribe(receiver.url, events=["taxonomy.changed"])
        make_article(section=section, tags=["Japan"])
        tag = Tag.objects.get(name="Japan")
        with committed():
            tag.name = "Nippon"
            tag.save()
        [payload] = receiver.payloads()
        assert payload["object"]["type"] == "tag" and payload["data"]["name"] == "Nippon"

    def test_nothing_is_sent_or_queued_inside_a_save(self, receiver, draft, task_backend):
        subscribe(receiver.url)
        with transaction.atomic():
            services.article_publish_now(article=draft, user=None)
            assert not WebhookDelivery.objects.exists()
            assert not task_backend.results
        assert receiver.requests == []

    def test_a_job_that_runs_twice_makes_no_duplicate(self, receiver, publication, section):
        from articles.webhooks import prepare_deliveries

        subscription = subscribe(receiver.url)
        article = make_article(section=section)
        for _ in range(2):
            prepare_deliveries.call("article.published", [["articles.article", article.pk]], NOW.isoformat())
        assert subscription.deliveries.count() == 1

    def test_inactive_subscriptions_get_nothing(self, receiver, draft, committed):
        subscribe(receiver.url, is_active=False)
        publish(draft, committed)
        assert receiver.requests == [] and not WebhookDelivery.objects.exists()

    def test_send_again_from_the_admin(self, receiver, draft, committed, admin_client):
        subscribe(receiver.url)
        publish(draft, committed)
        delivery = WebhookDelivery.objects.get()
        response = admin_client.post(
            "/admin/articles/webhookdelivery/", {"action": "send_again", "_selected_action": [delivery.pk]}, follow=True
        )
        assert response.status_code == 200 and len(receiver.requests) == 2
        assert receiver.requests[0]["body"] == receiver.requests[1]["body"]  # the same body, freshly signed


class TestServerSideRequestForgery:
    @pytest.mark.parametrize(
        "address",
        ["127.0.0.1", "10.1.2.3", "192.168.0.1", "172.16.5.4", "169.254.169.254", "::1", "::ffff:127.0.0.1",
         "fd00::1", "100.64.0.1", "224.0.0.1", "0.0.0.0"],  # noqa: S104
    )  # fmt: skip
    def test_private_loopback_and_reserved_addresses_are_refused(self, address):
        assert not outbound.address_allowed(address)

    def test_public_addresses_and_allowed_networks_pass(self, settings):
        assert outbound.address_allowed("93.184.216.34")
        settings.WEBHOOK_ALLOWED_NETWORKS = [ipaddress.ip_network("10.1.0.0/16")]
        assert outbound.address_allowed("10.1.2.3") and not outbound.address_allowed("10.2.0.1")

    def test_a_loopback_target_is_refused_at_delivery_time_without_the_setting(self, draft, committed):
        receiver = Receiver()
        try:
            subscribe(receiver.url)  # saved without the admin form's check
            publish(draft, committed)
            assert receiver.requests == []
            delivery = WebhookDelivery.objects.get()
            assert delivery.status == "retrying" and "127.0.0.1" in delivery.error and delivery.response_code is None
        finally:
            receiver.close()

    def test_every_resolved_address_is_checked(self, monkeypatch):
        def rebinding(host, port, *args, **kwargs):
            return [
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port)),
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.5", port)),
            ]

        monkeypatch.setattr(socket, "getaddrinfo", rebinding)
        with pytest.raises(outbound.UnsafeTarget, match=r"10\.0\.0\.5"):
            outbound.resolve("https://hooks.example.com/x")

    @pytest.mark.parametrize(
        "url",
        ["ftp://127.0.0.1/", "file:///etc/passwd", "http://127.0.0.1:99999/", "gopher://x/", "http:///nohost"],
    )
    def test_odd_urls_are_refused(self, url):
        with pytest.raises(outbound.UnsafeTarget):
            outbound.resolve(url)


@pytest.fixture
def admin_client(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "correct horse battery")
    client.force_login(admin)
    return client


class TestSubscriptionAdmin:
    def post(self, admin_client, **overrides):
        data = {
            "name": "Partner",
            "target_url": "http://127.0.0.1:8765/hook",
            "secret": SECRET,
            "events": ["article.published", "comment.approved"],
            "is_active": "on",
        }
        data.update(overrides)
        return admin_client.post("/admin/articles/webhooksubscription/add/", data)

    @pytest.mark.parametrize(
        "url",
        ["http://127.0.0.1/hook", "http://localhost/hook", "http://10.0.0.1/", "http://[::1]/", "http://169.254.169.254/",
         "ftp://example.com/", "javascript:alert(1)", "http://exa mple.com/", "http://" + "a" * 600 + ".com/"],
    )  # fmt: skip
    def test_private_or_bad_targets_are_form_errors(self, admin_client, url):
        response = self.post(admin_client, target_url=url)
        assert response.status_code == 200 and "errorlist" in response.content.decode()
        assert not WebhookSubscription.objects.exists()

    def test_loopback_is_accepted_when_the_setting_allows_it(self, admin_client, loopback_allowed):
        response = self.post(admin_client)
        assert response.status_code == 302
        subscription = WebhookSubscription.objects.get()
        assert subscription.events == ["article.published", "comment.approved"]

    @pytest.mark.parametrize(
        "overrides", [{"secret": "short"}, {"events": ["article.exploded"]}, {"events": []}, {"name": ""}]
    )
    def test_hostile_subscription_forms_are_refused(self, admin_client, loopback_allowed, overrides):
        response = self.post(admin_client, **overrides)
        assert response.status_code == 200 and "errorlist" in response.content.decode()

    def test_a_new_subscription_gets_a_random_secret(self):
        first = WebhookSubscription(name="A", target_url="https://a.example")
        second = WebhookSubscription(name="B", target_url="https://b.example")
        assert first.secret != second.secret and len(first.secret) >= 32

    def test_turning_a_disabled_subscription_back_on_clears_why(self, admin_client, loopback_allowed):
        subscription = subscribe("http://127.0.0.1:8765/hook", is_active=False, disabled_reason="kept failing")
        response = admin_client.post(
            f"/admin/articles/webhooksubscription/{subscription.pk}/change/",
            {
                "name": "Partner",
                "target_url": subscription.target_url,
                "secret": SECRET,
                "events": ["article.published"],
                "is_active": "on",
            },
        )
        assert response.status_code == 302
        subscription.refresh_from_db()
        assert subscription.is_active and subscription.disabled_reason == ""

    def test_the_delivery_log_lists_status_code_duration_and_next_try(self, admin_client, receiver, draft, committed):
        subscribe(receiver.url)
        publish(draft, committed)
        html = admin_client.get("/admin/articles/webhookdelivery/").content.decode()
        for column in ["Status", "Response code", "Duration (ms)", "Next try", "Delivered"]:
            assert column in html


class TestInvalidation:
    def test_an_article_change_names_its_api_paths(self, publication, section):
        article = make_article(slug="dam", section=section)
        change = ContentChange(
            kind="article.updated", paths=frozenset({"/articles/dam/"}), objects=(("articles.article", article.pk),)
        )
        assert api_paths(change) == {
            "/api/v1/articles",
            f"/api/v1/articles/{article.pk}",
            f"/api/v1/articles/{article.pk}/comments",
        }

    def test_a_comment_change_reaches_its_article_through_the_reader_paths(self, publication, section):
        article = make_article(slug="dam", section=section)
        comment = make_comment(article=article)
        change = ContentChange(
            kind="comment.approved",
            paths=frozenset({"/articles/dam/", "/comments/feed/"}),
            objects=(("comments.comment", comment.pk),),
        )
        assert api_paths(change) == {
            "/api/v1/articles",
            f"/api/v1/articles/{article.pk}",
            f"/api/v1/articles/{article.pk}/comments",
            "/api/v1/comments",
            f"/api/v1/comments/{comment.pk}",
        }

    def test_a_renamed_tag_and_site_wide_changes(self, publication):
        tag = Tag.objects.create(name="Japan", slug="japan")
        change = ContentChange(
            kind="taxonomy.changed", paths=frozenset({"/tag/japan/"}), objects=(("taggit.tag", tag.pk),)
        )
        assert api_paths(change) == {"/api/v1/tags", f"/api/v1/tags/{tag.pk}", "/api/v1/articles"}
        section = make_section()
        everything = ContentChange(
            kind="taxonomy.changed", objects=(("articles.section", section.pk),), everything=True
        )
        assert api_paths(everything) is None

    def test_a_real_publication_event_maps_to_the_article(self, publication, section, committed):
        from articles import events

        heard = []
        events.content_changed.connect(receiver := lambda sender, change, **kwargs: heard.append(change))
        try:
            article = make_article(section=section, status=Status.DRAFT, published_at=None)
            publish(article, committed)
        finally:
            events.content_changed.disconnect(receiver)
        assert f"/api/v1/articles/{article.pk}" in api_paths(heard[0])


def test_corrections_removed_are_an_update(receiver, publication, section, committed):
    subscribe(receiver.url, events=["article.corrected"])
    article = make_article(section=section)
    note = make_correction(article)
    with committed():
        services.article_save(article=article, removed_corrections=[note.pk])
    assert [payload["event"] for payload in receiver.payloads()] == ["article.corrected"]
