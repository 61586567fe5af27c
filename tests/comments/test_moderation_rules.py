from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from articles.models import Article
from comments.models import Comment, CommentSettings
from comments.moderation import comments_open, count_links, verdict
from tests.factories import make_article, make_comment

pytestmark = pytest.mark.django_db


def new_comment(article, **fields):
    values = {
        "author_name": "Ada",
        "author_email": "ada@example.com",
        "author_url": "",
        "body": "A calm remark.",
        "ip_address": "203.0.113.9",
        "user_agent": "Mozilla/5.0",
    }
    values.update(fields)
    return Comment(article=article, **values)


def test_the_defaults_are_wordpress_discussion_settings():
    rules = CommentSettings()
    assert rules.auto_approve_known_authors is True
    assert rules.hold_all is False
    assert rules.max_links == 2
    assert rules.flood_seconds == 15
    assert rules.thread_depth == 3
    assert rules.close_after_days is None
    assert rules.notify_moderators is True
    assert rules.personal_data_days == 90


def test_a_first_time_author_is_held_and_a_known_one_approved(article):
    rules = CommentSettings()
    assert verdict(new_comment(article), rules=rules).status == Comment.Status.PENDING
    earlier = make_comment(author_name="Ada", author_email="ADA@EXAMPLE.COM")
    decided = verdict(new_comment(article), rules=rules, proven_comment_ids=[earlier.pk])
    assert decided.status == Comment.Status.APPROVED
    assert "approved comment" in decided.note


def test_a_public_name_and_a_guessable_email_alone_do_not_make_a_known_author(article):
    """Regression: anyone could post as a known commenter by reusing their name and email."""
    earlier = make_comment(author_name="Ada", author_email="ada@example.com")
    rules = CommentSettings()
    assert verdict(new_comment(article), rules=rules).status == Comment.Status.PENDING
    other = make_comment(author_name="Mallory", author_email="mallory@example.com")
    assert verdict(new_comment(article), rules=rules, proven_comment_ids=[other.pk]).status == Comment.Status.PENDING
    assert verdict(new_comment(article), rules=rules, proven_comment_ids=[earlier.pk]).status == Comment.Status.APPROVED


def test_only_an_approved_earlier_comment_counts(article):
    for status in [Comment.Status.PENDING, Comment.Status.SPAM, Comment.Status.TRASH]:
        make_comment(author_name="Ada", author_email="ada@example.com", status=status)
    assert verdict(new_comment(article), rules=CommentSettings()).status == Comment.Status.PENDING


def test_switching_off_known_author_approval_approves_clean_comments(article):
    rules = CommentSettings(auto_approve_known_authors=False)
    assert verdict(new_comment(article), rules=rules).status == Comment.Status.APPROVED


def test_hold_all_holds_even_a_known_author(article):
    make_comment(author_name="Ada", author_email="ada@example.com")
    decided = verdict(new_comment(article), rules=CommentSettings(hold_all=True))
    assert decided.status == Comment.Status.PENDING


def test_a_held_article_holds_every_comment(section, publication):
    article = make_article(section=section, comment_policy=Article.CommentPolicy.HOLD_ALL)
    make_comment(author_name="Ada", author_email="ada@example.com")
    decided = verdict(new_comment(article), rules=CommentSettings())
    assert decided.status == Comment.Status.PENDING
    assert "every comment on this article is held" in decided.note


@pytest.mark.parametrize(
    ("text", "links"),
    [
        ("no links", 0),
        ("see https://a.example", 1),
        ("see https://a.example and http://b.example", 2),
        ("www.a.example and //cdn.example/x", 2),
        ("HTTPS://A.EXAMPLE HTTP://B.EXAMPLE https://c.example", 3),
    ],
)
def test_links_are_counted_like_wordpress(text, links):
    assert count_links(text) == links


def test_two_links_hold_a_known_author_and_the_number_is_a_setting(article):
    proof = {"proven_comment_ids": [make_comment(author_name="Ada", author_email="ada@example.com").pk]}
    body = "Read https://a.example and https://b.example"
    decided = verdict(new_comment(article, body=body), rules=CommentSettings(), **proof)
    assert decided.status == Comment.Status.PENDING and "2 links" in decided.note
    one_link = new_comment(article, body="one https://a.example")
    assert verdict(one_link, rules=CommentSettings(), **proof).status == "approved"
    assert verdict(new_comment(article, body=body), rules=CommentSettings(max_links=3), **proof).status == "approved"
    assert verdict(new_comment(article, body=body), rules=CommentSettings(max_links=0), **proof).status == "approved"


@pytest.mark.parametrize(
    "field",
    ["author_name", "author_email", "author_url", "body", "ip_address", "user_agent"],
)
def test_a_moderation_word_in_any_checked_field_holds_the_comment(article, field):
    make_comment(author_name="Ada", author_email="ada@example.com")
    rules = CommentSettings(moderation_words="\n  casino  \n\n198.51.100.66\n")
    values = {
        "author_name": "Ada",
        "author_email": "ada@example.com",
        "author_url": "https://casino.example",
        "body": "I love the CASINO",
        "ip_address": "198.51.100.66",
        "user_agent": "CasinoBot/1.0",
    }
    comment = new_comment(article)
    setattr(comment, field, values[field])
    if field in {"author_name", "author_email"}:
        comment.author_name, comment.author_email = "Casino Ada", "casino@example.com"
    decided = verdict(comment, rules=rules)
    assert decided.status == Comment.Status.PENDING
    assert "moderation word" in decided.note


@pytest.mark.parametrize("field", ["author_name", "author_email", "author_url", "body", "ip_address", "user_agent"])
def test_a_disallowed_word_in_any_checked_field_sends_it_to_spam(article, field):
    rules = CommentSettings(disallowed_words="viagra\n192.0.2.250")
    values = {
        "author_name": "Viagra Seller",
        "author_email": "viagra@example.com",
        "author_url": "https://viagra.example",
        "body": "cheap VIAGRA here",
        "ip_address": "192.0.2.250",
        "user_agent": "viagra-bot",
    }
    comment = new_comment(article)
    setattr(comment, field, values[field])
    assert verdict(comment, rules=rules).status == Comment.Status.SPAM


def test_word_lists_match_inside_words_like_wordpress(article):
    rules = CommentSettings(moderation_words="press")
    assert verdict(new_comment(article, body="I use WordPress"), rules=rules).status == Comment.Status.PENDING


def test_a_moderator_is_approved_whatever_the_rules(article):
    rules = CommentSettings(hold_all=True, disallowed_words="remark")
    assert verdict(new_comment(article), rules=rules, is_moderator=True).status == Comment.Status.APPROVED


def test_comments_open_follows_policy_publication_and_age(section, publication):
    rules = CommentSettings(close_after_days=14)
    now = timezone.now()
    assert comments_open(make_article(section=section), rules)
    assert not comments_open(make_article(section=section, comment_policy=Article.CommentPolicy.CLOSED), rules)
    assert comments_open(make_article(section=section, comment_policy=Article.CommentPolicy.HOLD_ALL), rules)
    assert not comments_open(make_article(section=section, status=Article.Status.DRAFT), rules)
    assert not comments_open(make_article(section=section, published_at=now + timedelta(hours=1)), rules)
    old = make_article(section=section, published_at=now - timedelta(days=14, minutes=1))
    assert not comments_open(old, rules)
    assert comments_open(old, CommentSettings())
    young = make_article(section=section, published_at=now - timedelta(days=1), comments_close_after_days=2)
    assert comments_open(young, CommentSettings())
    with time_machine.travel(now + timedelta(days=1, minutes=1)):
        assert not comments_open(young, CommentSettings())


def test_saving_the_settings_refreshes_the_cached_rules():
    assert CommentSettings.objects.current().flood_seconds == 15
    rules = CommentSettings.objects.create(flood_seconds=60)
    assert CommentSettings.objects.current().flood_seconds == 60
    rules.flood_seconds = 5
    rules.save()
    assert CommentSettings.objects.current().flood_seconds == 5


def test_the_moderation_reason_is_kept_in_the_history(client, article, post_comment):
    CommentSettings.objects.create(moderation_words="bridge")
    post_comment(client, article, comment="The bridge is late.")
    event = Comment.objects.get().events.get()
    assert event.action == "submitted" and event.to_status == "pending"
    assert "bridge" in event.note


@pytest.mark.parametrize(
    "body",
    ["cheap v\u200biagra", "cheap vi<b></b>agra", "cheap ＶＩＡＧＲＡ", "cheap VI\u00adAGRA", "cheap vi\ufeffagra"],
    ids=["zero-width-space", "empty-tags", "fullwidth", "soft-hyphen", "bom"],
)
def test_disguised_spam_words_are_still_caught(article, body):
    """Regression: `v\\u200biagra` and `vi<b></b>agra` slipped past the disallowed words."""
    rules = CommentSettings(disallowed_words="viagra")
    assert verdict(new_comment(article, body=body), rules=rules).status == Comment.Status.SPAM


def test_a_disguised_moderation_word_list_entry_matches_plain_text(article):
    rules = CommentSettings(moderation_words="Ｃａｓｉｎｏ")
    assert verdict(new_comment(article, body="best casino"), rules=rules).status == Comment.Status.PENDING
