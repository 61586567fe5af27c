"""RSS 2.0 and Atom feeds of published articles: the latest, and per section, tag, publisher and author.

Items carry their kind (a category in the KIND_SCHEME taxonomy: Opinion, Analysis, Sponsored...),
the full text (content:encoded / Atom content; a sponsored article's links rel="sponsored") or only the standfirst, by
FEED_FULL_TEXT; the featured image as an enclosure and a Media RSS element (a rendition,
so no EXIF or GPS leaves the site); the authors, and the publisher of a syndicated story.
Any text, control characters included, gives well-formed XML: the writer drops the
characters XML 1.0 cannot hold instead of failing.

Each item is written once and kept in the cache, as list cards are (articles/cards.py), under a digest
of everything it shows: the article's values, its section, kind, authors, tags, publisher and images,
its body's library images and embeds, the feed's format and address, and this module's and the body
renderer's source. A request reads the kept items in one round trip and writes only the others.
"""

import copy
import hashlib
import io
import re
from pathlib import Path

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.xmlutils import SimplerXMLGenerator
from taggit.models import Tag

from articles import body, media, richtext
from articles.chrome import absolute_url, site_chrome
from articles.models import Article, Author, Publisher, Section
from newsroom.compiled_queries import CompiledQuery
from newsroom.fragments import fragment_key

# The taxonomy of article kinds in feeds: RSS <category domain=…>, Atom <category scheme=…>.
KIND_SCHEME = "https://schema.org/genre"

ITEM_SECONDS = 6 * 60 * 60
# The code that writes an item: part of every item's key, so a deploy that changes it never serves old items.
_ITEM_CODE = hashlib.blake2b(
    b"".join(Path(module.__file__).read_bytes() for module in (body, richtext)) + Path(__file__).read_bytes(),
    digest_size=8,
).hexdigest()

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_safe(text):
    """`text` without the characters XML 1.0 forbids (control characters, lone surrogates, U+FFFE/F)."""
    return _NOT_XML.sub("", text) if isinstance(text, str) else text


def _clean(value):
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, dict):
        return {key: _clean(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_clean(item) for item in value)
    return value


class _XmlSafeMixin:
    """Clean every string of the feed and its items before Django's writer sees it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.feed = _clean(self.feed)

    def add_item(self, *args, **kwargs):
        super().add_item(*args, **kwargs)
        self.items[-1] = _clean(self.items[-1])


class XmlSafeRssFeed(_XmlSafeMixin, Rss201rev2Feed):
    """RSS 2.0 that any stored text, control characters included, cannot make fail."""


class XmlSafeAtomFeed(_XmlSafeMixin, Atom1Feed):
    """Atom that any stored text, control characters included, cannot make fail."""


class _KeptItemsMixin:
    """Writes the items in `entries` (LatestArticlesFeed.items(): [(key, kept XML or None, latest date)], in
    order): a kept one as it was written, the others as usual, then keeps those."""

    entries = None

    def latest_post_date(self):
        dates = [date for _key, _xml, date in self.entries or () if date]
        return max(dates) if dates else super().latest_post_date()

    def write_items(self, handler):
        if self.entries is None:
            return super().write_items(handler)
        new_items = {item["kept_as"]: item for item in self.items}
        written = {}
        for key, xml, _latest in self.entries:
            if xml is None:
                if key not in new_items:
                    continue
                xml = written[key] = self._item_xml(new_items[key])
            handler.ignorableWhitespace(xml)  # written as it is: the item's markup, escaped when it was made
        if written:
            cache.set_many(written, ITEM_SECONDS)
        return None

    def _item_xml(self, item):
        out = io.StringIO()
        items, self.items = self.items, [item]
        try:
            super().write_items(SimplerXMLGenerator(out, "utf-8", short_empty_elements=True))
        finally:
            self.items = items
        return out.getvalue()


class NewsRssFeed(_KeptItemsMixin, _XmlSafeMixin, Rss201rev2Feed):
    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
            "xmlns:dc": "http://purl.org/dc/elements/1.1/",
            "xmlns:media": "http://search.yahoo.com/mrss/",
        }

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content:encoded", item["content_html"])
        if kind := item.get("kind"):
            handler.addQuickElement("category", kind["label"], {"domain": KIND_SCHEME})
        for name in item.get("extra_creators", []):
            handler.addQuickElement("dc:creator", name)
        if source := item.get("source"):
            handler.addQuickElement("source", source["name"], {"url": source["feed_url"]})
        if media := item.get("media"):
            handler.startElement("media:content", media["attrs"])
            if media.get("description"):
                handler.addQuickElement("media:description", media["description"])
            if media.get("credit"):
                handler.addQuickElement("media:credit", media["credit"])
            handler.endElement("media:content")


class NewsAtomFeed(_KeptItemsMixin, _XmlSafeMixin, Atom1Feed):
    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name in item.get("extra_creators", []):
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.endElement("author")
        if item.get("content_html"):
            handler.addQuickElement("content", item["content_html"], {"type": "html"})
        if kind := item.get("kind"):
            handler.addQuickElement(
                "category", "", {"term": kind["term"], "scheme": KIND_SCHEME, "label": kind["label"]}
            )
        if source := item.get("source"):
            handler.startElement("source", {})
            handler.addQuickElement("title", source["name"])
            if source.get("website"):
                handler.addQuickElement("link", "", {"rel": "alternate", "href": source["website"]})
            handler.endElement("source")


class SiteFeed(Feed):
    """A feed whose links are on the public origin (articles.chrome.site_root). Feed objects live as long as
    the URLconf and serve every request, so each request gets its own copy carrying `request`."""

    request = None
    body_media = None

    def __call__(self, request, *args, **kwargs):
        feed = copy.copy(self)
        feed.request = request
        return Feed.__call__(feed, request, *args, **kwargs)

    def absolute(self, path):
        return absolute_url(self.request, path)


def newest_articles(narrow=None, *, prepared=True):
    """The newest `limit` public articles at `now`, read for listing, narrowed by the ArticleQuerySet method
    `narrow` (e.g. "tagged") with the feed object's id: a query compiled once (newsroom.compiled_queries).
    `prepared=False` where, as on its page, the object may have five articles or five thousand (a publisher)."""
    if narrow is None:
        return CompiledQuery(lambda limit, /, now: Article.objects.published(now).for_listing().latest_first()[:limit])
    return CompiledQuery(
        lambda limit, /, now, narrowed_by: getattr(Article.objects.published(now).for_listing().latest_first(), narrow)(
            narrowed_by
        )[:limit],
        prepared=prepared,
    )


# The article's own columns an item shows (besides its relations, in LatestArticlesFeed.item_key()).
_ITEM_ARTICLE_FIELDS = (
    "pk",
    "updated_at",
    "headline",
    "slug",
    "dek",
    "body",
    "published_at",
    "rights",
    "is_sponsored",
    "sponsor",
)


def _image_shown(image):
    """What a feed item shows of a library image (an Image or a media.ImageInfo): its texts and its renditions
    at its own proportions (the only ones feeds use; the whole manifest would cost more to digest than the
    item to write)."""
    if image is None:
        return None
    crops = image.renditions_data.get("crops") or {}
    return (image.id, image.caption, image.alt_text, image.credit, crops.get("original"))


class LatestArticlesFeed(SiteFeed):
    """The newest published articles; subclasses narrow them to one section, tag, publisher or author."""

    feed_type = NewsRssFeed
    atom_url_name = "articles:feed-atom"
    rss_url_name = "articles:feed"

    def get_object(self, request, *args, **kwargs):
        return None

    latest = newest_articles()  # subclasses narrow it by the feed's object

    def items(self, obj):
        """The articles whose items are not kept; the feed's entries (see _KeptItemsMixin) are all of them."""
        narrowing = {} if obj is None else {"narrowed_by": obj.pk}
        articles = self.latest.evaluate(settings.FEED_ITEMS, now=timezone.now(), **narrowing)
        # Every body's images and embeds at once: the cache, else one query for all the items.
        self.body_media = (
            media.lookup(*(richtext.parse_stored(article.body) for article in articles)) if self.full_text() else None
        )
        self.item_keys = {article.pk: self.item_key(article) for article in articles}
        kept = cache.get_many(list(self.item_keys.values()))
        self.entries = [
            (key, kept.get(key), max(article.published_at, article.modified_at or article.published_at))
            for article, key in zip(articles, self.item_keys.values(), strict=True)
        ]
        return [article for article in articles if self.item_keys[article.pk] not in kept]

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        feed.entries = self.entries
        return feed

    def item_key(self, article):
        """The cache key of `article`'s item: it changes whenever anything the item shows changes."""
        image, kind, publisher = article.image, article.kind, article.publisher
        full_text = self.full_text()
        parsed = richtext.parse_stored(article.body) if full_text else None
        shown = (
            self.feed_type.__name__,
            self.absolute("/"),
            full_text,
            translation.get_language(),
            timezone.get_current_timezone_name(),
            [getattr(article, name) for name in _ITEM_ARTICLE_FIELDS],
            article.modified_at,
            (article.section.name, article.section.slug),
            (kind.slug, kind.name, kind.schema_type) if kind else None,
            [(author.pk, author.name, author.slug) for author in article.authors_in_order],
            [tag.name for tag in article.tag_list],
            (publisher.slug, publisher.name, publisher.website) if publisher else None,
            _image_shown(image),
            (
                [_image_shown(self.body_media.images.get(pk)) for pk in parsed.image_ids],
                [self.body_media.embeds.get(url) for url in parsed.embed_urls],
            )
            if full_text
            else None,
        )
        return fragment_key("feed-item", (), (_ITEM_CODE, shown))

    @staticmethod
    def full_text():
        return settings.FEED_FULL_TEXT

    def publication(self):
        return site_chrome()["publication"]

    def title(self, obj):
        return xml_safe(self.publication().name)

    def subtitle(self, obj):
        return self.publication().tagline or self.publication().description

    description = subtitle

    def page_path(self, obj):
        return reverse("articles:front")

    def link(self, obj):
        return self.absolute(self.page_path(obj))

    def feed_path(self, obj, url_name):
        return reverse(url_name, args=[obj.slug]) if obj is not None else reverse(url_name)

    def feed_url(self, obj):
        url_name = self.atom_url_name if self.feed_type is NewsAtomFeed else self.rss_url_name
        return self.absolute(self.feed_path(obj, url_name))

    def feed_copyright(self, obj):
        issn = self.publication().issn
        return f"{self.publication().name} · ISSN {issn}" if issn else self.publication().name

    def author_name(self, obj):
        return self.publication().name

    @property
    def language(self):
        return self.publication().language

    def item_title(self, article):
        return article.headline

    def item_link(self, article):
        return self.absolute(article.get_absolute_url())

    def item_guid(self, article):
        return self.item_link(article)

    item_guid_is_permalink = True

    def item_description(self, article):
        return escape(article.dek) if article.dek else None

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        return article.modified_at

    def item_author_name(self, article):
        authors = article.authors_in_order
        if authors:
            return authors[0].name
        return article.publisher.name if article.publisher else None

    def item_author_link(self, article):
        authors = article.authors_in_order
        return self.absolute(authors[0].get_absolute_url()) if authors else None

    def item_categories(self, article):
        return [article.section.name, *(tag.name for tag in article.tag_list)]

    def item_copyright(self, article):
        return article.rights or None

    def item_enclosures(self, article):
        from django.utils.feedgenerator import Enclosure

        image_set = article.image.renditions() if article.image else None
        if not image_set:
            return []
        image = image_set.largest
        return [Enclosure(self.absolute(image.url), str(image.size), image.mime)]

    def item_extra_kwargs(self, article):
        extra = {"kept_as": self.item_keys[article.pk]}
        if self.full_text() and article.body:
            extra["content_html"] = str(
                body.render_for_feed(article, self.body_media or media.MediaLookup(), self.absolute)
            )
        if article.kind_id:
            extra["kind"] = {"term": article.kind.slug, "label": article.kind.name, "type": article.kind.schema_type}
            if article.is_sponsored:
                extra["kind"]["sponsor"] = article.sponsor
        extra["extra_creators"] = [author.name for author in article.authors_in_order[1:]]
        if article.publisher:
            publisher = article.publisher
            extra["source"] = {
                "name": publisher.name,
                "website": publisher.website,
                "feed_url": self.absolute(reverse("articles:publisher-feed", args=[publisher.slug])),
            }
        image_set = article.image.renditions() if article.image else None
        if image_set:
            image = image_set.largest
            extra["media"] = {
                "attrs": {
                    "url": self.absolute(image.url),
                    "type": image.mime,
                    "medium": "image",
                    "width": str(image.width),
                    "height": str(image.height),
                },
                "description": article.image.caption or article.image.alt_text,
                "credit": article.image.credit,
            }
        return extra


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = NewsAtomFeed


class _ObjectFeedMixin:
    model = None
    kind = None

    def get_object(self, request, slug):
        return get_object_or_404(self.model, slug=slug)

    def page_path(self, obj):
        return reverse(f"articles:{self.kind}", args=[obj.slug])

    @property
    def rss_url_name(self):
        return f"articles:{self.kind}-feed"

    @property
    def atom_url_name(self):
        return f"articles:{self.kind}-feed-atom"

    def title(self, obj):
        return f"{obj} – {self.publication().name}"


class SectionFeed(_ObjectFeedMixin, LatestArticlesFeed):
    model, kind = Section, "section"

    latest = newest_articles("in_section")

    def subtitle(self, section):
        return section.description or _("The latest articles in %(section)s.") % {"section": section.name}

    description = subtitle


class TagFeed(_ObjectFeedMixin, LatestArticlesFeed):
    model, kind = Tag, "tag"

    latest = newest_articles("tagged")  # prepared, as the tag page's (ArticleQuerySet.tagged)

    def subtitle(self, tag):
        return _("The latest articles tagged %(tag)s.") % {"tag": tag.name}

    description = subtitle


class PublisherFeed(_ObjectFeedMixin, LatestArticlesFeed):
    model, kind = Publisher, "publisher"

    latest = newest_articles("from_publisher", prepared=False)

    def subtitle(self, publisher):
        return publisher.description or _("The latest articles from %(publisher)s.") % {"publisher": publisher.name}

    description = subtitle


class AuthorFeed(_ObjectFeedMixin, LatestArticlesFeed):
    model, kind = Author, "author"

    latest = newest_articles("by_author", prepared=False)

    def subtitle(self, author):
        return _("The latest articles by %(author)s.") % {"author": author.name}

    description = subtitle


class SectionAtomFeed(SectionFeed):
    feed_type = NewsAtomFeed


class TagAtomFeed(TagFeed):
    feed_type = NewsAtomFeed


class PublisherAtomFeed(PublisherFeed):
    feed_type = NewsAtomFeed


class AuthorAtomFeed(AuthorFeed):
    feed_type = NewsAtomFeed
