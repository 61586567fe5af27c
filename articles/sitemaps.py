"""Sitemaps: /sitemap.xml indexes one sitemap per kind of page, and a Google News sitemap.

Articles come in pages of at most 50,000 URLs (the protocol's limit) with their last
change as lastmod. Sections, tags, publishers and authors appear only once they have a
published article. The news sitemap lists what was published in the last two days, as
Google News asks, with the publication's name and language.
"""

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, Author, Page, Publisher, Section
from articles.tags import tag_url

NEWS_WINDOW = timedelta(days=2)
NEWS_MAX_URLS = 1000  # Google News reads at most this many URLs from one news sitemap.


class PublicSitemap(Sitemap):
    """Locations on NEWSROOM_SITE_URL when it is set, else on the requested host."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme if settings.SITE_URL else super().get_protocol(protocol)

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc if settings.SITE_URL else super().get_domain(site)


class ArticleSitemap(PublicSitemap):
    limit = 50_000

    def items(self):
        return Article.objects.published().only("slug", "published_at", "updated_at").latest_first()

    def location(self, article):
        # One reverse() for the whole page instead of one per article: a full page has 50,000.
        if not hasattr(self, "_path_template"):
            self._path_template = reverse("articles:detail", kwargs={"slug": "__slug__"})
        return self._path_template.replace("__slug__", article.slug)

    def lastmod(self, article):
        return max(article.updated_at, article.published_at)

    def get_latest_lastmod(self):
        return Article.objects.published().aggregate(latest=Max("updated_at"))["latest"]


class _RelatedListSitemap(PublicSitemap):
    """Lists (sections, tags...) that hold at least one public article, dated by their newest one.

    "Public" is Article.objects.published() itself, so an embargoed or scheduled article never
    puts its section, tags, publisher or authors on the map.
    """

    model = None
    article_field = None  # the Article field that leads to `model`

    def items(self):
        public = Article.objects.published()
        newest = (
            public.filter(**{self.article_field: OuterRef("pk")}).order_by("-published_at").values("published_at")[:1]
        )
        return (
            self.model.objects.filter(pk__in=public.values(self.article_field))
            .annotate(latest_article=Subquery(newest))
            .order_by("pk")
        )

    def lastmod(self, obj):
        return obj.latest_article

    def get_latest_lastmod(self):
        return Article.objects.published().aggregate(latest=Max("published_at"))["latest"]


class SectionSitemap(_RelatedListSitemap):
    model = Section
    article_field = "section"


class TagSitemap(_RelatedListSitemap):
    model = Tag
    article_field = "tags"

    def items(self):
        return super().items().exclude(slug="")

    def location(self, tag):
        return tag_url(tag)


class PublisherSitemap(_RelatedListSitemap):
    model = Publisher
    article_field = "publisher"


class AuthorSitemap(_RelatedListSitemap):
    model = Author
    article_field = "authors"


class SiteSitemap(PublicSitemap):
    """The front page, the archive and the publication's own pages."""

    def items(self):
        return ["articles:front", "articles:archive", *Page.objects.published().order_by("pk")]

    def location(self, item):
        return reverse(item) if isinstance(item, str) else item.get_absolute_url()

    def lastmod(self, item):
        return item.updated_at if isinstance(item, Page) else None


class NewsSitemap(ArticleSitemap):
    """Google News: articles published in the last two days, newest first."""

    limit = NEWS_MAX_URLS

    def items(self):
        since = timezone.now() - NEWS_WINDOW
        return (
            Article.objects.published()
            .filter(published_at__gte=since)
            .only("slug", "headline", "published_at", "updated_at")
            .latest_first()[:NEWS_MAX_URLS]
        )

    def get_latest_lastmod(self):
        return (
            Article.objects.published()
            .filter(published_at__gte=timezone.now() - NEWS_WINDOW)
            .aggregate(latest=Max("updated_at"))["latest"]
        )


SITEMAPS = {
    "site": SiteSitemap,
    "articles": ArticleSitemap,
    "news": NewsSitemap,
    "sections": SectionSitemap,
    "tags": TagSitemap,
    "publishers": PublisherSitemap,
    "authors": AuthorSitemap,
}


def news_language(language):
    """Google News wants an ISO 639 code ("en", "de"), with zh-cn and zh-tw the only regional ones."""
    code = (language or "en").strip().lower().replace("_", "-")
    if code.startswith("zh-"):
        return "zh-tw" if code in {"zh-tw", "zh-hant", "zh-hk"} else "zh-cn"
    return code.split("-")[0] or "en"
