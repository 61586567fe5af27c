"""Template helpers for reader pages: responsive images, absolute URLs and structured data."""

from django import template
from django.utils.safestring import mark_safe

from articles import chrome, images, tags
from articles.richtext import with_sponsored_links
from articles.structured_data import json_ld_script

register = template.Library()


@register.simple_tag
def image_renditions(image_field):
    """{% image_renditions article.image as images %}: the ImageSet, or None when the image is unusable."""
    return images.renditions(image_field)


@register.simple_tag(takes_context=True)
def absolute_url(context, path):
    """{% absolute_url article.get_absolute_url %}: the address on the public site."""
    request = context.get("request")
    if request is None:
        return path
    return chrome.absolute_url(request, path)


@register.filter
def tag_url(tag):
    """The tag's page, or "" for a stored slug no address can hold (the tag is then shown without a link)."""
    return tags.tag_url(tag)


@register.filter
def json_ld(data):
    """A <script type="application/ld+json"> element holding `data`, safe against </script> in any value."""
    return json_ld_script(data)


@register.filter
def xml_safe(text):
    """Text without the characters XML 1.0 forbids, for hand-written XML templates."""
    from articles.feeds import xml_safe as clean

    return clean(text)


@register.filter
def news_language(language):
    from articles.sitemaps import news_language as code

    return code(language)


@register.filter
def article_body(article):
    """The article's stored body, safe (sanitised on save); a sponsored article's links marked rel="sponsored"."""
    if article.is_sponsored:
        return mark_safe(with_sponsored_links(article.body))  # noqa: S308 - the allowlist cleaner's output
    return mark_safe(article.body)  # noqa: S308 - sanitised by articles.richtext on every save
