"""What the Content API answers, as pydantic schemas: the OpenAPI document is made from these.

Every field is listed here on purpose: nothing reaches a response unless it is named below, so a field
added to a model (a desk note, an email) never leaks through the API by accident.
"""

from datetime import datetime
from typing import Literal

from ninja import Field, Schema


class Error(Schema):
    detail: str = Field(description="What went wrong, for the developer.")
    code: str = Field(description="A stable code: not_found, invalid, invalid_cursor, invalid_key, rate_limited…")
    errors: list[dict] | None = Field(None, description="For invalid parameters: where and what.")


class Link(Schema):
    id: int
    name: str
    slug: str
    url: str = Field(description="The reader page.")
    api_url: str


class AuthorLink(Link):
    title: str = Field(description="Job title, e.g. Defense correspondent.")


class PublisherLink(Link):
    website: str


class Rendition(Schema):
    url: str
    width: int
    height: int
    type: str = Field(description="MIME type: image/webp, image/jpeg or image/png.")


class Image(Schema):
    url: str = Field(description="The widest rendition in a format every client shows.")
    width: int
    height: int
    alt: str
    caption: str
    credit: str
    renditions: list[Rendition]


class Correction(Schema):
    id: int
    kind: Literal["correction", "update"]
    text: str
    created_at: datetime


class Article(Schema):
    id: int
    slug: str
    headline: str
    standfirst: str
    body_html: str = Field(description="Sanitised HTML (the site's one allowlist).")
    kind: str | None = Field(description="The article's kind (news, opinion…) where the site sets kinds, else null.")
    availability: Literal["public", "scheduled", "embargoed"] = Field(
        description="public, or, for keys that see them, scheduled (goes live at goes_live_at) or embargoed."
    )
    published_at: datetime
    goes_live_at: datetime = Field(description="When readers first see it: the publication time or the embargo's end.")
    embargo_until: datetime | None
    updated_at: datetime
    section: Link
    tags: list[Link]
    authors: list[AuthorLink] = Field(description="The bylines, in the order the editor set.")
    publisher: PublisherLink | None = Field(description="For a syndicated article: where it first appeared.")
    original_url: str = Field(description="The syndicated original's address, or empty.")
    rights: str
    url: str = Field(description="The article's page on this site.")
    canonical_url: str = Field(description="The main copy: the original's address when the editor declared it.")
    api_url: str
    image: Image | None
    corrections: list[Correction] = Field(description="Corrections and updates, oldest first.")
    comment_count: int = Field(description="Approved comments (listed at /articles/{id}/comments).")


class ArticleList(Schema):
    items: list[Article]
    next: str | None = Field(description="The next page's URL (also in the Link header), null on the last page.")
    next_cursor: str | None


class Section(Link):
    description: str
    position: int
    articles_api_url: str


class Tag(Link):
    articles_api_url: str


class Author(AuthorLink):
    bio: str
    articles_api_url: str


class Publisher(PublisherLink):
    description: str
    logo: str | None
    articles_api_url: str


class Page(Schema):
    id: int
    title: str
    slug: str
    kind: str
    summary: str
    body_html: str
    updated_at: datetime
    url: str
    api_url: str


class Publication(Schema):
    name: str
    tagline: str
    issn: str = Field(description="International Standard Serial Number, e.g. 2330-717X, or empty.")
    language: str
    description: str
    logo: str | None
    url: str


class Index(Schema):
    publication: str
    documentation: str
    openapi: str
    articles: str
    sections: str
    tags: str
    authors: str
    publishers: str
    pages: str


class SectionList(Schema):
    items: list[Section]
    next: str | None
    next_cursor: str | None


class TagList(Schema):
    items: list[Tag]
    next: str | None
    next_cursor: str | None


class AuthorList(Schema):
    items: list[Author]
    next: str | None
    next_cursor: str | None


class PublisherList(Schema):
    items: list[Publisher]
    next: str | None
    next_cursor: str | None


class PageList(Schema):
    items: list[Page]
    next: str | None
    next_cursor: str | None
