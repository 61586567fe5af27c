"""The comments app's Content API endpoints: approved comments only, never personal data."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from comments.models import Comment
from tests.factories import make_article, make_comment

pytestmark = pytest.mark.django_db


def test_an_article_lists_its_approved_comments_oldest_first(client, publication):
    article = make_article()
    older = make_comment(article=article, created_at=timezone.now() - timedelta(hours=2))
    newer = make_comment(article=article, parent=older)
    for status in [Comment.Status.PENDING, Comment.Status.SPAM, Comment.Status.TRASH]:
        make_comment(article=article, status=status)
    body = client.get(f"/api/v1/articles/{article.pk}/comments").json()
    assert [item["id"] for item in body["items"]] == [older.pk, newer.pk]
    assert body["items"][1]["parent_id"] == older.pk
    assert (
        body["items"][0]["url"] == f"http://testserver/comments/{older.pk}/"
    )  # the permalink to its page of the thread
    assert "author_email" not in body["items"][0] and "ip_address" not in body["items"][0]


def test_comments_page_with_cursors(client, publication):
    article = make_article()
    made = [make_comment(article=article, created_at=timezone.now() - timedelta(minutes=10 - n)) for n in range(5)]
    seen, url = [], f"/api/v1/articles/{article.pk}/comments?limit=2"
    while url:
        body = client.get(url).json()
        seen += [item["id"] for item in body["items"]]
        url = body["next"] and body["next"].removeprefix("http://testserver")
    assert seen == [comment.pk for comment in made]


def test_comments_of_hidden_articles_and_unapproved_comments_are_404(client, publication):
    draft = make_article(status=Article.Status.DRAFT)
    comment = make_comment(article=draft)
    assert client.get(f"/api/v1/articles/{draft.pk}/comments").status_code == 404
    assert client.get(f"/api/v1/comments/{comment.pk}").status_code == 404
    pending = make_comment(article=make_article(), status=Comment.Status.PENDING)
    assert client.get(f"/api/v1/comments/{pending.pk}").status_code == 404


def test_one_comment(client, publication):
    comment = make_comment(article=make_article(), author_name="Ada", body="Well reported.")
    body = client.get(f"/api/v1/comments/{comment.pk}").json()
    assert (body["author_name"], body["body"], body["article_id"]) == ("Ada", "Well reported.", comment.article_id)
