from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_author, make_publisher, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(publication, section):
    """One article of each visibility, all in one section, author, publisher and tag."""
    author = make_author(name="Ada Reporter", slug="ada")
    publisher = make_publisher(name="Meridian Wire", slug="meridian")
    common = {"section": section, "authors": [author], "publisher": publisher, "tags": ["Japan"]}
    return {
        "published": make_article(headline="Visible story", **common),
        "draft": make_article(headline="Draft story", status=Article.Status.DRAFT, **common),
        "future": make_article(headline="Future story", published_at=timezone.now() + timedelta(days=1), **common),
        "unpublished": make_article(headline="Withdrawn story", status=Article.Status.UNPUBLISHED, **common),
        "author": author,
        "publisher": publisher,
        "section": section,
    }


def reader_list_urls(world):
    return [
        reverse("articles:front"),
        world["section"].get_absolute_url(),
        reverse("articles:tag", args=["japan"]),
        world["publisher"].get_absolute_url(),
        world["author"].get_absolute_url(),
        reverse("articles:search") + "?q=story",
    ]


def test_every_list_shows_only_published_articles(client, world):
    for url in reader_list_urls(world):
        html = client.get(url).content.decode()
        assert "Visible story" in html, url
        for hidden in ["Draft story", "Future story", "Withdrawn story"]:
            assert hidden not in html, (url, hidden)


@pytest.mark.parametrize("kind", ["draft", "future", "unpublished"])
def test_hidden_articles_are_404_for_readers(client, world, kind):
    response = client.get(world[kind].get_absolute_url())
    assert response.status_code == 404
    assert world[kind].headline not in response.content.decode()


@pytest.mark.parametrize("kind", ["draft", "future"])
def test_staff_who_may_change_articles_preview_hidden_articles_uncached(editor_client, world, kind):
    response = editor_client.get(world[kind].get_absolute_url())
    assert response.status_code == 200
    assert "Preview: this article is not public" in response.content.decode()
    assert "no-cache" in response["Cache-Control"]


def test_staff_without_the_permission_get_404_for_drafts(client, world, django_user_model):
    client.force_login(django_user_model.objects.create_user("intern", is_staff=True))
    assert client.get(world["draft"].get_absolute_url()).status_code == 404


def test_every_reader_page_carries_the_issn_masthead(client, world):
    urls = [*reader_list_urls(world), world["published"].get_absolute_url(), "/no-such-page/"]
    for url in urls:
        html = client.get(url).content.decode()
        assert "ISSN 2330-717X" in html, url


def test_unknown_slugs_are_friendly_404s(client, publication):
    for url in ["/articles/nope/", "/section/nope/", "/tag/nope/", "/publisher/nope/", "/author/nope/"]:
        response = client.get(url)
        assert response.status_code == 404
        assert "Page not found" in response.content.decode()


def test_overlong_slug_is_a_404(client, publication):
    assert client.get("/articles/" + "a" * 5000 + "/").status_code == 404


@pytest.mark.parametrize("page", ["abc", "-1", "0", "99999", "1.5", "%00", "1;DROP TABLE"])
def test_bad_page_numbers_are_404_not_500(client, world, page):
    response = client.get(reverse("articles:front"), {"page": page})
    assert response.status_code == 404


def test_pagination_splits_lists_and_marks_next_and_previous(client, publication, section, settings):
    for number in range(1, 27):
        make_article(
            headline=f"Story {number:02d}", section=section, published_at=timezone.now() - timedelta(hours=number)
        )
    first = client.get(reverse("articles:front")).content.decode()
    second = client.get(reverse("articles:front"), {"page": 2}).content.decode()
    third = client.get(reverse("articles:front"), {"page": 3}).content.decode()
    assert "Story 01" in first and "Story 12" in first and "Story 13" not in first
    assert "Story 13" in second and "Story 24" in second
    assert "Story 26" in third
    assert 'rel="next"' in first and 'rel="prev"' not in first
    assert 'rel="prev"' in third and 'rel="next"' not in third
    assert "Page 2 of 3" in second


def test_front_page_leads_with_the_newest_article(client, publication, section):
    make_article(headline="Older", section=section, published_at=timezone.now() - timedelta(days=2))
    make_article(headline="Newest", section=section, published_at=timezone.now() - timedelta(minutes=5))
    html = client.get("/").content.decode()
    lead = html.index('class="lead-story"')
    assert lead < html.index("Newest") < html.index('id="latest-heading"') < html.index("Older")


def test_article_page_shows_byline_tags_and_dek(client, world):
    html = client.get(world["published"].get_absolute_url()).content.decode()
    assert "Ada Reporter" in html
    assert "/tag/japan/" in html
    assert world["published"].dek in html
    assert html.count("<h1") == 1


def test_article_body_html_is_rendered_and_headlines_are_escaped(client, publication, section):
    article = make_article(headline="<script>alert(1)</script> & more", body="<p><strong>Bold</strong> claim</p>")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<strong>Bold</strong>" in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html


def test_publisher_box_sits_under_the_body_and_links_to_the_publisher(client, world):
    publisher = world["publisher"]
    html = client.get(world["published"].get_absolute_url()).content.decode()
    box = html.index('class="publisher-box"')
    assert html.index('class="article-body"') < box < html.index("Leave a Reply")
    assert f'href="{publisher.get_absolute_url()}"' in html[box:]
    assert "Wire" in html[box:] and publisher.description in html[box:]


def test_article_without_publisher_has_no_publisher_box(client, publication, section):
    article = make_article(section=section)
    assert 'class="publisher-box"' not in client.get(article.get_absolute_url()).content.decode()


def test_tag_page_lists_the_tagged_articles_only(client, publication, section):
    make_article(headline="Tagged one", section=section, tags=["Indo-Pacific"])
    make_article(headline="Untagged one", section=section, tags=["Other"])
    html = client.get(reverse("articles:tag", args=["indo-pacific"])).content.decode()
    assert "Tagged one" in html and "Untagged one" not in html
    assert "<h1>Indo-Pacific</h1>" in html


def test_search_finds_words_in_any_order_and_survives_hostile_queries(client, publication, section):
    make_article(headline="Defense ministers meet", section=section, body="<p>Talks on the alliance</p>")
    html = client.get(reverse("articles:search"), {"q": "alliance defense"}).content.decode()
    assert "Defense ministers meet" in html
    for hostile in ["", "   ", "%", "_", "' OR 1=1 --", "<script>x</script>", "a" * 10_000, "\x00", "&|!():*"]:
        response = client.get(reverse("articles:search"), {"q": hostile})
        assert response.status_code == 200
        assert "<script>x</script>" not in response.content.decode()


def test_anonymous_reader_pages_are_identical_for_every_reader_and_set_no_cookies(client, world):
    """A page cache can serve these: no CSRF token, no session, no per-reader content."""
    from django.test import Client

    for url in [*reader_list_urls(world), world["published"].get_absolute_url()]:
        first, second = client.get(url), Client().get(url)
        assert first.content == second.content, url
        assert not first.cookies, url
        assert "csrfmiddlewaretoken" not in first.content.decode(), url


def test_reader_pages_have_no_inline_scripts_styles_or_handlers(client, world):
    import re

    for url in [*reader_list_urls(world), world["published"].get_absolute_url(), "/missing/"]:
        html = client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)[^>]*>", html), url
        assert not re.search(r"\sstyle=", html), url
        assert not re.search(r"\son[a-z]+=", html), url


class TestQueryBudgets:
    """Counts stay flat as data grows: a page never runs a query per article, author or tag."""

    def fill(self, section, count):
        authors = [make_author(), make_author()]
        publisher = make_publisher()
        for number in range(count):
            make_article(
                section=section,
                authors=authors,
                publisher=publisher if number % 2 else None,
                tags=["Japan", f"tag{number}"],
            )

    def measure(self, client, django_assert_max_num_queries, url, budget):
        client.get(url)  # warm the site-chrome cache, as on a live site
        with django_assert_max_num_queries(budget) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    @pytest.mark.parametrize(
        ("url_name", "budget"),
        [("front", 4), ("section", 5), ("tag", 5), ("search", 5)],
    )
    def test_list_pages_stay_within_budget_with_5_and_50_articles(
        self, client, django_assert_max_num_queries, section, publication, url_name, budget
    ):
        """Guards the N+1 on bylines, tags, section and publisher of each card."""
        urls = {
            "front": reverse("articles:front"),
            "section": section.get_absolute_url(),
            "tag": reverse("articles:tag", args=["japan"]),
            "search": reverse("articles:search") + "?q=body",
        }
        self.fill(section, 5)
        with_5 = self.measure(client, django_assert_max_num_queries, urls[url_name], budget)
        self.fill(section, 45)
        with_50 = self.measure(client, django_assert_max_num_queries, urls[url_name], budget)
        assert with_5 == with_50

    def test_article_page_stays_within_budget_as_data_grows(
        self, client, django_assert_max_num_queries, section, publication
    ):
        """Guards per-author and per-tag queries on the article page."""
        self.fill(section, 5)
        article = Article.objects.first()
        with_5 = self.measure(client, django_assert_max_num_queries, article.get_absolute_url(), 6)
        self.fill(section, 45)
        article.tags.add(*[f"extra{n}" for n in range(20)])
        with_50 = self.measure(client, django_assert_max_num_queries, article.get_absolute_url(), 6)
        assert with_5 == with_50

    def test_publisher_and_author_pages_stay_within_budget(
        self, client, django_assert_max_num_queries, section, publication
    ):
        self.fill(section, 10)
        article = Article.objects.filter(publisher__isnull=False).first()
        for url in [article.publisher.get_absolute_url(), article.authors_in_order[0].get_absolute_url()]:
            self.measure(client, django_assert_max_num_queries, url, 5)


def test_server_error_page_is_friendly(client, publication, monkeypatch):
    from articles import views

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views.FrontPageView, "get", explode)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_section_navigation_lists_sections_in_order(client, publication):
    make_section(name="Zeta", slug="zeta", position=1)
    make_section(name="Alpha", slug="alpha", position=2)
    html = client.get("/").content.decode()
    assert html.index("/section/zeta/") < html.index("/section/alpha/")


def test_editing_a_section_refreshes_the_cached_navigation(client, publication):
    section = make_section(name="Old name", slug="old")
    assert "Old name" in client.get("/").content.decode()
    section.name = "New name"
    section.save()
    assert "New name" in client.get("/").content.decode()
