"""Tags with any name a newsroom can type: working, stable addresses; a bad stored slug breaks no page."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.urls import resolve, reverse
from django.utils import timezone
from taggit.models import Tag

from articles import services
from articles.models import Article, TaggedArticle
from articles.tags import TAG_NAME_MAX_LENGTH, is_valid_slug, tag_slug
from tests.factories import make_article

pytestmark = pytest.mark.django_db

NAMES = ["Zürich", "São Paulo", "Москва", "タグ", "😀😀", "-", "__", "C++", "㍿" * 30, "ﷺ" * 10, "a" * 100]


@pytest.fixture
def story(publication, section):
    return make_article(headline="Tagged story", section=section, tags=NAMES)


def every_reader_page(story):
    tags = list(story.tags.all())
    return [
        "/",
        story.get_absolute_url(),
        reverse("articles:section", args=[story.section.slug]),
        reverse("articles:archive"),
        reverse("articles:feed"),
        reverse("articles:sitemap-section", args=["tags"]),
        *(reverse("articles:tag", args=[tag.slug]) for tag in tags),
        *(reverse("articles:tag-feed", args=[tag.slug]) for tag in tags),
        *(reverse("articles:tag-feed-atom", args=[tag.slug]) for tag in tags),
    ]


def test_unicode_and_symbol_only_tags_break_no_page(client, story):
    """Regression: a tag named Zürich made /, the article, its section and every tag page answer 500."""
    for url in every_reader_page(story):
        assert client.get(url).status_code == 200, url


def test_every_tag_gets_a_non_empty_slug_its_page_lists_the_article(client, story):
    for tag in story.tags.all():
        assert is_valid_slug(tag.slug), tag.slug
        response = client.get(reverse("articles:tag", args=[tag.slug]))
        assert "Tagged story" in response.content.decode(), tag.name
    assert Tag.objects.get(name="Zürich").slug == "zürich"
    assert Tag.objects.get(name="Москва").slug == "москва"
    assert Tag.objects.get(name="😀😀").slug.startswith("tag-")


def test_slugs_are_stable_and_distinct_for_names_without_letters(publication, section):
    make_article(section=section, tags=["😀😀", "🙂🙂", "-", "--"])
    slugs = dict(Tag.objects.values_list("name", "slug"))
    assert len(set(slugs.values())) == 4
    assert slugs["😀😀"] == tag_slug("😀😀")  # the same name always gives the same address


def test_slugs_fit_the_column_even_when_normalisation_lengthens_the_name(story):
    for tag in story.tags.all():
        assert len(tag.slug) <= TAG_NAME_MAX_LENGTH


def test_the_address_round_trips_through_percent_encoding(client, story):
    tag = Tag.objects.get(name="São Paulo")
    url = reverse("articles:tag", args=[tag.slug])
    assert url == "/tag/s%C3%A3o-paulo/"
    assert resolve("/tag/são-paulo/").kwargs["slug"] == tag.slug
    assert client.get(url).status_code == 200


def test_a_stored_slug_that_no_address_can_hold_is_shown_unlinked_not_a_500(client, story):
    """An existing bad slug must not break pages (rows saved before the fix, or written by SQL)."""
    Tag.objects.filter(name="Zürich").update(slug="")
    Tag.objects.filter(name="São Paulo").update(slug="são paulo/..")
    for url in ["/", story.get_absolute_url(), reverse("articles:sitemap-section", args=["tags"])]:
        response = client.get(url)
        assert response.status_code == 200, url
    html = client.get(story.get_absolute_url()).content.decode()
    assert "<li>Zürich</li>" in html


def test_the_migration_repairs_bad_slugs_and_keeps_good_ones(story):
    Tag.objects.filter(name="Zürich").update(slug="")
    Tag.objects.filter(name="São Paulo").update(slug="são paulo")
    good = dict(Tag.objects.exclude(name__in=["Zürich", "São Paulo"]).values_list("pk", "slug"))
    migration = importlib.import_module("articles.migrations.0009_usable_tag_slugs")
    migration.repair_tag_slugs(apps, None)
    assert Tag.objects.get(name="Zürich").slug == "zürich"
    assert Tag.objects.get(name="São Paulo").slug == "são-paulo"
    assert dict(Tag.objects.exclude(name__in=["Zürich", "São Paulo"]).values_list("pk", "slug")) == good


def add_article(editor_client, section, tags):
    from tests.articles.test_admin import article_form_data

    return editor_client.post(reverse("admin:articles_article_add"), article_form_data(section, tags=tags))


def test_a_300_character_tag_is_a_clear_form_error_and_nothing_is_saved(editor_client, section):
    """Regression: PostgreSQL answered DataError (a 500) for a tag longer than its column."""
    from articles.models import Article

    response = add_article(editor_client, section, "Budget, " + "t" * 300)
    assert response.status_code == 200
    assert "is 300 characters long; a tag has at most 100." in response.content.decode()
    assert not Article.objects.exists() and not Tag.objects.exists()


def test_tag_names_lose_invisible_characters_and_case_duplicates(editor_client, section):
    from articles.models import Article

    response = add_article(editor_client, section, "Bud\u200bget, budget, Zu\u0308rich, \x01Port\u202e, " + "t" * 100)
    assert response.status_code == 302
    names = sorted(Article.objects.get().tags.names())
    assert names == ["Budget", "Port", "Zürich", "t" * 100]


def _copies(article):
    return set(TaggedArticle.objects.filter(content_object=article).values_list("published_at", flat=True))


def test_a_tag_keeps_its_articles_publication_time_through_every_change(publication, section, editor):
    """Tag pages read their newest articles from the tag's own index (TaggedArticle.published_at)."""
    article = make_article(section=section, tags=["Harbour", "Navy"])
    assert _copies(article) == {article.published_at}
    article.published_at = timezone.now() - timedelta(days=3)
    services.article_save(article=article, user=editor, tags=["Harbour", "Navy", "Fleet"])
    assert _copies(article) == {article.published_at}
    article.published_at = None
    article.status = Article.Status.DRAFT
    article.save()
    assert _copies(article) == {None}
    article.published_at = timezone.now()
    article.save(update_fields=["headline"])  # the time not written: the copies stay as the row is
    assert _copies(article) == {None}


def test_a_tag_page_follows_its_articles_when_their_times_change(client, publication, section):
    now = timezone.now()
    older = make_article(
        headline="Older story", section=section, tags=["Harbour"], published_at=now - timedelta(days=2)
    )
    newer = make_article(
        headline="Newer story", section=section, tags=["Harbour"], published_at=now - timedelta(days=1)
    )
    url = reverse("articles:tag", args=["harbour"])
    page = client.get(url).content.decode()
    assert page.index("Newer story") < page.index("Older story")
    older.published_at = now - timedelta(hours=1)
    older.save()
    page = client.get(url).content.decode()
    assert page.index("Older story") < page.index("Newer story")
    newer.published_at = now + timedelta(hours=1)  # scheduled: not on the page until its time
    newer.save()
    assert "Newer story" not in client.get(url).content.decode()
