"""The editors' home: the panels on the admin index (templates/admin/index.html)."""

from dataclasses import dataclass

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from articles import notifications, workflow
from articles.admin.media import articles_with_expired_images
from articles.breaking import current_breaking_news
from articles.models import Article, DeskNotification

register = template.Library()

PANEL_SIZE = 8


@dataclass
class Panel:
    key: str
    title: str
    articles: list
    total: int
    list_url: str
    empty: str
    show: str = "updated"  # which time each row shows: "updated" or "live"


def _panel(key, title, queryset, query, empty, *, show="updated"):
    rows = list(queryset[:PANEL_SIZE])
    total = len(rows) if len(rows) < PANEL_SIZE else queryset.count()
    url = reverse("admin:articles_article_changelist") + "?" + query
    return Panel(key, str(title), rows, total, url, str(empty), show)


@register.simple_tag
def desk_panels(user):
    """Panels for `user`: editors see the whole desk, reporters their own work."""
    if not user.has_perm("articles.view_article") and not user.has_perm("articles.change_article"):
        return []
    articles = Article.objects.select_related("section").order_by("-updated_at", "-pk")
    mine = articles.owned_by(user)
    panels = [
        _panel(
            "drafts",
            _("My drafts"),
            mine.filter(status=Article.Status.DRAFT),
            "state=draft&mine=1",
            _("No drafts. Start one with “Add article”."),
        )
    ]
    if workflow.can_publish(user):
        panels += [
            _panel(
                "review",
                _("In review"),
                articles.filter(status=Article.Status.IN_REVIEW).order_by("updated_at", "pk"),
                "state=review",
                _("Nothing is waiting for review."),
            ),
            _panel(
                "scheduled",
                _("Scheduled"),
                articles.scheduled().order_by("published_at", "pk"),
                "state=scheduled",
                _("Nothing is scheduled."),
                show="live",
            ),
            _panel(
                "published",
                _("Recently published"),
                articles.published().order_by("-published_at", "-pk"),
                "state=live",
                _("Nothing published yet."),
                show="live",
            ),
        ]
        flagged = articles.filter(pk__in=articles_with_expired_images().values("pk")).exclude(
            status=Article.Status.UNPUBLISHED
        )
        if flagged.exists():  # shown only when there is something to act on
            panels.append(
                _panel(
                    "image-rights",
                    _("Images whose rights expired"),
                    flagged,
                    "image_rights=expired",
                    _("No story shows an image whose usage rights have expired."),
                )
            )
    else:
        panels += [
            _panel(
                "review",
                _("My pieces in review"),
                mine.filter(status=Article.Status.IN_REVIEW),
                "state=review&mine=1",
                _("Nothing of yours is waiting for review."),
            ),
            _panel(
                "published",
                _("My published pieces"),
                mine.published().order_by("-published_at", "-pk"),
                "state=live&mine=1",
                _("None yet."),
                show="live",
            ),
        ]
    return panels


@register.simple_tag
def desk_tools(user):
    """The desk's buttons for what `user` may do, and the banner showing now (for editors)."""
    tools = {
        "add_url": reverse("admin:articles_article_add") if user.has_perm("articles.add_article") else None,
        "planning_url": reverse("admin:articles_article_planning") if user.has_perm("articles.view_article") else None,
        "fronts_url": reverse("admin:articles_front_changelist") if user.has_perm("articles.change_front") else None,
        "breaking_add_url": reverse("admin:articles_breakingnews_add")
        if user.has_perm("articles.add_breakingnews")
        else None,
        "show_breaking": user.has_perm("articles.view_breakingnews"),
    }
    tools["breaking"] = current_breaking_news() if tools["show_breaking"] else None
    return tools


@register.simple_tag
def desk_notifications(user):
    """`user`'s unread notifications, newest first, each with its line and who did it."""
    notes = list(
        DeskNotification.objects.unread()
        .filter(recipient=user)
        .select_related("article", "actor")
        .order_by("-created_at", "-pk")[: PANEL_SIZE * 2]
    )
    for note in notes:
        note.line = notifications.headline_text(note)
        note.who = notifications.person_name(note.actor)
    return notes
