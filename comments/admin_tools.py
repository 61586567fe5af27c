"""Moderation at laptop width: the comment list's compact columns and row details, keyboard-driven
quick actions (JSON for static/admin/js/comment_moderation.js), the per-commenter panel and bans.
CommentAdmin (comments/admin.py) mixes this in."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from comments import services
from comments.models import Comment, CommenterBan, CommentFlag

PANEL_SIZE = 50


class ReportedFilter(admin.SimpleListFilter):
    """Comments readers reported, as WordPress plugins add a "Reported" view."""

    title = _("reader reports")
    parameter_name = "reported"

    def lookups(self, request, model_admin):
        return [("1", _("Reported by readers"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(pk__in=CommentFlag.objects.values("comment_id"))
        return queryset


def commenter_filter(comment):
    """Who wrote `comment`, as a filter over comments: the email when there is one, else the IP address."""
    if comment.author_email:
        return Q(author_email__iexact=comment.author_email)
    if comment.ip_address:
        return Q(ip_address=comment.ip_address, author_email="")
    return Q(pk=comment.pk)


class ModerationToolsMixin:
    """Columns, row details, JSON quick actions, the commenter panel and bans for CommentAdmin."""

    def tools_urls(self):
        def view(function, pattern, name):
            return path(pattern, self.admin_site.admin_view(function), name=f"comments_comment_{name}")

        return [
            view(self.commenter_view, "<int:pk>/commenter/", "commenter"),
            view(self.ban_view, "<int:pk>/ban/<str:what>/", "ban"),
        ]

    # Columns

    @admin.display(description=_("author"), ordering="author_name")
    def author_column(self, obj):
        return format_html(
            '<span class="comment-author-name">{}</span>{}',
            obj.author_name,
            format_html('<span class="comment-staff-badge">{}</span>', gettext("staff")) if obj.user_id else "",
        )

    @admin.display(description=_("submitted"), ordering="created_at")
    def submitted(self, obj):
        moment = timezone.localtime(obj.created_at)
        return format_html(
            '<time datetime="{}" title="{}">{}</time>',
            moment.isoformat(),
            date_format(moment, "DATETIME_FORMAT"),
            date_format(moment, "M j, H:i"),
        )

    def row_details(self, obj, *, can_change):
        """What the columns leave out, in a <details> under the excerpt: contact, network, reports, tools."""
        facts = [
            (gettext("Email"), obj.author_email or "—"),
            (gettext("Website"), obj.author_url or "—"),
            (gettext("IP address"), obj.ip_address or "—"),
            (gettext("Browser"), obj.user_agent or "—"),
        ]
        reports = getattr(obj, "report_count", 0)
        if reports:
            facts.append((gettext("Reader reports"), str(reports)))
        rows = format_html_join("", "<dt>{}</dt><dd>{}</dd>", facts)
        panel = format_html(
            '<a href="{}">{}</a>',
            reverse("admin:comments_comment_commenter", args=[obj.pk]),
            gettext("All comments by this commenter"),
        )
        bans = ""
        if can_change:
            buttons = []
            if obj.author_email:
                buttons.append(("email", gettext("Ban this email")))
            if obj.ip_address:
                buttons.append(("ip", gettext("Ban this IP address")))
            bans = format_html_join(
                "",
                '<button type="submit" class="button comment-ban" formaction="{}">{}</button>',
                ((reverse("admin:comments_comment_ban", args=[obj.pk, what]), label) for what, label in buttons),
            )
        return format_html(
            '<details class="comment-details"><summary>{}</summary><dl>{}</dl>'
            '<p class="comment-details-tools">{} {}</p></details>',
            gettext("Details"),
            rows,
            panel,
            bans,
        )

    def reports_badge(self, obj):
        reports = getattr(obj, "report_count", 0)
        if not reports:
            return ""
        return format_html(
            '<span class="comment-reported">{}</span>',
            gettext("Reported %(count)d×") % {"count": reports},
        )

    def quick_answer(self, request, comment):
        """The JSON the keyboard-driven list needs after a quick action: the row's new status and buttons."""
        return JsonResponse(
            {
                "id": comment.pk,
                "status": comment.status,
                "label": str(comment.get_status_display()),
                "actions_html": str(self.quick_actions(comment)),
            }
        )

    # The commenter panel

    def commenter_view(self, request, pk):
        """One commenter (by email, else IP address): their comments and how each was moderated."""
        comment = get_object_or_404(Comment, pk=pk)
        if not self.has_view_permission(request, comment):
            raise PermissionDenied
        theirs = Comment.objects.filter(commenter_filter(comment))
        counts = dict(theirs.order_by().values_list("status").annotate(total=Count("pk")))
        statuses = [(value, label, counts.get(value, 0)) for value, label in Comment.Status.choices]
        addresses = list(
            theirs.exclude(ip_address__isnull=True).order_by().values_list("ip_address", flat=True).distinct()[:10]
        )
        names = list(theirs.order_by().values_list("author_name", flat=True).distinct()[:10])
        ban = CommenterBan.objects.matching(email=comment.author_email, ip_address=comment.ip_address)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Comments by %(name)s") % {"name": comment.author_name},
            "comment": comment,
            "statuses": statuses,
            "total": sum(counts.values()),
            "comments": theirs.select_related("article").order_by("-created_at", "-pk")[:PANEL_SIZE],
            "addresses": addresses,
            "names": names,
            "ban": ban,
            "can_change": self.has_change_permission(request, comment),
            "reports": CommentFlag.objects.filter(comment__in=theirs).count(),
        }
        return TemplateResponse(request, "admin/comments/comment/commenter.html", context)

    # Bans

    def ban_view(self, request, pk, what):
        """Ban the row's commenter by email or IP address (from the list's row details or the panel)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        comment = get_object_or_404(Comment, pk=pk)
        if what not in {"email", "ip"} or not request.user.has_perm("comments.add_commenterban"):
            raise PermissionDenied
        value = comment.author_email if what == "email" else comment.ip_address
        if not value:
            self.message_user(request, gettext("This comment has no address to ban."), messages.ERROR)
            return HttpResponseRedirect(self._back(request))
        try:
            ban, created = services.commenter_ban(
                actor=request.user,
                email=value if what == "email" else "",
                ip_network=value if what == "ip" else "",
                note=gettext("from comment #%(id)s") % {"id": comment.pk},
            )
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(self._back(request))
        if created:
            message = gettext("Banned %(who)s: their new comments go straight to spam.") % {"who": ban}
        else:
            message = gettext("%(who)s was already banned.") % {"who": ban}
        self.message_user(request, message, messages.SUCCESS)
        return HttpResponseRedirect(self._back(request))
