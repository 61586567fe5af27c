"""Which Content API paths a content-changed event makes stale, for whoever purges a CDN.

Public API responses may be kept by a CDN (articles.api.http). A purge subscriber connected to
articles.events.content_changed purges `change.paths` (the reader pages) and `api_paths(change)`:

- an article: /api/v1/articles/<id>, its /comments, and the article list (every filter and page:
  like reader paths, a path covers its query strings);
- a comment: its /api/v1/comments/<id>, plus all of the above for its article (the comment count);
- a tag, author, publisher or section: its /api/v1/<kind>/<id>, its list, and the articles that show it
  (through the reader paths of the event) and the article list;
- everything (the publication, a section, a page): None, meaning every path under /api/v1/.

Costs one query, to find the articles behind the event's reader paths; call it from the subscriber, not a page.
"""

from django.urls import Resolver404, resolve

from articles.api.content import api_path, api_root

KINDS = {
    "articles.section": "sections",
    "taggit.tag": "tags",
    "articles.author": "authors",
    "articles.publisher": "publishers",
    "articles.page": "pages",
    "comments.comment": "comments",
}


def _article_slugs(paths):
    slugs = set()
    for path in paths:
        try:
            match = resolve(path)
        except Resolver404:
            continue
        if match.view_name == "articles:detail":
            slugs.add(match.kwargs["slug"])
    return slugs


def api_paths(change):
    """The API paths that `change` (an articles.events.ContentChange) may have made stale; None for all."""
    from articles.models import Article

    if change.everything:
        return None
    article_ids = {pk for label, pk in change.objects if label == "articles.article"}
    slugs = _article_slugs(change.paths)
    if slugs:
        article_ids |= set(Article.objects.filter(slug__in=slugs).values_list("pk", flat=True))
    paths = set()
    for label, pk in change.objects:
        if label in KINDS:
            paths |= {api_path(KINDS[label]), api_path(KINDS[label], pk)}
    for pk in article_ids:
        paths |= {api_path("articles", pk), api_path("articles", pk, "comments")}
    if article_ids or paths:
        paths.add(api_path("articles"))
    return paths


def everything():
    """The prefix that stands for every API path, for a subscriber given None."""
    return api_root()
