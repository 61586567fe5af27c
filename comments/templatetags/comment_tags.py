from django import template
from django.urls import reverse

from comments.display import PAGE_PARAMETER, build_thread, format_comment, page_of_threads
from comments.forms import CommentForm
from comments.models import Comment, CommentSettings
from comments.moderation import comments_open

register = template.Library()


@register.filter
def comment_text(text):
    """A comment's plain text as safe HTML: escaped, clickable nofollow links, line breaks kept."""
    return format_comment(text)


def _parent_id(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@register.inclusion_tag("comments/_comments.html", takes_context=True)
def comments_for(context, article):
    """The approved comments of `article` as a thread (one query) and the comment form.

    The form is the same for every reader; a form-error page passes its bound form as
    `comment_form`, with a fresh `comment_csrf_token` and `comment_form_token`.
    """
    rules = CommentSettings.objects.current()
    comments = list(Comment.objects.public().on(article).for_thread())
    request = context.get("request")
    wanted_page = _parent_id(request.GET.get(PAGE_PARAMETER)) if request is not None else None
    thread, page, pages = page_of_threads(
        build_thread(comments, max_depth=rules.thread_depth), rules.comments_per_page, wanted_page or 1
    )
    by_pk = {comment.pk: comment for comment in thread}
    form = context.get("comment_form")
    if form is None:
        reply_to = _parent_id(request.GET.get("replytocom")) if request is not None else None
        form = CommentForm(article=article, initial={"comment_parent": reply_to if reply_to in by_pk else None})
    replying_to = by_pk.get(_parent_id(form["comment_parent"].value()))
    if replying_to is not None and not getattr(replying_to, "can_reply", False):
        replying_to = None
    return {
        "article": article,
        "thread": thread,
        "comment_count": len(comments),
        "comments_open": comments_open(article, rules),
        "is_preview": context.get("is_preview", False),
        "form": form,
        "field_errors": form.is_bound and any(name != "__all__" for name in form.errors),
        "replying_to": replying_to,
        "notice": context.get("comment_notice", ""),
        "comment_csrf_token": context.get("comment_csrf_token", ""),
        "comment_form_token": context.get("comment_form_token", ""),
        "offer_reply_notifications": rules.offer_reply_notifications,
        "comment_page": page,
        "comment_pages": pages,
        "page_parameter": PAGE_PARAMETER,
        "can_report": bool(rules.flags_to_hold),
    }


@register.inclusion_tag("comments/admin/pending_panel.html", takes_context=True)
def pending_comments_panel(context):
    """The number of comments awaiting moderation, linked to them; empty for users who may not see comments."""
    request = context.get("request")
    if request is None or not request.user.has_perm("comments.view_comment"):
        return {"show": False}
    return {
        "show": True,
        "pending": Comment.objects.awaiting_moderation().count(),
        "url": reverse("admin:comments_comment_changelist") + "?status=pending",
    }
