"""Who posted: the proxy header is believed only from our proxies; a site-wide limit stops many machines."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from django.urls import reverse

from comments.models import Comment, CommentSettings
from comments.views import client_ip
from newsroom.env import env_networks
from tests.factories import comment_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def behind_proxy(settings):
    settings.COMMENTS_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.TRUSTED_PROXIES = env_networks("UNSET_IN_TESTS", ["10.0.0.0/8", "127.0.0.1"])


def ip_of(remote, forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_ip(RequestFactory().get("/", REMOTE_ADDR=remote, **extra))


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("198.51.100.9", "203.0.113.1", "198.51.100.9"),  # not a proxy of ours: its header is ignored
        ("198.51.100.9", None, "198.51.100.9"),
        ("10.0.0.2", "203.0.113.1", "203.0.113.1"),
        ("10.0.0.2", "1.2.3.4, 203.0.113.1", "203.0.113.1"),  # the client's own entry is left of ours
        ("10.0.0.2", "203.0.113.1, 10.0.0.5", "203.0.113.1"),  # two of our proxies in a row
        ("10.0.0.2", "10.0.0.7", "10.0.0.7"),  # only proxies: the furthest one
        ("10.0.0.2", "", "10.0.0.2"),
        ("10.0.0.2", "not-an-ip", None),
        ("10.0.0.2", "203.0.113.1, ' OR 1=1 --", None),
        ("garbage", "203.0.113.1", None),
        ("::1", "2001:db8::1", "::1"),  # ::1 is not listed here
    ],
)
def test_the_header_is_believed_only_from_a_trusted_proxy(behind_proxy, remote, forwarded, expected):
    assert ip_of(remote, forwarded) == expected


def test_one_machine_cannot_post_as_many_addresses(client, behind_proxy, article, settings):
    """Regression: with the header set, any client's X-Forwarded-For was believed (500 comments in 53 s)."""
    CommentSettings.objects.create(flood_seconds=60)
    url = reverse("comments:post", args=[article.pk])
    statuses = [
        client.post(
            url,
            comment_form_data(comment=f"Spam {n}", email=f"bot{n}@example.com"),
            REMOTE_ADDR="198.51.100.9",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        ).status_code
        for n in range(5)
    ]
    assert statuses == [302, 429, 429, 429, 429]
    assert list(Comment.objects.values_list("ip_address", flat=True)) == ["198.51.100.9"]


def test_the_site_wide_limit_refuses_the_next_comment_with_retry_after(client, article, settings):
    CommentSettings.objects.create(flood_seconds=0)
    settings.COMMENTS_PER_MINUTE = 3
    url = reverse("comments:post", args=[article.pk])
    statuses = []
    for n in range(5):
        response = client.post(
            url, comment_form_data(comment=f"Reader {n} here.", email=f"r{n}@example.com"), REMOTE_ADDR=f"192.0.2.{n}"
        )
        statuses.append(response.status_code)
    assert statuses == [302, 302, 302, 429, 429]
    assert response["Retry-After"] == "60"
    assert "Reader 4 here." in response.content.decode(), "the reader's text is kept"
    assert Comment.objects.count() == 3


def test_moderators_are_not_held_back_by_the_site_wide_limit(moderator_client, article, settings, post_comment):
    settings.COMMENTS_PER_MINUTE = 1
    CommentSettings.objects.create(flood_seconds=0)
    for n in range(3):
        assert post_comment(moderator_client, article, comment=f"Answer {n}.").status_code == 302


def test_a_mistyped_proxy_list_stops_the_site_at_start_up(monkeypatch):
    monkeypatch.setenv("NEWSROOM_TRUSTED_PROXIES", "10.0.0.0/8, nginx")
    with pytest.raises(ImproperlyConfigured, match="NEWSROOM_TRUSTED_PROXIES"):
        env_networks("NEWSROOM_TRUSTED_PROXIES")
