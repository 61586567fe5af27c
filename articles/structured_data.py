"""JSON-LD (schema.org) for reader pages, built as plain dicts here and rendered by one safe filter.

The article page carries a NewsArticle (or the type of its kind: OpinionNewsArticle,
AnalysisNewsArticle...) that isPartOf the Periodical with its ISSN and names
the publisher as a NewsMediaOrganization whose policy properties point at the publication's
own pages (the Trust Project indicators). The front page carries the WebSite (with its
SearchAction), the Periodical and the organization. Everything a reader page needs comes
from the cached site chrome and the objects the view already loaded: no extra queries.
"""

import json

from django.utils.safestring import mark_safe

from articles.chrome import absolute_url, site_chrome, site_root
from newsroom.reverse import reverse

HEADLINE_MAX = 110  # Google shows at most this many characters of a NewsArticle headline.

# Escape what could end the <script> element or open a comment inside it, as json_script does.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld_script(data):
    """`data` as a <script type="application/ld+json"> element that no value can break out of."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False).translate(_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308 (escaped above)


def _compact(data):
    """Drop empty values so search engines never see "" or [] where a property is unknown."""
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def organization_id(request):
    return site_root(request) + "/#organization"


def periodical_id(request):
    return site_root(request) + "/#periodical"


def website_id(request):
    return site_root(request) + "/#website"


def news_media_organization(request):
    """The publisher: a NewsMediaOrganization pointing at the corrections, ethics and other policy pages."""
    chrome = site_chrome()
    publication, pages = chrome["publication"], chrome["policy_pages"]

    def page_url(*kinds):
        for kind in kinds:
            if kind in pages:
                return absolute_url(request, pages[kind].get_absolute_url())
        return None

    logo = None
    if publication.logo:
        logo = {"@type": "ImageObject", "url": absolute_url(request, publication.logo.url)}
    return _compact(
        {
            "@type": "NewsMediaOrganization",
            "@id": organization_id(request),
            "name": publication.name,
            "url": site_root(request) + "/",
            "description": publication.description,
            "logo": logo,
            "correctionsPolicy": page_url("corrections"),
            "ethicsPolicy": page_url("ethics"),
            "publishingPrinciples": page_url("ethics", "about"),
            "actionableFeedbackPolicy": page_url("contact"),
            "ownershipFundingInfo": page_url("about"),
        }
    )


def periodical(request):
    publication = site_chrome()["publication"]
    return _compact(
        {
            "@type": "Periodical",
            "@id": periodical_id(request),
            "name": publication.name,
            "issn": publication.issn,
            "url": site_root(request) + "/",
            "inLanguage": publication.language,
            "publisher": {"@id": organization_id(request)},
        }
    )


def website(request):
    publication = site_chrome()["publication"]
    search_url = absolute_url(request, reverse("articles:search"))
    return _compact(
        {
            "@type": "WebSite",
            "@id": website_id(request),
            "url": site_root(request) + "/",
            "name": publication.name,
            "description": publication.tagline,
            "inLanguage": publication.language,
            "issn": publication.issn,
            "publisher": {"@id": organization_id(request)},
            "potentialAction": {
                "@type": "SearchAction",
                "target": {"@type": "EntryPoint", "urlTemplate": search_url + "?q={search_term_string}"},
                "query-input": "required name=search_term_string",
            },
        }
    )


def front_page(request):
    """The front page's graph: the WebSite with its search box, the Periodical (ISSN) and the publisher."""
    return {
        "@context": "https://schema.org",
        "@graph": [website(request), periodical(request), news_media_organization(request)],
    }


def _portrait(author):
    """The author's photo, square around its focal point, or None."""
    return author.photo.crop("square") if author.photo_id else None


def _person(request, author, *, photo=None):
    """An author as a schema.org Person: their page, job title, photo and profiles elsewhere (sameAs)."""
    return _compact(
        {
            "@type": "Person",
            "name": author.name,
            "url": absolute_url(request, author.get_absolute_url()),
            "jobTitle": author.title,
            "description": author.bio,
            "image": absolute_url(request, photo.largest.url) if photo else None,
            "sameAs": author.link_list,
        }
    )


def person(author, request):
    """The author page's Person (with its ProfilePage), so search engines connect the byline to the page."""
    url = absolute_url(request, author.get_absolute_url())
    return {
        "@context": "https://schema.org",
        "@type": "ProfilePage",
        "@id": url,
        "url": url,
        "mainEntity": _person(request, author, photo=_portrait(author)),
        "isPartOf": {"@id": website_id(request)},
    }


def _iso(moment):
    return moment.isoformat() if moment else None


# Google asks for NewsArticle images in three ratios, each at least 50,000 pixels: 16x9, 4x3 and 1x1.
GOOGLE_IMAGE_CROPS = ["wide", "standard", "square"]


def article_images(article, request):
    """The featured image's 16x9, 4x3 and 1x1 crops (around its focal point), widest rendition of each."""
    if not article.image_id or article.image is None:
        return []
    urls = []
    for crop in GOOGLE_IMAGE_CROPS:
        image_set = article.image.crop(crop)
        if image_set and (url := absolute_url(request, image_set.largest.url)) not in urls:
            urls.append(url)
    return urls


def news_article(article, request):
    """The NewsArticle (or its kind's type) of an article page. Add further properties here, in one place."""
    url = absolute_url(request, article.get_absolute_url())
    authors = [_person(request, author, photo=_portrait(author)) for author in article.authors_in_order]
    publisher = article.publisher
    if not authors and publisher:
        authors = [_compact({"@type": "Organization", "name": publisher.name, "url": publisher.website})]
    images = article_images(article, request)
    data = {
        "@context": "https://schema.org",
        "@type": article.schema_type,
        "@id": url + "#article",
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": article.canonical_url or url},
        "headline": article.headline[:HEADLINE_MAX],
        "description": article.dek,
        "dateCreated": _iso(article.originally_published_at),
        "datePublished": _iso(article.published_at),
        "dateModified": _iso(article.modified_at),
        "author": authors,
        "publisher": news_media_organization(request),
        "isPartOf": periodical(request),
        "image": images,
        "articleSection": article.section.name,
        "keywords": [tag.name for tag in article.tag_list],
        "inLanguage": site_chrome()["publication"].language,
        "isAccessibleForFree": True,
        "copyrightNotice": article.rights,
        "genre": article.kind.name if article.kind_id and article.kind.show_label else None,
    }
    if article.is_sponsored:
        data["sponsor"] = {"@type": "Organization", "name": article.sponsor}
    if publisher:
        data["sourceOrganization"] = _compact(
            {"@type": "Organization", "name": publisher.name, "url": publisher.website}
        )
    if article.original_url:
        data["isBasedOn"] = article.original_url
    data["correction"] = [
        {
            "@type": "CorrectionComment",
            "text": note.text,
            "datePublished": _iso(note.created_at),
            "url": f"{url}#correction-{note.pk}",
        }
        for note in article.correction_notes
        if note.kind == note.Kind.CORRECTION
    ]
    return _compact(data)


PAGE_TYPES = {"about": "AboutPage", "contact": "ContactPage"}


def web_page(page, request):
    """One of the publication's own pages: an AboutPage, ContactPage or WebPage published by the organization."""
    url = absolute_url(request, page.get_absolute_url())
    return _compact(
        {
            "@context": "https://schema.org",
            "@type": PAGE_TYPES.get(page.kind, "WebPage"),
            "@id": url,
            "url": url,
            "name": page.title,
            "description": page.summary,
            "dateModified": _iso(page.updated_at),
            "isPartOf": {"@id": website_id(request)},
            "publisher": news_media_organization(request),
        }
    )
