"""The newsroom's day in headless Chromium: a reporter files, an editor previews and schedules, readers see it."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from articles.models import Article
from tests.factories import PASSWORD, image_bytes, make_author, make_publication, make_section, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADLINE = "Floodwaters recede as river town begins cleanup"


@pytest.fixture
def newsroom(settings, live_server, tmp_path):
    settings.DEBUG = False
    make_publication()
    make_section(name="World", slug="world")
    make_section(name="Local", slug="local")
    reporter = make_user("rita", group="Reporters", first_name="Rita", last_name="Reporter")
    make_author(name="Rita Reporter", slug="rita-reporter", user=reporter)
    make_user("dana", group="Editors", first_name="Dana", last_name="Desk")
    photo = tmp_path / "flood.png"
    photo.write_bytes(image_bytes(size=(800, 450), color=(40, 90, 160)))
    return {"url": live_server.url, "photo": photo}


@pytest.fixture
def open_page(chromium):
    """open_page() gives a page in a fresh browser context (a separate person); all are closed after the test."""
    contexts = []

    def open_():
        context = chromium.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        return context.new_page()

    yield open_
    for context in contexts:
        context.close()


def log_in(page, base, username):
    page.goto(base + "/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def choose_autocomplete(page, field, text):
    """Pick `text` in one of the admin's select2 autocomplete fields."""
    page.locator(f".field-{field} .select2-selection").click()
    page.locator(".select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=text).first.click()


def test_reporter_files_editor_previews_and_schedules_and_readers_see_it_at_that_time(open_page, newsroom, screenshot):
    base = newsroom["url"]

    # The reporter writes a draft with tags and an image, and submits it for review.
    page = open_page()
    log_in(page, base, "rita")
    assert page.get_by_role("heading", name="My drafts").is_visible()
    page.goto(base + "/admin/articles/article/add/")
    page.fill("#id_headline", HEADLINE)
    page.fill("#id_dek", "Residents return to mud-filled streets as the river falls below flood level.")
    body = page.locator(".prose-editor [contenteditable=true]")
    body.click()
    page.keyboard.type("The river fell below flood level on Tuesday morning.")
    page.keyboard.press("Enter")
    page.keyboard.type("Volunteers arrived with shovels and pumps.")
    choose_autocomplete(page, "section", "World")
    page.fill("#id_tags", "Floods, Cleanup")
    page.set_input_files("#id_new_image", str(newsroom["photo"]))
    page.fill("#id_new_image_alt", "A flooded street with houses on both sides")
    assert page.locator("#id_published_at_0").count() == 0, "reporters do not pick publication times"
    assert page.get_by_role("button", name="Publish").count() == 0
    screenshot(page, "workflow-reporter-draft")
    page.get_by_role("button", name="Submit for review").last.click()
    page.wait_for_load_state()
    errors = page.locator(".errornote, .errorlist").all_inner_texts()
    assert "Submitted: the editors will review it." in page.content(), errors

    article = Article.objects.get()
    assert article.status == Article.Status.IN_REVIEW
    assert sorted(article.tags.names()) == ["Cleanup", "Floods"]
    assert article.image.file.name.startswith("originals/")  # in the library, kept privately
    assert "<p>The river fell below flood level on Tuesday morning.</p>" in article.body
    assert [author.name for author in article.authors_in_order] == ["Rita Reporter"]
    page.close()

    # The editor finds it on the desk, previews it exactly as readers will see it.
    page = open_page()
    log_in(page, base, "dana")
    in_review = page.locator(".desk-panel-review")
    assert in_review.get_by_role("link", name=HEADLINE).is_visible()
    screenshot(page, "workflow-editor-desk")
    in_review.get_by_role("link", name=HEADLINE).click()
    page.wait_for_load_state()
    with page.expect_popup() as popup:
        page.get_by_role("link", name="Preview").click()
    preview = popup.value
    preview.wait_for_load_state()
    assert "Preview: this article is not public (In review)." in preview.locator(".preview-banner").inner_text()
    assert preview.locator("h1").inner_text() == HEADLINE
    assert preview.locator(".article-figure img").get_attribute("alt") == "A flooded street with houses on both sides"
    assert preview.locator(".article .tag-list").get_by_role("link", name="Floods").is_visible()
    screenshot(preview, "workflow-preview")
    preview.close()

    # The editor schedules it a few minutes ahead: the button says "Schedule" as soon as the time is typed.
    go_live = (timezone.now() + timedelta(minutes=3)).replace(second=0, microsecond=0)
    page.fill("#id_published_at_0", go_live.strftime("%Y-%m-%d"))
    page.fill("#id_published_at_1", go_live.strftime("%H:%M:%S"))
    schedule = page.locator("[data-publish-button]").last
    assert schedule.inner_text() == "Schedule"
    screenshot(page, "workflow-editor-schedule")
    schedule.click()
    page.wait_for_load_state()
    assert "is not public yet: Scheduled for" in page.locator(".messagelist").inner_text()
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED and article.published_at == go_live

    reader = open_page()
    reader.goto(base + "/")
    assert reader.get_by_role("link", name=HEADLINE).count() == 0, "not before its time"
    assert reader.goto(base + article.get_absolute_url()).status == 404

    # No job runs: once the clock passes the scheduled time, the very same query shows it.
    with time_machine.travel(go_live + timedelta(seconds=5), tick=True):
        reader.goto(base + "/")
        lead = reader.locator(".lead-story")
        assert lead.get_by_role("link", name=HEADLINE).is_visible()
        assert lead.locator("img").get_attribute("alt") == "A flooded street with houses on both sides"
        screenshot(reader, "workflow-front-after-schedule")
        lead.get_by_role("link", name=HEADLINE).click()
        reader.wait_for_load_state()
        assert reader.locator("h1").inner_text() == HEADLINE
        assert reader.locator(".preview-banner").count() == 0

        page.goto(base + "/admin/")
        recently = page.locator(".desk-panel-published")
        assert recently.get_by_role("link", name=HEADLINE).is_visible()


def test_two_editors_save_at_once_and_the_second_sees_the_first_change_then_restores(open_page, newsroom, screenshot):
    from tests.factories import make_article

    base = newsroom["url"]
    make_user("omar", group="Editors", first_name="Omar", last_name="Other")
    article = make_article(
        headline="Council delays vote",
        body="<p>The council delayed the vote to Friday.</p><p>Residents protested outside.</p>",
        section=make_section(name="Politics", slug="politics"),
    )
    change = f"{base}/admin/articles/article/{article.pk}/change/"
    pages = []
    for username in ["dana", "omar"]:
        page = open_page()
        log_in(page, base, username)
        page.goto(change)
        pages.append(page)
    dana, omar = pages

    dana.fill("#id_headline", "Council delays vote to Friday")
    dana.get_by_role("button", name="Save and continue editing").first.click()
    dana.wait_for_load_state()
    assert "was changed successfully" in dana.locator(".messagelist").inner_text()

    omar.fill("#id_headline", "Council postpones budget vote")
    omar.get_by_role("button", name="Save and continue editing").first.click()
    omar.wait_for_load_state()
    error = omar.locator(".errornote + .errorlist, ul.errorlist.nonfield").first.inner_text()
    assert "Dana Desk saved this article at" in error and "Your changes are below, not saved." in error
    assert omar.locator("#id_headline").input_value() == "Council postpones budget vote", "nothing is lost"
    screenshot(omar, "workflow-conflict", full_page=False)
    with omar.expect_popup() as popup:
        omar.get_by_role("link", name="See what changed").click()
    diff = popup.value
    diff.wait_for_load_state()
    assert "Council delays vote" in diff.locator(".workflow-diff").first.inner_text()
    assert diff.locator(".workflow-diff ins").first.inner_text().strip() == "to Friday"
    screenshot(diff, "workflow-compare")
    diff.close()
    article.refresh_from_db()
    assert article.headline == "Council delays vote to Friday"

    # Dana looks at the history and restores the first version; that is itself a new version.
    dana.get_by_role("link", name="2 revisions").click()
    dana.wait_for_load_state()
    screenshot(dana, "workflow-history")
    dana.get_by_role("link", name="1", exact=True).click()
    dana.wait_for_load_state()
    dana.get_by_role("button", name="Restore version 1").click()
    dana.wait_for_load_state()
    assert "Version 1 restored as a new version." in dana.locator(".messagelist").inner_text()
    article.refresh_from_db()
    assert article.headline == "Council delays vote" and article.version == 3
