"""What an article's page shows, in one place: the reader view, the desk's preview and the comment
form's re-render (comments.views) all build it here instead of instantiating each other's views."""

from django.core.cache import cache
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers
from django.utils.safestring import mark_safe

from articles import body, media, richtext, structured_data
from articles.chrome import sections_and_kinds_by_id
from articles.models import Article, Image
from articles.models.article import IMAGE_CARD_FIELDS, loaded_instance
from newsroom import per_request
from newsroom.compiled_queries import CompiledQuery
from newsroom.fragments import fragment_key
from newsroom.reverse import reverse

TEMPLATE = "articles/article_detail.html"
RELATED_ARTICLES = 4
# How long the ranking of an article's related articles is kept (a page-cached article page is as old).
RELATED_SECONDS = 10 * 60
RELATED_TEMPLATES = ("articles/_related.html", "includes/picture.html")
# Everything the related list shows of each article (its section's name and slug come from the chrome).
_RELATED_ARTICLE_FIELDS = ["id", "headline", "slug", "published_at", "section_id", "image_id"]
RELATED_ROW_FIELDS = [*_RELATED_ARTICLE_FIELDS, *(f"image__{name}" for name in IMAGE_CARD_FIELDS)]
RELATED_LIST_SECONDS = 6 * 60 * 60
_related_rows = CompiledQuery(
    lambda now, ids: Article.objects.published(now).filter(pk__in=ids).values_list(*RELATED_ROW_FIELDS)
)


def article_page_queryset(queryset=None):
    """Articles with what their page shows of other rows read in the same query (bylines, tags, corrections,
    the listing annotations)."""
    return (queryset if queryset is not None else Article.objects.all()).for_listing().with_correction_notes()


def article_page_context(request, article, **extra):
    # What the body's images and embeds and the related articles are kept as: one cache round trip for all.
    per_request.read_ahead([*media.cache_keys(richtext.parse_stored(body.stored_body(article))), related_key(article)])
    image = article.image  # loaded with the article (for_listing)
    shared = article.social_image or image  # what a shared link shows: the social image, else the featured one
    return {
        "article": article,
        "object": article,
        "image_set": image.renditions() if image else None,
        "social_image": shared.crop("social") if shared else None,
        "social_image_alt": shared.alt_text if shared else "",
        # The body's images and embeds: from the cache, else one query for all of them.
        "body_html": body.render_for_article(article),
        "related_html": related_html(article),
        "structured_data": structured_data.news_article(article, request),
        "feed_urls": {
            "rss": reverse("articles:section-feed", args=[article.section.slug]),
            "atom": reverse("articles:section-feed-atom", args=[article.section.slug]),
        },
        **extra,
    }


def related_html(article):
    """The related-articles list of `article`'s page (ArticleQuerySet.related_to), as HTML.

    Which articles is kept RELATED_SECONDS under the article, its section and its tags (the ranking is most
    of the cost); what they show is read through published() every time, as plain rows, so an edited or
    withdrawn one shows at once and a newly published one within RELATED_SECONDS, as a page cache would
    show it. The list is rendered once and kept under a digest of those rows, the sections' names, the
    templates' source, the language and the time zone (newsroom.fragments): one query either way.
    """
    key = related_key(article)
    ranking = per_request.get(key)
    if ranking is None:
        rows = list(Article.objects.published().related_to(article, RELATED_ARTICLES).values_list(*RELATED_ROW_FIELDS))
        per_request.set(key, [row[0] for row in rows], RELATED_SECONDS)
    elif ranking:
        found = {row[0]: row for row in _related_rows.evaluate(now=timezone.now(), ids=tuple(ranking))}
        rows = [found[pk] for pk in ranking if pk in found]
    else:
        rows = []
    if not rows:
        return ""
    sections = sections_and_kinds_by_id()[0]
    section_of = RELATED_ROW_FIELDS.index("section_id")
    names = [(section.name, section.slug) if (section := sections.get(row[section_of])) else None for row in rows]
    shown = (rows, names, translation.get_language(), timezone.get_current_timezone_name())
    list_key = fragment_key("related", RELATED_TEMPLATES, shown)
    html = cache.get(list_key)
    if html is None:
        articles = [_related_article(row, sections) for row in rows]
        html = render_to_string(RELATED_TEMPLATES[0], {"articles": articles})
        cache.set(list_key, html, RELATED_LIST_SECONDS)
    return mark_safe(html)  # noqa: S308 (rendered by the related list's template)


def _related_article(row, sections):
    """An article (with its section and featured image) made from its related row, as the template needs it."""
    article = loaded_instance(Article, None, dict(zip(_RELATED_ARTICLE_FIELDS, row, strict=False)))
    if (section := sections.get(article.section_id)) is not None:
        Article.section.field.set_cached_value(article, section)
    image_values = dict(zip(IMAGE_CARD_FIELDS, row[len(_RELATED_ARTICLE_FIELDS) :], strict=True))
    image = loaded_instance(Image, None, image_values) if image_values["id"] is not None else None
    Article.image.field.set_cached_value(article, image)
    return article


def related_key(article):
    return f"related:{article.pk}:{article.section_id}:{','.join(str(tag.pk) for tag in article.tag_list)}"


def preview_response(request, article, *, status=200, **extra):
    """The article as readers will see it, marked as a preview: never cached, never indexed."""
    response = render(
        request, TEMPLATE, article_page_context(request, article, is_preview=True, **extra), status=status
    )
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
