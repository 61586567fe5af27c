"""An article body as readers get it: the stored format (articles.richtext) with its media blocks turned into
figures, galleries, privacy-first embeds and pull quotes, and its tables made scrollable.

Images come from the library at render time (articles.media.lookup: the cache, or one query for all of
them), so a new caption, credit or crop shows everywhere at once. A block whose image was deleted
shows nothing. Everything written here is escaped; the text between blocks has passed the allowlist.
"""

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from articles import embeds, media, richtext

SIZES_ATTRIBUTE = {
    "inline": "(min-width: 44rem) 42rem, calc(100vw - 2rem)",
    "wide": "(min-width: 66rem) 62rem, calc(100vw - 2rem)",
    "full": "100vw",
}
GALLERY_THUMB_SIZES = "(min-width: 44rem) 13rem, calc(50vw - 1.5rem)"
# Paragraphs that may precede a body's first picture for it still to count as above the fold.
ABOVE_THE_FOLD_PARAGRAPHS = 1


def stored_body(article):
    """The article's stored body as readers get it: a sponsored article's links marked rel="sponsored"."""
    return richtext.with_sponsored_links(article.body) if article.is_sponsored else article.body


def prepare(article):
    """The parsed body of `article` and a MediaLookup for it."""
    body = richtext.parse_stored(stored_body(article))
    return body, media.lookup(body)


class _Kept:
    """This process's last `size` results, the oldest forgotten first, under keys that change whenever the
    output would (the markup, everything the media lookup found for it, ...)."""

    def __init__(self, size=256):
        self.size = size
        self.items = {}

    def get(self, key, make):
        value = self.items.get(key)
        if value is None:
            value = make()
            if len(self.items) >= self.size:
                self.items.pop(next(iter(self.items)))
            self.items[key] = value
        return value


_article_bodies = _Kept()
_feed_bodies = _Kept()


def render_for_article(article):
    """The article's body for its page: one lookup for every image and embed it holds."""
    markup = stored_body(article)
    body = richtext.parse_stored(markup)
    found = media.lookup(body)
    eager_first = not article.image_id
    key = (markup, repr(found), eager_first, translation.get_language())
    return _article_bodies.get(key, lambda: render(body, found, eager_first=eager_first))


def render(body, found, *, eager_first=False):
    """Reader HTML of a parsed body. eager_first: the first picture may be above the fold (no featured image)."""
    output = []
    paragraphs = 0
    pictures = 0
    for part in body.parts:
        if isinstance(part, str):
            paragraphs += part.count("</p>")
            output.append(part)
        elif part is richtext.TABLE_START:
            output.append(
                format_html('<div class="table-scroll" role="region" tabindex="0" aria-label="{}">', _("Table"))
            )
        elif part is richtext.TABLE_END:
            output.append("</div>")
        else:
            lazy = not (eager_first and pictures == 0 and paragraphs <= ABOVE_THE_FOLD_PARAGRAPHS)
            rendered = _render_block(part, found, lazy=lazy)
            if part.kind in {"image", "gallery"} and rendered:
                pictures += 1
            output.append(rendered)
    return mark_safe("".join(output))  # noqa: S308 - allowlisted text and escaped templates


def _render_block(block, found, *, lazy):
    if block.kind == "image":
        image = found.images.get(block.image_id)
        images = image.renditions() if image else None
        if images is None:
            return ""
        return render_to_string(
            "articles/body/image.html",
            {
                "block": block,
                "image": image,
                "images": images,
                "caption": block.caption or image.caption,
                "sizes": SIZES_ATTRIBUTE[block.size],
                "lazy": lazy,
            },
        )
    if block.kind == "gallery":
        items = []
        for pk in block.image_ids:
            image = found.images.get(pk)
            if image is None or image.renditions() is None:
                continue
            items.append({"image": image, "thumb": image.crop("square"), "full": image.renditions()})
        if not items:
            return ""
        return render_to_string(
            "articles/body/gallery.html",
            {"block": block, "items": items, "thumb_sizes": GALLERY_THUMB_SIZES, "lazy": lazy},
        )
    if block.kind == "embed":
        spec = embeds.match(block.url)
        if spec is None:
            return format_html(
                '<p><a href="{}" rel="noopener noreferrer">{}</a></p>', block.url, block.caption or block.url
            )
        info = found.embeds.get(block.url) or media.EmbedInfo()
        return render_to_string(
            "articles/body/embed.html",
            {"block": block, "spec": spec, "info": info, "thumbnail": info.thumbnail_set()},
        )
    return render_to_string("articles/body/pullquote.html", {"block": block})


def render_for_feed(article, found, absolute):
    """The body for feed readers: plain figures with absolute image URLs, embeds as links, no scripts."""
    markup = stored_body(article)
    body = richtext.parse_stored(markup)
    shown = ([found.images.get(pk) for pk in body.image_ids], [found.embeds.get(url) for url in body.embed_urls])
    key = (markup, repr(shown), absolute("/"), translation.get_language())
    return _feed_bodies.get(key, lambda: _render_for_feed(body, found, absolute))


def _render_for_feed(body, found, absolute):
    output = []
    for part in body.parts:
        if isinstance(part, str):
            output.append(part)
        elif part is richtext.TABLE_START or part is richtext.TABLE_END:
            continue
        else:
            output.append(_feed_block(part, found, absolute))
    return mark_safe("".join(output))  # noqa: S308 - allowlisted text and escaped parts


def _feed_figure(image, caption, absolute):
    images = image.renditions()
    if images is None:
        return ""
    rendition = images.closest(960)
    text = format_html_join(" ", "{}", [(piece,) for piece in [caption, image.credit] if piece])
    return format_html(
        '<figure><img src="{}" width="{}" height="{}" alt="{}">{}</figure>',
        absolute(rendition.url),
        rendition.width,
        rendition.height,
        image.alt_text,
        format_html("<figcaption>{}</figcaption>", text) if text else "",
    )


def _feed_block(block, found, absolute):
    if block.kind == "image":
        image = found.images.get(block.image_id)
        return _feed_figure(image, block.caption or image.caption, absolute) if image else ""
    if block.kind == "gallery":
        figures = [
            _feed_figure(image, image.caption, absolute)
            for pk in block.image_ids
            if (image := found.images.get(pk)) is not None
        ]
        caption = format_html("<p>{}</p>", block.caption) if block.caption else ""
        return mark_safe(caption + "".join(figures))  # noqa: S308 - each part escaped
    if block.kind == "embed":
        spec = embeds.match(block.url)
        info = found.embeds.get(block.url)
        label = block.caption or (info.title if info else "") or block.url
        if spec is not None:
            label = f"{spec.provider.name}: {label}"
        return format_html('<p><a href="{}">{}</a></p>', block.url, label)
    return format_html(
        "<blockquote>{}{}</blockquote>",
        format_html_join("", "<p>{}</p>", [(text,) for text in block.quote]),
        format_html("<p>— {}</p>", block.caption) if block.caption else "",
    )


def render_for_desk(article):
    """The body on the admin's read-only page: figures as plain images, no scripts."""
    body, found = prepare(article)
    output = []
    for part in body.parts:
        if isinstance(part, str):
            output.append(part)
        elif part is richtext.TABLE_START or part is richtext.TABLE_END:
            continue
        else:
            output.append(_feed_block(part, found, lambda url: url))
    return mark_safe("".join(output))  # noqa: S308 - allowlisted text and escaped parts
