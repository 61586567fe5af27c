"""Template helpers for reader pages: responsive images, absolute URLs and structured data."""

from django import template
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from articles import cards, chrome, tags
from articles.structured_data import json_ld_script
from newsroom.fragments import template_source_digest

register = template.Library()

# Masthead, menu and footer as rendered for each (template, value shown, chrome version, language, time zone,
# source).
_chrome_parts = {}
CHROME_PARTS_KEPT = 256


@register.simple_tag(takes_context=True)
def chrome_part(context, template_name, shown=""):
    """{% chrome_part "includes/header.html" %}: an include that shows only the site chrome (articles.chrome),
    rendered once per version of the chrome in each process: every page shows the same masthead and footer.
    `{% chrome_part "includes/header.html" query %}`: a part that also shows a value of the request (the header
    repeats a search page's query) is kept under that value too (a spike's searches repeat)."""
    included = context.template.engine.get_template(template_name)
    key = (
        template_name,
        shown,
        chrome.site_chrome()["version"],
        translation.get_language(),
        timezone.get_current_timezone_name(),
        template_source_digest((template_name,)),
    )
    html = _chrome_parts.get(key)
    if html is None:
        if len(_chrome_parts) >= CHROME_PARTS_KEPT:
            _chrome_parts.clear()
        html = _chrome_parts[key] = included.render(context)
    return html


@register.simple_tag
def image_crop(image, crop="original"):
    """{% image_crop article.image "card" as images %}: the ImageSet of a library image's crop (around its focal
    point), or None without an image or before its renditions exist."""
    if image is None:
        return None
    return image.renditions() if crop == "original" else image.crop(crop)


@register.simple_tag
def article_card(article, lead=False):
    """{% article_card article %}: the article's list card (includes/card/article.html), kept in the cache
    by articles.cards; lead=True for the large card that leads a page."""
    return mark_safe(cards.card_html(article, bool(lead)))  # noqa: S308 (rendered by the card template)


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
