import json
from datetime import timedelta
from urllib.parse import unquote

import pytest
import time_machine
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments.forms import FORM_TOKEN_SALT, issue_form_token
from comments.models import Comment, CommentSettings
from tests.factories import comment_form_data, make_article, make_comment

pytestmark = pytest.mark.django_db


def assert_rerendered_with_text(response, status, text):
    """The article page again, not cached, with the reader's words kept in the form."""
    assert response.status_code == status
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "Leave a Reply" in html
    assert 'id="commentform"' in html
    assert text in html
    return html


def test_a_first_comment_is_held_and_the_reader_lands_on_it(client, article, post_comment):
    response = post_comment(client, article, comment="My first comment here.")
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}#comment-{comment.pk}"
    assert "no-cache" in response["Cache-Control"]
    assert comment.ip_address == "203.0.113.7"
    assert comment.user_agent == "Mozilla/5.0 (Reader)"
    assert comment.author_name == "Ada Lovelace" and comment.author_email == "ada@example.com"


def test_a_held_comment_is_not_in_the_article_page(client, article, post_comment):
    post_comment(client, article, comment="Still waiting for a moderator.")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Still waiting for a moderator." not in html


def test_pending_endpoint_shows_the_held_comment_to_its_author_only(client, article, post_comment):
    post_comment(client, article, comment="Only I can see this yet.")
    url = reverse("comments:pending", args=[article.pk])
    mine = client.get(url)
    assert "no-cache" in mine["Cache-Control"]
    [item] = mine.json()["comments"]
    assert "Only I can see this yet." in item["html"]
    assert "Your comment is awaiting moderation." in item["html"]
    assert item["id"] == Comment.objects.get().pk

    assert Client().get(url).json() == {"comments": []}
    forged = Client()
    forged.cookies["comment_pending"] = str(Comment.objects.get().pk)
    assert forged.get(url).json() == {"comments": []}


def test_the_pending_cookie_expires_and_approved_comments_leave_the_pending_list(client, article, post_comment):
    post_comment(client, article)
    url = reverse("comments:pending", args=[article.pk])
    Comment.objects.update(status=Comment.Status.APPROVED)
    assert client.get(url).json() == {"comments": []}
    Comment.objects.update(status=Comment.Status.PENDING)
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        assert client.get(url).json() == {"comments": []}


def approved_earlier_from(client, post_comment, article):
    """The reader posts once from this browser (held, first time) and a moderator approves it."""
    rules = CommentSettings.objects.order_by("pk").first() or CommentSettings()
    rules.flood_seconds = 0
    rules.save()
    post_comment(client, article, comment="My first words here.", email="ADA@example.com")
    earlier = Comment.objects.get(body="My first words here.")
    assert earlier.status == Comment.Status.PENDING
    Comment.objects.filter(pk=earlier.pk).update(status=Comment.Status.APPROVED)
    return earlier


def test_an_author_with_an_approved_comment_is_published_at_once(client, article, post_comment):
    approved_earlier_from(client, post_comment, make_article())
    response = post_comment(client, article, comment="Back again.")
    comment = Comment.objects.get(body="Back again.")
    assert comment.status == Comment.Status.APPROVED
    assert "comment_pending" not in response.cookies
    assert "Back again." in client.get(article.get_absolute_url()).content.decode()


def test_same_email_with_another_name_is_still_held(client, article, post_comment):
    make_comment(author_name="Ada Lovelace", author_email="ada@example.com")
    post_comment(client, article, author="Someone Else", comment="Different name.")
    assert Comment.objects.get(body="Different name.").status == Comment.Status.PENDING


def test_remember_me_sets_a_cookie_only_when_ticked(client, article, post_comment):
    CommentSettings.objects.create(flood_seconds=0)
    response = post_comment(client, article, comment="No cookie please.")
    assert "comment_author" not in response.cookies
    response = post_comment(client, article, comment="Remember me.", remember_me="on", url="https://ada.example")
    saved = json.loads(unquote(response.cookies["comment_author"].value))
    assert saved == {"name": "Ada Lovelace", "email": "ada@example.com", "url": "https://ada.example"}
    response = post_comment(client, article, comment="Forget me now.")
    assert response.cookies["comment_author"].value == ""  # unticking deletes it


def test_the_cached_article_page_carries_no_token_and_sets_no_cookie(client, article):
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert not response.cookies
    assert "csrfmiddlewaretoken" not in html
    assert 'name="form_token" value=""' in html


def test_form_token_endpoint_gives_a_csrf_cookie_and_a_signed_timestamp(client):
    response = client.get(reverse("comments:form_token"))
    assert "no-cache" in response["Cache-Control"]
    data = response.json()
    assert data["csrf_token"] and "csrftoken" in response.cookies
    assert signing.loads(data["form_token"], salt=FORM_TOKEN_SALT)["t"] > 0


def test_a_post_without_a_csrf_token_is_refused_with_the_text_kept(article):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("comments:post", args=[article.pk]), comment_form_data(comment="Typed without JavaScript.")
    )
    html = assert_rerendered_with_text(response, 403, "Typed without JavaScript.")
    assert "has not been posted yet" in html
    assert 'name="csrfmiddlewaretoken" value="' in html  # a fresh token: pressing Post again works
    assert "csrftoken" in response.cookies
    assert not Comment.objects.exists()


def test_the_no_javascript_path_posts_on_the_second_press(article):
    """First press: no tokens (the cached page has none). Second press, from the re-rendered form: saved."""
    client = Client(enforce_csrf_checks=True)
    url = reverse("comments:post", args=[article.pk])
    data = comment_form_data(comment="Works without scripts.", form_token="")
    first = client.post(url, data)
    html = first.content.decode()
    csrf = html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    token = html.split('name="form_token" value="')[1].split('"')[0]
    second = client.post(url, {**data, "csrfmiddlewaretoken": csrf, "form_token": token})
    assert second.status_code == 302
    assert Comment.objects.get().body == "Works without scripts."


def test_a_post_with_csrf_but_no_form_token_asks_to_submit_again(client, article):
    response = client.post(
        reverse("comments:post", args=[article.pk]), comment_form_data(comment="Kept text.", form_token="")
    )
    html = assert_rerendered_with_text(response, 400, "Kept text.")
    assert "Please check it and press “Post Comment” again." in html
    new_token = html.split('name="form_token" value="')[1].split('"')[0]
    assert new_token
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"email": ""}, "Please enter your email address"),
        ({"email": "not-an-email"}, "Please enter a valid email address"),
        ({"author": ""}, "Please enter your name."),
        ({"author": "   \n\t "}, "Please enter your name."),
        ({"comment": "   "}, "Please type your comment."),
        ({"url": "javascript:alert(1)"}, "starting with http:// or https://"),
        ({"url": "ftp://files.example.com/"}, "starting with http:// or https://"),
        ({"author": "x" * 300}, "at most 245 characters"),
        ({"email": "a" * 95 + "@example.com"}, "at most 100 characters"),
        ({"url": "https://example.com/" + "a" * 200}, "at most 200 characters"),
        ({"comment": "x" * 65_526}, "at most 65525 characters"),
        ({"author": "Nul\x00Name"}, "Null characters are not allowed."),
        ({"comment": "Nul byte \x00 here"}, "Null characters are not allowed."),
    ],
)
def test_bad_input_comes_back_on_the_article_page_with_a_message(client, article, post_comment, overrides, message):
    overrides.setdefault("comment", "My words are kept.")
    response = post_comment(client, article, **overrides)
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert not Comment.objects.exists()
    if "x" * 100 not in overrides["comment"] and "\x00" not in overrides["comment"]:
        assert overrides["comment"].strip() in html


def test_a_one_megabyte_comment_is_refused_not_a_500(client, article, post_comment):
    response = post_comment(client, article, comment="word " * 200_000)
    assert response.status_code == 400
    assert "at most 65525 characters" in response.content.decode()
    assert not Comment.objects.exists()


def test_the_longest_allowed_fields_are_accepted(client, article, post_comment):
    response = post_comment(
        client,
        article,
        author="n" * 245,
        email="e" * 88 + "@example.com",
        url="https://example.com/" + "u" * 180,
        comment="c" * 65_525,
    )
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert len(comment.author_name) == 245 and len(comment.body) == 65_525


def test_script_tags_are_stored_as_text_and_shown_escaped(client, article, post_comment):
    Comment.objects.all().delete()
    CommentSettings.objects.create(auto_approve_known_authors=False)
    post_comment(
        client, article, author="<script>alert('name')</script>", comment="<b>bold</b><script>alert(1)</script>"
    )
    comment = Comment.objects.get()
    assert comment.body == "<b>bold</b><script>alert(1)</script>"
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert" not in html and "<b>bold</b>" not in html
    assert "&lt;b&gt;bold&lt;/b&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;script&gt;alert(&#x27;name&#x27;)&lt;/script&gt;" in html


def test_newlines_in_the_name_are_folded_into_one_line(client, article, post_comment):
    post_comment(client, article, author="Eve\r\nBcc: victim@example.com")
    assert Comment.objects.get().author_name == "Eve Bcc: victim@example.com"


def test_bidi_override_characters_are_removed_from_names_and_isolated_in_text(client, article, post_comment):
    CommentSettings.objects.create(auto_approve_known_authors=False)
    post_comment(client, article, author="\u202emoc.knab\u202c Bob", comment="Hello \u202eworld")
    comment = Comment.objects.get()
    assert comment.author_name == "moc.knab Bob"
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<bdi>moc.knab Bob</bdi>" in html
    assert '<div class="comment-content" dir="auto"><p>Hello \u202eworld</p></div>' in html


def test_the_honeypot_refuses_robots(client, article, post_comment):
    response = post_comment(client, article, subject="Buy pills")
    assert response.status_code == 400
    assert "Your comment could not be accepted." in response.content.decode()
    assert not Comment.objects.exists()


def test_a_form_posted_too_fast_is_refused_with_the_text_kept(client, article, post_comment, settings):
    settings.COMMENTS_MIN_FORM_AGE = 3
    response = post_comment(client, article, comment="Typed at robot speed.")
    html = assert_rerendered_with_text(response, 400, "Typed at robot speed.")
    assert "That was quick!" in html
    assert not Comment.objects.exists()


def test_a_form_older_than_a_day_is_refused_with_the_text_kept(client, article, post_comment):
    with time_machine.travel(timezone.now() - timedelta(days=1, minutes=5)):
        token = issue_form_token()
    response = post_comment(client, article, comment="Left the tab open.", form_token=token)
    html = assert_rerendered_with_text(response, 400, "Left the tab open.")
    assert "open for a long time" in html


def test_a_replayed_form_token_is_refused(client, article, post_comment):
    token = issue_form_token()
    assert post_comment(client, article, comment="First use.", form_token=token).status_code == 302
    response = post_comment(
        client, article, comment="Second use.", form_token=token, ip="198.51.100.1", email="x@example.com"
    )
    assert response.status_code == 400
    assert "already been sent once" in response.content.decode()
    assert Comment.objects.count() == 1


@pytest.mark.parametrize("token", ["garbage", "a:b:c", "x" * 5000, "\x00"])
def test_a_forged_form_token_is_refused(client, article, post_comment, token):
    response = post_comment(client, article, form_token=token)
    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_flood_control_refuses_a_second_post_from_the_same_ip_within_15_seconds(client, article, post_comment):
    assert post_comment(client, article, comment="One.").status_code == 302
    response = post_comment(client, article, comment="Two.", email="other@example.com", author="Other")
    html = assert_rerendered_with_text(response, 429, "Two.")
    assert "You are posting comments too quickly" in html
    assert response["Retry-After"] == "15"
    assert Comment.objects.count() == 1


def test_flood_control_also_follows_the_email_across_articles(client, article, post_comment):
    assert post_comment(client, article, comment="One.").status_code == 302
    other = make_article()
    response = post_comment(client, other, comment="Two.", ip="198.51.100.99")
    assert response.status_code == 429


def test_posting_again_after_the_flood_interval_works(client, article, post_comment):
    post_comment(client, article, comment="One.")
    with time_machine.travel(timezone.now() + timedelta(seconds=16)):
        assert post_comment(client, article, comment="Two.").status_code == 302
    assert Comment.objects.count() == 2


def test_the_flood_interval_is_a_setting(client, article, post_comment):
    CommentSettings.objects.create(flood_seconds=0)
    post_comment(client, article, comment="One.")
    assert post_comment(client, article, comment="Two.").status_code == 302


def test_a_duplicate_comment_is_refused_with_409(client, article, post_comment):
    CommentSettings.objects.create(flood_seconds=0)
    assert post_comment(client, article, comment="Same words.").status_code == 302
    response = post_comment(client, article, comment="Same words.", ip="198.51.100.5")
    html = assert_rerendered_with_text(response, 409, "Same words.")
    assert "Duplicate comment detected" in html
    assert Comment.objects.count() == 1


def test_the_same_words_in_reply_to_another_comment_are_not_a_duplicate(client, article, post_comment):
    CommentSettings.objects.create(flood_seconds=0)
    parent = make_comment(article=article)
    post_comment(client, article, comment="Agreed.")
    assert post_comment(client, article, comment="Agreed.", comment_parent=parent.pk).status_code == 302


def test_a_trashed_comment_does_not_block_posting_it_again(client, article, post_comment):
    make_comment(article=article, author_name="Ada Lovelace", body="Try again.", status=Comment.Status.TRASH)
    assert post_comment(client, article, comment="Try again.").status_code == 302


def test_a_reply_is_saved_under_its_parent(client, article, post_comment):
    parent = make_comment(article=article)
    post_comment(client, article, comment="A reply.", comment_parent=parent.pk)
    assert Comment.objects.get(body="A reply.").parent == parent


@pytest.mark.parametrize("parent", ["held", "other-article", "999999", "abc", "-1"])
def test_replying_to_a_comment_readers_cannot_see_is_refused(client, article, post_comment, parent):
    held = make_comment(article=article, status=Comment.Status.PENDING)
    elsewhere = make_comment()
    value = {"held": held.pk, "other-article": elsewhere.pk}.get(parent, parent)
    response = post_comment(client, article, comment="Reply text kept.", comment_parent=value)
    assert response.status_code == 400
    assert "Reply text kept." in response.content.decode()
    assert not Comment.objects.filter(body="Reply text kept.").exists()


def test_posting_to_a_closed_article_is_refused_with_403(client, publication, section, post_comment):
    article = make_article(section=section, comment_policy=Article.CommentPolicy.CLOSED)
    response = post_comment(client, article, comment="Too late.")
    assert response.status_code == 403
    html = response.content.decode()
    assert "Comments are closed" in html
    assert '<textarea id="comment-not-posted" class="comment-not-posted" rows="6" readonly>Too late.</textarea>' in html
    assert "private" in response["Cache-Control"]
    assert not Comment.objects.exists()


@pytest.mark.parametrize("kind", ["draft", "future", "unpublished", "unknown"])
def test_posting_to_a_hidden_or_unknown_article_is_a_404(client, publication, section, post_comment, kind):
    if kind == "unknown":
        article = Article(pk=999_999)
    else:
        article = make_article(
            section=section,
            status=Article.Status.PUBLISHED if kind == "future" else kind,
            published_at=timezone.now() + timedelta(days=1) if kind == "future" else timezone.now(),
        )
    assert post_comment(client, article).status_code == 404
    assert not Comment.objects.exists()


def test_comments_close_automatically_after_the_site_wide_number_of_days(client, section, publication, post_comment):
    CommentSettings.objects.create(close_after_days=14)
    fresh = make_article(section=section, published_at=timezone.now() - timedelta(days=13))
    old = make_article(section=section, published_at=timezone.now() - timedelta(days=15))
    assert post_comment(client, fresh, comment="In time.").status_code == 302
    assert post_comment(client, old, comment="Too old.", ip="198.51.100.2", email="b@example.com").status_code == 403
    html = client.get(old.get_absolute_url()).content.decode()
    assert "Comments are closed." in html and "Leave a Reply" not in html


def test_an_article_can_close_its_comments_sooner_than_the_site(client, section, publication, post_comment):
    article = make_article(
        section=section, published_at=timezone.now() - timedelta(days=3), comments_close_after_days=2
    )
    assert post_comment(client, article).status_code == 403


def test_a_held_article_holds_even_a_known_author(client, section, publication, post_comment):
    make_comment(author_name="Ada Lovelace", author_email="ada@example.com")
    article = make_article(section=section, comment_policy=Article.CommentPolicy.HOLD_ALL)
    post_comment(client, article, comment="Sensitive story.")
    assert Comment.objects.get(body="Sensitive story.").status == Comment.Status.PENDING


def test_get_on_the_post_url_is_not_allowed(client, article):
    assert client.get(reverse("comments:post", args=[article.pk])).status_code == 405


def test_a_signed_in_moderator_is_published_at_once_and_marked_staff(moderator_client, article, post_comment):
    post_comment(moderator_client, article, comment="Official answer.")
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.APPROVED and comment.user is not None
    assert "comment-by-staff" in moderator_client.get(article.get_absolute_url()).content.decode()


def test_proxy_header_gives_the_reader_ip_when_configured(client, article, settings):
    settings.COMMENTS_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    client.post(
        reverse("comments:post", args=[article.pk]),
        comment_form_data(),
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="10.0.0.1, 198.51.100.23",
    )
    assert Comment.objects.get().ip_address == "198.51.100.23"


def test_a_garbage_ip_is_stored_as_unknown(client, article, post_comment):
    post_comment(client, article, ip="not-an-ip")
    assert Comment.objects.get().ip_address is None


def test_a_post_larger_than_the_upload_limit_is_a_400_not_a_500(client, article, post_comment):
    client.raise_request_exception = False
    response = post_comment(client, article, comment="x" * (6 * 1024 * 1024))
    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_a_decomposed_copy_with_the_email_upper_cased_is_a_duplicate(client, article, post_comment):
    """Regression: an NFD copy of a comment, email in capitals, was accepted as new."""
    import unicodedata

    CommentSettings.objects.create(flood_seconds=0)
    assert post_comment(client, article, comment="Café crème, s’il vous plaît.").status_code == 302
    copy = unicodedata.normalize("NFD", "Café  crème,\u200b s’il vous plaît.")
    response = post_comment(client, article, comment=copy, email="ADA@EXAMPLE.COM", ip="198.51.100.5")
    assert response.status_code == 409
    assert Comment.objects.count() == 1


def test_a_known_authors_name_and_email_from_another_browser_are_held(client, article, post_comment):
    """Regression: reusing a known commenter's public name and guessable email got a comment approved at once."""
    approved_earlier_from(client, post_comment, article)
    impostor = Client()
    post_comment(impostor, article, comment="I am Ada, honestly.", ip="198.51.100.66")
    assert Comment.objects.get(body="I am Ada, honestly.").status == Comment.Status.PENDING


def test_a_forged_or_foreign_proof_cookie_proves_nothing(client, article, post_comment):
    from comments.views import KNOWN_COOKIE

    earlier = make_comment(article=article, author_name="Ada Lovelace", author_email="ada@example.com")
    impostor = Client()
    impostor.cookies[KNOWN_COOKIE] = str(earlier.pk)  # unsigned
    post_comment(impostor, article, comment="Forged proof.")
    assert Comment.objects.get(body="Forged proof.").status == Comment.Status.PENDING
