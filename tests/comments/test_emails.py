import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail, signing
from django.urls import reverse

from comments import services
from comments.models import Comment, CommentSettings
from comments.notifications import UNSUBSCRIBE_SALT, moderator_emails, unsubscribe_token
from tests.factories import make_comment, make_moderator

pytestmark = pytest.mark.django_db


def test_a_held_comment_emails_the_moderators_with_text_article_and_admin_links(
    client, article, moderator, post_comment, django_user_model
):
    django_user_model.objects.create_superuser("boss", "boss@example.com", "pw")
    django_user_model.objects.create_user("reader", "reader@example.com", "pw")  # may not moderate: no mail
    post_comment(client, article, comment="Please approve me.", url="https://ada.example")
    comment = Comment.objects.get()
    assert sorted(message.to[0] for message in mail.outbox) == ["boss@example.com", "moderator@example.com"]
    message = mail.outbox[0]
    assert message.subject == "[The Test Gazette] Please moderate: “Harbour bridge reopens”"
    assert "Please approve me." in message.body
    assert "http://testserver" + article.get_absolute_url() in message.body
    assert reverse("admin:comments_comment_change", args=[comment.pk]) in message.body
    assert reverse("admin:comments_comment_changelist") + "?status=pending" in message.body
    assert "203.0.113.7" in message.body and "ada@example.com" in message.body
    assert message.reply_to == ["ada@example.com"]


def test_editors_group_members_are_moderators_too(article, django_user_model):
    editor = django_user_model.objects.create_user("ed", "ed@example.com", "pw", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    assert moderator_emails() == ["ed@example.com"]


def test_without_any_moderator_the_admins_get_the_email(settings, db):
    settings.ADMINS = [("Ops", "ops@example.com")]
    assert moderator_emails() == ["ops@example.com"]


def test_moderation_emails_can_be_switched_off(client, article, moderator, post_comment):
    CommentSettings.objects.create(notify_moderators=False)
    post_comment(client, article)
    assert Comment.objects.get().is_pending
    assert mail.outbox == []


def test_approved_and_spam_comments_send_no_moderation_email(client, article, moderator, post_comment):
    rules = CommentSettings.objects.create(disallowed_words="casino", flood_seconds=0, notify_moderators=False)
    post_comment(client, article, comment="Held, then approved from the admin.")  # sets the proof cookie
    Comment.objects.update(status=Comment.Status.APPROVED)
    rules.notify_moderators = True
    rules.save()
    post_comment(client, article, comment="Published at once.")
    post_comment(client, article, comment="casino casino")
    assert [c.status for c in Comment.objects.order_by("pk")][1:] == ["approved", "spam"]
    assert mail.outbox == []


def test_newlines_in_name_or_email_cannot_inject_mail_headers(client, article, moderator, post_comment):
    response = post_comment(client, article, author="Eve\r\nBcc: victim@example.com\r\nSubject: hi", comment="Hi.")
    assert response.status_code == 302
    raw = mail.outbox[0].message().as_string()
    headers = raw.split("\n\n", 1)[0]
    assert not re.search(r"^(Bcc|Subject: hi)", headers, re.MULTILINE | re.IGNORECASE)
    assert "victim@example.com" not in headers
    assert mail.outbox[0].recipients() == ["moderator@example.com"]
    assert "\n" not in mail.outbox[0].subject and "\r" not in mail.outbox[0].subject
    response = post_comment(client, article, email="eve@example.com\r\nBcc: victim@example.com", ip="198.51.100.4")
    assert response.status_code == 400
    assert "valid email address" in response.content.decode()


def test_a_mail_server_failure_does_not_lose_the_comment(client, article, moderator, post_comment, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionRefusedError("SMTP is down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", broken)
    response = post_comment(client, article, comment="Saved even so.")
    assert response.status_code == 302
    assert Comment.objects.get().body == "Saved even so."


def test_approval_emails_the_commenter_who_asked_once_with_unsubscribe(
    client, article, moderator, post_comment, committed
):
    post_comment(client, article, comment="Tell me when it is up.", notify_replies="on")
    comment = Comment.objects.get()
    assert comment.notify_replies
    mail.outbox.clear()
    with committed():
        services.comment_approve(comment=comment, actor=moderator, base_url="http://testserver")
    [message] = mail.outbox
    assert message.to == ["ada@example.com"]
    assert "is published" in message.subject
    token = unsubscribe_token(comment)
    assert f"http://testserver/comments/unsubscribe/{token}/" in message.body
    assert message.extra_headers["List-Unsubscribe"] == f"<http://testserver/comments/unsubscribe/{token}/>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    with committed():
        services.comment_unapprove(comment=comment, actor=moderator)
        services.comment_approve(comment=comment, actor=moderator)
    assert len(mail.outbox) == 1  # not twice


def test_no_approval_email_without_the_box(article, moderator, committed):
    comment = make_comment(article=article, status=Comment.Status.PENDING)
    with committed():
        services.comment_approve(comment=comment, actor=moderator)
    assert Comment.objects.get(pk=comment.pk).is_public()
    assert mail.outbox == []


def test_a_published_reply_emails_the_parent_author_who_asked(client, article, post_comment):
    parent = make_comment(article=article, author_email="parent@example.com", notify_replies=True)
    CommentSettings.objects.create(auto_approve_known_authors=False)
    post_comment(client, article, author="Replier", comment="I disagree.", comment_parent=parent.pk)
    [message] = mail.outbox
    assert message.to == ["parent@example.com"]
    assert "New reply to your comment" in message.subject
    assert "Replier replied to your comment" in message.body and "I disagree." in message.body
    reply = Comment.objects.get(body="I disagree.")
    assert f"#comment-{reply.pk}" in message.body
    assert "ada@example.com" not in message.body  # the replier's address stays private


def test_a_held_reply_notifies_the_parent_only_once_approved(client, article, moderator, post_comment, committed):
    parent = make_comment(article=article, author_email="parent@example.com", notify_replies=True)
    post_comment(client, article, comment="Held reply.", comment_parent=parent.pk)
    assert [m.to for m in mail.outbox] == [["moderator@example.com"]]
    mail.outbox.clear()
    with committed():
        services.comment_approve(comment=Comment.objects.get(body="Held reply."), actor=moderator)
    assert [m.to for m in mail.outbox] == [["parent@example.com"]]


def test_no_reply_email_for_your_own_reply_or_without_the_box(article, committed):
    CommentSettings.objects.create(auto_approve_known_authors=False, flood_seconds=0)
    quiet = make_comment(article=article, author_email="quiet@example.com", notify_replies=False)
    loud = make_comment(article=article, author_email="loud@example.com", notify_replies=True)
    with committed():
        to_quiet = services.comment_submit(
            article=article,
            author_name="X",
            author_email="x@example.com",
            body="To quiet.",
            parent=quiet,
            base_url="http://testserver",
        )
        to_self = services.comment_submit(
            article=article,
            author_name="Loud",
            author_email="LOUD@example.com",
            body="Self.",
            parent=loud,
            base_url="http://testserver",
        )
    assert to_quiet.is_public() and to_self.is_public()
    assert mail.outbox == []


def test_one_click_unsubscribe_stops_all_emails_to_that_address(client, article):
    first = make_comment(article=article, author_email="Fan@example.com", notify_replies=True)
    second = make_comment(article=article, author_email="fan@example.com", notify_replies=True)
    other = make_comment(article=article, author_email="other@example.com", notify_replies=True)
    url = reverse("comments:unsubscribe", args=[unsubscribe_token(first)])
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    assert "no-cache" in response["Cache-Control"]
    assert not Comment.objects.get(pk=first.pk).notify_replies
    assert not Comment.objects.get(pk=second.pk).notify_replies
    assert Comment.objects.get(pk=other.pk).notify_replies
    assert client.post(reverse("comments:unsubscribe", args=[unsubscribe_token(other)])).status_code == 200
    assert not Comment.objects.get(pk=other.pk).notify_replies


@pytest.mark.parametrize(
    "token",
    [
        "garbage",
        "1",
        "eyJjIjoxfQ:1abc:xyz",
        signing.dumps({"c": 1}, salt="another-salt"),
        signing.dumps([1], salt=UNSUBSCRIBE_SALT),
    ],
)
def test_forged_or_damaged_unsubscribe_tokens_change_nothing(client, article, token):
    comment = make_comment(article=article, notify_replies=True)
    for method in [client.get, client.post]:
        response = method(reverse("comments:unsubscribe", args=[token]))
        assert response.status_code == 400
        assert "does not work" in response.content.decode()
    assert Comment.objects.get(pk=comment.pk).notify_replies


def test_opening_the_link_only_asks_and_the_button_unsubscribes(client, article):
    """Regression: a plain GET unsubscribed, so mail scanners and link prefetchers unsubscribed people."""
    comment = make_comment(article=article, author_email="fan@example.com", notify_replies=True)
    url = reverse("comments:unsubscribe", args=[unsubscribe_token(comment)])
    for _ in range(3):
        response = client.get(url)
        assert response.status_code == 200
        assert "Stop emails about your comments?" in response.content.decode()
        assert '<form method="post"' in response.content.decode()
    assert Comment.objects.get(pk=comment.pk).notify_replies, "opening the link changed nothing"
    assert client.post(url).status_code == 200
    assert not Comment.objects.get(pk=comment.pk).notify_replies


def test_an_unsubscribe_link_expires(client, article):
    """Regression: unsubscribe tokens never expired."""
    import time_machine
    from django.utils import timezone

    from comments.notifications import UNSUBSCRIBE_MAX_AGE

    comment = make_comment(article=article, notify_replies=True)
    with time_machine.travel(timezone.now() - timedelta(seconds=UNSUBSCRIBE_MAX_AGE + 60), tick=False):
        url = reverse("comments:unsubscribe", args=[unsubscribe_token(comment)])
    for method in [client.get, client.post]:
        response = method(url)
        assert response.status_code == 400
        assert "This link has expired" in response.content.decode()
    assert Comment.objects.get(pk=comment.pk).notify_replies


def test_unsubscribe_tokens_are_signed_json_not_the_comment_id(article):
    comment = make_comment(article=article)
    token = unsubscribe_token(comment)
    assert token != str(comment.pk)
    assert signing.loads(token, salt=UNSUBSCRIBE_SALT) == {"c": comment.pk}
    assert comment.author_email not in token


def test_moderators_group_members_without_email_are_skipped(db):
    make_moderator("silent", email="")
    assert moderator_emails() == []
