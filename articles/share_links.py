"""Share links: a signed, expiring token that lets a source read an unpublished article without an account.

The token names the article, its share key and an expiry time. Changing the article's share key
(share_links_revoke) stops every link made so far; publishing makes the link lead to the public page.
"""

import secrets
from datetime import UTC, datetime, timedelta

from django.core import signing
from django.utils import timezone

from articles.models import Article

SHARE_SALT = "articles.share-link"
SHARE_MAX_DAYS = 30
SHARE_DURATIONS = [1, 3, 7, 14, SHARE_MAX_DAYS]


def share_link_create(*, article, days):
    """A token that lets anyone read this unpublished article for `days` days, until it is published."""
    days = min(max(int(days), 1), SHARE_MAX_DAYS)
    if not article.share_key:
        article.share_key = secrets.token_urlsafe(16)
        Article.objects.filter(pk=article.pk).update(share_key=article.share_key)
    expires_at = timezone.now() + timedelta(days=days)
    token = signing.dumps(
        {"a": article.pk, "k": article.share_key, "e": int(expires_at.timestamp())}, salt=SHARE_SALT, compress=True
    )
    return token, expires_at


def share_links_revoke(*, article):
    """Stop every share link made for this article so far."""
    article.share_key = secrets.token_urlsafe(16)
    Article.objects.filter(pk=article.pk).update(share_key=article.share_key)


class ShareLinkError(Exception):
    """The token is well signed but no longer opens the article (expired, revoked, withdrawn)."""


def article_for_share_token(token):
    """The article a share token opens, with the link's expiry time.

    Returns None for a token that is not ours (tampered, garbage); raises ShareLinkError for
    one that expired or was revoked, or whose article was withdrawn or deleted.
    """
    try:
        data = signing.loads(token, salt=SHARE_SALT, max_age=timedelta(days=SHARE_MAX_DAYS + 1))
    except signing.SignatureExpired as error:
        raise ShareLinkError from error
    except (signing.BadSignature, ValueError):
        return None
    if not isinstance(data, dict) or not all(
        isinstance(data.get(key), kind) for key, kind in [("a", int), ("k", str), ("e", int)]
    ):
        return None
    try:
        expires_at = datetime.fromtimestamp(data["e"], tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None
    if expires_at <= timezone.now():
        raise ShareLinkError
    article = Article.objects.for_listing().filter(pk=data["a"]).first()
    if article is None or not article.share_key or not secrets.compare_digest(article.share_key, data["k"]):
        raise ShareLinkError
    if article.status == Article.Status.UNPUBLISHED:
        raise ShareLinkError
    return article, expires_at
