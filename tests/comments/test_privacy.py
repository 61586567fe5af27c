import io
import json
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from comments.models import Comment, CommentSettings, ModerationEvent
from tests.factories import make_article, make_comment

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_erase_commenter_anonymises_every_comment_by_that_email_and_reports_the_count(article):
    mine = [
        make_comment(
            article=article, author_email="me@example.com", author_url="https://me.example", notify_replies=True
        ),
        make_comment(article=make_article(), author_email="ME@Example.com", status=Comment.Status.SPAM),
    ]
    other = make_comment(article=article, author_email="you@example.com")
    assert run("erase_commenter", "Me@example.com") == "Anonymised 2 comments by Me@example.com.\n"
    for comment in mine:
        comment.refresh_from_db()
        assert comment.author_name == "Anonymous"
        assert (comment.author_email, comment.author_url, comment.ip_address, comment.user_agent) == ("", "", None, "")
        assert not comment.notify_replies
        assert comment.body  # the words stay, as WordPress keeps them
    other.refresh_from_db()
    assert other.author_email == "you@example.com" and other.ip_address
    assert ModerationEvent.objects.filter(action="erased").count() == 2
    assert not ModerationEvent.objects.filter(comment_label__icontains="me@example.com").exists()
    assert run("erase_commenter", "me@example.com") == "Anonymised 0 comments by me@example.com.\n"


def test_erase_commenter_dry_run_changes_nothing(article):
    make_comment(article=article, author_email="me@example.com")
    assert run("erase_commenter", "me@example.com", "--dry-run") == "Would anonymise 1 comment by me@example.com.\n"
    assert Comment.objects.get().author_email == "me@example.com"


@pytest.mark.parametrize("email", ["", "not-an-email", "%", "a@b\nc"])
def test_erase_and_export_refuse_something_that_is_not_an_email(email, article):
    make_comment(article=article, author_email="")
    for command in ["erase_commenter", "export_commenter"]:
        with pytest.raises(CommandError, match="not an email address"):
            run(command, email)


def test_export_commenter_prints_their_comments_as_json(article):
    first = make_comment(
        article=article,
        author_email="me@example.com",
        body="First words.",
        created_at=timezone.now() - timedelta(days=1),
    )
    make_comment(article=article, author_email="ME@example.com", body="Reply.", parent=first)
    make_comment(article=article, author_email="other@example.com", body="Not mine.")
    data = json.loads(run("export_commenter", "me@example.com"))
    assert data["email"] == "me@example.com"
    assert [item["comment"] for item in data["comments"]] == ["First words.", "Reply."]
    item = data["comments"][0]
    assert item["article"] == "Harbour bridge reopens"
    assert item["article_url"] == article.get_absolute_url()
    assert {"name", "email", "website", "status", "submitted_at", "ip_address", "user_agent"} <= set(item)
    assert data["comments"][1]["in_reply_to"] == first.pk


def test_export_of_an_unknown_commenter_is_an_empty_list(db):
    assert json.loads(run("export_commenter", "nobody@example.com")) == {"email": "nobody@example.com", "comments": []}


def test_purge_clears_ip_and_user_agent_after_the_retention_period(article):
    old = make_comment(article=article, created_at=timezone.now() - timedelta(days=91))
    recent = make_comment(article=article, created_at=timezone.now() - timedelta(days=89))
    assert run("purge_comment_metadata", "--dry-run") == (
        "Would clear the IP address and user agent of 1 comment(s) older than 90 days.\n"
    )
    assert Comment.objects.get(pk=old.pk).ip_address
    assert "Cleared the IP address and user agent of 1 comment(s)" in run("purge_comment_metadata")
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.ip_address, old.user_agent) == (None, "")
    assert old.author_email and old.body  # only the moderation data goes
    assert recent.ip_address and recent.user_agent


def test_the_retention_period_is_a_setting_and_can_be_overridden(article):
    make_comment(article=article, created_at=timezone.now() - timedelta(days=10))
    CommentSettings.objects.create(personal_data_days=30)
    assert "of 0 comment(s) older than 30 days" in run("purge_comment_metadata")
    assert "of 1 comment(s) older than 7 days" in run("purge_comment_metadata", "--days", "7")
    CommentSettings.objects.update(personal_data_days=0)
    CommentSettings.objects.first().save()  # clears the cached rules
    assert "keep forever" in run("purge_comment_metadata")
    with pytest.raises(CommandError):
        run("purge_comment_metadata", "--days", "-1")


def test_ip_and_user_agent_are_never_shown_to_readers(client, article):
    make_comment(article=article, ip_address="198.51.100.201", user_agent="SecretAgent/7")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "198.51.100.201" not in html and "SecretAgent" not in html
