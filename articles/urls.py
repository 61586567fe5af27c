from django.contrib.sitemaps import views as sitemap_views
from django.urls import path, register_converter

from articles import feeds, views
from articles.sitemaps import SITEMAPS, NewsSitemap
from articles.tags import UnicodeSlugConverter

app_name = "articles"


class YearConverter:
    regex = "[0-9]{4}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{int(value):04d}"


class MonthConverter:
    regex = "0[1-9]|1[0-2]"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{int(value):02d}"


register_converter(YearConverter, "year")
register_converter(MonthConverter, "month")
register_converter(UnicodeSlugConverter, "tagslug")

_list_feeds = {
    "section": (feeds.SectionFeed, feeds.SectionAtomFeed),
    "tag": (feeds.TagFeed, feeds.TagAtomFeed),
    "publisher": (feeds.PublisherFeed, feeds.PublisherAtomFeed),
    "author": (feeds.AuthorFeed, feeds.AuthorAtomFeed),
}

urlpatterns = [
    path("", views.FrontPageView.as_view(), name="front"),
    path("feed/", feeds.LatestArticlesFeed(), name="feed"),
    path("feed/atom/", feeds.LatestArticlesAtomFeed(), name="feed-atom"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("section/<slug:slug>/", views.SectionView.as_view(), name="section"),
    path("tag/<tagslug:slug>/", views.TagView.as_view(), name="tag"),
    path("publisher/<slug:slug>/", views.PublisherView.as_view(), name="publisher"),
    path("author/<slug:slug>/", views.AuthorView.as_view(), name="author"),
    *(
        route
        for kind, (rss, atom) in _list_feeds.items()
        for converter in ["tagslug" if kind == "tag" else "slug"]
        for route in [
            path(f"{kind}/<{converter}:slug>/feed/", rss(), name=f"{kind}-feed"),
            path(f"{kind}/<{converter}:slug>/feed/atom/", atom(), name=f"{kind}-feed-atom"),
        ]
    ),
    path("search/", views.SearchView.as_view(), name="search"),
    path("archive/", views.ArchiveIndexView.as_view(), name="archive"),
    path("archive/<year:year>/", views.DateArchiveView.as_view(), name="archive-year"),
    path("archive/<year:year>/<month:month>/", views.DateArchiveView.as_view(), name="archive-month"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("favicon.ico", views.favicon, name="favicon"),
    # Sitemaps are kept by the page cache like every reader page (removed when what they list changes).
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "articles:sitemap-section"},
        name="sitemap",
    ),
    # Before the generic section route, so the index's link to the news sitemap gets the news template.
    path(
        "sitemap-news.xml",
        sitemap_views.sitemap,
        {"sitemaps": {"news": NewsSitemap}, "template_name": "sitemaps/news.xml"},
        name="sitemap-news",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("corrections/", views.CorrectionListView.as_view(), name="corrections"),
    path("preview/<str:token>/", views.shared_article, name="shared"),
    # Last: the publication's own pages at /<slug>/ (About, Contact...). Page slugs that other
    # routes use are refused by validate_page_slug.
    path("<slug:slug>/", views.PageDetailView.as_view(), name="page"),
]
