from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.cache import add_never_cache_headers
from django.views.generic import DetailView, ListView
from taggit.models import Tag

from articles import workflow
from articles.models import Article, Author, Correction, Publisher, Section, SlugRedirect

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
    """A published article; editors (and reporters, for their own pieces) also see unpublished ones, uncached.

    An address the article used to have answers with a 301 to the current one; that lookup
    runs only after a miss, so the normal page costs nothing extra.
    """

    context_object_name = "article"
    is_preview = False

    def get_queryset(self):
        return Article.objects.published().for_listing().prefetch_related("corrections")

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            redirect = (
                SlugRedirect.objects.filter(old_slug=kwargs.get("slug", ""), article__in=Article.objects.published())
                .select_related("article")
                .first()
            )
            if redirect is None:
                raise
            return HttpResponsePermanentRedirect(redirect.article.get_absolute_url())

    def get_object(self, queryset=None):
        try:
            return super().get_object(queryset)
        except Http404:
            if not self.request.user.is_authenticated:
                raise
            article = (
                Article.objects.for_listing().prefetch_related("corrections").filter(slug=self.kwargs["slug"]).first()
            )
            if article is None or not workflow.can_view(self.request.user, article):
                raise
            self.is_preview = True
            return article

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if self.is_preview:
            add_never_cache_headers(response)
            response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(is_preview=self.is_preview, **kwargs)


class ArticlePreviewView(ArticleDetailView):
    """The desk's "Preview": any article the user may see, as readers will see it, with a banner.

    Wired into the admin (ArticleAdmin.get_urls), which checks the login first.
    """

    is_preview = True

    def get(self, request, *args, **kwargs):
        return DetailView.get(self, request, *args, **kwargs)

    def get_object(self, queryset=None):
        article = get_object_or_404(
            Article.objects.for_listing().prefetch_related("corrections"), pk=self.kwargs["object_id"]
        )
        if not workflow.can_view(self.request.user, article):
            raise PermissionDenied
        return article


class SharedArticleView(ArticleDetailView):
    """A draft opened through a signed share link: no account needed, never cached, never indexed.

    Once the article is public the link simply leads to it; expired, revoked or withdrawn
    links get a page saying so (410).
    """

    is_preview = True

    def get(self, request, *args, **kwargs):
        try:
            found = workflow.article_for_share_token(kwargs["token"])
        except workflow.ShareLinkError:
            response = render(request, "articles/share_expired.html", status=410)
            add_never_cache_headers(response)
            response["X-Robots-Tag"] = "noindex, nofollow"
            return response
        if found is None:
            raise Http404
        self.object, self.expires_at = found
        if self.object.is_published():
            return HttpResponseRedirect(self.object.get_absolute_url())
        response = self.render_to_response(self.get_context_data(object=self.object))
        response["Referrer-Policy"] = "no-referrer"
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(share_expires_at=self.expires_at, **kwargs)


class CorrectionListView(ListView):
    """Every correction on a public article, newest first."""

    template_name = "articles/correction_list.html"
    context_object_name = "corrections"
    paginate_by = 30

    def get_queryset(self):
        return Correction.objects.public()
