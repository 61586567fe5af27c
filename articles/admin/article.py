"""The editors' article admin: roles, state transitions, revisions, previews, share links."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from articles import article_page, body, media, revisions, services, share_links, workflow
from articles.admin.desk import DeskViewsMixin
from articles.admin.filters import MineFilter, StateFilter, TagFilter
from articles.admin.inlines import BylineInline, CorrectionInline
from articles.admin.media import ImageRightsFilter, preview_url
from articles.admin.states import sentence, state_label, transition_buttons
from articles.admin.widgets import SafeAutocompleteMixin
from articles.forms import (
    ArticleAdminForm,
    ShareLinkForm,
)
from articles.models import Article, Author, Byline, Correction
from articles.reading import length_label
from articles.search import clean_query


@admin.register(Article)
class ArticleAdmin(SafeAutocompleteMixin, DeskViewsMixin, admin.ModelAdmin):
    """The desk: what each role sees and may do is decided by articles.workflow."""

    form = ArticleAdminForm
    list_display = [
        "headline",
        "state",
        "is_published",
        "section",
        "publisher",
        "byline_names",
        "published_at",
        "updated_at",
    ]
    list_display_links = ["headline"]
    list_filter = [
        StateFilter,
        MineFilter,
        "section",
        "kind",
        "publisher",
        TagFilter,
        "published_at",
        "comment_policy",
        ImageRightsFilter,
    ]
    list_select_related = ["section", "publisher", "kind"]
    search_fields = ["headline", "dek", "body", "slug", "authors__name", "tags__name", "publisher__name"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["section", "publisher", "image", "social_image"]
    readonly_fields = [
        "image_preview",
        "created_at",
        "updated_at",
        "content_updated_at",
        "created_by",
        "body_text",
        "length",
    ]
    inlines = [BylineInline, CorrectionInline]
    actions = ["publish_now", "unpublish"]
    save_on_top = True
    list_per_page = 50
    fieldsets = [
        (None, {"fields": ["headline", "slug", "dek", "body", "length"]}),
        (
            _("Publishing"),
            {
                "fields": [
                    "status",
                    "kind",
                    "sponsor",
                    "published_at",
                    "embargo_until",
                    "expires_at",
                    "section",
                    "tags",
                    "comment_policy",
                    "comments_close_after_days",
                    "desk_note",
                ]
            },
        ),
        (
            _("Featured image"),
            {
                "fields": [
                    "image",
                    "image_preview",
                    "new_image",
                    "new_image_alt",
                    "new_image_is_decorative",
                    "new_image_caption",
                    "new_image_credit",
                ],
                "description": _(
                    "Choose a picture from the media library (type to search), or upload a new one: it joins the "
                    "library. Pictures inside the text are added with the editor's image and gallery buttons."
                ),
            },
        ),
        (
            _("Search and social"),
            {
                "fields": [
                    "seo_title",
                    "social_headline",
                    "social_description",
                    "social_image",
                ],
                "classes": ["collapse"],
                "description": _(
                    "How the article looks in search results and when shared. Empty fields use the headline, "
                    "standfirst and featured image; a social image from the library is cropped to 1200×630 around "
                    "its focal point."
                ),
            },
        ),
        (
            _("Syndication"),
            {
                "fields": ["publisher", "originally_published_at", "original_url", "is_original_canonical", "rights"],
                "description": _("For an article first published elsewhere: credit the publisher."),
            },
        ),
        (
            _("Record"),
            {"fields": ["created_by", "created_at", "updated_at", "content_updated_at"], "classes": ["collapse"]},
        ),
    ]

    class Media:
        js = ["admin/js/tag_autocomplete.js", "admin/js/workflow.js", "admin/js/desk_editor.js"]
        css = {"all": ["admin/css/newsroom.css", "admin/css/workflow.css", "admin/css/desk.css", "admin/css/media.css"]}

    # Who sees and changes what.

    def get_queryset(self, request):
        queryset = (
            super()
            .get_queryset(request)
            .defer("search_vector")
            .select_related("created_by", "image")
            .prefetch_related("bylines__author")
        )
        if not workflow.can_publish(request.user):
            queryset = queryset.owned_by(request.user)
        return queryset

    def get_search_results(self, request, queryset, search_term):
        """The fronts' article picker (autocomplete) offers only articles that are or will be public."""
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if request.GET.get("model_name") == "frontpin":
            queryset = queryset.filter(status=Article.Status.PUBLISHED).exclude(expires_at__lte=timezone.now())
        return queryset, may_have_duplicates

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and (obj is None or workflow.can_view(request.user, obj))

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or workflow.can_edit(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        """Editors delete any article; reporters only their own drafts (one at a time, from its page)."""
        if not super().has_delete_permission(request, obj):
            return False
        if workflow.can_publish(request.user):
            return True
        return obj is not None and obj.status == Article.Status.DRAFT and workflow.is_owner(request.user, obj)

    def has_publish_permission(self, request):
        return workflow.can_publish(request.user)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if self._is_a_colleagues(request, object_id):
            return self._not_yours(request)
        return super().change_view(request, object_id, form_url, extra_context)

    def _is_a_colleagues(self, request, object_id):
        """An article that exists but that this reporter may not open (Django would say it was deleted)."""
        if workflow.can_publish(request.user) or not str(object_id).isdigit():
            return False
        exists = Article.objects.filter(pk=object_id)
        return exists.exists() and not self.get_queryset(request).filter(pk=object_id).exists()

    def _not_yours(self, request):
        self.message_user(
            request,
            gettext(
                "That article is a colleague’s: reporters open only the pieces they started or have a byline on. "
                "Ask an editor if you need to work on it."
            ),
            messages.WARNING,
        )
        return HttpResponseRedirect(reverse("admin:articles_article_changelist"))

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not workflow.can_publish(request.user):
            actions.pop("delete_selected", None)
        return actions

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not workflow.can_publish(request.user):
            fields += ["published_at", "expires_at"]
        return fields

    def get_fieldsets(self, request, obj=None):
        """On a read-only page the body reads as formatted text, not as HTML source."""
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            if obj is not None and obj.is_published():
                # A save of a public article may be marked minor: readers are not told "Updated".
                name, options = fieldsets[1]
                fieldsets = [
                    fieldsets[0],
                    (name, {**options, "fields": ["minor_edit", *options["fields"]]}),
                    *fieldsets[2:],
                ]
            return fieldsets
        return [
            (name, {**options, "fields": ["body_text" if f == "body" else f for f in options["fields"]]})
            for name, options in fieldsets
        ]

    def get_inlines(self, request, obj):
        """Corrections belong to articles readers have seen."""
        ever_published = obj is not None and obj.published_at is not None and obj.status != Article.Status.DRAFT
        return [inline for inline in self.inlines if inline is not CorrectionInline or ever_published]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    # Saving: one call to the article service with the article, its tags, bylines and new notes.

    def save_model(self, request, obj, form, change):
        """Nothing yet: save_related() hands everything to articles.services.article_save in one call."""

    def save_related(self, request, form, formsets, change):
        article = form.instance
        if upload := form.cleaned_data.get("new_image"):
            article.image = media.image_create_from_file(
                file=upload,
                title=article.headline,
                alt=form.cleaned_data.get("new_image_alt", ""),
                is_decorative=form.cleaned_data.get("new_image_is_decorative", False),
                caption=form.cleaned_data.get("new_image_caption", ""),
                credit=form.cleaned_data.get("new_image_credit", ""),
                user=request.user,
            )
        bylines = next((formset for formset in formsets if formset.model is Byline), None)
        notes = next((formset for formset in formsets if formset.model is Correction), None)
        authors = self._ordered_authors(bylines) if bylines is not None else None
        if not change and not authors:
            authors = list(Author.objects.filter(user=request.user)[:1])  # as WordPress credits the post's author
        services.article_save(
            article=article,
            user=request.user,
            tags=form.cleaned_data.get("tags"),
            authors=authors,
            corrections=[(f.cleaned_data["kind"], f.cleaned_data["text"]) for f in self._new_forms(notes)],
            removed_corrections=[f.instance.pk for f in notes.deleted_forms if f.instance.pk] if notes else (),
            expected_version=form.cleaned_data.get("version") if change else None,
            validate=False,
            minor_edit=bool(form.cleaned_data.get("minor_edit")),
        )
        for formset in formsets:
            self._describe_for_log(formset)
        self.desk_saved(request, article)

    @staticmethod
    def _new_forms(formset):
        if formset is None:
            return []
        return [form for form in formset.extra_forms if form.has_changed() and form not in formset.deleted_forms]

    @staticmethod
    def _ordered_authors(formset):
        """The authors of the byline rows that stay, in the order of their positions (then of the rows)."""
        rows = [
            (form.cleaned_data.get("position") or 0, index, form.cleaned_data["author"])
            for index, form in enumerate(formset.forms)
            if form.cleaned_data.get("author") and form not in formset.deleted_forms
        ]
        return [author for _position, _index, author in sorted(rows, key=lambda row: row[:2])]

    def _describe_for_log(self, formset):
        """What construct_change_message() reads from a saved formset, for the admin's history."""
        formset.new_objects = [form.instance for form in self._new_forms(formset)]
        formset.changed_objects = [
            (form.instance, form.changed_data)
            for form in formset.initial_forms
            if form.has_changed() and form not in formset.deleted_forms
        ]
        formset.deleted_objects = [form.instance for form in formset.deleted_forms if form.instance.pk]

    def delete_model(self, request, obj):
        services.article_delete(article=obj)

    def delete_queryset(self, request, queryset):
        for article in queryset:
            services.article_delete(article=article)

    def response_change(self, request, obj):
        self._state_message(request, obj)
        return super().response_change(request, obj)

    def response_add(self, request, obj, post_url_continue=None):
        self._state_message(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def _state_message(self, request, obj):
        if obj.status == Article.Status.PUBLISHED and obj.is_scheduled:
            self.message_user(
                request,
                sentence(
                    gettext("“%(headline)s” is not public yet: %(state)s")
                    % {"headline": obj.headline, "state": state_label(obj)}
                ),
                messages.INFO,
            )
        elif obj.status == Article.Status.IN_REVIEW and not workflow.can_publish(request.user):
            self.message_user(request, gettext("Submitted: the editors will review it."), messages.INFO)

    # The change form's extra context: state, buttons, share links.

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context.update(
            workflow_state=state_label(obj) if obj else None,
            transition_buttons=transition_buttons(request.user, obj),
            can_edit=workflow.can_edit(request.user, obj),
            can_share=bool(obj and workflow.can_share(request.user, obj)),
            share_form=ShareLinkForm(),
            revision_count=obj.revisions.count() if obj else 0,
            **self.desk_context(request, obj),
        )
        if obj is not None and ImageRightsFilter.expired_for(obj):
            messages.warning(
                request,
                gettext("This story shows an image whose usage rights have expired: replace it or remove it."),
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    # List columns.

    @admin.display(description=_("state"), ordering="status")
    def state(self, obj):
        kind = (
            "scheduled"
            if obj.is_scheduled
            else "expired"
            if obj.status == "published" and obj.is_expired
            else obj.status
        )
        return format_html('<span class="workflow-state workflow-state-{}">{}</span>', kind, state_label(obj))

    @admin.display(description=_("body"))
    def body_text(self, obj):
        # The stored body has passed articles.richtext's allowlist on save; media blocks render as plain figures.
        return format_html('<div class="workflow-body">{}</div>', body.render_for_desk(obj))

    @admin.display(description=_("length"))
    def length(self, obj):
        """Words and reading time; static/admin/js/desk_editor.js keeps it up to date while the body is typed."""
        return format_html(
            '<span class="desk-length" data-desk-length data-one-word="{}" data-words="{}" data-minutes="{}">{}</span>',
            gettext("1 word"),
            gettext("%(count)s words") % {"count": "{count}"},
            gettext("%(count)s min read") % {"count": "{count}"},
            length_label(obj.body if obj else ""),
        )

    @admin.display(description=_("authors"))
    def byline_names(self, obj):
        return ", ".join(byline.author.name for byline in obj.bylines.all())

    @admin.display(description=_("preview"))
    def image_preview(self, obj):
        if obj is None or obj.image is None:
            return "—"
        image = obj.image
        return format_html(
            '<a href="{}"><img src="{}" alt="" class="admin-image-preview" height="180"></a> '
            '<span class="help">{}</span>',
            reverse("admin:articles_image_change", args=[image.pk]),
            preview_url(image),
            image.alt_text or gettext("(decorative)"),
        )

    # Extra pages: preview, share links, transitions, history, compare, restore.

    def get_urls(self):
        def view(function, pattern, name):
            return path(pattern, self.admin_site.admin_view(function), name=f"articles_article_{name}")

        return [
            view(self.tag_suggestions, "tag-suggestions/", "tag_suggestions"),
            view(self.preview_view, "<int:object_id>/preview/", "preview"),
            view(self.share_view, "<int:object_id>/share/", "share"),
            view(self.share_revoke_view, "<int:object_id>/share/revoke/", "share_revoke"),
            view(self.transition_view, "<int:object_id>/transition/", "transition"),
            view(self.compare_view, "<int:object_id>/history/compare/", "compare"),
            view(self.revision_view, "<int:object_id>/history/<int:version>/", "revision"),
            view(self.restore_view, "<int:object_id>/history/<int:version>/restore/", "restore"),
            *self.desk_urls(),
            *super().get_urls(),
        ]

    def tag_suggestions(self, request):
        """Existing tag names starting with ?q=, for the tag field's autocomplete."""
        prefix = clean_query(request.GET.get("q", ""))[:100]
        tags = Tag.objects.order_by("name")
        if prefix:
            tags = tags.filter(name__istartswith=prefix)
        return JsonResponse({"results": list(tags.values_list("name", flat=True)[:20])})

    def _article_or_404(self, request, object_id, *, change=False):
        article = self.get_object(request, str(object_id))
        if article is None or not self.has_view_permission(request, article):
            raise Http404
        if change and not self.has_change_permission(request, article):
            raise PermissionDenied
        return article

    def _change_url(self, article):
        return reverse("admin:articles_article_change", args=[article.pk])

    def preview_view(self, request, object_id):
        """The article through the reader template, with a preview banner; works for any state."""
        self._article_or_404(request, object_id)
        article = get_object_or_404(article_page.article_page_queryset(), pk=object_id)
        return article_page.preview_response(request, article)

    def share_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseRedirect(self._change_url(self._article_or_404(request, object_id)))
        article = self._article_or_404(request, object_id)
        form = ShareLinkForm(request.POST)
        if article.is_published() or article.status == Article.Status.UNPUBLISHED:
            self.message_user(request, gettext("Only an article that is not public can be shared."), messages.ERROR)
        elif not form.is_valid():
            self.message_user(request, gettext("Choose how long the link should work."), messages.ERROR)
        else:
            token, expires_at = share_links.share_link_create(article=article, days=form.cleaned_data["days"])
            url = request.build_absolute_uri(reverse("articles:shared", args=[token]))
            self.message_user(
                request,
                format_html(
                    '{} <a class="workflow-share-link" href="{}">{}</a> {}',
                    gettext("Share link created:"),
                    url,
                    url,
                    gettext(
                        "Anyone with the link can read this draft until %(when)s, "
                        "unless it is published or its share links are stopped before then."
                    )
                    % {"when": date_format(timezone.localtime(expires_at), "DATETIME_FORMAT")},
                ),
                messages.SUCCESS,
            )
        return HttpResponseRedirect(self._change_url(article))

    def share_revoke_view(self, request, object_id):
        article = self._article_or_404(request, object_id)
        if request.method == "POST":
            share_links.share_links_revoke(article=article)
            self.message_user(request, gettext("Every share link made so far has stopped working."), messages.SUCCESS)
        return HttpResponseRedirect(self._change_url(article))

    def transition_view(self, request, object_id):
        """A state change without editing, e.g. a reporter withdrawing a piece from review."""
        article = self._article_or_404(request, object_id)
        if request.method != "POST":
            return HttpResponseRedirect(self._change_url(article))
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            version = -1
        try:
            services.article_transition(
                article=article, user=request.user, to_status=request.POST.get("to", ""), expected_version=version
            )
        except PermissionDenied as error:
            self.message_user(request, str(error), messages.ERROR)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            self.message_user(
                request,
                sentence(
                    gettext("“%(headline)s” is now: %(state)s")
                    % {"headline": article.headline, "state": state_label(article)}
                ),
                messages.SUCCESS,
            )
        return HttpResponseRedirect(self._change_url(article))

    def history_view(self, request, object_id, extra_context=None):
        """Every revision of the article: who, when, what; compare any two, restore one."""
        if self._is_a_colleagues(request, object_id):
            return self._not_yours(request)
        article = self._article_or_404(request, object_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Revisions of “%(headline)s”") % {"headline": article.headline},
            "subtitle": None,
            "article": article,
            "revisions": article.revisions.select_related("created_by").defer("content"),
            "autosaves": article.autosaves.select_related("user").defer("content"),
            "can_restore": self.has_change_permission(request, article),
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/articles/article/revision_list.html", context)

    def _revision_or_404(self, article, version):
        return get_object_or_404(article.revisions.select_related("created_by"), version=version)

    def compare_view(self, request, object_id):
        article = self._article_or_404(request, object_id)
        try:
            old_version, new_version = int(request.GET.get("from", "")), int(request.GET.get("to", ""))
        except ValueError:
            raise Http404 from None
        if old_version > new_version:
            old_version, new_version = new_version, old_version
        older, newer = self._revision_or_404(article, old_version), self._revision_or_404(article, new_version)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Changes to “%(headline)s”") % {"headline": article.headline},
            "article": article,
            "older": older,
            "newer": newer,
            "diffs": revisions.compare(older.content, newer.content),
            "can_restore": self.has_change_permission(request, article),
        }
        return TemplateResponse(request, "admin/articles/article/revision_compare.html", context)

    def revision_view(self, request, object_id, version):
        article = self._article_or_404(request, object_id)
        revision = self._revision_or_404(article, version)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Version %(version)s of “%(headline)s”")
            % {"version": revision.version, "headline": revision.content.get("headline", "")},
            "article": article,
            "revision": revision,
            "fields": [
                (label, revisions.field_lines(revision.content, field)) for field, label in revisions.DIFF_FIELDS
            ],
            "can_restore": self.has_change_permission(request, article) and revision.version != article.version,
        }
        return TemplateResponse(request, "admin/articles/article/revision_detail.html", context)

    def restore_view(self, request, object_id, version):
        article = self._article_or_404(request, object_id, change=True)
        revision = self._revision_or_404(article, version)
        if request.method != "POST":
            return HttpResponseRedirect(revision.get_absolute_url())
        try:
            expected = int(request.POST.get("version", ""))
        except ValueError:
            expected = -1
        try:
            with transaction.atomic():
                services.article_restore(
                    article=article, revision=revision, user=request.user, expected_version=expected
                )
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(reverse("admin:articles_article_history", args=[article.pk]))
        self.message_user(
            request,
            gettext("Version %(version)s restored as a new version. Check it and publish when ready.")
            % {"version": revision.version},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(self._change_url(article))

    # Bulk actions, through the same rules as the form.

    @admin.action(description=_("Publish selected articles now"), permissions=["publish"])
    def publish_now(self, request, queryset):
        done = self._for_each(request, queryset, services.article_publish_now)
        self.message_user(
            request, ngettext("%d article published.", "%d articles published.", done) % done, messages.SUCCESS
        )

    @admin.action(description=_("Unpublish selected articles"), permissions=["publish"])
    def unpublish(self, request, queryset):
        def unpublish_one(*, article, user):
            services.article_transition(article=article, user=user, to_status=Article.Status.UNPUBLISHED)

        done = self._for_each(request, queryset.filter(status=Article.Status.PUBLISHED), unpublish_one)
        self.message_user(
            request, ngettext("%d article unpublished.", "%d articles unpublished.", done) % done, messages.SUCCESS
        )

    def _for_each(self, request, queryset, service):
        """Run a workflow service on each article; say which were refused and why (e.g. an embargo)."""
        done = 0
        for article in queryset:
            try:
                service(article=article, user=request.user)
            except (PermissionDenied, ValidationError) as error:
                reasons = error.messages if isinstance(error, ValidationError) else [str(error)]
                self.message_user(request, f"“{article.headline}”: {' '.join(reasons)}", messages.WARNING)
            else:
                done += 1
        return done
