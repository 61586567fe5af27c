"""Admin for what editors put on top: the curated fronts and the breaking-news banner."""

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from articles import curation
from articles.admin.widgets import SafeAutocompleteMixin
from articles.models import Article, BreakingNews, Front, FrontPin, Section


class FrontPinForm(forms.ModelForm):
    class Meta:
        model = FrontPin
        fields = ["position", "article", "starts_at", "ends_at"]
        widgets = {"position": forms.NumberInput(attrs={"class": "front-position", "min": 0, "max": 999})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        widget = self.fields["article"].widget
        widget.can_add_related = widget.can_change_related = widget.can_delete_related = False

    def has_changed(self):
        """A new row without an article is empty, whatever position the ordering script gave it."""
        if self.instance.pk is None and not self.data.get(self.add_prefix("article")):
            return False
        return super().has_changed()

    def clean_article(self):
        article = self.cleaned_data["article"]
        if article.status != Article.Status.PUBLISHED:
            raise forms.ValidationError(
                _("Only published or scheduled articles can be pinned; “%(headline)s” is a %(status)s."),
                code="not_published",
                params={"headline": article.headline, "status": article.get_status_display().lower()},
            )
        return article


class FrontPinInline(SafeAutocompleteMixin, admin.TabularInline):
    """The pinned articles in order: drag the rows (or type positions); the first is the lead."""

    model = FrontPin
    form = FrontPinForm
    extra = 1
    autocomplete_fields = ["article"]
    fields = ["position", "article", "starts_at", "ends_at", "state"]
    readonly_fields = ["state"]
    ordering = ["position", "pk"]
    classes = ["front-pins"]

    @admin.display(description=_("for readers now"))
    def state(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        return curation.pin_state(obj)


@admin.register(Front)
class FrontAdmin(admin.ModelAdmin):
    """The front page and each section's page: which articles lead, in which order, from when until when."""

    list_display = ["name", "lead_now", "pin_count", "updated_at", "updated_by"]
    list_display_links = ["name"]
    fields = ["page", "history"]
    readonly_fields = ["page", "history"]
    inlines = [FrontPinInline]

    class Media:
        js = ["admin/js/front_order.js"]
        css = {"all": ["admin/css/desk.css"]}

    def has_add_permission(self, request):
        return False  # one per page, made by the list

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("section", "updated_by").prefetch_related("pins__article")

    def changelist_view(self, request, extra_context=None):
        """Every page has its front: make the missing ones (the front page's, a new section's)."""
        if self.has_change_permission(request):
            Front.objects.home()
            have = set(Front.objects.filter(section__isnull=False).values_list("section_id", flat=True))
            Front.objects.bulk_create(Front(section=section) for section in Section.objects.exclude(pk__in=have))
        return super().changelist_view(request, extra_context)

    @admin.display(description=_("page"), ordering="section__position")
    def name(self, obj):
        return str(obj)

    @admin.display(description=_("page"))
    def page(self, obj):
        url = obj.get_absolute_url()
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, url)

    @admin.display(description=_("lead now"))
    def lead_now(self, obj):
        now = timezone.now()
        live = [pin for pin in obj.pins.all() if pin.is_live(now) and pin.article.is_published()]
        return live[0].article.headline if live else gettext("(the newest article)")

    @admin.display(description=_("pinned"))
    def pin_count(self, obj):
        return len(obj.pins.all())

    @admin.display(description=_("changes of order"))
    def history(self, obj):
        changes = list(obj.changes.select_related("created_by")[:15])
        if not changes:
            return gettext("Not changed yet: the newest article leads.")
        rows = format_html_join(
            "",
            "<li><time>{}</time> · {} · {}</li>",
            (
                (
                    date_format(timezone.localtime(change.created_at), "DATETIME_FORMAT"),
                    (change.created_by.get_full_name() or change.created_by.get_username())
                    if change.created_by
                    else gettext("the system"),
                    change.summary,
                )
                for change in changes
            ),
        )
        return format_html('<ol class="front-history">{}</ol>', rows)

    def save_model(self, request, obj, form, change):
        """Nothing: save_related() hands the whole order to articles.curation.front_save in one call."""

    def save_related(self, request, form, formsets, change):
        (pins,) = formsets
        rows = [
            (pin_form.cleaned_data.get("position") or 0, index, pin_form.cleaned_data)
            for index, pin_form in enumerate(pins.forms)
            if pin_form.cleaned_data.get("article") and pin_form not in pins.deleted_forms
        ]
        specs = [
            curation.PinSpec(data["article"], data.get("starts_at"), data.get("ends_at"))
            for _position, _index, data in sorted(rows, key=lambda row: row[:2])
        ]
        with transaction.atomic():
            done = curation.front_save(front=form.instance, pins=specs, user=request.user)
        if done is None:
            self.message_user(request, gettext("The order is as it was."), messages.INFO)

    def construct_change_message(self, request, form, formsets, add=False):
        return [{"changed": {"fields": ["pinned articles"]}}]


class BreakingNewsForm(forms.ModelForm):
    class Meta:
        model = BreakingNews
        fields = ["text", "url", "level", "starts_at", "ends_at"]
        widgets = {"text": forms.TextInput(attrs={"size": 80})}

    def clean_text(self):
        text = " ".join(self.cleaned_data["text"].split())
        if not text:
            raise forms.ValidationError(_("Write the line readers will see."), code="blank_text")
        return text

    def clean_url(self):
        return self.cleaned_data["url"].strip()


@admin.register(BreakingNews)
class BreakingNewsAdmin(admin.ModelAdmin):
    """Post a line above every reader page; it shows at once and goes at its end time or when taken down."""

    form = BreakingNewsForm
    list_display = ["text", "level", "showing", "starts_at", "ends_at", "created_by"]
    list_filter = ["level"]
    search_fields = ["text"]
    actions = ["take_down"]
    date_hierarchy = "starts_at"

    @admin.display(description=_("showing now"), boolean=True)
    def showing(self, obj):
        return obj.is_live

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        if obj.is_live:
            self.message_user(request, gettext("The banner is on every reader page now."), messages.SUCCESS)
        return super().response_add(request, obj, post_url_continue)

    @admin.action(description=_("Take down now"), permissions=["change"])
    def take_down(self, request, queryset):
        now = timezone.now()
        taken = 0
        for banner in queryset.live(now):
            banner.ends_at = now
            banner.save(update_fields=["ends_at"])  # through the signal: caches hear of it
            taken += 1
        self.message_user(
            request,
            ngettext("%d banner taken down.", "%d banners taken down.", taken) % taken,
            messages.SUCCESS,
        )
