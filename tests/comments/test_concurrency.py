"""Flood and duplicate checks under simultaneous posts: WordPress checks then inserts, so two
posts arriving together both pass. These run 20 real threads against PostgreSQL."""

import threading

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from comments.models import Comment, CommentSettings
from tests.factories import comment_form_data

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="needs PostgreSQL (DATABASE_URL=postgres://...): SQLite serialises every write, so nothing races",
    ),
    pytest.mark.django_db(transaction=True),
]

THREADS = 20


def post_together(article, payloads):
    """POST every payload from its own thread and connection, all released at the same instant."""
    url = reverse("comments:post", args=[article.pk])
    barrier = threading.Barrier(len(payloads))
    outcomes = [None] * len(payloads)

    def worker(index, payload):
        ip = payload.pop("ip")
        data = comment_form_data(**payload)
        try:
            client = Client()
            barrier.wait(timeout=30)
            outcomes[index] = client.post(url, data, REMOTE_ADDR=ip).status_code
        except Exception as error:  # a 500 raises in the test client: record it, never lose it
            outcomes[index] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, payload)) for i, payload in enumerate(payloads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


@pytest.fixture
def open_article(db):
    from tests.factories import make_article, make_publication

    make_publication()
    return make_article(headline="Busy story")


def test_twenty_simultaneous_readers_all_end_as_rows(open_article):
    payloads = [
        {"ip": f"198.51.100.{n}", "email": f"reader{n}@example.com", "author": f"Reader {n}", "comment": f"Say {n}"}
        for n in range(THREADS)
    ]
    outcomes = post_together(open_article, payloads)
    assert outcomes == [302] * THREADS
    assert Comment.objects.count() == THREADS
    assert sorted(Comment.objects.values_list("body", flat=True)) == sorted(p["comment"] for p in payloads)


def test_twenty_simultaneous_copies_of_one_comment_save_exactly_one(open_article):
    payload = {"ip": "203.0.113.50", "email": "same@example.com", "author": "Same", "comment": "Same words."}
    outcomes = post_together(open_article, [dict(payload) for _ in range(THREADS)])
    assert sorted(outcomes) == [302] + [409] * (THREADS - 1)
    assert Comment.objects.count() == 1


def test_twenty_simultaneous_posts_from_one_ip_pass_flood_control_once(open_article):
    payloads = [
        {"ip": "203.0.113.60", "email": f"sock{n}@example.com", "author": f"Sock {n}", "comment": f"Words {n}"}
        for n in range(THREADS)
    ]
    outcomes = post_together(open_article, payloads)
    assert sorted(outcomes) == [302] + [429] * (THREADS - 1)
    assert Comment.objects.count() == 1


def test_the_same_words_under_one_name_from_many_addresses_are_one_comment(open_article):
    CommentSettings.objects.create(flood_seconds=0)
    payloads = [
        {"ip": f"198.51.100.{n}", "email": f"alias{n}@example.com", "author": "Troll", "comment": "Copy paste."}
        for n in range(THREADS)
    ]
    outcomes = post_together(open_article, payloads)
    assert sorted(outcomes) == [302] + [409] * (THREADS - 1)
    assert Comment.objects.count() == 1
