from django.conf import settings
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.cache import add_never_cache_headers
from django.views.generic import DetailView, ListView
from taggit.models import Tag

from articles.models import Article, Author, Publisher, Section

SEARCH_QUERY_MAX_LENGTH = 200


def query_text(raw, max_length=SEARCH_QUERY_MAX_LENGTH):
    """A reader's search words: control characters (PostgreSQL refuses NUL) dropped, spaces folded, cut."""
    printable = "".join(char if char.isprintable() else " " for char in raw)
    return " ".join(printable.split())[:max_length]


class PublishedArticleMixin:
    """Fixes every reader view to Article.objects.published(), with what list cards need."""

    paginate_by = settings.ARTICLES_PER_PAGE
    context_object_name = "articles"

    def get_queryset(self):
        return Article.objects.published().for_listing().latest_first()


class FrontPageView(PublishedArticleMixin, ListView):
    template_name = "articles/front.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        articles = list(context["page_obj"].object_list)
        on_first_page = context["page_obj"].number == 1
        context["lead"] = articles[0] if on_first_page and articles else None
        context["latest"] = articles[1:] if on_first_page else articles
        return context


class ArticleFilteredListView(PublishedArticleMixin, ListView):
    """A list of published articles narrowed by one object named in the URL (section, tag...)."""

    template_name = "articles/article_list.html"
    lookup_model = None

    def get_lookup_object(self):
        return get_object_or_404(self.lookup_model, slug=self.kwargs["slug"])

    def narrow(self, queryset, obj):
        raise NotImplementedError

    def get_queryset(self):
        self.lookup_object = self.get_lookup_object()
        return self.narrow(super().get_queryset(), self.lookup_object)

    def get_context_data(self, **kwargs):
        return super().get_context_data(list_object=self.lookup_object, list_kind=self.list_kind, **kwargs)


class SectionView(ArticleFilteredListView):
    lookup_model = Section
    list_kind = "section"

    def narrow(self, queryset, section):
        return queryset.in_section(section)


class TagView(ArticleFilteredListView):
    lookup_model = Tag
    list_kind = "tag"

    def narrow(self, queryset, tag):
        return queryset.tagged(tag)


class PublisherView(ArticleFilteredListView):
    lookup_model = Publisher
    list_kind = "publisher"

    def narrow(self, queryset, publisher):
        return queryset.from_publisher(publisher)


class AuthorView(ArticleFilteredListView):
    lookup_model = Author
    list_kind = "author"

    def narrow(self, queryset, author):
        return queryset.by_author(author)


class SearchView(PublishedArticleMixin, ListView):
    template_name = "articles/search.html"

    def get_queryset(self):
        self.query = query_text(self.request.GET.get("q", ""))
        if not self.query:
            return Article.objects.none()
        words = self.query.split()[:10]
        condition = Q()
        for word in words:
            condition &= (
                Q(headline__icontains=word)
                | Q(dek__icontains=word)
                | Q(body__icontains=word)
                | Q(tags__name__iexact=word)
            )
        return super().get_queryset().filter(pk__in=Article.objects.filter(condition).values("pk"))

    def get_context_data(self, **kwargs):
        return super().get_context_data(query=self.query, **kwargs)


class ArticleDetailView(DetailView):
    """A published article; staff who may change articles also see drafts and scheduled ones, uncached."""

    context_object_name = "article"

    def get_queryset(self):
        return Article.objects.published().for_listing()

    def get_object(self, queryset=None):
        try:
            return super().get_object(queryset)
        except Http404:
            if not self.request.user.has_perm("articles.change_article"):
                raise
            self.is_preview = True
            return get_object_or_404(Article.objects.for_listing(), slug=self.kwargs["slug"])

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if getattr(self, "is_preview", False):
            add_never_cache_headers(response)
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(is_preview=getattr(self, "is_preview", False), **kwargs)
