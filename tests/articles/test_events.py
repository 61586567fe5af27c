"""The "content changed" event: one per write that readers can see, after commit, naming exactly the pages."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import transaction
from taggit.models import Tag

from articles import events, services
from articles.models import Article, Correction
from comments import services as comment_services
from tests.factories import (
    make_article,
    make_author,
    make_comment,
    make_moderator,
    make_page,
    make_publication,
    make_publisher,
    make_section,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
Status = Article.Status

SITEMAPS = {
    "/sitemap.xml",
    "/sitemap-news.xml",
    "/sitemap-site.xml",
    "/sitemap-articles.xml",
    "/sitemap-sections.xml",
    "/sitemap-tags.xml",
    "/sitemap-publishers.xml",
    "/sitemap-authors.xml",
}
SITE_WIDE = {"/", "/feed/", "/feed/atom/", "/search/", "/archive/", *SITEMAPS}


def lists(kind, slug):
    return {f"/{kind}/{slug}/", f"/{kind}/{slug}/feed/", f"/{kind}/{slug}/feed/atom/"}


def story_pages(slug="dam-breaks", *, section="world", tags=("japan",), author="ada", publisher="wire"):
    """Every page that shows the story fixture, written out by hand (not by the code under test)."""
    pages = {
        f"/articles/{slug}/",
        f"/comments/articles/{slug}/feed/",
        f"/comments/articles/{slug}/feed/atom/",
        "/archive/2026/",
        "/archive/2026/11/",
        *SITE_WIDE,
        *lists("section", section),
    }
    for tag in tags:
        pages |= lists("tag", tag)
    if author:
        pages |= lists("author", author)
    if publisher:
        pages |= lists("publisher", publisher)
    return pages


@pytest.fixture(autouse=True)
def _clock_at_now():
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def heard():
    """Every ContentChange sent during the test, in order."""
    changes = []

    def listen(sender, change, **kwargs):
        changes.append(change)

    events.content_changed.connect(listen)
    yield changes
    events.content_changed.disconnect(listen)


@pytest.fixture
def story(publication):
    return make_article(
        headline="Dam breaks",
        slug="dam-breaks",
        section=make_section(name="World", slug="world"),
        authors=[make_author(name="Ada", slug="ada")],
        publisher=make_publisher(name="Wire", slug="wire"),
        tags=["Japan"],
        published_at=NOW - timedelta(hours=2),
    )


def only(heard):
    assert len(heard) == 1, [change.kind for change in heard]
    return heard[0]


class TestArticles:
    def test_nothing_is_heard_before_commit(self, story, heard):
        with transaction.atomic():
            services.article_save(article=story)
        assert heard == []

    def test_a_rolled_back_save_is_never_heard(self, story, heard, committed):
        with committed():
            try:
                with transaction.atomic():
                    services.article_save(article=story)
                    raise RuntimeError("the rest of the write failed")
            except RuntimeError:
                pass
        assert heard == []

    def test_editing_a_public_article(self, story, heard, committed):
        story.headline = "Dam breaks upstream"
        with committed():
            services.article_save(article=story)
        change = only(heard)
        assert change.kind == "article.updated" and not change.everything
        assert change.paths == story_pages()
        assert change.objects == (("articles.article", story.pk),)

    def test_publishing_a_draft(self, section, heard, committed, publication):
        draft = make_article(headline="Quiet", slug="quiet", section=section, status=Status.DRAFT, published_at=None)
        draft.status = Status.PUBLISHED
        with committed():
            services.article_save(article=draft)
        change = only(heard)
        assert change.kind == "article.published"
        assert change.paths == story_pages("quiet", tags=(), author=None, publisher=None)

    def test_unpublishing(self, story, heard, committed, desk_editor):
        with committed():
            services.article_transition(article=story, user=desk_editor, to_status=Status.UNPUBLISHED)
        change = only(heard)
        assert change.kind == "article.unpublished" and change.paths == story_pages()

    def test_moving_to_another_section_and_tags_names_the_old_and_new_pages(self, story, heard, committed):
        story.section = make_section(name="Asia", slug="asia")
        with committed():
            services.article_save(article=story, tags=["Tokyo"])
        assert only(heard).paths == story_pages() | lists("section", "asia") | lists("tag", "tokyo")

    def test_a_new_address_names_the_old_one_too(self, story, heard, committed):
        story.slug = "dam-bursts"
        with committed():
            services.article_save(article=story)
        paths = only(heard).paths
        assert {"/articles/dam-breaks/", "/articles/dam-bursts/", "/comments/articles/dam-bursts/feed/"} <= paths

    def test_a_correction(self, story, heard, committed):
        with committed():
            services.article_save(article=story, corrections=[(Correction.Kind.CORRECTION, "It was the Elbe.")])
        change = only(heard)
        assert change.kind == "article.corrected"
        assert change.paths == story_pages() | {"/corrections/"}

    def test_a_restore(self, story, heard, committed, desk_editor):
        story.headline = "Changed"
        services.article_save(article=story)
        first = story.revisions.order_by("version").first()
        with committed():
            services.article_restore(article=story, revision=first, user=desk_editor)
        change = only(heard)
        assert change.kind == "article.updated" and change.paths == story_pages()

    def test_a_deletion(self, story, heard, committed):
        expected = story_pages()
        with committed():
            services.article_delete(article=story)
        change = only(heard)
        assert change.kind == "article.deleted" and change.paths == expected

    def test_editing_a_draft_is_not_heard(self, section, heard, committed):
        draft = make_article(section=section, status=Status.DRAFT, published_at=None)
        draft.headline = "Still a draft"
        with committed():
            services.article_save(article=draft)
        assert heard == []


class TestScheduledArticles:
    def test_a_scheduled_article_is_heard_when_its_time_comes(self, section, heard, committed, task_backend):
        article = make_article(headline="Later", slug="later", section=section, status=Status.DRAFT, published_at=None)
        article.status, article.published_at = Status.PUBLISHED, NOW + timedelta(hours=1)
        with committed():
            services.article_save(article=article)
        assert heard == [] and len(task_backend.deferred) == 1
        with time_machine.travel(NOW + timedelta(minutes=59), tick=False):
            assert task_backend.run_due() == 0
        with time_machine.travel(NOW + timedelta(hours=1), tick=False):
            assert task_backend.run_due() == 1
        change = only(heard)
        assert change.kind == "article.published"
        assert change.paths == story_pages("later", tags=(), author=None, publisher=None)

    def test_a_moved_time_is_heard_once_at_the_new_time(self, section, heard, committed, task_backend):
        article = make_article(headline="Later", section=section, published_at=NOW + timedelta(hours=1))
        with committed():
            services.article_save(article=article)
        article.published_at = NOW + timedelta(hours=2)
        with committed():
            services.article_save(article=article)
        with time_machine.travel(NOW + timedelta(hours=1, minutes=30), tick=False):
            task_backend.run_due()
        assert heard == [], "the job for the old time finds the article not yet public"
        with time_machine.travel(NOW + timedelta(hours=2), tick=False):
            task_backend.run_due()
        assert [change.kind for change in heard] == ["article.published"]

    def test_the_end_of_an_embargo_is_heard(self, section, heard, committed, task_backend):
        article = make_article(
            headline="Embargoed",
            section=section,
            published_at=NOW + timedelta(hours=3),
            embargo_until=NOW + timedelta(hours=3),
        )
        with committed():
            services.article_save(article=article)
        with time_machine.travel(NOW + timedelta(hours=1), tick=False):
            task_backend.run_due()
        assert heard == []
        with time_machine.travel(NOW + timedelta(hours=3), tick=False):
            task_backend.run_due()
        assert [change.kind for change in heard] == ["article.published"]


class TestComments:
    @pytest.fixture
    def moderator(self, db):
        return make_moderator()

    def comment_pages(self):
        return story_pages() | {"/comments/feed/", "/comments/feed/atom/"}

    def test_approving(self, story, moderator, heard, committed):
        comment = make_comment(article=story, status="pending")
        with committed():
            comment_services.comment_approve(comment=comment, actor=moderator)
        change = only(heard)
        assert change.kind == "comment.approved" and change.paths == self.comment_pages()
        assert change.objects == (("comments.comment", comment.pk),)

    @pytest.mark.parametrize("action", ["comment_unapprove", "comment_trash", "comment_mark_spam"])
    def test_taking_an_approved_comment_away(self, story, moderator, heard, committed, action):
        comment = make_comment(article=story)
        with committed():
            getattr(comment_services, action)(comment=comment, actor=moderator)
        change = only(heard)
        assert change.kind == "comment.removed" and change.paths == self.comment_pages()

    def test_trashing_a_held_comment_is_not_heard(self, story, moderator, heard, committed):
        comment = make_comment(article=story, status="pending")
        with committed():
            comment_services.comment_trash(comment=comment, actor=moderator)
        assert heard == []

    def test_erasing_a_commenter(self, story, heard, committed):
        make_comment(article=story, author_email="ada@example.com")
        with committed():
            comment_services.commenter_erase(email="ada@example.com")
        change = only(heard)
        assert change.kind == "comment.updated" and change.paths == self.comment_pages()

    def test_deleting(self, story, moderator, heard, committed):
        comment = make_comment(article=story)
        with committed():
            comment_services.comments_delete(comments=type(comment).objects.filter(pk=comment.pk), actor=moderator)
        assert only(heard).kind == "comment.removed"

    def test_a_comment_published_at_once(self, story, heard, committed):
        earlier = make_comment(article=story, author_name="Ada", author_email="ada@example.com")
        with committed():
            comment = comment_services.comment_submit(
                article=story,
                author_name="Ada",
                author_email="ada@example.com",
                body="Again.",
                base_url="http://testserver",
                proven_comment_ids=[earlier.pk],
            )
        assert comment.is_public()
        assert only(heard).kind == "comment.approved"


class TestEverythingElse:
    def test_a_tag_renamed(self, story, heard, committed):
        tag = Tag.objects.get(name="Japan")
        tag.name, tag.slug = "Nippon", "nippon"
        with committed():
            tag.save()
        change = only(heard)
        assert change.kind == "taxonomy.changed"
        assert change.paths == story_pages(tags=("nippon",)) | lists("tag", "japan")

    def test_an_author_renamed(self, story, heard, committed):
        author = story.authors.get()
        author.name = "Ada L."
        with committed():
            author.save()
        assert only(heard).paths == story_pages()

    def test_a_publisher_changed(self, story, heard, committed):
        publisher = story.publisher
        publisher.description = "Wire sends news."
        with committed():
            publisher.save()
        assert only(heard).paths == story_pages()

    def test_a_tag_deleted(self, story, heard, committed):
        with committed():
            Tag.objects.get(name="Japan").delete()
        assert only(heard).paths == story_pages()

    def test_an_author_without_public_articles_names_only_their_page(self, heard, committed, db):
        author = make_author(name="New", slug="new")
        author.title = "Intern"
        with committed():
            author.save()
        assert only(heard).paths == lists("author", "new")

    @pytest.mark.parametrize(
        ("make", "kind"),
        [
            (lambda: make_section(name="Sport", slug="sport"), "taxonomy.changed"),
            (lambda: make_page(title="About", slug="about"), "page.changed"),
            (lambda: make_publication(), "publication.changed"),
        ],
    )
    def test_what_every_page_shows_changes_everything(self, heard, committed, db, make, kind):
        thing = make()
        with committed():
            thing.save()
        change = only(heard)
        assert change.kind == kind and change.everything

    def test_a_tag_on_too_many_articles_changes_everything(self, section, heard, committed, monkeypatch):
        monkeypatch.setattr(events, "MANY_ARTICLES", 2)
        for number in range(3):
            make_article(section=section, tags=["Busy"], slug=f"busy-{number}")
        tag = Tag.objects.get(name="Busy")
        tag.name = "Very busy"
        with committed():
            tag.save()
        assert only(heard).everything

    def test_a_failing_subscriber_does_not_stop_the_others(self, story, heard, committed):
        def broken(sender, change, **kwargs):
            raise RuntimeError("purge endpoint down")

        events.content_changed.connect(broken)
        try:
            with committed():
                services.article_save(article=story)
        finally:
            events.content_changed.disconnect(broken)
        assert only(heard).kind == "article.updated"
