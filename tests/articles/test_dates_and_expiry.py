"""Dates that tell the truth (the original publication of a syndicated story, "Updated" only for substantive
updates) and expiry (an article leaves every public view at its time, with caches told by a job)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from articles import services
from articles.models import Article
from tests.articles.desk import change_url, save
from tests.articles.test_feeds import NS, atom_entries
from tests.articles.test_structured_data import head_of
from tests.factories import make_article, make_author, make_publisher

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
Status = Article.Status


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=True):
        yield


def news_article_ld(client, article):
    (data,) = [block for block in head_of(client, article.get_absolute_url()).json_ld if "headline" in block]
    return data


class TestOriginalDate:
    def test_a_syndicated_article_shows_its_original_date_beside_ours(self, client, publication, section):
        article = make_article(
            section=section,
            publisher=make_publisher(name="DoD News"),
            originally_published_at=datetime(2022, 5, 4, 20, 0, tzinfo=UTC),
            published_at=NOW - timedelta(hours=1),
        )
        html = client.get(article.get_absolute_url()).content.decode()
        byline = html[html.index('<p class="byline">') :][:900]
        assert 'First published <time datetime="2022-05-04T20:00:00+00:00">May 4, 2022</time>' in byline
        assert "published here" in byline and "Nov. 26, 2026" in byline
        data = news_article_ld(client, article)
        assert data["dateCreated"] == "2022-05-04T20:00:00+00:00"
        assert data["datePublished"] == "2026-11-26T08:00:00+00:00"

    def test_an_original_date_in_the_future_is_refused(self, desk, section):
        article = make_article(section=section)
        response = save(desk, article, originally_published_at_0="2027-01-01", originally_published_at_1="10:00")
        assert response.status_code == 200
        assert "The first publication elsewhere cannot be in the future." in response.content.decode()


class TestUpdated:
    @pytest.fixture
    def story(self, publication, section):
        return make_article(section=section, tags=["Japan"], published_at=NOW - timedelta(hours=3))

    def updated_line(self, client, article):
        html = client.get(article.get_absolute_url()).content.decode()
        return 'class="article-updated"' in html

    def test_a_new_fact_after_publication_is_an_update_readers_see(self, client, story, desk_editor):
        story.body = "<p>New facts.</p>"
        services.article_save(article=story, user=desk_editor)
        story.refresh_from_db()
        assert story.content_updated_at is not None and story.was_updated
        assert self.updated_line(client, story)
        data = news_article_ld(client, story)
        assert data["dateModified"] == story.content_updated_at.isoformat()
        (entry,) = atom_entries(client, reverse("articles:feed-atom"))
        assert entry.find("atom:updated", NS).text.startswith("2026-11-26T09:0")

    def test_tags_and_desk_notes_are_not_updates(self, client, story, desk_editor):
        story.desk_note = "Check the spelling of the minister's name."
        services.article_save(article=story, user=desk_editor, tags=["Japan", "Defence"])
        story.refresh_from_db()
        assert story.content_updated_at is None and not story.was_updated
        assert not self.updated_line(client, story)
        assert news_article_ld(client, story)["dateModified"] == story.published_at.isoformat()

    def test_a_minor_change_is_not_an_update(self, client, desk, story):
        response = save(desk, story, headline=story.headline + "!", minor_edit="on")
        assert response.status_code == 302
        story.refresh_from_db()
        assert story.headline.endswith("!") and story.content_updated_at is None

    def test_the_minor_change_box_is_offered_only_for_public_articles(self, desk, story, section):
        assert 'name="minor_edit"' in desk.get(change_url(story)).content.decode()
        draft = make_article(section=section, status=Status.DRAFT, published_at=None)
        assert 'name="minor_edit"' not in desk.get(change_url(draft)).content.decode()

    def test_a_correction_is_always_an_update(self, client, story, desk_editor):
        services.article_save(
            article=story, user=desk_editor, corrections=[("correction", "The vote was on Tuesday.")], minor_edit=True
        )
        story.refresh_from_db()
        assert story.was_updated

    def test_changes_before_publication_are_not_updates(self, section, desk_editor):
        draft = make_article(section=section, status=Status.DRAFT, published_at=None)
        draft.body = "<p>Rewritten.</p>"
        services.article_save(article=draft, user=desk_editor)
        draft.refresh_from_db()
        assert draft.content_updated_at is None


class TestExpiry:
    @pytest.fixture
    def wire_story(self, publication, section):
        return make_article(
            headline="Licensed for a day",
            slug="licensed",
            section=section,
            tags=["Japan"],
            authors=[make_author(name="Ada", slug="ada")],
            published_at=NOW - timedelta(hours=1),
            expires_at=NOW + timedelta(hours=2),
        )

    def reader_urls(self, story):
        return [
            "/",
            story.section.get_absolute_url(),
            reverse("articles:tag", args=["japan"]),
            reverse("articles:author", args=["ada"]),
            reverse("articles:feed"),
            reverse("articles:sitemap-section", args=["articles"]),
            reverse("articles:search") + "?q=Licensed",
        ]

    def test_an_article_leaves_every_list_feed_sitemap_and_search_at_its_time(self, client, wire_story):
        for url in self.reader_urls(wire_story):
            assert "/articles/licensed/" in client.get(url).content.decode(), url
        assert client.get(wire_story.get_absolute_url()).status_code == 200
        with time_machine.travel(NOW + timedelta(hours=2, seconds=1)):
            for url in self.reader_urls(wire_story):
                assert "/articles/licensed/" not in client.get(url).content.decode(), url
            assert client.get(wire_story.get_absolute_url()).status_code == 404
            assert not Article.objects.published().filter(pk=wire_story.pk).exists()
            wire_story.refresh_from_db()
            assert not wire_story.is_published() and wire_story.is_expired and not wire_story.is_scheduled
            assert list(Article.objects.expired()) == [wire_story]
            assert not Article.objects.scheduled().exists()

    def test_published_and_is_published_agree_either_side_of_the_expiry(self, wire_story):
        for offset in [timedelta(hours=-1), timedelta(hours=2, seconds=-1), timedelta(hours=2), timedelta(days=9)]:
            with time_machine.travel(NOW + offset):
                in_query = Article.objects.published().filter(pk=wire_story.pk).exists()
                assert in_query == wire_story.is_published(), offset

    def test_the_expiry_is_announced_to_caches_by_a_job_at_that_moment(
        self, wire_story, heard, committed, task_backend, desk_editor
    ):
        with committed():
            services.article_save(article=wire_story, user=desk_editor)
        heard.clear()
        (job,) = [result for result in task_backend.deferred if result.task.name == "announce_expiry"]
        assert job.task.run_after == wire_story.expires_at
        with time_machine.travel(wire_story.expires_at + timedelta(seconds=1)):
            task_backend.run_due()
        (change,) = heard
        assert change.kind == "article.expired"
        assert {"/articles/licensed/", "/", "/section/" + wire_story.section.slug + "/", "/tag/japan/"} <= change.paths
        assert "/author/ada/" in change.paths and "/sitemap-articles.xml" in change.paths

    def test_a_moved_or_withdrawn_expiry_announces_nothing_at_the_old_time(
        self, wire_story, heard, committed, task_backend, desk_editor
    ):
        with committed():
            services.article_save(article=wire_story, user=desk_editor)
            wire_story.expires_at = None
            services.article_save(article=wire_story, user=desk_editor)
        heard.clear()
        with time_machine.travel(NOW + timedelta(hours=3)):
            task_backend.run_due()
        assert [change.kind for change in heard] == []

    def test_an_article_cannot_expire_before_it_goes_live(self, desk, section):
        article = make_article(section=section, published_at=NOW + timedelta(days=1))
        response = save(desk, article, expires_at_0="2026-11-26", expires_at_1="12:00")
        assert response.status_code == 200
        assert "The article would leave public view before readers could see it" in response.content.decode()

    def test_the_desk_shows_an_expired_article_as_such(self, desk, wire_story):
        with time_machine.travel(NOW + timedelta(hours=3)):
            html = desk.get(change_url(wire_story)).content.decode()
            assert "Expired: out of public view since" in html
            listing = desk.get(reverse("admin:articles_article_changelist") + "?state=expired").content.decode()
            assert "Licensed for a day" in listing

    def test_reporters_cannot_set_an_expiry(self, reporter, section):
        from tests.articles.desk import logged_in

        draft = make_article(section=section, status=Status.DRAFT, published_at=None, created_by=reporter)
        html = logged_in(reporter).get(change_url(draft)).content.decode()
        assert 'name="expires_at_0"' not in html
