"""The editorial rules: who may do what to an article. The writes are in articles.services.

Roles are groups made by a data migration (articles/migrations/0005_editorial_groups.py):

- Reporters (add/change article, no "publish") write and edit their own articles while they
  are drafts and submit them for review; they may withdraw a submission; they see their
  published pieces read-only and never see other people's work.
- Editors ("articles.publish_article") edit every article, publish, schedule and unpublish.
- Superusers hold every permission.
"""

from articles.models import Article

Status = Article.Status

REPORTERS = "Reporters"
EDITORS = "Editors"

# Editors may move an article between any two of these states; reporters only along REPORTER_MOVES.
EDITOR_MOVES = {
    Status.DRAFT: [Status.IN_REVIEW, Status.PUBLISHED],
    Status.IN_REVIEW: [Status.DRAFT, Status.PUBLISHED],
    Status.PUBLISHED: [Status.UNPUBLISHED, Status.DRAFT],
    Status.UNPUBLISHED: [Status.PUBLISHED, Status.DRAFT],
}
REPORTER_MOVES = {
    Status.DRAFT: [Status.IN_REVIEW],
    Status.IN_REVIEW: [Status.DRAFT],
}


def can_publish(user):
    return user.has_perm("articles.publish_article")


def is_owner(user, article):
    """`user` started the article or has a byline on it (bylines use the admin's prefetch)."""
    if not user.is_authenticated:
        return False
    if article.created_by_id == user.pk:
        return True
    return any(byline.author.user_id == user.pk for byline in article.bylines.all())


def can_view(user, article):
    """May see the article in the admin and preview it: editors always, reporters their own."""
    if can_publish(user):
        return True
    has_perm = user.has_perm("articles.view_article") or user.has_perm("articles.change_article")
    return has_perm and is_owner(user, article)


def can_share(user, article):
    """A share link makes sense for an article readers cannot see yet, and not for a withdrawn one."""
    return can_view(user, article) and not article.is_published() and article.status != Status.UNPUBLISHED


def can_edit(user, article):
    """May change the article's content: editors always, reporters their own drafts only."""
    if article is None:
        return user.has_perm("articles.add_article")
    if not user.has_perm("articles.change_article"):
        return False
    if can_publish(user):
        return True
    return article.status == Status.DRAFT and is_owner(user, article)


def next_statuses(user, article):
    """The states `user` may move `article` (None: a new one) to, the current one excluded."""
    current = article.status if article else Status.DRAFT
    if can_publish(user):
        return list(EDITOR_MOVES.get(current, []))
    if article is not None and not (user.has_perm("articles.change_article") and is_owner(user, article)):
        return []
    if article is None and not user.has_perm("articles.add_article"):
        return []
    return list(REPORTER_MOVES.get(current, []))


def status_choices(user, article):
    """Choices for the admin's status field: where the article is now and where `user` may take it."""
    current = article.status if article else Status.DRAFT
    allowed = {current, *next_statuses(user, article)}
    return [(value, label) for value, label in Status.choices if value in allowed]
