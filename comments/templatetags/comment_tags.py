from django import template
from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from comments.display import PAGE_PARAMETER, build_thread, format_comment, page_of_threads
from comments.forms import CommentForm
from comments.models import Comment, CommentSettings
from comments.moderation import comments_open
from newsroom.compiled_queries import CompiledQuery
from newsroom.fragments import fragment_key
from newsroom.reverse import reverse

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


SECTION_TEMPLATE = "comments/_comments.html"
# The section and everything it includes: their source is part of every kept section's key.
SECTION_TEMPLATES = (SECTION_TEMPLATE, "comments/_comment.html", "comments/_pages.html", "comments/_form.html")
SECTION_TIMEOUT = 6 * 60 * 60
# What a form-error page passes for one reader: a section showing any of it is never kept.
PER_READER = ("comment_notice", "comment_csrf_token", "comment_form_token")


def _row(obj):
    """Every loaded column and annotation of a model instance, in a fixed order."""
    return sorted((name, value) for name, value in vars(obj).items() if not name.startswith("_"))


def _comment_columns():
    return [field.attname for field in Comment._meta.concrete_fields]


_thread_rows = CompiledQuery(
    lambda article: Comment.objects.public().on(article).for_thread().values_list(*_comment_columns())
)


@register.simple_tag(takes_context=True)
def comments_for(context, article):
    """The approved comments of `article` as a thread (one query) and the comment form.

    The form is the same for every reader; a form-error page passes its bound form as
    `comment_form`, with a fresh `comment_csrf_token` and `comment_form_token`.

    A section with the unbound form (what every reader gets) is the same for everyone, so it is
    rendered once and kept in the cache under a digest of everything it is made from: every column of
    the article's approved comments, the moderation rules, the article's address, whether comments are
    open, the comment page and the reply shown, the templates' source, the language and the time zone.
    Any change makes a new key, so a stale section is never shown and nothing has to be removed.
    """
    engine = context.template.engine
    rules = CommentSettings.objects.current()
    columns = _comment_columns()
    rows = _thread_rows.evaluate(article=article.pk)
    request = context.get("request")
    # Page numbers past the last show the last page: clamped to the number of comments, which is at least
    # the number of pages, so no query string can fill the cache with copies of one section.
    wanted_page = min(max(_parent_id(request.GET.get(PAGE_PARAMETER)) or 1, 1), max(len(rows), 1)) if request else 1
    form = context.get("comment_form")
    reply_to = None
    if form is None and request is not None:
        reply_to = _parent_id(request.GET.get("replytocom"))
        reply_to = reply_to if reply_to in {row[0] for row in rows} else None
    key = None
    if form is None and not any(context.get(name) for name in PER_READER):
        shown = (
            article.pk,
            article.get_absolute_url(),
            columns,
            rows,
            _row(rules),
            comments_open(article, rules),
            bool(context.get("is_preview", False)),
            wanted_page,
            reply_to,
            translation.get_language(),
            timezone.get_current_timezone_name(),
        )
        key = fragment_key("comments-section", SECTION_TEMPLATES, shown)
        html = cache.get(key)
        if html is not None:
            return mark_safe(html)  # noqa: S308 (rendered by the section template)
    comments = [Comment.from_db(Comment.objects.db, columns, row) for row in rows]
    thread, page, pages = page_of_threads(
        build_thread(comments, max_depth=rules.thread_depth), rules.comments_per_page, wanted_page
    )
    by_pk = {comment.pk: comment for comment in thread}
    if reply_to not in by_pk:
        reply_to = None  # on another page of the discussion
    if form is None:
        form = CommentForm(article=article, initial={"comment_parent": reply_to})
    replying_to = by_pk.get(_parent_id(form["comment_parent"].value()))
    if replying_to is not None and not getattr(replying_to, "can_reply", False):
        replying_to = None
    data = {
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
    html = engine.get_template(SECTION_TEMPLATE).render(context.new(data))
    if key is not None:
        cache.set(key, html, SECTION_TIMEOUT)
    return mark_safe(html)  # noqa: S308 (rendered by the section template)


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
