import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles import page_cache, services
from articles.models import Article, Section
from articles.sitemaps import news_language
from tests.factories import make_article, make_author, make_page, make_publisher, make_section

pytestmark = pytest.mark.django_db

SM = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS = "http://www.google.com/schemas/sitemap-news/0.9"
NS = {"sm": SM, "news": NEWS}
NOW = datetime(2026, 5, 20, 12, 0, tzinfo=UTC)


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)  # noqa: S314 (our own output, parsed to check it)


def locations(root):
    return [loc.text for loc in root.iterfind("sm:url/sm:loc", NS)]


def path_of(url):
    return "/" + url.split("/", 3)[3]


@pytest.fixture
def site(publication):
    section = make_section(name="World", slug="world")
    make_section(name="Empty", slug="empty")
    author = make_author(name="Ada", slug="ada")
    publisher = make_publisher(name="Wire", slug="wire")
    common = {"section": section, "authors": [author], "publisher": publisher, "tags": ["Japan"]}
    return {
        "published": make_article(headline="Visible", **common),
        "draft": make_article(headline="Draft", status=Article.Status.DRAFT, tags=["Secret"], section=section),
        "future": make_article(headline="Future", published_at=timezone.now() + timedelta(days=1), section=section),
        "page": make_page(title="About us", slug="about", kind="about"),
        "hidden_page": make_page(title="Unpublished", slug="hidden", is_published=False),
    }


def test_index_lists_every_sitemap(client, site):
    root = parse(client, reverse("articles:sitemap"))
    assert root.tag == f"{{{SM}}}sitemapindex"
    listed = {path_of(loc.text) for loc in root.iterfind("sm:sitemap/sm:loc", NS)}
    assert listed == {
        f"/sitemap-{name}.xml" for name in ["site", "articles", "news", "sections", "tags", "publishers", "authors"]
    }
    articles = next(
        s for s in root.iterfind("sm:sitemap", NS) if "sitemap-articles" in s.findtext("sm:loc", namespaces=NS)
    )
    assert articles.findtext("sm:lastmod", namespaces=NS)


def test_each_sitemap_lists_only_public_things(client, site):
    everything = []
    for name in ["site", "articles", "sections", "tags", "publishers", "authors"]:
        root = parse(client, f"/sitemap-{name}.xml")
        assert root.tag == f"{{{SM}}}urlset"
        everything += [path_of(url) for url in locations(root)]
    assert site["published"].get_absolute_url() in everything
    for expected in ["/", "/archive/", "/about/", "/section/world/", "/tag/japan/", "/publisher/wire/", "/author/ada/"]:
        assert expected in everything, expected
    for hidden in [site["draft"].get_absolute_url(), site["future"].get_absolute_url(), "/tag/secret/"]:
        assert hidden not in everything
    assert "/hidden/" not in everything
    assert "/section/empty/" not in everything  # no published article yet


def test_an_embargoed_article_puts_nothing_on_the_map(client, publication):
    """Its section, tags, publisher and author hold no public article, so they are not listed because of it."""
    make_article(
        headline="Embargoed",
        section=make_section(name="Defence", slug="defence"),
        authors=[make_author(name="Eve", slug="eve")],
        publisher=make_publisher(name="Agency", slug="agency"),
        tags=["Secret talks"],
        published_at=timezone.now() - timedelta(hours=1),
        embargo_until=timezone.now() + timedelta(hours=5),
    )
    listed = []
    for name in ["articles", "sections", "tags", "publishers", "authors"]:
        listed += [path_of(url) for url in locations(parse(client, f"/sitemap-{name}.xml"))]
    assert listed == []


def test_article_sitemap_carries_lastmod_and_is_paged_at_50000(client, site):
    from articles.sitemaps import ArticleSitemap

    assert ArticleSitemap.limit == 50_000
    root = parse(client, "/sitemap-articles.xml")
    (url,) = root.iterfind("sm:url", NS)
    assert url.findtext("sm:lastmod", namespaces=NS) == timezone.localdate(site["published"].updated_at).isoformat()


def test_article_sitemap_pages_split_when_over_the_limit(client, publication, section, monkeypatch):
    from articles.sitemaps import ArticleSitemap

    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    for _ in range(5):
        make_article(section=section)
    index = parse(client, reverse("articles:sitemap"))
    pages = [path_of(loc.text) for loc in index.iterfind("sm:sitemap/sm:loc", NS) if "articles" in loc.text]
    assert pages == ["/sitemap-articles.xml", "/sitemap-articles.xml?p=2", "/sitemap-articles.xml?p=3"]
    assert len(locations(parse(client, "/sitemap-articles.xml?p=3"))) == 1


def test_news_sitemap_lists_the_last_two_days_with_news_tags(client, publication, section):
    with time_machine.travel(NOW - timedelta(days=5), tick=False):
        old = make_article(headline="Old news", section=section, published_at=NOW - timedelta(days=2, minutes=1))
        recent = make_article(headline="Fresh <news> & more", section=section, published_at=NOW - timedelta(hours=47))
        just_now = make_article(headline="Just now", section=section, published_at=NOW - timedelta(minutes=1))
        make_article(headline="Draft", section=section, status=Article.Status.DRAFT, published_at=NOW)
        make_article(headline="Scheduled", section=section, published_at=NOW + timedelta(minutes=5))
    with time_machine.travel(NOW, tick=False):
        root = parse(client, reverse("articles:sitemap-news"))
    urls = root.findall("sm:url", NS)
    assert [path_of(u.findtext("sm:loc", namespaces=NS)) for u in urls] == [
        just_now.get_absolute_url(),
        recent.get_absolute_url(),
    ]
    assert old.get_absolute_url() not in ET.tostring(root).decode()
    news = urls[1].find("news:news", NS)
    assert news.findtext("news:publication/news:name", namespaces=NS) == "The Test Gazette"
    assert news.findtext("news:publication/news:language", namespaces=NS) == "en"
    assert news.findtext("news:title", namespaces=NS) == "Fresh <news> & more"
    published = datetime.fromisoformat(news.findtext("news:publication_date", namespaces=NS))
    assert published == recent.published_at


def test_news_sitemap_survives_control_characters_in_headlines(client, publication, section):
    make_article(headline="Bad \x01\x08 bytes", section=section)
    root = parse(client, reverse("articles:sitemap-news"))
    assert root.find("sm:url/news:news/news:title", NS).text == "Bad  bytes"


@pytest.mark.parametrize(
    ("tag", "code"),
    [("en", "en"), ("en-US", "en"), ("de_DE", "de"), ("zh-TW", "zh-tw"), ("zh-Hans", "zh-cn"), ("", "en")],
)
def test_news_language_codes(tag, code):
    assert news_language(tag) == code


def test_sitemaps_use_the_site_url_when_set(client, site, settings):
    settings.SITE_URL = "https://news.example.com"
    assert locations(parse(client, "/sitemap-articles.xml")) == [
        "https://news.example.com" + site["published"].get_absolute_url()
    ]


def test_sitemap_of_an_unknown_section_is_404(client, site):
    assert client.get("/sitemap-nope.xml").status_code == 404


def test_article_sitemap_query_count_is_flat(client, publication, section, django_assert_max_num_queries):
    """The article sitemap is a count and a page; the index two aggregate queries per sitemap, never per row."""
    for _ in range(20):
        make_article(section=section, tags=["A"])
    client.get("/sitemap-articles.xml")
    with django_assert_max_num_queries(2):
        client.get("/sitemap-articles.xml")
    with django_assert_max_num_queries(14):
        client.get(reverse("articles:sitemap"))


def test_sitemaps_are_served_from_the_page_cache_until_an_article_is_published(
    client, site, django_assert_num_queries, settings, tmp_path, committed
):
    """No sitemap cache of its own: the page cache keeps sitemaps, and the content-changed event removes
    them the moment a story is published (a time-based cache listed it minutes late)."""
    settings.PAGE_CACHE = True
    settings.PAGE_CACHE_EPOCH_FILE = str(tmp_path / "epoch")
    page_cache.page_cache().clear()
    first = client.get("/sitemap-articles.xml")
    with django_assert_num_queries(0):
        second = client.get("/sitemap-articles.xml")
    assert second.content == first.content
    assert "s-maxage=" in second["Cache-Control"]
    draft = make_article(headline="Fresh in the sitemap", section=Section.objects.first(), status="draft")
    draft.status, draft.published_at = Article.Status.PUBLISHED, None
    with committed():
        services.article_save(article=draft)
    assert draft.get_absolute_url() in client.get("/sitemap-articles.xml").content.decode()
    page_cache.page_cache().clear()


def test_robots_txt_names_the_sitemaps_and_keeps_crawlers_out_of_admin_and_search(client, publication):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Disallow: /admin/" in lines and "Disallow: /search/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Sitemap: http://testserver/sitemap-news.xml" in lines
    assert not response.cookies
