import re

import pytest
from playwright.sync_api import expect

from comments.models import Comment
from tests.factories import make_article, make_comment, make_moderator, make_publication

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def other_page(chromium):
    """other_page() opens a page in a new browser (its own cookies); all are closed before the database resets."""
    contexts = []

    def open_page():
        context = chromium.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def story(settings, live_server, tmp_path):
    """A commented article, served as in production: DEBUG off, anonymous pages from the page cache."""
    settings.DEBUG = False
    settings.PAGE_CACHE = True
    settings.PAGE_CACHE_EPOCH_FILE = str(tmp_path / "epoch")
    settings.COMMENTS_MIN_FORM_AGE = 0
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    make_publication()
    article = make_article(headline="Harbour bridge reopens after repairs")
    make_comment(article=article, author_name="Grace Hopper", body="Glad it is open again.\nIt took long enough.")
    return article


def write_comment(page, text):
    page.locator("#comment").fill(text)
    page.locator("#author").fill("Ada Lovelace")
    page.locator("#email").fill("ada@example.com")
    # comments.js fills the CSRF token and signed timestamp from a never-cached endpoint.
    expect(page.locator("input[name=form_token]")).not_to_have_value("")  # no eval: the page's CSP forbids it
    page.get_by_role("button", name="Post Comment").click()
    page.wait_for_load_state()


def test_a_held_comment_is_seen_by_its_author_then_by_everyone_once_approved(
    page, other_page, live_server, story, screenshot
):
    url = live_server.url + story.get_absolute_url()
    page.goto(url)
    assert page.get_by_role("heading", name="Leave a Reply").is_visible()
    write_comment(page, "The new lanes look great.\nVisit https://bridge.example for photos.")
    comment = Comment.objects.get(author_name="Ada Lovelace")
    assert comment.status == Comment.Status.PENDING
    assert page.url == f"{url}#comment-{comment.pk}"
    mine = page.locator(f"#comment-{comment.pk}")
    mine.wait_for()
    assert "Your comment is awaiting moderation." in mine.inner_text()
    assert "The new lanes look great." in mine.inner_text()
    assert mine.get_by_role("link", name="https://bridge.example").get_attribute("rel") == "nofollow ugc noopener"
    screenshot(page, "comment-awaiting-moderation")

    visitor = other_page()
    assert visitor.goto(url).headers.get("x-cache") == "hit", "the visitor gets the cached page"
    assert visitor.get_by_text("Glad it is open again.").is_visible()
    assert "The new lanes look great." not in visitor.content()

    moderator = make_moderator()
    admin = other_page()
    admin.goto(live_server.url + "/admin/")
    admin.locator("#id_username").fill(moderator.username)
    admin.locator("#id_password").fill("correct horse battery")
    admin.locator("input[type=submit]").click()
    admin.wait_for_load_state()
    admin.get_by_role("link", name="1 comment awaiting moderation").click()
    admin.wait_for_load_state()
    screenshot(admin, "comment-admin-pending")
    row = admin.locator("#result_list tbody tr", has_text="Ada Lovelace")
    row.locator("input.action-select").check()
    admin.locator("select[name=action]").select_option("approve")
    admin.locator("button[name=index]").click()
    admin.wait_for_load_state()
    assert "1 comment approved." in admin.locator(".messagelist").inner_text()
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.APPROVED
    admin.goto(live_server.url + f"/admin/comments/comment/{comment.pk}/change/")
    history = admin.locator("#events-group").inner_text()
    assert "Approved" in history and moderator.username in history
    screenshot(admin, "comment-admin-change")

    assert visitor.reload().headers.get("x-cache") != "hit", "the approval removed the cached page"
    approved = visitor.locator(f"#comment-{comment.pk}")
    assert "The new lanes look great." in approved.inner_text()
    assert "awaiting moderation" not in approved.inner_text()
    assert visitor.locator("#comments-title").inner_text() == "2 comments"
    screenshot(visitor, "comment-approved-visitor")


def test_a_reader_replies_in_place_and_is_remembered(page, live_server, story, screenshot):
    url = live_server.url + story.get_absolute_url()
    page.goto(url)
    parent = Comment.objects.get(author_name="Grace Hopper")
    page.locator(f"#comment-{parent.pk}").get_by_role("link", name="Reply").click()
    assert page.locator(f"#comment-{parent.pk} #respond").is_visible()
    assert page.locator("#replying-to").inner_text().startswith("Replying to Grace Hopper.")
    page.locator("#remember_me").check()
    write_comment(page, "Agreed, it took ages.")
    reply = Comment.objects.get(author_name="Ada Lovelace")
    assert reply.parent == parent
    held = page.locator(f"#comment-{parent.pk} .children #comment-{reply.pk}")
    held.wait_for()
    assert "awaiting moderation" in held.inner_text()
    screenshot(page, "comment-reply-pending")

    page.goto(url)
    assert page.locator("#author").input_value() == "Ada Lovelace"
    assert page.locator("#email").input_value() == "ada@example.com"
    assert page.locator("#remember_me").is_checked()


def test_errors_come_back_on_the_article_with_the_text_kept(page, live_server, story, screenshot):
    page.goto(live_server.url + story.get_absolute_url())
    page.locator("#comment").fill("Words worth keeping.")
    page.locator("#author").fill("Ada")
    page.locator("#email").fill("ada@example.com")
    expect(page.locator("input[name=form_token]")).not_to_have_value("")  # no eval: the page's CSP forbids it
    page.evaluate(
        "document.querySelector('#email').value = 'not-an-email'; document.querySelector('#email').type = 'text'"
    )
    page.get_by_role("button", name="Post Comment").click()
    page.wait_for_load_state()
    assert page.locator("#comment").input_value() == "Words worth keeping."
    assert page.get_by_text("Please enter a valid email address").is_visible()
    assert re.search(r"/comments/post/\d+/#respond$", page.url)
    screenshot(page, "comment-form-error")


def test_the_comment_section_fits_a_phone(phone_page, live_server, story, screenshot):
    phone_page.goto(live_server.url + story.get_absolute_url() + "#comments")
    assert phone_page.get_by_text("Glad it is open again.").is_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, "the comment form scrolls sideways on a phone"
    screenshot(phone_page, "comments-phone")
