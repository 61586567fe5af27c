"""Old addresses of published articles keep working (301), and corrections are dated and public."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from articles import structured_data
from articles.models import Article, Correction, SlugRedirect
from tests.articles.desk import change_url, logged_in, save
from tests.factories import make_article, make_author, make_correction
from tests.html_forms import admin_form
from tests.html_text import fold, visible_text

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _clock_at_now():
    """Every fixture of this module is built on the module's clock, never the real one: a fixture made
    at the real "now" and a test travelling to NOW would go bad as the calendar moves on."""
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def story(section, publication):
    return make_article(headline="Dam breaks", slug="dam-breaks", section=section)


class TestSlugRedirects:
    def test_a_published_articles_old_address_redirects_permanently(self, client, desk, story):
        assert save(desk, story, slug="dam-breaks-upstream").status_code == 302
        response = client.get("/articles/dam-breaks/")
        assert response.status_code == 301
        assert response["Location"] == "/articles/dam-breaks-upstream/"
        assert client.get("/articles/dam-breaks-upstream/").status_code == 200

    def test_every_old_address_leads_straight_to_the_current_one(self, client, desk, story):
        save(desk, story, slug="second")
        save(desk, story, slug="third")
        assert client.get("/articles/dam-breaks/")["Location"] == "/articles/third/"
        assert client.get("/articles/second/")["Location"] == "/articles/third/"

    def test_going_back_to_an_old_slug_removes_its_redirect(self, client, desk, story):
        save(desk, story, slug="renamed")
        save(desk, story, slug="dam-breaks")
        assert client.get("/articles/dam-breaks/").status_code == 200
        assert client.get("/articles/renamed/")["Location"] == "/articles/dam-breaks/"
        assert not SlugRedirect.objects.filter(old_slug="dam-breaks").exists()

    def test_renaming_a_draft_keeps_no_old_address(self, desk, section):
        draft = make_article(slug="early", section=section, status=Article.Status.DRAFT, published_at=None)
        save(desk, draft, slug="final")
        assert not SlugRedirect.objects.exists()

    def test_an_old_address_of_an_unpublished_article_is_404(self, client, desk, story):
        save(desk, story, slug="renamed")
        save(desk, story, _transition="unpublished")
        assert client.get("/articles/dam-breaks/").status_code == 404
        assert client.get("/articles/renamed/").status_code == 404

    def test_an_old_address_cannot_be_given_to_another_article(self, desk, story, section):
        save(desk, story, slug="renamed")
        other = make_article(section=section, slug="other")
        response = save(desk, other, slug="dam-breaks")
        assert response.status_code == 200
        assert "is an old address of “Dam breaks”" in response.content.decode()
        fresh = Article.objects.create(headline="Dam breaks", section=section)
        assert fresh.slug == "dam-breaks-2", "a made-up slug avoids old addresses too"

    def test_the_normal_article_page_spends_no_query_on_redirects(self, client, story, django_assert_max_num_queries):
        """The redirect table is read only after a miss; the hit path stays within the article budget."""
        client.get(story.get_absolute_url())
        with django_assert_max_num_queries(6) as context:
            client.get(story.get_absolute_url())
        assert not any("slugredirect" in query["sql"] for query in context.captured_queries)


class TestCorrections:
    def test_an_editor_appends_a_dated_correction_that_readers_see(self, client, desk, story):
        with time_machine.travel(NOW, tick=False):
            before = story.updated_at
            data = admin_form(desk, change_url(story), "article_form")
            data.update(
                {
                    "corrections-TOTAL_FORMS": "1",
                    "corrections-0-kind": "correction",
                    "corrections-0-text": "An earlier version gave the wrong river. It is the Elbe.",
                }
            )
            assert desk.post(change_url(story), data).status_code == 302
        correction = Correction.objects.get()
        story.refresh_from_db()
        assert correction.created_at == NOW and correction.created_by.username == "desk"
        assert story.updated_at == NOW and story.updated_at != before
        assert story.revisions.first().summary == "Edited; correction or update added"
        with time_machine.travel(NOW + timedelta(minutes=5), tick=False):
            text = fold(visible_text(client.get(story.get_absolute_url()).content.decode()))
        assert "Correction, 26 Nov 2026: An earlier version gave the wrong river. It is the Elbe." in text
        assert "Updated" in text

    def test_updates_are_labelled_as_updates(self, client, story):
        with time_machine.travel(NOW, tick=False):
            make_correction(story, kind=Correction.Kind.UPDATE, text="Rescue teams reached the village.")
        text = fold(visible_text(client.get(story.get_absolute_url()).content.decode()))
        assert "Update, 26 Nov 2026: Rescue teams reached the village." in text

    def test_saved_notes_cannot_be_edited_on_the_desk(self, desk, story):
        make_correction(story, text="As first written.")
        data = admin_form(desk, change_url(story), "article_form")
        assert data["corrections-INITIAL_FORMS"] == "1"
        data.update({"corrections-0-text": "Rewritten history", "corrections-0-kind": "update"})
        desk.post(change_url(story), data)
        assert Correction.objects.get().text == "As first written."

    def test_drafts_and_reporters_get_no_corrections_form(self, desk, reporter, section):
        draft = make_article(section=section, status=Article.Status.DRAFT, published_at=None, created_by=reporter)
        assert "corrections-TOTAL_FORMS" not in desk.get(change_url(draft)).content.decode()
        live = make_article(section=section, created_by=reporter)
        assert "corrections-TOTAL_FORMS" not in logged_in(reporter).get(change_url(live)).content.decode()

    @pytest.mark.parametrize("text", ["", "   ", "\n\t"])
    def test_a_blank_note_adds_nothing(self, desk, story, text):
        data = admin_form(desk, change_url(story), "article_form")
        data.update({"corrections-TOTAL_FORMS": "1", "corrections-0-kind": "correction", "corrections-0-text": text})
        assert desk.post(change_url(story), data).status_code == 302
        assert not Correction.objects.exists()

    def test_an_overlong_note_is_refused_and_the_text_kept(self, desk, story):
        data = admin_form(desk, change_url(story), "article_form")
        data.update({"corrections-TOTAL_FORMS": "1", "corrections-0-kind": "update", "corrections-0-text": "x" * 2001})
        response = desk.post(change_url(story), data)
        assert response.status_code == 200
        assert "Ensure this value has at most 2000 characters" in response.content.decode()
        assert "x" * 2001 in response.content.decode()
        assert not Correction.objects.exists()

    def test_hostile_note_text_is_escaped(self, client, story):
        make_correction(story, text='<script>alert(1)</script><img src=x onerror="x()">')
        html = client.get(story.get_absolute_url()).content.decode()
        assert "<script>alert(1)</script>" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html

    def test_the_corrections_page_lists_every_correction_newest_first(self, client, story, section):
        other = make_article(headline="Budget passes", section=section)
        hidden = make_article(headline="Withdrawn", section=section, status=Article.Status.UNPUBLISHED)
        with time_machine.travel(NOW - timedelta(days=2), tick=False):
            make_correction(story, text="Older correction.")
        with time_machine.travel(NOW - timedelta(days=1), tick=False):
            make_correction(other, text="Newer correction.")
            make_correction(other, kind=Correction.Kind.UPDATE, text="Just an update.")
            make_correction(hidden, text="On a withdrawn article.")
        response = client.get(reverse("articles:corrections"))
        text = fold(visible_text(response.content.decode()))
        assert response.status_code == 200
        assert text.index("Newer correction.") < text.index("Older correction.")
        assert "Budget passes" in text and "Correction, 25 Nov 2026: Newer correction." in text
        assert "Just an update." not in text and "On a withdrawn article." not in text
        assert f'href="/articles/{other.slug}/#correction-' in response.content.decode()
        assert not response.cookies
        assert "/corrections/" in client.get("/").content.decode(), "the footer links to the page"

    def test_the_corrections_page_stays_within_its_query_budget(self, client, section, django_assert_max_num_queries):
        """Guards an N+1 on each correction's article and section."""
        for number in range(20):
            make_correction(make_article(section=section, authors=[make_author()]), text=f"Fix {number}.")
        client.get(reverse("articles:corrections"))
        with django_assert_max_num_queries(2):
            assert client.get(reverse("articles:corrections")).status_code == 200

    def test_the_article_page_spends_one_query_on_corrections_however_many(
        self, client, story, django_assert_max_num_queries
    ):
        """Within the article page's budget of 6, and flat from 0 to 5 corrections."""
        client.get(story.get_absolute_url())
        with django_assert_max_num_queries(6) as without:
            client.get(story.get_absolute_url())
        for number in range(5):
            make_correction(story, text=f"Fix {number}.")
        with django_assert_max_num_queries(6) as with_five:
            client.get(story.get_absolute_url())
        assert len(with_five.captured_queries) == len(without.captured_queries)
        assert sum("articles_correction" in query["sql"] for query in with_five.captured_queries) == 1

    def test_corrections_are_exposed_for_structured_data(self, story, rf):
        with time_machine.travel(NOW, tick=False):
            note = make_correction(story, text="Wrong river.")
            make_correction(story, kind=Correction.Kind.UPDATE, text="Not a correction.")
        article = Article.objects.prefetch_related("corrections").get(pk=story.pk)
        assert structured_data.news_article(article, rf.get("/"))["correction"] == [
            {
                "@type": "CorrectionComment",
                "text": "Wrong river.",
                "datePublished": "2026-11-26T09:00:00+00:00",
                "url": f"http://testserver/articles/dam-breaks/#correction-{note.pk}",
            }
        ]
