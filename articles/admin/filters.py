"""The article list's filters: tag, editorial state, mine."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from articles.models import Article


class TagFilter(admin.SimpleListFilter):
    title = _("tag")
    parameter_name = "tag"

    def lookups(self, request, model_admin):
        return Tag.objects.filter(article__isnull=False).distinct().order_by("name").values_list("slug", "name")

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(tags__slug=self.value())
        return queryset


class StateFilter(admin.SimpleListFilter):
    """The states editors think in, including "scheduled", which is not a status of its own."""

    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("draft", _("Draft")),
            ("review", _("In review")),
            ("scheduled", _("Scheduled or embargoed")),
            ("live", _("Published (public now)")),
            ("expired", _("Expired (out of public view)")),
            ("unpublished", _("Unpublished")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "scheduled":
            return queryset.scheduled()
        if value == "live":
            return queryset.published()
        if value == "expired":
            return queryset.expired()
        if value in {Article.Status.DRAFT, Article.Status.IN_REVIEW, Article.Status.UNPUBLISHED}:
            return queryset.filter(status=value)
        return queryset


class MineFilter(admin.SimpleListFilter):
    title = _("whose")
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("1", _("Mine"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.owned_by(request.user)
        return queryset
