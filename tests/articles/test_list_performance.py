"""What keeps list pages cheap must not change what they show: capped counts, curated slices, kept cards."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import cards, curation, services
from articles.curation import PinSpec
from articles.models import Article, Front
from articles.pagination import NewsPaginator
from comments.models import Comment
from tests.factories import ensure_kinds, make_article, make_author, make_comment

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=True):
        yield


def _titles(html):
    return re.findall(r'<h2 class="card-title"><a href="[^"]+">([^<]+)</a>', html)


def _stories(section, count):
    return [
        make_article(headline=f"Story {number:02d}", section=section, published_at=NOW - timedelta(hours=number + 1))
        for number in range(count)
    ]


def _counts(client, url, query=None):
    """How many times a page counted its list (and the page answered)."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, query).status_code == 200
    return sum(query["sql"].startswith("SELECT COUNT(*)") for query in queries.captured_queries)


class TestCappedCount:
    @pytest.fixture
    def capped(self, monkeypatch, settings, publication, section):
        """A cap of 5 articles and pages of 4: a list of 14 is "too long to count"."""
        monkeypatch.setattr(NewsPaginator, "count_cap", 5)
        settings.ARTICLES_PER_PAGE = 4
        return _stories(section, 14)

    def test_past_the_cap_every_page_is_reachable_with_older_and_newer_links(self, client, capped, section):
        url = section.get_absolute_url()
        seen = []
        for number in range(1, 5):
            html = client.get(url, {"page": number}).content.decode()
            assert f"Page {number}</span>" in html and " of " not in html.split("pagination-current")[1][:40]
            assert ('rel="next"' in html) == (number < 4)
            assert ('rel="prev"' in html) == (number > 1)
            seen += _titles(html)
        assert seen == [f"Story {number:02d}" for number in range(14)]

    def test_past_the_cap_a_page_after_the_last_or_not_a_number_is_404(self, client, capped, section):
        url = section.get_absolute_url()
        for page in ["5", "0", "-1", "abc", "last"]:
            assert client.get(url, {"page": page}).status_code == 404, page

    def test_below_the_cap_pages_still_say_how_many_there_are(
        self, client, monkeypatch, settings, section, publication
    ):
        settings.ARTICLES_PER_PAGE = 4
        _stories(section, 10)
        html = client.get(section.get_absolute_url(), {"page": 2}).content.decode()
        assert "Page 2 of 3" in html

    def test_a_list_past_the_cap_is_counted_once_until_content_changes(
        self, client, capped, section, committed, django_assert_num_queries
    ):
        url = section.get_absolute_url()
        assert _counts(client, url) == 1
        assert _counts(client, url) == _counts(client, url, {"page": 3}) == 0
        with committed():
            services.article_save(article=capped[5])
        assert _counts(client, url) == 1
        assert _counts(client, url) == 0

    def test_a_list_kept_as_past_the_cap_that_shrinks_below_it_says_so_at_once(
        self, client, capped, section, committed, desk_editor
    ):
        url = section.get_absolute_url()
        assert " of " not in client.get(url).content.decode().split("pagination-current")[1][:40]
        with committed():
            for story in capped[5:]:
                services.article_transition(article=story, user=desk_editor, to_status=Article.Status.UNPUBLISHED)
        html = client.get(url).content.decode()
        assert "Page 1 of 2" in html and _titles(html) == [f"Story {number:02d}" for number in range(4)]

    def test_a_scheduled_article_joins_a_list_kept_as_past_the_cap_at_its_time_with_no_job_to_run(
        self, client, capped, section
    ):
        url = section.get_absolute_url()
        make_article(headline="Scheduled story", section=section, published_at=NOW + timedelta(hours=1))
        assert _counts(client, url) == 1 and "Scheduled story" not in client.get(url).content.decode()
        with time_machine.travel(NOW + timedelta(hours=1, seconds=1), tick=False):
            html = client.get(url).content.decode()
        assert _titles(html)[:2] == ["Scheduled story", "Story 00"] and 'rel="next"' in html

    def test_each_list_is_kept_on_its_own(self, client, capped, section, publication):
        from tests.factories import make_section

        small = make_section(name="Small", slug="small")
        _stories(small, 3)
        assert _counts(client, section.get_absolute_url()) == 1
        assert _counts(client, small.get_absolute_url()) == _counts(client, small.get_absolute_url()) == 1
        assert _counts(client, "/") == 1
        assert _counts(client, section.get_absolute_url()) == _counts(client, "/") == 0

    def test_without_a_cache_a_list_is_counted_every_time(self, client, capped, section, settings):
        settings.CACHES = {
            **settings.CACHES,
            "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
        }
        url = section.get_absolute_url()
        assert _counts(client, url) == _counts(client, url) == 1
        assert _titles(client.get(url).content.decode()) == [f"Story {number:02d}" for number in range(4)]

    def test_the_count_reads_at_most_one_row_past_the_cap(self, monkeypatch, capped):
        monkeypatch.setattr(NewsPaginator, "count_cap", 5)
        paginator = NewsPaginator(Article.objects.published().latest_first(), 4)
        assert paginator.count == 6 and paginator.is_capped and paginator.num_pages is None


def test_curated_pages_in_slices_are_the_same_as_the_whole_curated_list(client, settings, publication, section):
    """A slice sorts only the pinned and the newest articles; the pages must be exactly the full order's."""
    settings.ARTICLES_PER_PAGE = 4
    stories = _stories(section, 11)
    curation.front_save(front=Front.objects.home(), pins=[PinSpec(stories[7]), PinSpec(stories[3])])
    whole = [article.headline for article in Article.objects.published().curated()]
    assert whole[:2] == ["Story 07", "Story 03"]
    pages = []
    for number in range(1, 4):
        pages += _titles(client.get("/", {"page": number}).content.decode())
    assert pages == whole
    sliced = Article.objects.published().curated()
    assert [article.headline for article in sliced[5:9]] == whole[5:9]


class TestKeptCards:
    """A card is kept in the cache under a key made of what it shows: any change shows at once."""

    @pytest.fixture
    def story(self, publication, section):
        return make_article(
            headline="Harbour reopens", section=section, authors=[make_author(name="Ada Byline")], tags=["Harbour"]
        )

    def test_a_card_is_rendered_once_then_read_from_the_cache(self, client, story, monkeypatch):
        client.get("/tag/harbour/")
        rendered = []
        monkeypatch.setattr(cards, "_render", lambda *args: rendered.append(args) or "")
        assert "Harbour reopens" in client.get("/tag/harbour/").content.decode()
        assert rendered == []

    def test_renaming_an_author_a_tag_or_a_section_changes_the_card(self, client, story, section):
        client.get("/tag/harbour/")
        author = story.authors_in_order[0]
        author.name = "Ada Renamed"
        author.save()
        section.name = "Worldwide"
        section.save()
        tag = story.tags.get()
        tag.name = "Port"
        tag.save()
        html = client.get("/tag/harbour/").content.decode()
        assert "Ada Renamed" in html and "Worldwide" in html and ">Port<" in html

    def test_renaming_an_article_kind_changes_the_card(self, client, story):
        """Cards take their kind (and section) from the site chrome, which a saved kind clears."""
        kind = ensure_kinds()["analysis"]
        Article.objects.filter(pk=story.pk).update(kind=kind)
        assert kind.name in client.get("/tag/harbour/").content.decode()
        kind.name = "Deep dive"
        kind.save()
        assert "Deep dive" in client.get("/tag/harbour/").content.decode()

    def test_an_approved_comment_changes_the_count_on_the_card(self, client, story):
        assert "comment" not in client.get("/tag/harbour/").content.decode().split("card-title")[1]
        make_comment(article=story, status=Comment.Status.APPROVED)
        assert "One comment" in client.get("/tag/harbour/").content.decode()

    def test_an_edited_headline_changes_the_card(self, client, story):
        client.get("/tag/harbour/")
        Article.objects.filter(pk=story.pk).update(headline="Harbour closes again")  # no save(), no event
        assert "Harbour closes again" in client.get("/tag/harbour/").content.decode()


def test_a_card_whose_article_was_deleted_after_the_page_query_is_left_out(publication, section):
    kept, gone = make_article(headline="Kept", section=section), make_article(headline="Gone", section=section)
    rows = cards.rows(Article.objects.published().latest_first().card_rows())
    Article.objects.filter(pk=gone.pk).delete()
    cards.prepare(rows)
    by_pk = {row.pk: cards.card_html(row) for row in rows}
    assert "Kept" in by_pk[kept.pk] and by_pk[gone.pk] == ""


def test_instances_get_their_bylines_photos_and_tags_from_their_own_query(
    publication, section, django_assert_num_queries
):
    """for_listing() reads each article's bylines (every column of the author, their photo's crop columns)
    and tags as JSON in the articles' own query: the article page, feeds, search and the API need no query
    per article, nor one per relation."""
    from articles.chrome import site_chrome
    from tests.factories import make_image

    photo = make_image(alt="Portrait", is_decorative=True)
    first = make_author(name="Ada Reporter", title="Defence correspondent", bio="Covers ports.", photo=photo)
    second = make_author(name="Ben Writer", links="https://example.org/ben")
    made = [
        make_article(headline="Two bylines", section=section, authors=[second, first], tags=["Navy", "Japan"]),
        make_article(headline="No byline", section=section),
    ]
    site_chrome()  # sections and kinds come from it, read on every page anyway
    with django_assert_num_queries(1):
        articles = {
            article.pk: article for article in Article.objects.for_listing().filter(pk__in=[a.pk for a in made])
        }
        two, none = articles[made[0].pk], articles[made[1].pk]
        assert [author.name for author in two.authors_in_order] == ["Ben Writer", "Ada Reporter"]
        ada = two.authors_in_order[1]
        assert (ada.title, ada.bio, ada.slug, ada.pk) == (
            "Defence correspondent",
            "Covers ports.",
            first.slug,
            first.pk,
        )
        assert two.authors_in_order[0].link_list == ["https://example.org/ben"]
        assert two.authors_in_order[0].photo is None
        assert ada.photo.pk == photo.pk and ada.photo.is_decorative is True and ada.photo.alt == "Portrait"
        assert ada.photo.renditions_data == photo.renditions_data and ada.photo.crop("square") is not None
        assert sorted(tag.name for tag in two.tag_list) == ["Japan", "Navy"]
        assert all(tag.slug and tag.pk for tag in two.tag_list)
        assert none.authors_in_order == [] and none.tag_list == []


def test_the_article_page_reads_its_corrections_in_its_own_query(publication, section, django_assert_num_queries):
    from articles.chrome import site_chrome
    from articles.models import Correction

    article = make_article(headline="Corrected twice", section=section)
    later = Correction.objects.create(article=article, kind=Correction.Kind.UPDATE, text="Later <b>update</b>.")
    earlier = Correction.objects.create(article=article, text="Earlier correction.")
    Correction.objects.filter(pk=earlier.pk).update(created_at=later.created_at - timedelta(hours=2, microseconds=7))
    plain = make_article(headline="Never corrected", section=section)
    site_chrome()
    with django_assert_num_queries(1):
        found = Article.objects.for_listing().with_correction_notes().in_bulk([article.pk, plain.pk])
        notes = found[article.pk].correction_notes
        assert [(note.pk, note.kind, note.text) for note in notes] == [
            (earlier.pk, "correction", "Earlier correction."),
            (later.pk, "update", "Later <b>update</b>."),
        ]
        assert notes[0].created_at == later.created_at - timedelta(hours=2, microseconds=7)
        assert notes[1].created_at == later.created_at and notes[1].created_at.utcoffset() == timedelta(0)
        assert notes[0].article is found[article.pk]
        assert found[plain.pk].correction_notes == []
    assert [note.pk for note in notes] == [note.pk for note in article.corrections.all()]
