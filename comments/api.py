"""The Content API's comment endpoints: an article's approved comments, and one comment.

Mounted under /api/v1/ through articles.hooks (see comments.apps). A comment is shown with its name,
date and text only: never the commenter's email, website, IP address or user agent.
"""

from datetime import datetime

from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema

from articles.api.access import ApiError
from articles.api.content import api_path, visible_articles
from articles.api.pagination import Key, keyset_page, page_links
from articles.api.routes import DETAIL_ERRORS, MAX_ID, Paging
from articles.chrome import absolute_url
from comments.models import Comment

THREAD_ORDER = [Key("created_at", kind="datetime"), Key("pk")]

router = Router(tags=["Comments"])


class CommentOut(Schema):
    id: int
    article_id: int
    parent_id: int | None = Field(description="The comment this one answers, if any.")
    author_name: str
    created_at: datetime
    body: str = Field(description="Plain text, as the commenter wrote it.")
    is_staff_reply: bool
    url: str = Field(description="The comment on the article's page.")
    api_url: str


class CommentList(Schema):
    items: list[CommentOut]
    next: str | None
    next_cursor: str | None


def public_comments(access=None):
    """Approved comments on articles the caller can see, with only the columns the API shows."""
    return (
        Comment.objects.public()
        .filter(article__in=visible_articles(access))
        .select_related("article")
        .only("pk", "article_id", "article__slug", "parent_id", "user_id", "author_name", "created_at", "body")
    )


def comment_data(request, comment):
    return {
        "id": comment.pk,
        "article_id": comment.article_id,
        "parent_id": comment.parent_id,
        "author_name": comment.author_name,
        "created_at": comment.created_at,
        "body": comment.body,
        "is_staff_reply": comment.is_staff_reply,
        "url": absolute_url(request, comment.get_absolute_url()),
        "api_url": absolute_url(request, api_path("comments", comment.pk)),
    }


@router.get("/articles/{article_id}/comments", response={200: CommentList, **DETAIL_ERRORS}, summary="Comments")
def list_comments(request, article_id: int = Path(..., ge=1, le=MAX_ID), paging: Query[Paging] = None):
    """An article's approved comments, oldest first as readers read a conversation."""
    if not visible_articles(request.auth).filter(pk=article_id).exists():
        raise ApiError(404, "not_found", _("No article with this id."))
    comments = public_comments(request.auth).filter(article_id=article_id)
    page = keyset_page(comments, THREAD_ORDER, cursor=paging.cursor, limit=paging.limit)
    return {
        "items": [comment_data(request, comment) for comment in page.items],
        "next": page_links(request, page),
        "next_cursor": page.next_cursor,
    }


@router.get("/comments/{comment_id}", response={200: CommentOut, **DETAIL_ERRORS}, summary="A comment")
def get_comment(request, comment_id: int = Path(..., ge=1, le=MAX_ID)):
    comment = public_comments(request.auth).filter(pk=comment_id).first()
    if comment is None:
        raise ApiError(404, "not_found", _("No comment with this id."))
    return comment_data(request, comment)


def represent(pk):
    """For webhook payloads: the comment's API path and public representation (None once it is not public)."""
    comment = public_comments().filter(pk=pk).first()
    return api_path("comments", pk), None if comment is None else comment_data(None, comment)
