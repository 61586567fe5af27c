"""List cards (includes/card/article.html) rendered once and kept in the cache, keyed by what they show.

A card's key is a digest of every value the card prints (headline, dek, dates, section, kind, featured
image version, bylines, publisher, tags, comment count and the other listing annotations), of the card
templates' source and of the language and time zone. Whatever changes a card changes its key, so a stale
card can never be served and nothing has to be removed: old entries simply expire. The values come from
the page's own query (for_listing), so a kept card costs no query; a page's cards are read from the
cache in one round trip (prepare()), and only the missing ones are rendered.
"""

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone, translation

from articles import hooks
from newsroom.fragments import fragment_key

TEMPLATE = "includes/card/article.html"
# The card and everything it includes: their source is part of every key, so a deploy that changes a
# template never serves cards rendered by the old one.
TEMPLATES = (
    TEMPLATE,
    "includes/picture.html",
    "includes/kind_label.html",
    "includes/byline.html",
    "comments/_count_link.html",
    "includes/tag_list.html",
)
TIMEOUT = 6 * 60 * 60


def _related(obj, *fields):
    return None if obj is None else tuple(getattr(obj, field) for field in fields)


def card_key(article, is_lead=False):
    """The cache key of `article`'s card: it changes whenever anything the card shows changes."""
    image = article.image if article.image_id else None
    shown = (
        article.pk,
        article.headline,
        article.slug,
        article.dek,
        article.published_at,
        article.originally_published_at,
        article.updated_at,
        _related(article.section, "pk", "name", "slug"),
        _related(article.kind if article.kind_id else None, "pk", "name", "slug", "show_label", "is_sponsored"),
        _related(image, "pk", "updated_at", "version", "alt", "is_decorative"),
        _related(article.publisher if article.publisher_id else None, "pk", "name", "slug"),
        [(author.pk, author.name, author.slug) for author in article.authors_in_order],
        [(tag.pk, tag.name, tag.slug) for tag in article.tag_list],
        [getattr(article, name, None) for name in sorted(hooks.listing_annotations)],
        is_lead,
        translation.get_language(),
        timezone.get_current_timezone_name(),
    )
    return fragment_key("card", TEMPLATES, shown)


def _render(article, is_lead):
    return render_to_string(TEMPLATE, {"article": article, "is_lead": is_lead})


def prepare(articles, lead=None):
    """Read the cards of `articles` (and `lead`'s large card) from the cache in one round trip, render
    the missing ones and keep them; card_html() then finds them on the articles."""
    wanted = [(article, False) for article in articles if article is not lead]
    if lead is not None:
        wanted.append((lead, True))
    if not wanted:
        return
    keys = {card_key(article, is_lead): (article, is_lead) for article, is_lead in wanted}
    found = cache.get_many(list(keys))
    missing = {}
    for key, (article, is_lead) in keys.items():
        html = found.get(key)
        if html is None:
            html = missing[key] = _render(article, is_lead)
        _prepared(article)[is_lead] = html
    if missing:
        cache.set_many(missing, TIMEOUT)


def _prepared(article):
    if "_cards" not in article.__dict__:
        article._cards = {}
    return article._cards


def card_html(article, is_lead=False):
    """The card of `article`: prepared by prepare(), else from the cache, else rendered and kept."""
    prepared = _prepared(article)
    if is_lead not in prepared:
        key = card_key(article, is_lead)
        html = cache.get(key)
        if html is None:
            html = _render(article, is_lead)
            cache.set(key, html, TIMEOUT)
        prepared[is_lead] = html
    return prepared[is_lead]
