"""The Content API's read endpoints for articles, sections, tags, authors, publishers, the publication and
its pages. Comments are the comments app's (comments/api.py), mounted through articles.hooks."""

from datetime import UTC, datetime

from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema

from articles import search
from articles.api import schemas
from articles.api.access import ApiError
from articles.api.content import (
    api_articles,
    api_path,
    article_data,
    author_data,
    page_data,
    publication_data,
    publisher_data,
    section_data,
    tag_data,
    visible_pages,
    visible_tags,
)
from articles.api.pagination import (
    CURSOR_MAX_LENGTH,
    DEFAULT_LIMIT,
    MAX_LIMIT,
    Key,
    keyset_page,
    offset_page,
    page_links,
)
from articles.chrome import absolute_url, site_chrome
from articles.models import ArticleKind, Author, Publisher, Section

SLUG = r"^[-\w]+$"
MAX_ID = 2**63 - 1
ERRORS = {400: schemas.Error, 401: schemas.Error, 429: schemas.Error}
DETAIL_ERRORS = {**ERRORS, 404: schemas.Error}

ARTICLE_ORDER = [Key("published_at", descending=True, kind="datetime"), Key("pk", descending=True)]
NAME_ORDER = [Key("name", kind="str"), Key("pk")]
POSITION_ORDER = [Key("position"), Key("pk")]

router = Router()


def _slug(description):
    return Field(None, pattern=SLUG, max_length=200, description=description)


class Paging(Schema):
    cursor: str | None = Field(
        None, max_length=CURSOR_MAX_LENGTH, description="From the previous page's next_cursor; omit for the first."
    )
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Items a page.")


class ArticleFilters(Paging):
    section: str | None = _slug("A section's slug.")
    tag: str | None = _slug("A tag's slug.")
    author: str | None = _slug("An author's slug (any of the bylines).")
    publisher: str | None = _slug("A publisher's slug (syndicated articles).")
    kind: str | None = Field(
        None, pattern=r"^[-a-z0-9_]+$", max_length=40, description="An article kind, where the site sets kinds."
    )
    slug: str | None = _slug("An article's slug: finds one article by its address.")
    updated_since: datetime | None = Field(None, description="Only articles changed at or after this time (ISO 8601).")
    q: str | None = Field(
        None, max_length=search.QUERY_MAX_LENGTH, description='Full-text search ("phrases", -exclusions, or).'
    )


class SlugFilter(Paging):
    slug: str | None = _slug("Find one by its slug.")


def not_found(what):
    return ApiError(404, "not_found", _("No %(what)s with this id.") % {"what": what})


def _page_response(request, page, build):
    return {
        "items": [build(request, obj) for obj in page.items],
        "next": page_links(request, page),
        "next_cursor": page.next_cursor,
    }


def _aware(value):
    value = value if value.tzinfo else value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except (OverflowError, ValueError):
        raise ApiError(400, "invalid", _("updated_since is out of range.")) from None


def filter_by_kind(queryset, kind):
    """Articles of the kind with this slug (news, opinion...); an unknown kind is refused, naming the known ones."""
    slugs = list(ArticleKind.objects.order_by("position", "name").values_list("slug", flat=True))
    if kind not in slugs:
        raise ApiError(400, "invalid", _("Unknown kind; use one of: %(kinds)s.") % {"kinds": ", ".join(slugs)})
    return queryset.filter(kind__slug=kind)


@router.get("/", response={200: schemas.Index, **ERRORS}, url_name="index", tags=["Index"], summary="Index")
def index(request):
    """Where everything is."""
    return {
        name: absolute_url(request, path)
        for name, path in {
            "publication": api_path("publication"),
            "documentation": api_path("docs"),
            "openapi": api_path("openapi.json"),
            "articles": api_path("articles"),
            "sections": api_path("sections"),
            "tags": api_path("tags"),
            "authors": api_path("authors"),
            "publishers": api_path("publishers"),
            "pages": api_path("pages"),
        }.items()
    }


@router.get("/articles", response={200: schemas.ArticleList, **ERRORS}, tags=["Articles"], summary="List articles")
def list_articles(request, filters: Query[ArticleFilters]):
    """Articles, newest first (with `q`: best match first), in pages linked by `next`.

    Filters combine. Keys that see scheduled articles get them too, marked by `availability`.
    """
    articles = api_articles(request.auth)
    if filters.section:
        articles = articles.filter(section__slug=filters.section)
    if filters.tag:
        articles = articles.filter(tags__slug=filters.tag)
    if filters.author:
        articles = articles.filter(bylines__author__slug=filters.author)
    if filters.publisher:
        articles = articles.filter(publisher__slug=filters.publisher)
    if filters.slug:
        articles = articles.filter(slug=filters.slug)
    if filters.kind:
        articles = filter_by_kind(articles, filters.kind)
    if filters.updated_since:
        articles = articles.filter(updated_at__gte=_aware(filters.updated_since))
    query = search.clean_query(filters.q)
    if query:
        page = offset_page(search.search(articles, query), cursor=filters.cursor, limit=filters.limit)
    else:
        page = keyset_page(articles, ARTICLE_ORDER, cursor=filters.cursor, limit=filters.limit)
    return _page_response(request, page, article_data)


@router.get(
    "/articles/{article_id}", response={200: schemas.Article, **DETAIL_ERRORS}, tags=["Articles"], summary="An article"
)
def get_article(request, article_id: int = Path(..., ge=1, le=MAX_ID)):
    article = api_articles(request.auth).filter(pk=article_id).first()
    if article is None:
        raise not_found(_("article"))
    return article_data(request, article)


def _list(request, queryset, order, paging, build):
    if getattr(paging, "slug", None):
        queryset = queryset.filter(slug=paging.slug)
    return _page_response(request, keyset_page(queryset, order, cursor=paging.cursor, limit=paging.limit), build)


def _detail(request, queryset, pk, build, what):
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise not_found(what)
    return build(request, obj)


TAXONOMY = ["Sections, tags, authors, publishers"]


@router.get("/sections", response={200: schemas.SectionList, **ERRORS}, tags=TAXONOMY, summary="List sections")
def list_sections(request, paging: Query[SlugFilter]):
    """Every section, in the site navigation's order."""
    return _list(request, Section.objects.all(), POSITION_ORDER, paging, section_data)


@router.get(
    "/sections/{section_id}", response={200: schemas.Section, **DETAIL_ERRORS}, tags=TAXONOMY, summary="A section"
)
def get_section(request, section_id: int = Path(..., ge=1, le=MAX_ID)):
    return _detail(request, Section.objects.all(), section_id, section_data, _("section"))


@router.get("/tags", response={200: schemas.TagList, **ERRORS}, tags=TAXONOMY, summary="List tags")
def list_tags(request, paging: Query[SlugFilter]):
    """Tags of the articles this caller can see, by name."""
    return _list(request, visible_tags(request.auth), NAME_ORDER, paging, tag_data)


@router.get("/tags/{tag_id}", response={200: schemas.Tag, **DETAIL_ERRORS}, tags=TAXONOMY, summary="A tag")
def get_tag(request, tag_id: int = Path(..., ge=1, le=MAX_ID)):
    return _detail(request, visible_tags(request.auth), tag_id, tag_data, _("tag"))


@router.get("/authors", response={200: schemas.AuthorList, **ERRORS}, tags=TAXONOMY, summary="List authors")
def list_authors(request, paging: Query[SlugFilter]):
    """Every author, by name."""
    return _list(request, Author.objects.all(), NAME_ORDER, paging, author_data)


@router.get("/authors/{author_id}", response={200: schemas.Author, **DETAIL_ERRORS}, tags=TAXONOMY, summary="An author")
def get_author(request, author_id: int = Path(..., ge=1, le=MAX_ID)):
    return _detail(request, Author.objects.all(), author_id, author_data, _("author"))


@router.get("/publishers", response={200: schemas.PublisherList, **ERRORS}, tags=TAXONOMY, summary="List publishers")
def list_publishers(request, paging: Query[SlugFilter]):
    """Every publisher whose articles the site republishes, by name."""
    return _list(request, Publisher.objects.all(), NAME_ORDER, paging, publisher_data)


@router.get(
    "/publishers/{publisher_id}",
    response={200: schemas.Publisher, **DETAIL_ERRORS},
    tags=TAXONOMY,
    summary="A publisher",
)
def get_publisher(request, publisher_id: int = Path(..., ge=1, le=MAX_ID)):
    return _detail(request, Publisher.objects.all(), publisher_id, publisher_data, _("publisher"))


SITE = ["Publication and pages"]


@router.get("/publication", response={200: schemas.Publication, **ERRORS}, tags=SITE, summary="The publication")
def get_publication(request):
    """The masthead: name, tagline, ISSN, language."""
    return publication_data(request, site_chrome()["publication"])


@router.get("/pages", response={200: schemas.PageList, **ERRORS}, tags=SITE, summary="List pages")
def list_pages(request, paging: Query[SlugFilter]):
    """The publication's own published pages (About, Contact, the policies), in the footer's order."""
    return _list(request, visible_pages(), POSITION_ORDER, paging, page_data)


@router.get("/pages/{page_id}", response={200: schemas.Page, **DETAIL_ERRORS}, tags=SITE, summary="A page")
def get_page(request, page_id: int = Path(..., ge=1, le=MAX_ID)):
    return _detail(request, visible_pages(), page_id, page_data, _("page"))
