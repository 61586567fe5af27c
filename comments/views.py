"""Reader-facing comment endpoints.

The article page is cached and identical for every reader, so it carries no CSRF token,
timestamp or reader data. comments.js fetches those from never-cached endpoints here:
form_token (CSRF cookie + signed form timestamp) and pending_comments (the reader's own
held comments, found through a signed cookie set when they posted).
"""

import ipaddress
import json
from functools import wraps
from urllib.parse import quote

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from articles.article_page import TEMPLATE, article_page_context
from articles.chrome import site_root
from articles.models import Article
from comments import notifications, services
from comments.display import comment_page_url
from comments.forms import CommentForm, issue_form_token
from comments.models import Comment, CommentSettings
from comments.moderation import comments_open
from newsroom import outage

PENDING_COOKIE = "comment_pending"
PENDING_SALT = "comments.pending"
AUTHOR_COOKIE = "comment_author"
# The comments this browser posted, signed: the proof that lets a known author be approved at once.
KNOWN_COOKIE = "comment_known"
KNOWN_SALT = "comments.known"
AUTHOR_COOKIE_AGE = 30_000_000  # WordPress keeps the commenter cookie about a year.
PENDING_COOKIE_LIMIT = 20
KEPT_FIELDS = ["comment", "author", "email", "url", "comment_parent", "remember_me", "notify_replies"]


def _ip(text):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_ip(request):
    """The reader's IP address, or None.

    REMOTE_ADDR, unless it is one of TRUSTED_PROXIES and COMMENTS_CLIENT_IP_HEADER is set: then the
    header's addresses are read from the right (the nearest hop first), past the trusted proxies, and
    the first other address is the reader's. A client's own X-Forwarded-For is never believed, since
    the entries it adds sit left of what our proxy appends.
    """
    remote = _ip(request.META.get("REMOTE_ADDR", ""))
    header = settings.COMMENTS_CLIENT_IP_HEADER
    proxies = settings.TRUSTED_PROXIES

    def trusted(address):
        return any(address in network for network in proxies)

    if not (header and remote is not None and trusted(remote)):
        return str(remote) if remote is not None else None
    address = remote
    for entry in reversed([entry for entry in request.META.get(header, "").split(",") if entry.strip()]):
        address = _ip(entry)
        if address is None:
            return None  # a damaged header: unknown rather than a guess
        if not trusted(address):
            break
    return str(address)  # the first untrusted address, else the furthest proxy


def _csrf_passes(request):
    """Run Django's CSRF check by hand, so a refused post can come back with the reader's text kept."""
    return CsrfViewMiddleware(lambda req: None).process_view(request, None, (), {}) is None


def pending_ids(request):
    """The ids of comments this browser posted that await moderation, from the signed cookie."""
    try:
        raw = request.get_signed_cookie(PENDING_COOKIE, salt=PENDING_SALT, max_age=settings.COMMENTS_PENDING_COOKIE_AGE)
    except (KeyError, signing.BadSignature):
        return []
    return [int(part) for part in raw.split(".") if part.isdigit()][-PENDING_COOKIE_LIMIT:]


def known_ids(request):
    """The ids of comments this browser posted (any status), from the long-lived signed cookie."""
    try:
        raw = request.get_signed_cookie(KNOWN_COOKIE, salt=KNOWN_SALT, max_age=AUTHOR_COOKIE_AGE)
    except (KeyError, signing.BadSignature):
        return []
    return [int(part) for part in raw.split(".") if part.isdigit()][-PENDING_COOKIE_LIMIT:]


def _rerender(request, article, form, *, status, notice=""):
    """The article page again, with the form, the reader's text and the message: private, never cached."""
    context = article_page_context(
        request,
        article,
        comment_form=form,
        comment_notice=notice,
        comment_csrf_token=get_token(request),
        comment_form_token=issue_form_token(),
    )
    response = render(request, TEMPLATE, context, status=status)
    add_never_cache_headers(response)
    patch_cache_control(response, private=True, no_store=True)
    return response


def _kept_form(request, article):
    """An unvalidated form showing what the reader typed (no anti-robot token is spent)."""
    return CommentForm(article=article, initial={name: request.POST.get(name, "") for name in KEPT_FIELDS})


def _keep_text_through_outages(view):
    """The database unreachable: the reader gets their text back in a form that needs no database (503)."""

    @wraps(view)
    def wrapper(request, article_id):
        try:
            return view(request, article_id)
        except outage.DATABASE_ERRORS as error:
            outage.report(error)
            context = {
                "form": _kept_form(request, None),
                "action": reverse("comments:post", args=[article_id]) + "#respond",
                "csrf_token_value": get_token(request),
                "comment_form_token": issue_form_token(),
            }
            # No request context: the context processors would ask the database for the masthead.
            response = HttpResponse(render_to_string("comments/outage.html", context), status=503)
            response["Retry-After"] = str(outage.RETRY_AFTER_SECONDS)
            add_never_cache_headers(response)
            patch_cache_control(response, private=True, no_store=True)
            return response

    return wrapper


@csrf_exempt  # checked by hand below: a failure must keep the reader's text, not show a bare 403
@require_POST
@_keep_text_through_outages
def post_comment(request, article_id):
    """Bind the form, call comment_submit, redirect to the comment; on any refusal show the form again."""
    article = get_object_or_404(Article.objects.published().for_listing(), pk=article_id)
    if not _csrf_passes(request):
        notice = _(
            "Your comment has not been posted yet: this page had expired. Please check it and press “Post Comment” "
            "again. (Posting needs cookies to be enabled in your browser.)"
        )
        return _rerender(request, article, _kept_form(request, article), status=403, notice=notice)
    if not comments_open(article):
        return _rerender(
            request, article, _kept_form(request, article), status=403, notice=_("Comments are closed on this article.")
        )

    form = CommentForm(request.POST, article=article)
    if not form.is_valid():
        return _rerender(request, article, form, status=400)
    data = form.cleaned_data
    try:
        comment = services.comment_submit(
            article=article,
            author_name=data["author"],
            author_email=data["email"],
            author_url=data["url"],
            body=data["comment"],
            parent=data["comment_parent"],
            notify_replies=data["notify_replies"] and CommentSettings.objects.current().offer_reply_notifications,
            ip_address=client_ip(request),
            user_agent=request.headers.get("User-Agent", ""),
            user=request.user,
            base_url=site_root(request),
            proven_comment_ids=known_ids(request),
        )
    except services.CommentRefused as refusal:
        form.add_error(None, ValidationError(refusal.message, code=refusal.code))
        response = _rerender(request, article, form, status=refusal.status)
        if refusal.code == "flood":
            response["Retry-After"] = str(CommentSettings.objects.current().flood_seconds)
        elif refusal.code == "site_flood":
            response["Retry-After"] = "60"
        return response

    response = redirect(comment_page_url(comment))
    add_never_cache_headers(response)
    _set_reader_cookies(request, response, comment, remember_me=data["remember_me"])
    return response


def _set_reader_cookies(request, response, comment, *, remember_me):
    """The "remember me" cookie (only when ticked; unticking deletes it), the signed list of held comments and
    the signed list of every comment this browser posted (the proof for known-author approval)."""
    secure = settings.CSRF_COOKIE_SECURE
    if remember_me:
        remembered = json.dumps({"name": comment.author_name, "email": comment.author_email, "url": comment.author_url})
        response.set_cookie(
            AUTHOR_COOKIE, quote(remembered, safe=""), max_age=AUTHOR_COOKIE_AGE, samesite="Lax", secure=secure
        )
    elif AUTHOR_COOKIE in request.COOKIES:
        response.delete_cookie(AUTHOR_COOKIE, samesite="Lax")
    known = [*known_ids(request), comment.pk][-PENDING_COOKIE_LIMIT:]
    response.set_signed_cookie(
        KNOWN_COOKIE,
        ".".join(str(pk) for pk in known),
        salt=KNOWN_SALT,
        max_age=AUTHOR_COOKIE_AGE,
        samesite="Lax",
        secure=secure,
        httponly=True,
    )
    if comment.is_pending:
        ids = [*pending_ids(request), comment.pk][-PENDING_COOKIE_LIMIT:]
        response.set_signed_cookie(
            PENDING_COOKIE,
            ".".join(str(pk) for pk in ids),
            salt=PENDING_SALT,
            max_age=settings.COMMENTS_PENDING_COOKIE_AGE,
            samesite="Lax",
            secure=secure,
        )


@never_cache
@require_GET
def form_token(request):
    """What the cached page cannot carry: a CSRF token (and its cookie) and a signed form timestamp.

    None while the database is unreachable: a comment could not be saved anyway.
    """
    if not outage.database_is_up():
        return outage.service_unavailable(request)
    return JsonResponse({"csrf_token": get_token(request), "form_token": issue_form_token()})


@never_cache
@require_GET
def pending_comments(request, article_id):
    """This browser's own held comments on an article, as HTML fragments marked "awaiting moderation"."""
    ids = pending_ids(request)
    comments = []
    if ids:
        comments = list(
            Comment.objects.awaiting_moderation()
            .filter(article_id=article_id, article__in=Article.objects.published(), pk__in=ids)
            .select_related("article")
            .for_thread()
        )
    fragments = []
    for comment in comments:
        comment.depth, comment.can_reply, comment.thread_children = 1, False, []
        html = render_to_string("comments/_comment.html", {"comment": comment, "pending": True}, request=request)
        fragments.append({"id": comment.pk, "parent_id": comment.parent_id, "html": html})
    return JsonResponse({"comments": fragments})


@csrf_exempt  # the signed token is the credential; mail programs POST one-click unsubscribes (RFC 8058)
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """Stop approval and reply emails to the address behind the token, no login needed.

    Only a POST acts: the one-click POST mail programs send (RFC 8058), or the button a GET shows.
    A GET changes nothing, because mail scanners and link prefetchers open every link in a message.
    """
    if request.method == "GET":
        valid = notifications.comment_id_from_unsubscribe_token(token) is not None
        state = "confirm" if valid else ("expired" if notifications.unsubscribe_token_expired(token) else "invalid")
    else:
        changed = services.comment_unsubscribe(token=token)
        state = "done" if changed is not None else "invalid"
        if changed is None and notifications.unsubscribe_token_expired(token):
            state = "expired"
    status = 200 if state in {"confirm", "done"} else 400
    response = render(request, "comments/unsubscribe.html", {"state": state}, status=status)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _public_comment_or_404(comment_id):
    comments = Comment.objects.public().filter(article__in=Article.objects.published()).select_related("article")
    return get_object_or_404(comments, pk=comment_id)


@never_cache
@require_GET
def permalink(request, comment_id):
    """A comment's permanent link: to the page of the discussion that shows it now."""
    return redirect(comment_page_url(_public_comment_or_404(comment_id)))


FLAG_MESSAGES = {
    services.FlagOutcome.RECORDED: _lazy("Thank you. The moderators will look at this comment."),
    services.FlagOutcome.ALREADY: _lazy("You have already reported this comment. The moderators will look at it."),
    services.FlagOutcome.HELD: _lazy("Thank you. The comment is hidden until a moderator has looked at it."),
}


@csrf_exempt  # checked by hand below, to answer with a message instead of a bare 403
@never_cache
@require_http_methods(["GET", "POST"])
def flag(request, comment_id):
    """Report a comment to the moderators. comments.js posts here with the token from form_token and gets
    JSON, so the cached article page needs nothing per reader; without JavaScript the Report link opens
    a small page with the form (private, never cached)."""
    comment = _public_comment_or_404(comment_id)
    as_json = request.headers.get("Accept", "").startswith("application/json")
    status, message, done = 200, "", False
    if request.method == "POST":
        if not _csrf_passes(request):
            status, message = 403, _("This page had expired. Please try again. (Reporting needs cookies.)")
        else:
            try:
                outcome = services.comment_flag(
                    comment=comment,
                    ip_address=client_ip(request),
                    user_agent=request.headers.get("User-Agent", ""),
                    base_url=site_root(request),
                )
            except services.CommentRefused as refusal:
                status, message = refusal.status, refusal.message
            else:
                message, done = str(FLAG_MESSAGES[outcome]), True
    if as_json:
        return JsonResponse({"ok": done, "message": message}, status=status)
    response = render(
        request,
        "comments/flag.html",
        {"comment": comment, "article": comment.article, "message": message, "done": done},
        status=status,
    )
    patch_cache_control(response, private=True, no_store=True)
    return response
