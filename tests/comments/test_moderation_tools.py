"""Moderation at laptop width: compact list with row details, JSON quick actions for the keyboard, the
commenter panel, bans, readers' reports (cache-safe), and long discussions in pages."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments import services
from comments.models import Comment, CommenterBan, CommentFlag, CommentSettings, ModerationEvent
from tests.factories import make_article, make_comment

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:comments_comment_changelist")


class TestList:
    def test_five_columns_and_the_rest_in_row_details(self, moderator_client, article):
        make_comment(article=article, author_email="ada@example.com", ip_address="198.51.100.4", user_agent="Firefox")
        html = moderator_client.get(CHANGELIST).content.decode()
        headers = re.findall(r'<th scope="col" class="[^"]*column-(\w+)', html)
        assert headers == ["comment", "author_column", "article_link", "status_label", "submitted"]
        details = html[html.index('<details class="comment-details">') :]
        details = details[: details.index("</details>")]
        for fact in ["ada@example.com", "198.51.100.4", "Firefox", "All comments by this commenter", "Ban this email"]:
            assert fact in details
        assert 'data-action="spam"' in html and 'data-action="reply"' in html

    def test_no_navigation_sidebar_beside_the_list_and_shortcuts_are_listed(self, moderator_client, article):
        html = moderator_client.get(CHANGELIST).content.decode()
        assert 'id="nav-sidebar"' not in html
        assert "<kbd>j</kbd>" in html and "admin/js/comment_moderation.js" in html

    def test_quick_actions_answer_the_keyboard_with_json(self, moderator_client, article):
        comment = make_comment(article=article, status=Comment.Status.PENDING)
        url = reverse("admin:comments_comment_moderate", args=[comment.pk, "approve"])
        answer = moderator_client.post(url, HTTP_ACCEPT="application/json").json()
        assert answer["status"] == "approved" and answer["label"] == "Approved"
        assert (
            'data-action="unapprove"' in answer["actions_html"]
            and 'data-action="approve"' not in answer["actions_html"]
        )
        comment.refresh_from_db()
        assert comment.status == Comment.Status.APPROVED

    def test_reported_filter(self, moderator_client, article):
        reported = make_comment(article=article, body="Reported one")
        make_comment(article=article, body="Quiet one")
        CommentFlag.objects.create(comment=reported, reporter_key="a")
        html = moderator_client.get(CHANGELIST + "?reported=1").content.decode()
        assert "Reported one" in html and "Quiet one" not in html
        assert "Reported 1×" in html


class TestCommenterPanel:
    def test_their_other_comments_and_status_counts(self, moderator_client, section, publication):
        article = make_article(section=section)
        first = make_comment(article=article, author_email="Troll@Example.com", status=Comment.Status.APPROVED)
        make_comment(article=article, author_email="troll@example.com", status=Comment.Status.SPAM)
        make_comment(article=article, author_email="troll@example.com", status=Comment.Status.SPAM)
        make_comment(article=article, author_email="someone@else.example")
        response = moderator_client.get(reverse("admin:comments_comment_commenter", args=[first.pk]))
        html = response.content.decode()
        assert "3 comments" in html
        counts = dict(
            (status, int(count)) for status, count in re.findall(r'comment-status-(\w+)">[^<]+</span> (\d+)</li>', html)
        )
        assert counts == {"pending": 0, "approved": 1, "spam": 2, "trash": 0}
        assert "someone@else.example" not in html

    def test_a_commenter_without_email_is_found_by_address(self, moderator_client, article):
        erased = make_comment(article=article, author_email="", ip_address="203.0.113.9")
        make_comment(article=article, author_email="", ip_address="203.0.113.9")
        html = moderator_client.get(reverse("admin:comments_comment_commenter", args=[erased.pk])).content.decode()
        assert "2 comments" in html


class TestBans:
    def ban(self, client, comment, what):
        return client.post(
            reverse("admin:comments_comment_ban", args=[comment.pk, what]), {"next": CHANGELIST}, follow=True
        )

    def test_ban_by_email_from_the_row_sends_new_comments_to_spam(self, moderator_client, article, post_comment):
        comment = make_comment(article=article, author_email="troll@example.com")
        response = self.ban(moderator_client, comment, "email")
        assert "Banned troll@example.com: their new comments go straight to spam." in response.content.decode()
        ban = CommenterBan.objects.get()
        assert ban.email == "troll@example.com" and ban.created_by.username == "moderator"
        reader = Client()
        response = post_comment(reader, article, email="TROLL@example.com", author="New name", comment="Again!")
        assert response.status_code == 302, "the commenter is not told"
        posted = Comment.objects.get(body="Again!")
        assert posted.status == Comment.Status.SPAM
        event = ModerationEvent.objects.filter(comment=posted).get()
        assert "the commenter is banned (troll@example.com)" in event.note
        assert "Again!" not in reader.get(article.get_absolute_url()).content.decode()

    def test_ban_by_ip_address_and_by_network(self, moderator_client, article, post_comment):
        comment = make_comment(article=article, ip_address="198.51.100.20")
        self.ban(moderator_client, comment, "ip")
        post_comment(Client(), article, ip="198.51.100.20", email="fresh@example.com", comment="Same address")
        assert Comment.objects.get(body="Same address").status == Comment.Status.SPAM
        services.commenter_ban(actor=None, ip_network="2001:db8::/64")
        post_comment(Client(), article, ip="2001:db8::1234", email="v6@example.com", comment="Inside the network")
        assert Comment.objects.get(body="Inside the network").status == Comment.Status.SPAM
        post_comment(Client(), article, ip="2001:db9::1", email="other@example.com", comment="Outside the network")
        assert Comment.objects.get(body="Outside the network").status != Comment.Status.SPAM

    def test_banning_twice_keeps_one_ban(self, moderator_client, article):
        comment = make_comment(article=article, author_email="troll@example.com")
        self.ban(moderator_client, comment, "email")
        response = self.ban(moderator_client, comment, "email")
        assert "was already banned" in response.content.decode()
        assert CommenterBan.objects.count() == 1

    @pytest.mark.parametrize(
        ("fields", "message"),
        [
            ({}, "Give an email address, an IP address, or both."),
            ({"ip_network": "not-an-ip"}, "Not an IP address or network."),
            ({"ip_network": "10.0.0.0/8"}, "That network is too large"),
            ({"ip_network": "2001:db8::/32"}, "That network is too large"),
            ({"email": "not an email"}, "Enter a valid email address."),
        ],
    )
    def test_hostile_bans_are_refused_with_a_reason(self, moderator_client, fields, message):
        response = moderator_client.post(reverse("admin:comments_commenterban_add"), {"note": "", **fields})
        assert response.status_code == 200
        assert message in response.content.decode()
        assert not CommenterBan.objects.exists()

    def test_get_and_unknown_ban_kinds_are_refused(self, moderator_client, article):
        comment = make_comment(article=article)
        assert (
            moderator_client.get(reverse("admin:comments_comment_ban", args=[comment.pk, "email"])).status_code == 405
        )
        assert self.ban(moderator_client, comment, "everyone").status_code == 403

    def test_moderators_and_staff_replies_are_never_caught(self, article, moderator):
        services.commenter_ban(actor=None, email="moderator@example.com")
        reply = services.comment_reply(
            parent=make_comment(article=article), user=moderator, body="Thanks.", base_url="http://testserver"
        )
        assert reply.status == Comment.Status.APPROVED

    def test_lifting_a_ban(self, moderator_client, article, post_comment):
        ban, _created = services.commenter_ban(actor=None, email="reformed@example.com")
        moderator_client.post(reverse("admin:comments_commenterban_delete", args=[ban.pk]), {"post": "yes"})
        assert not CommenterBan.objects.exists()
        make_comment(article=article, author_name="Ada Lovelace", author_email="reformed@example.com")
        post_comment(Client(), article, email="reformed@example.com", comment="Back, and polite.")
        # No longer spam: held like any commenter who has not proved their address from this browser.
        assert Comment.objects.get(body="Back, and polite.").status == Comment.Status.PENDING


class TestReports:
    @pytest.fixture
    def comment(self, article):
        return make_comment(article=article, body="A rude remark.")

    def report(self, client, comment, *, ip="203.0.113.50", token=True, as_json=True):
        data = {}
        if token:
            data["csrfmiddlewaretoken"] = client.get(reverse("comments:form_token")).json()["csrf_token"]
        headers = {"HTTP_ACCEPT": "application/json"} if as_json else {}
        return client.post(reverse("comments:flag", args=[comment.pk]), data, REMOTE_ADDR=ip, **headers)

    def test_a_report_is_recorded_once_per_reader(self, comment):
        reader = Client(enforce_csrf_checks=True)
        answer = self.report(reader, comment)
        assert answer.status_code == 200 and answer.json() == {
            "ok": True,
            "message": "Thank you. The moderators will look at this comment.",
        }
        assert "no-cache" in answer["Cache-Control"]
        again = self.report(reader, comment).json()
        assert again["message"].startswith("You have already reported this comment.")
        assert CommentFlag.objects.count() == 1
        assert "203.0.113.50" not in CommentFlag.objects.get().reporter_key

    def test_enough_readers_send_it_back_to_moderation(self, comment, article, heard, moderator, client):
        for number in range(3):
            answer = self.report(Client(enforce_csrf_checks=True), comment, ip=f"203.0.113.{60 + number}").json()
        assert answer["message"] == "Thank you. The comment is hidden until a moderator has looked at it."
        comment.refresh_from_db()
        assert comment.status == Comment.Status.PENDING
        assert "A rude remark." not in client.get(article.get_absolute_url()).content.decode()
        (event,) = [change for change in heard if change.kind == "comment.removed"]
        assert article.get_absolute_url() in event.paths
        history = ModerationEvent.objects.filter(comment=comment, action="unapproved").get()
        assert history.note == "reported by 3 readers" and history.actor is None
        assert any(
            "awaiting" in message.subject.lower() or "moderat" in message.subject.lower() for message in mail.outbox
        )

    def test_a_moderator_approving_it_again_answers_the_reports(self, comment, moderator):
        CommentFlag.objects.create(comment=comment, reporter_key="x")
        services.comment_unapprove(comment=comment, actor=moderator)
        services.comment_approve(comment=comment, actor=moderator)
        assert not CommentFlag.objects.exists()

    def test_no_token_no_report(self, comment):
        response = self.report(Client(enforce_csrf_checks=True), comment, token=False)
        assert response.status_code == 403 and response.json()["ok"] is False
        assert not CommentFlag.objects.exists()

    def test_only_public_comments_can_be_reported(self, article):
        held = make_comment(article=article, status=Comment.Status.PENDING)
        assert self.report(Client(enforce_csrf_checks=True), held).status_code == 404
        assert Client().post(reverse("comments:flag", args=[999999])).status_code == 404

    def test_reporting_can_be_turned_off(self, comment, article, client):
        CommentSettings.objects.create(flags_to_hold=0)
        assert self.report(Client(enforce_csrf_checks=True), comment).status_code == 403
        assert "comment-flag-link" not in client.get(article.get_absolute_url()).content.decode()

    def test_without_javascript_the_report_link_opens_a_small_private_page(self, comment, article, client):
        html = client.get(article.get_absolute_url()).content.decode()
        assert f'href="{reverse("comments:flag", args=[comment.pk])}"' in html
        page = client.get(reverse("comments:flag", args=[comment.pk]))
        assert page.status_code == 200 and "Report to the moderators" in page.content.decode()
        assert "private" in page["Cache-Control"] and "no-store" in page["Cache-Control"]
        done = self.report(client, comment, as_json=False)
        assert "Thank you. The moderators will look at this comment." in done.content.decode()

    def test_article_pages_with_report_links_stay_identical_for_every_reader(self, comment, article):
        first, second = Client().get(article.get_absolute_url()), Client().get(article.get_absolute_url())
        assert first.content == second.content and not first.cookies


class TestPages:
    @pytest.fixture
    def long_thread(self, article):
        CommentSettings.objects.create(comments_per_page=5)
        start = timezone.now() - timedelta(days=1)
        comments = []
        for number in range(12):
            top = make_comment(article=article, body=f"Top {number}.", created_at=start + timedelta(minutes=number))
            comments.append(top)
        reply = make_comment(
            article=article, parent=comments[7], body="Reply to 7.", created_at=start + timedelta(hours=2)
        )
        return comments, reply

    def test_long_discussions_are_paged_with_replies_kept_with_their_conversation(self, client, article, long_thread):
        first = client.get(article.get_absolute_url()).content.decode()
        assert "Top 0." in first and "Top 4." in first and "Top 5." not in first
        assert "12 comments" not in first and "13 comments" in first, "the count is the whole discussion"
        assert "Page 1 of 3" in first and "?cpage=2#comments" in first
        second = client.get(article.get_absolute_url() + "?cpage=2").content.decode()
        assert "Top 5." in second and "Top 9." in second and "Reply to 7." in second and "Top 0." not in second
        assert "Older comments" in second and "Newer comments" in second

    @pytest.mark.parametrize("page", ["0", "-3", "99", "x", "1e9", "%00"])
    def test_odd_page_numbers_give_a_page_never_an_error(self, client, article, long_thread, page):
        response = client.get(article.get_absolute_url() + f"?cpage={page}")
        assert response.status_code == 200

    def test_a_comments_permanent_link_finds_its_page(self, client, article, long_thread):
        comments, reply = long_thread
        response = client.get(reply.get_absolute_url())
        assert response.status_code == 302
        assert response["Location"] == f"{article.get_absolute_url()}?cpage=2#comment-{reply.pk}"
        assert (
            client.get(comments[0].get_absolute_url())["Location"]
            == f"{article.get_absolute_url()}#comment-{comments[0].pk}"
        )
        held = make_comment(article=article, status=Comment.Status.PENDING)
        assert client.get(held.get_absolute_url()).status_code == 404

    def test_a_new_comment_is_sent_to_the_last_page(self, client, article, long_thread, post_comment):
        make_comment(article=article, author_name="Ada Lovelace", author_email="ada@example.com")
        response = post_comment(client, article, comment="The newest word.")
        comment = Comment.objects.get(body="The newest word.")
        assert response["Location"] == f"{article.get_absolute_url()}?cpage=3#comment-{comment.pk}"

    def test_the_page_spends_one_query_on_comments_however_long_the_thread(
        self, client, article, long_thread, django_assert_max_num_queries
    ):
        client.get(article.get_absolute_url() + "?cpage=2")
        with django_assert_max_num_queries(6):
            client.get(article.get_absolute_url() + "?cpage=2")
