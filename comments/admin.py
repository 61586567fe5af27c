from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles.chrome import site_root
from comments import services
from comments.admin_tools import ModerationToolsMixin, ReportedFilter
from comments.models import BODY_MAX_LENGTH, Comment, CommenterBan, CommentSettings, ModerationEvent

QUICK_ACTIONS = {
    "approve": (Comment.Status.APPROVED, _("Approve")),
    "unapprove": (Comment.Status.PENDING, _("Unapprove")),
    "spam": (Comment.Status.SPAM, _("Spam")),
    "trash": (Comment.Status.TRASH, _("Trash")),
}


class StatusFilter(admin.SimpleListFilter):
    """Statuses with how many comments each holds, as WordPress shows "Pending (3)"."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        counts = dict(Comment.objects.order_by().values_list("status").annotate(total=Count("pk")))
        return [(value, f"{label} ({counts.get(value, 0)})") for value, label in Comment.Status.choices]

    def queryset(self, request, queryset):
        if self.value() in Comment.Status.values:
            return queryset.filter(status=self.value())
        return queryset


class ModerationEventInline(admin.TabularInline):
    model = ModerationEvent
    fields = ["created_at", "action", "actor_name", "from_status", "to_status", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("moderation history")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class StaffReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"), max_length=BODY_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 8, "cols": 80})
    )


@admin.register(Comment)
class CommentAdmin(ModerationToolsMixin, admin.ModelAdmin):
    # Five columns that fit a laptop (1280 px); email, IP address, browser and tools are in each row's details.
    list_display = ["comment_column", "author_column", "article_link", "status_label", "submitted"]
    list_display_links = None  # comment_column links to the change page itself, above its row actions
    list_filter = [StatusFilter, ReportedFilter, ("article", admin.RelatedOnlyFieldListFilter), "created_at"]
    list_select_related = ["article"]
    search_fields = ["author_name", "author_email", "body", "ip_address"]
    date_hierarchy = "created_at"
    list_per_page = 50
    actions = ["approve", "unapprove", "mark_spam", "move_to_trash", "delete_selected", "erase_personal_data"]
    readonly_fields = [
        "article_link",
        "parent_link",
        "commenter_link",
        "created_at",
        "ip_address",
        "user_agent",
        "user",
        "approval_notified_at",
        "reply_notified_at",
    ]
    fieldsets = [
        (None, {"fields": ["status", "body", "author_name", "author_email", "author_url", "notify_replies"]}),
        (_("Where"), {"fields": ["article_link", "parent_link", "created_at", "commenter_link"]}),
        (
            _("For moderators only"),
            {
                "fields": ["ip_address", "user_agent", "user", "approval_notified_at", "reply_notified_at"],
                "description": _("Never shown to readers. IP addresses and user agents are cleared after a while."),
            },
        ),
    ]
    inlines = [ModerationEventInline]

    class Media:
        css = {"all": ["admin/css/comments.css"]}
        js = ["admin/js/comment_moderation.js"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(report_count=Count("flags"))

    def has_add_permission(self, request):
        """Comments come from readers; staff answer with Reply."""
        return False

    def get_list_display(self, request):
        """Moderators get row actions under each excerpt; viewers get the excerpt alone."""
        if not self.has_change_permission(request):
            return self.list_display

        @admin.display(description=_("comment"))
        def comment(obj):
            return format_html(
                "{}{}{}{}",
                self.comment_column(obj),
                self.reports_badge(obj),
                self.quick_actions(obj),
                self.row_details(obj, can_change=True),
            )

        return [comment, *self.list_display[1:]]

    def get_urls(self):
        return [
            path(
                "<int:pk>/moderate/<str:action>/",
                self.admin_site.admin_view(self.quick_moderate_view),
                name="comments_comment_moderate",
            ),
            path("<int:pk>/reply/", self.admin_site.admin_view(self.reply_view), name="comments_comment_reply"),
            *self.tools_urls(),
            *super().get_urls(),
        ]

    # Columns

    @admin.display(description=_("status"), ordering="status")
    def status_label(self, obj):
        return format_html(
            '<span class="comment-status comment-status-{}">{}</span>', obj.status, obj.get_status_display()
        )

    @admin.display(description=_("article"), ordering="article__headline")
    def article_link(self, obj):
        return format_html('<a href="{}">{}</a>', obj.article.get_absolute_url(), obj.article.headline)

    @admin.display(description=_("commenter"))
    def commenter_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:comments_comment_commenter", args=[obj.pk]),
            _("All comments by this commenter, status counts, ban"),
        )

    @admin.display(description=_("in reply to"))
    def parent_link(self, obj):
        if obj.parent_id is None:
            return "—"
        url = reverse("admin:comments_comment_change", args=[obj.parent_id])
        return format_html('<a href="{}">#{} {}</a>', url, obj.parent_id, obj.parent.excerpt())

    @admin.display(description=_("comment"))
    def comment_column(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:comments_comment_change", args=[obj.pk]), obj.excerpt()
        )

    def quick_actions(self, obj):
        """One-click buttons; formaction posts the changelist form (and its CSRF token) to quick_moderate_view."""
        buttons = format_html_join(
            "",
            '<button type="submit" class="button comment-quick-action" formaction="{}" data-action="{}">{}</button>',
            (
                (reverse("admin:comments_comment_moderate", args=[obj.pk, action]), action, label)
                for action, (status, label) in QUICK_ACTIONS.items()
                if status != obj.status
            ),
        )
        reply = format_html(
            '<a class="button comment-quick-action" href="{}" data-action="reply">{}</a>',
            reverse("admin:comments_comment_reply", args=[obj.pk]),
            _("Reply"),
        )
        return format_html('<div class="comment-quick-actions">{}{}</div>', buttons, reply)

    # Bulk actions

    def _set_status(self, request, queryset, status, message):
        changed = services.comments_set_status(
            comments=queryset, status=status, actor=request.user, base_url=site_root(request)
        )
        self.message_user(request, message(changed) % changed, messages.SUCCESS)

    @admin.action(description=_("Approve selected comments"), permissions=["change"])
    def approve(self, request, queryset):
        self._set_status(
            request,
            queryset,
            Comment.Status.APPROVED,
            lambda n: ngettext("%d comment approved.", "%d comments approved.", n),
        )

    @admin.action(description=_("Unapprove selected comments"), permissions=["change"])
    def unapprove(self, request, queryset):
        self._set_status(
            request,
            queryset,
            Comment.Status.PENDING,
            lambda n: ngettext("%d comment unapproved.", "%d comments unapproved.", n),
        )

    @admin.action(description=_("Mark selected comments as spam"), permissions=["change"])
    def mark_spam(self, request, queryset):
        self._set_status(
            request,
            queryset,
            Comment.Status.SPAM,
            lambda n: ngettext("%d comment marked as spam.", "%d comments marked as spam.", n),
        )

    @admin.action(description=_("Move selected comments to the trash"), permissions=["change"])
    def move_to_trash(self, request, queryset):
        self._set_status(
            request,
            queryset,
            Comment.Status.TRASH,
            lambda n: ngettext("%d comment moved to the trash.", "%d comments moved to the trash.", n),
        )

    @admin.action(description=_("Erase the personal data of the selected comments' authors"), permissions=["change"])
    def erase_personal_data(self, request, queryset):
        """Anonymise every comment by the selected comments' email addresses, after a confirmation page."""
        emails = sorted(
            {email.lower() for email in queryset.exclude(author_email="").values_list("author_email", flat=True)}
        )
        if request.POST.get("confirmed") == "yes":
            erased = sum(services.commenter_erase(email=email, actor=request.user) for email in emails)
            self.message_user(
                request,
                ngettext(
                    "Anonymised %(count)d comment by %(people)d commenter(s).",
                    "Anonymised %(count)d comments by %(people)d commenter(s).",
                    erased,
                )
                % {"count": erased, "people": len(emails)},
                messages.SUCCESS,
            )
            return None
        affected = sum(services.commenter_erase(email=email, dry_run=True) for email in emails)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Erase commenters' personal data?"),
            "opts": self.opts,
            "emails": emails,
            "affected": affected,
            "selected": request.POST.getlist(ACTION_CHECKBOX_NAME),
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/comments/comment/erase_confirmation.html", context)

    def delete_queryset(self, request, queryset):
        services.comments_delete(comments=queryset, actor=request.user)

    def delete_model(self, request, obj):
        services.comments_delete(comments=Comment.objects.filter(pk=obj.pk), actor=request.user)

    def save_model(self, request, obj, form, change):
        previous = Comment.objects.filter(pk=obj.pk).values_list("status", flat=True).first() or obj.status
        services.comment_update(
            comment=obj,
            actor=request.user,
            changed_fields=form.changed_data,
            previous_status=previous,
            base_url=site_root(request),
        )

    # Extra views

    def _back(self, request):
        target = request.POST.get("next") or request.headers.get("Referer", "")
        if url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return target
        return reverse("admin:comments_comment_changelist")

    def quick_moderate_view(self, request, pk, action):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if action not in QUICK_ACTIONS:
            raise PermissionDenied
        comment = get_object_or_404(Comment, pk=pk)
        if not self.has_change_permission(request, comment):
            raise PermissionDenied
        status, _label = QUICK_ACTIONS[action]
        services.comments_set_status(
            comments=Comment.objects.filter(pk=pk),
            status=status,
            actor=request.user,
            base_url=site_root(request),
        )
        comment.refresh_from_db()
        if request.headers.get("Accept", "").startswith("application/json"):
            return self.quick_answer(request, comment)
        self.message_user(
            request,
            _("Comment #%(id)s by %(name)s is now %(status)s.")
            % {"id": comment.pk, "name": comment.author_name, "status": comment.get_status_display().lower()},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(self._back(request))

    def reply_view(self, request, pk):
        parent = get_object_or_404(Comment.objects.select_related("article"), pk=pk)
        if not self.has_change_permission(request, parent):
            raise PermissionDenied
        form = StaffReplyForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            reply = services.comment_reply(
                parent=parent,
                user=request.user,
                body=form.cleaned_data["body"],
                base_url=site_root(request),
            )
            self.message_user(request, _("Your reply is published."), messages.SUCCESS)
            return redirect("admin:comments_comment_change", reply.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Reply to %(name)s") % {"name": parent.author_name},
            "opts": self.opts,
            "parent": parent,
            "form": form,
        }
        return TemplateResponse(request, "admin/comments/comment/reply.html", context)


@admin.register(ModerationEvent)
class ModerationEventAdmin(admin.ModelAdmin):
    """The moderation history: read-only for everyone, superusers included."""

    list_display = ["created_at", "action", "comment_link", "actor_name", "from_status", "to_status", "note"]
    list_filter = ["action", "created_at"]
    search_fields = ["comment_label", "actor_name", "note"]
    date_hierarchy = "created_at"
    list_per_page = 100

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("comment"), ordering="comment_label")
    def comment_link(self, obj):
        if obj.comment_id is None:
            return obj.comment_label
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:comments_comment_change", args=[obj.comment_id]), obj.comment_label
        )


@admin.register(CommenterBan)
class CommenterBanAdmin(admin.ModelAdmin):
    """Banned commenters: their new comments go straight to spam. Delete a ban to lift it."""

    list_display = ["email", "ip_network", "note", "created_at", "created_by"]
    search_fields = ["email", "ip_network", "note"]
    fields = ["email", "ip_network", "note"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(CommentSettings)
class CommentSettingsAdmin(admin.ModelAdmin):
    """One row of rules: the list page opens it directly."""

    view_on_site = False

    fieldsets = [
        (_("Who is published at once"), {"fields": ["auto_approve_known_authors", "hold_all"]}),
        (_("Comment moderation"), {"fields": ["max_links", "moderation_words", "disallowed_words", "flood_seconds"]}),
        (
            _("Discussion"),
            {
                "fields": [
                    "thread_depth",
                    "comments_per_page",
                    "close_after_days",
                    "offer_reply_notifications",
                    "flags_to_hold",
                ]
            },
        ),
        (_("Email"), {"fields": ["notify_moderators"]}),
        (_("Privacy"), {"fields": ["personal_data_days"]}),
    ]

    def has_add_permission(self, request):
        return not CommentSettings.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        rules = CommentSettings.objects.order_by("pk").first()
        if rules is None:
            if not self.has_change_permission(request):
                raise PermissionDenied
            rules = CommentSettings.objects.create()
        return redirect("admin:comments_commentsettings_change", rules.pk)
