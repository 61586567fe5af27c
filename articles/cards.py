"""List cards (includes/card/article.html) rendered once and kept in the cache, keyed by what they show.

A list page reads its articles as card rows (ArticleQuerySet.card_rows(): one tuple per article of every
value its card prints: headline, dek, dates, section, kind, featured image version, publisher, bylines,
tags, comment count and the other listing annotations). A card's key is a digest of that row, of the
section and kind as the site chrome has them, of the card templates' source and of the language and time
zone. Whatever changes a card changes its key, so a stale card can never be served and nothing has to be
removed: old entries simply expire. A page's cards are read from the cache in one round trip (prepare());
only the missing ones are rendered, from model instances read in one more query.
"""

import hashlib
import json

from django.template.loader import render_to_string
from django.utils import timezone, translation
from taggit.models import Tag

from articles import events, hooks
from articles.chrome import sections_and_kinds_by_id
from articles.models import Article, Author
from articles.models.article import CARD_ROW_FIELDS
from newsroom import generations, per_request
from newsroom.compiled_queries import CompiledQuery
from newsroom.fragments import fragment_key, kept_many

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

# Whether a list is longer than NewsPaginator's cap is kept under the content generation, which every
# content-changed event renews (articles.events), so a long list (the front page, a big section) is not
# counted on every request. Only that is kept: such a list shows "older" links and reads each page's rows as
# they are now, and what happens with no write (a scheduled article going live) only makes it longer. A
# shorter list is counted every time, so its page numbers and rows are never stale. The lifetime bounds what
# an article expiring with no job run, or a process with its own local-memory cache, can leave: a list of
# exactly the cap paged by "older" links.
COUNT_SECONDS = 10 * 60

_FIELD = {name: position for position, name in enumerate(CARD_ROW_FIELDS)}
_AUTHORS, _TAGS = len(CARD_ROW_FIELDS), len(CARD_ROW_FIELDS) + 1


class CardRow:
    """An article on a list page: its card row (ArticleQuerySet.card_rows()) and, once prepare() ran, its card."""

    __slots__ = ("html", "pin_position", "pk", "values")  # html: {is_lead: card} (a search result: its HTML)

    def __init__(self, values, pin_position=None):
        self.values, self.pk, self.pin_position, self.html = values, values[0], pin_position, {}


def rows(values):
    """CardRows for the tuples of a card_rows() query (on a curated list each ends with its pin position)."""
    shown = _TAGS + 1 + len(hooks.listing_annotations)
    return [CardRow(row[:shown], row[shown] if len(row) > shown else None) for row in values]


class CardList:
    """A list page's articles as card rows, for NewsPaginator: `build(**values)` gives the list's queryset
    (e.g. published at `now` in a section); its page slices and its capped count are each one query whose
    SQL is compiled once per process (newsroom.compiled_queries), not on every request (`prepared`: see
    CompiledQuery). `count_build`, when given, gives the same articles written as they are best counted
    (ArticleQuerySet.tagged)."""

    def __init__(self, build, *, prepared=True, count_build=None):
        count_build = count_build or build
        self.page_rows = CompiledQuery(
            lambda start, stop, /, **values: build(**values).card_rows()[start:stop], prepared=prepared
        )
        self.counted = CompiledQuery(
            lambda limit, /, **values: count_build(**values).counting(limit), prepared=prepared
        )

    def bind(self, count_key=None, **values):
        """The list with one request's values; `count_key` (count_key()) keeps whether it is longer than the cap."""
        return BoundCardList(self, values, count_key)


def count_key(*identity):
    """The key under which a list is kept as longer than the cap. `identity` names the list (its view and what
    narrows it, known from the URL alone, so a view can read the key ahead with its other cache reads)."""
    return "list-count:" + hashlib.blake2b(repr(identity).encode(), digest_size=16).hexdigest()


def read_counts_ahead(key):
    """Read what is kept at `key` in the request's first cache round trip (newsroom.per_request)."""
    per_request.read_ahead([events.CONTENT_GENERATION_KEY, key])


class BoundCardList:
    """A CardList with the values of one request."""

    def __init__(self, card_list, values, count_key=None):
        self.card_list, self.values, self.count_key = card_list, values, count_key

    def count_up_to(self, limit):
        if self.count_key is None:
            return self.card_list.counted.count(limit, **self.values)
        generation, kept = generations.read(events.CONTENT_GENERATION_KEY, self.count_key)
        if kept == limit:
            return limit  # kept: this list had `limit` articles or more
        counted = self.card_list.counted.count(limit, **self.values)
        if counted >= limit:
            generations.keep_under(events.CONTENT_GENERATION_KEY, generation, self.count_key, limit, COUNT_SECONDS)
        return counted

    def __getitem__(self, window):
        if not isinstance(window, slice) or window.step is not None or window.stop is None:
            raise TypeError("a card list is read a page at a time: list[start:stop]")
        return self.card_list.page_rows.evaluate(window.start or 0, window.stop, **self.values)


def chrome_values(row, chrome):
    """The section's and the kind's values a card of `row` shows (from the site chrome)."""
    sections, kinds = chrome
    section = sections.get(row[_FIELD["section_id"]])
    kind = kinds.get(row[_FIELD["kind_id"]])
    return (
        None if section is None else (section.name, section.slug),
        None if kind is None else (kind.name, kind.slug, kind.show_label, kind.is_sponsored),
    )


def card_key(row, is_lead, chrome):
    """The cache key of `row`'s card: it changes whenever anything the card shows changes."""
    shown = (
        row.values,
        chrome_values(row.values, chrome),
        is_lead,
        translation.get_language(),
        timezone.get_current_timezone_name(),
    )
    return fragment_key("card", TEMPLATES, shown)


def _articles_for(missing):
    """Model instances of the rows whose cards must be rendered: one query; their bylines and tags come from
    the rows themselves, their section and kind from the site chrome."""
    articles = Article.objects.filter(pk__in=[row.pk for row in missing]).for_card().in_bulk()
    for row in missing:
        article = articles.get(row.pk)
        if article is None:
            continue
        authors = [Author(id=pk, slug=slug, name=name) for pk, slug, name in json.loads(row.values[_AUTHORS] or "[]")]
        tags = [Tag(id=pk, slug=slug, name=name) for pk, slug, name in json.loads(row.values[_TAGS] or "[]")]
        article._credits = (authors, tags)
    return articles


def _render(article, is_lead):
    return render_to_string(TEMPLATE, {"article": article, "is_lead": is_lead})


def prepare(card_rows, lead=None):
    """Read the cards of `card_rows` (and `lead`'s large card) from the cache in one round trip, render the
    missing ones and keep them; card_html() then finds them on the rows."""
    wanted = [(row, False) for row in card_rows if row is not lead]
    if lead is not None:
        wanted.append((lead, True))
    if not wanted:
        return
    chrome = sections_and_kinds_by_id()
    keys = {card_key(row, is_lead, chrome): (row, is_lead) for row, is_lead in wanted}

    def render(missing):
        articles = _articles_for([keys[key][0] for key in missing])
        rendered = {}
        for key in missing:
            row, is_lead = keys[key]
            if row.pk in articles:  # else deleted since the page's query: no card
                rendered[key] = _render(articles[row.pk], is_lead)
        return rendered

    found = kept_many(keys, render, TIMEOUT)
    for key, (row, is_lead) in keys.items():
        row.html[is_lead] = found.get(key, "")


def card_html(row, is_lead=False):
    """The card of `row`, as prepare() read or rendered it."""
    return row.html[is_lead]
