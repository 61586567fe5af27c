"""Issue 12 in headless Chromium, as the people who use it: editors curate the front and post breaking news,
reporters hear what happened to their pieces and see who has an article open, moderators work from the
keyboard at laptop width, readers see kinds, true dates and author profiles, report comments and page
through long discussions. Screenshots at 1280 and 390 pixels land in test-artifacts/screenshots/."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles import curation
from articles.models import Article, BreakingNews, DeskNotification, Front
from comments.models import Comment, CommenterBan, CommentSettings
from tests.browser.test_editorial_flow import log_in
from tests.factories import (
    ensure_kinds,
    image_bytes,
    make_article,
    make_author,
    make_comment,
    make_image,
    make_moderator,
    make_publication,
    make_publisher,
    make_section,
    make_user,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
# An image's natural width once it has loaded (0 if it failed), without racing its download.
LOADED_WIDTH = """img => img.complete ? img.naturalWidth : new Promise(done => {
    img.addEventListener("load", () => done(img.naturalWidth));
    img.addEventListener("error", () => done(0));
})"""


@pytest.fixture
def site(settings, live_server):
    settings.DEBUG = False
    settings.COMMENTS_MIN_FORM_AGE = 0
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    make_publication(name="Newsroom Daily")
    world = make_section(name="World", slug="world")
    kinds = ensure_kinds()
    reporter = make_user("rita", group="Reporters", first_name="Rita", last_name="Reporter")
    rita = make_author(
        name="Rita Reporter",
        slug="rita-reporter",
        user=reporter,
        title="Pacific correspondent",
        bio="Rita reports on the Pacific islands.",
        links="https://rita.example",
    )
    rita.photo = make_image(image_bytes(size=(400, 400), color=(30, 60, 120), format="JPEG"), alt="Rita")
    rita.save()
    make_user("dana", group="Editors", first_name="Dana", last_name="Desk")
    now = timezone.now()
    stories = [
        make_article(
            headline=f"Story number {number}",
            section=world,
            authors=[rita],
            published_at=now - timedelta(hours=number + 1),
        )
        for number in range(4)
    ]
    return {"url": live_server.url, "world": world, "kinds": kinds, "rita": rita, "stories": stories}


@pytest.fixture
def browse(chromium):
    """browse(viewport) gives a page in a fresh browser context (another person); all closed after the test."""
    contexts = []

    def open_(viewport=LAPTOP):
        context = chromium.new_context(viewport=viewport)
        contexts.append(context)
        return context.new_page()

    yield open_
    for context in contexts:
        context.close()


def test_editor_curates_the_front_page_and_readers_see_the_new_lead(site, browse, screenshot):
    base, stories = site["url"], site["stories"]
    curation.front_save(front=Front.objects.home(), pins=[curation.PinSpec(stories[2]), curation.PinSpec(stories[3])])
    editor = browse()
    log_in(editor, base, "dana")
    editor.get_by_role("link", name="Front pages").click()
    editor.get_by_role("link", name="Front page", exact=True).click()
    editor.wait_for_load_state()
    rows = editor.locator(".front-pins tbody tr.form-row:not(.empty-form)")
    assert rows.first.locator(".front-lead-badge").is_visible()
    # Dragging a row by its handle reorders the rows and their positions follow...
    rows.nth(1).locator(".front-handle").drag_to(rows.nth(0), target_position={"x": 20, "y": 5})
    assert editor.locator("#id_pins-1-position").input_value() == "0"
    assert editor.locator("#id_pins-0-position").input_value() == "1"
    # ...and so does the keyboard-friendly move button (back, then forward again).
    rows.nth(0).get_by_role("button", name="Move down").click()
    assert editor.locator("#id_pins-0-position").input_value() == "0"
    editor.locator("tr", has=editor.locator("#id_pins-1-position")).get_by_role("button", name="Move up").click()
    assert editor.locator("#id_pins-1-position").input_value() == "0"
    assert editor.locator("#id_pins-0-position").input_value() == "1"
    screenshot(editor, "desk-front-order-1280")
    editor.get_by_role("button", name="Save", exact=True).click()
    editor.wait_for_load_state()
    assert "was changed successfully" in editor.locator(".messagelist").inner_text()
    assert [pin.article for pin in Front.objects.home().pins.all()] == [stories[3], stories[2]]

    for viewport, name in [(LAPTOP, "1280"), (PHONE, "390")]:
        reader = browse(viewport)
        reader.goto(base + "/")
        assert reader.locator(".lead-story .card-title").inner_text() == "Story number 3"
        top = reader.locator("section[aria-labelledby=top-heading] .card-title").all_inner_texts()
        assert top == ["Story number 2"]
        latest = reader.locator("section[aria-labelledby=latest-heading] .card-title").all_inner_texts()
        assert latest == ["Story number 0", "Story number 1"], "the rest newest first, nothing twice"
        screenshot(reader, f"reader-curated-front-{name}")

    editor.goto(base + f"/admin/articles/front/{Front.objects.home().pk}/change/")
    assert "Dana Desk" in editor.locator(".front-history").inner_text()


def test_editor_posts_breaking_news_and_every_reader_page_shows_it_until_taken_down(site, browse, screenshot):
    base, stories = site["url"], site["stories"]
    editor = browse()
    log_in(editor, base, "dana")
    editor.get_by_role("link", name="Post breaking news").click()
    editor.fill("#id_text", "Storm warning: ferries cancelled until Thursday")
    editor.fill("#id_url", stories[0].get_absolute_url())
    editor.select_option("#id_level", "breaking")
    editor.get_by_role("button", name="Save", exact=True).click()
    editor.wait_for_load_state()
    assert "The banner is on every reader page now." in editor.locator(".messagelist").inner_text()

    for viewport, name in [(LAPTOP, "1280"), (PHONE, "390")]:
        reader = browse(viewport)
        for path in ["/", stories[1].get_absolute_url(), site["world"].get_absolute_url(), "/search/?q=story"]:
            reader.goto(base + path)
            alert = reader.get_by_role("alert")
            assert "Storm warning: ferries cancelled until Thursday" in alert.inner_text(), path
        reader.goto(base + "/")
        screenshot(reader, f"reader-breaking-news-{name}", full_page=False)
        reader.get_by_role("link", name="Storm warning: ferries cancelled until Thursday").click()
        reader.wait_for_load_state()
        assert reader.locator("h1").inner_text() == "Story number 0"

    editor.goto(base + "/admin/")
    assert "On every page now:" in editor.locator(".desk-breaking").inner_text()
    screenshot(editor, "desk-with-breaking-news-1280")
    editor.goto(base + "/admin/articles/breakingnews/")
    editor.locator("input.action-select").first.check()
    editor.select_option("select[name=action]", "take_down")
    editor.get_by_role("button", name="Go").click()
    editor.wait_for_load_state()
    assert "1 banner taken down." in editor.locator(".messagelist").inner_text()
    reader = browse()
    reader.goto(base + "/")
    assert reader.get_by_role("alert").count() == 0
    assert not BreakingNews.objects.live().exists()


def test_a_banner_past_its_end_disappears_from_a_page_the_browser_kept(site, browse):
    BreakingNews.objects.create(text="Polls close soon", ends_at=timezone.now() + timedelta(seconds=3))
    reader = browse()
    reader.goto(site["url"] + "/")
    assert reader.get_by_role("alert").is_visible()
    reader.wait_for_timeout(4500)
    assert not reader.locator(".breaking-news").is_visible(), "static/js/breaking.js hides it at its end"


def test_readers_see_kinds_sponsorship_true_dates_and_author_profiles(site, browse, screenshot):
    base, kinds, rita, world = site["url"], site["kinds"], site["rita"], site["world"]
    opinion = make_article(
        headline="The Pacific deserves a seat at the table",
        section=world,
        authors=[rita],
        kind=kinds["opinion"],
        seo_title="Opinion: the Pacific deserves a seat",
    )
    make_article(
        headline="Travel the islands with Acme Ferries",
        section=world,
        kind=kinds["sponsored"],
        sponsor="Acme Ferries",
        body='<p>Book at <a href="https://acme.example/">acme.example</a>.</p>',
    )
    wire = make_article(
        headline="Defence ministers meet at the Pentagon",
        section=world,
        publisher=make_publisher(name="DoD News", slug="dod-news"),
        originally_published_at=timezone.now().replace(year=2022, month=5, day=4),
    )
    make_article(
        headline="Licence ran out",
        section=world,
        published_at=timezone.now() - timedelta(days=2),
        expires_at=timezone.now() - timedelta(hours=1),
    )
    for viewport, name in [(LAPTOP, "1280"), (PHONE, "390")]:
        reader = browse(viewport)
        reader.goto(base + "/")
        card = reader.locator("article.card", has_text="The Pacific deserves a seat at the table")
        assert card.locator(".kind-label").inner_text().strip().lower() == "opinion"
        sponsored = reader.locator("article.card", has_text="Travel the islands")
        assert sponsored.locator(".kind-label").inner_text().strip().lower() == "sponsored"
        assert reader.get_by_text("Licence ran out").count() == 0, "expired wire copy is gone"
        screenshot(reader, f"reader-kinds-front-{name}")

        reader.goto(base + opinion.get_absolute_url())
        assert reader.title() == "Opinion: the Pacific deserves a seat – Newsroom Daily"
        box = reader.locator("aside.author-box")
        assert (
            "Pacific correspondent" in box.inner_text() and "Rita reports on the Pacific islands." in box.inner_text()
        )
        photo = box.locator("img")
        photo.scroll_into_view_if_needed()  # loading="lazy": fetched once near the viewport
        assert photo.evaluate(LOADED_WIDTH) > 0
        screenshot(reader, f"reader-opinion-with-author-box-{name}")

        reader.goto(base + "/articles/travel-the-islands-with-acme-ferries/")
        assert "Paid for by Acme Ferries." in reader.locator(".sponsored-disclosure").inner_text()
        assert reader.get_by_role("link", name="acme.example").get_attribute("rel") == "sponsored noopener noreferrer"

        reader.goto(base + wire.get_absolute_url())
        byline = reader.locator(".article-header .byline").inner_text()
        assert "First published May 4, 2022" in byline and "published here" in byline
        screenshot(reader, f"reader-original-date-{name}", full_page=False)

        reader.goto(base + rita.get_absolute_url())
        assert reader.locator(".author-profile .author-bio").inner_text() == "Rita reports on the Pacific islands."
        screenshot(reader, f"reader-author-page-{name}")


def test_reporter_hears_what_happened_and_sees_who_has_the_article_open(site, browse, screenshot):
    base, world, rita = site["url"], site["world"], site["rita"]
    draft = make_article(
        headline="Island fishermen fear new quotas",
        section=world,
        authors=[rita],
        status=Article.Status.IN_REVIEW,
        published_at=None,
        created_by=rita.user,
    )
    change = f"{base}/admin/articles/article/{draft.pk}/change/"

    # The editor sends it back with a note.
    editor = browse()
    log_in(editor, base, "dana")
    editor.goto(change)
    editor.fill("#id_desk_note", "Please get a reply from the ministry before we run this.")
    editor.get_by_role("button", name="Return to reporter").last.click()
    editor.wait_for_load_state()
    assert DeskNotification.objects.get().kind == "returned"

    # The reporter finds the note on the desk and opens the piece; the desk said it before anyone typed.
    reporter = browse()
    log_in(reporter, base, "rita")
    notes = reporter.locator(".desk-panel-notifications")
    assert "“Island fishermen fear new quotas” was sent back to you" in notes.inner_text()
    assert "Please get a reply from the ministry" in notes.inner_text()
    screenshot(reporter, "desk-reporter-notification-1280")
    reporter.clock.install()
    notes.get_by_role("link", name="“Island fishermen fear new quotas” was sent back to you").click()
    reporter.wait_for_load_state()
    assert reporter.locator("#desk-lock").is_hidden(), "nobody else has it open"
    editable = reporter.locator(".field-body .prose-editor [contenteditable]")
    editable.wait_for()
    expect(editable).to_have_attribute("spellcheck", "true")
    assert editable.evaluate("element => element.spellcheck") is True
    editable.click()
    reporter.keyboard.press("End")
    reporter.keyboard.type(" The ministry said it would review the quotas next month.")
    # "Body paragraph of article N." and the new sentence: 5 + 10 words, counted as they are typed.
    assert reporter.locator("[data-desk-length]").inner_text() == "15 words · 1 min read"
    # Thirty seconds later the unsaved text is autosaved, without a new revision.
    revisions_before = draft.revisions.count()
    reporter.clock.run_for(31_000)
    expect(reporter.locator("#desk-autosave-status")).to_contain_text("autosaved")
    autosave = draft.autosaves.get()
    assert "review the quotas next month" in autosave.content["body"]
    assert draft.revisions.count() == revisions_before
    screenshot(reporter, "desk-reporter-editing-1280", full_page=False)

    # An editor opening it now is told who has it open, before typing anything.
    other = browse()
    log_in(other, base, "dana")
    other.goto(change)
    lock = other.get_by_role("alert").filter(has_text="has had this article open")
    assert "Rita Reporter has had this article open since" in lock.inner_text()
    screenshot(other, "desk-soft-lock-1280", full_page=False)

    phone = browse(PHONE)
    log_in(phone, base, "rita")
    screenshot(phone, "desk-reporter-390")


def test_editor_plans_the_coming_weeks(site, browse, screenshot):
    base, world = site["url"], site["world"]
    now = timezone.now()
    make_article(headline="Budget day preview", section=world, published_at=now + timedelta(days=2))
    make_article(
        headline="Embargoed study on reef health",
        section=world,
        status=Article.Status.DRAFT,
        published_at=None,
        embargo_until=now + timedelta(days=5),
    )
    for viewport, name in [(LAPTOP, "1280"), (PHONE, "390")]:
        editor = browse(viewport)
        log_in(editor, base, "dana")
        editor.get_by_role("link", name="Planning").click()
        editor.wait_for_load_state()
        assert editor.locator(".desk-item", has_text="Budget day preview").locator(".desk-item-kind").inner_text() == (
            "Goes live"
        )
        embargo = editor.locator(".desk-item", has_text="Embargoed study on reef health")
        assert embargo.locator(".desk-item-kind").inner_text() == "Embargo lifts (not scheduled)"
        assert editor.locator(".desk-today").count() == 1
        screenshot(editor, f"desk-planning-{name}")
        editor.get_by_role("link", name="Later →").click()
        editor.wait_for_load_state()
        assert "Budget day preview" not in editor.content()


def test_moderator_works_through_comments_from_the_keyboard_and_bans_from_the_row(site, browse, screenshot):
    base, stories = site["url"], site["stories"]
    make_moderator("mo", first_name="Mo", last_name="Moderator")
    for number in range(3):
        make_comment(
            article=stories[0],
            status=Comment.Status.PENDING,
            body=f"Held comment number {number} with a fairly long text that a moderator reads.",
            author_email=f"reader{number}@example.com",
            created_at=timezone.now() - timedelta(minutes=10 - number),
        )
    troll = make_comment(article=stories[1], author_email="troll@example.com", body="Buy cheap watches now")
    moderator = browse()
    log_in(moderator, base, "mo")
    moderator.goto(base + "/admin/comments/comment/?status=pending")
    width = moderator.evaluate("document.documentElement.scrollWidth")
    assert width <= 1280, f"the comment list needs {width} px at 1280"
    screenshot(moderator, "moderation-list-1280")
    moderator.locator("body").focus()
    moderator.keyboard.press("j")
    first = moderator.locator("#result_list tbody tr").first
    assert first.get_attribute("aria-current") == "true"
    moderator.keyboard.press("a")
    expect(moderator.locator("#result_list tbody tr .comment-status").first).to_have_text("Approved")
    assert moderator.locator("#result_list tbody tr").nth(1).get_attribute("aria-current") == "true"
    moderator.keyboard.press("s")
    expect(moderator.locator("#result_list tbody tr .comment-status").nth(1)).to_have_text("Spam")
    newest_first = Comment.objects.filter(body__startswith="Held").order_by("-created_at")
    assert list(newest_first.values_list("status", flat=True)) == ["approved", "spam", "pending"]
    screenshot(moderator, "moderation-keyboard-1280", full_page=False)

    moderator.goto(base + "/admin/comments/comment/?status=approved")
    row = moderator.locator("#result_list tbody tr", has_text="Buy cheap watches")
    row.locator("summary").click()
    assert "troll@example.com" in row.locator(".comment-details").inner_text()
    row.get_by_role("button", name="Ban this email").click()
    moderator.wait_for_load_state()
    assert "Banned troll@example.com" in moderator.locator(".messagelist").inner_text()
    assert CommenterBan.objects.get().email == "troll@example.com"
    moderator.goto(base + f"/admin/comments/comment/{troll.pk}/commenter/")
    assert "Yes (troll@example.com" in moderator.locator(".commenter-facts").inner_text()
    screenshot(moderator, "moderation-commenter-panel-1280")

    phone = browse(PHONE)
    log_in(phone, base, "mo")
    phone.goto(base + "/admin/comments/comment/")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the comment list needs {width} px at 390"
    assert phone.get_by_role("button", name="Approve").first.is_visible()
    screenshot(phone, "moderation-list-390")


def test_reader_reports_a_comment_and_pages_through_a_long_discussion(site, browse, screenshot):
    base, story = site["url"], site["stories"][0]
    CommentSettings.objects.create(comments_per_page=5, flags_to_hold=1)
    start = timezone.now() - timedelta(days=1)
    for number in range(8):
        make_comment(article=story, body=f"Conversation {number}.", created_at=start + timedelta(minutes=number))
    reader = browse(PHONE)
    reader.goto(base + story.get_absolute_url())
    assert "Page 1 of 2" in reader.locator(".comment-pages").first.inner_text()
    comment = reader.locator("li.comment", has_text="Conversation 2.")
    comment.get_by_role("link", name="Report the comment by").click()
    assert comment.get_by_role("button", name="Report").is_visible()
    screenshot(reader, "reader-report-confirm-390", full_page=False)
    comment.get_by_role("button", name="Report").click()
    comment.get_by_role("status").filter(has_text="hidden until a moderator").wait_for()
    assert Comment.objects.get(body="Conversation 2.").status == Comment.Status.PENDING
    screenshot(reader, "reader-report-done-390", full_page=False)
    reader.get_by_role("link", name="Newer comments").first.click()
    reader.wait_for_load_state()
    assert reader.locator("li.comment", has_text="Conversation 7.").is_visible()
    assert reader.locator("li.comment", has_text="Conversation 0.").count() == 0
    screenshot(reader, "reader-comments-page-2-390")


def test_first_day_fixes_as_the_people_who_hit_them(site, browse, screenshot):
    base, world = site["url"], site["world"]
    colleague = make_article(
        headline="A colleague's scoop", section=world, status=Article.Status.DRAFT, published_at=None
    )
    tagged = make_article(headline="Tags with spaces", section=world, tags=["North Korea", "Japan"])
    reporter = browse()
    log_in(reporter, base, "rita")
    reporter.goto(f"{base}/admin/articles/article/{colleague.pk}/change/")
    message = reporter.locator(".messagelist").inner_text()
    assert "That article is a colleague’s" in message and "Perhaps it was deleted" not in message
    screenshot(reporter, "fix-colleagues-article-1280", full_page=False)

    editor = browse()
    log_in(editor, base, "dana")
    assert "Newsroom Daily" in editor.locator("#site-name").inner_text()
    assert editor.get_by_role("link", name="Add article").is_visible()
    assert editor.locator(".app-taggit caption, .app-taggit h2").first.inner_text().strip().lower() == "tags"
    editor.goto(f"{base}/admin/articles/article/{tagged.pk}/change/")
    assert editor.locator("#id_tags").input_value() == "Japan, North Korea"
    editor.goto(f"{base}/admin/articles/publication/")
    editor.get_by_role("link", name="Newsroom Daily", exact=True).click()
    assert editor.locator("a.deletelink").count() == 0
    response = editor.goto(base + "/favicon.ico")
    assert response.status == 200 and response.headers["content-type"] == "image/vnd.microsoft.icon"
