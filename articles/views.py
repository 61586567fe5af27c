import calendar
from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, ListView, TemplateView
from taggit.models import Tag

from articles import article_page, cards, page_cache, search, share_links, structured_data, workflow
from articles.chrome import site_chrome, site_root
from articles.forms import SearchForm
from articles.models import Article, Author, Correction, Page, Publisher, SlugRedirect
from articles.pagination import NewsPaginator
from newsroom.compiled_queries import CompiledQuery
from newsroom.reverse import reverse


class PublishedArticleMixin:
    """Fixes every reader list to Article.objects.published(), read as card rows (articles.cards) through
    the view's card_list: get_queryset() binds it to this request's time and list_values()."""

    context_object_name = "articles"
    paginator_class = NewsPaginator
    leads_with_first = False  # the first article of page one gets the large card
    shows_cards = True  # the list shows articles.cards (read from the cache for the whole page at once)
    card_list = cards.CardList(lambda now: Article.objects.published(now).latest_first())

    def get_paginate_by(self, queryset):
        return settings.ARTICLES_PER_PAGE

    def list_values(self):
        """What narrows this request's list, as the card_list's build takes it (besides `now`)."""
        return {}

    def get_queryset(self):
        # Whether the list is longer than the cap is kept (articles.cards) under what the URL names, and read
        # with the request's other cache reads, before list_values() reads any of them.
        count_key = cards.count_key(type(self).__qualname__, sorted(self.kwargs.items()))
        cards.read_counts_ahead(count_key)
        return self.card_list.bind(count_key=count_key, now=timezone.now(), **self.list_values())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context.get("page_obj")
        path = self.request.path
        context["canonical_path"] = f"{path}?page={page.number}" if page and page.number > 1 else path
        if page is not None and self.shows_cards:
            shown = cards.rows(page.object_list)
            page.object_list = context["object_list"] = context[self.context_object_name] = shown
            cards.prepare(shown, lead=shown[0] if shown and self.leads_with_first and page.number == 1 else None)
        return context


class FrontPageView(PublishedArticleMixin, ListView):
    """The front page: the editors' lead and top stories (articles.curation), then the newest articles."""

    template_name = "articles/front.html"
    leads_with_first = True
    card_list = cards.CardList(lambda now: Article.objects.published(now).curated(now=now))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        articles = list(context["page_obj"].object_list)
        on_first_page = context["page_obj"].number == 1
        rest = articles[1:] if on_first_page else articles
        context["lead"] = articles[0] if on_first_page and articles else None
        context["top_stories"] = [article for article in rest if article.pin_position is not None]
        context["latest"] = [article for article in rest if article.pin_position is None]
        context["structured_data"] = structured_data.front_page(self.request)
        return context


class ArticleFilteredListView(PublishedArticleMixin, ListView):
    """A list of published articles narrowed by one object named in the URL (section, tag...)."""

    template_name = "articles/article_list.html"
    lookup = None  # a CompiledQuery(slug) of the object named in the URL (at most one row)

    def get_lookup_object(self):
        found = self.lookup.evaluate(slug=self.kwargs["slug"])
        if not found:
            raise Http404("Nothing at this address")
        return found[0]

    def list_values(self):
        self.lookup_object = self.get_lookup_object()
        return {"narrowed_by": self.lookup_object.pk}

    def get_context_data(self, **kwargs):
        slug = self.lookup_object.slug
        return super().get_context_data(
            list_object=self.lookup_object,
            list_kind=self.list_kind,
            list_summary=getattr(self.lookup_object, "description", "") or getattr(self.lookup_object, "title", ""),
            feed_urls={
                "rss": reverse(f"articles:{self.list_kind}-feed", args=[slug]),
                "atom": reverse(f"articles:{self.list_kind}-feed-atom", args=[slug]),
            },
            **kwargs,
        )


class SectionView(ArticleFilteredListView):
    """A section's articles: the editors' pins first, then the newest; the first leads page one, its image large."""

    list_kind = "section"
    leads_with_first = True
    card_list = cards.CardList(
        lambda now, narrowed_by: Article.objects.published(now).in_section(narrowed_by).curated(narrowed_by, now=now)
    )

    def get_lookup_object(self):
        """From the site chrome, which has every section: no query."""
        section = next((s for s in site_chrome()["sections"] if s.slug == self.kwargs["slug"]), None)
        if section is None:
            raise Http404("No such section")
        return section

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        articles = list(context["page_obj"].object_list)
        if context["page_obj"].number == 1 and articles:
            context["lead"], context["articles"] = articles[0], articles[1:]
        return context


class TagView(ArticleFilteredListView):
    lookup = CompiledQuery(lambda slug: Tag.objects.filter(slug=slug)[:1])
    list_kind = "tag"
    card_list = cards.CardList(
        # Prepared: whether a tag has five articles or five thousand, its newest are the first of its index.
        lambda now, narrowed_by: Article.objects.published(now).tagged(narrowed_by),
        count_build=lambda now, narrowed_by: Article.objects.published(now).tagged(narrowed_by, now=now),
    )


class PublisherView(ArticleFilteredListView):
    lookup = CompiledQuery(lambda slug: Publisher.objects.filter(slug=slug)[:1])
    list_kind = "publisher"
    card_list = cards.CardList(
        lambda now, narrowed_by: Article.objects.published(now).latest_first().from_publisher(narrowed_by),
        prepared=False,  # a tag, a publisher or an author may have five articles or five thousand
    )


class AuthorView(ArticleFilteredListView):
    lookup = CompiledQuery(lambda slug: Author.objects.select_related("photo").filter(slug=slug)[:1])  # shows the photo
    list_kind = "author"
    card_list = cards.CardList(
        lambda now, narrowed_by: Article.objects.published(now).latest_first().by_author(narrowed_by),
        prepared=False,  # a tag, a publisher or an author may have five articles or five thousand
    )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            structured_data=structured_data.person(self.lookup_object, self.request), **kwargs
        )


def _local_midnight(day):
    return timezone.make_aware(datetime.combine(day, time.min))


class SearchView(PublishedArticleMixin, ListView):
    """Full-text search (PostgreSQL) or its fallback (SQLite), with section and date filters.

    Whatever the reader types gives a page: the words are cleaned, bad filters are
    reported next to the form and ignored.
    """

    template_name = "articles/search.html"
    shows_cards = False

    def get_queryset(self):
        self.form = SearchForm(self.request.GET or None, sections=site_chrome()["sections"])
        self.form.is_valid()
        self.query = self.form.value("q") or ""
        if not self.query:
            return Article.objects.none()
        narrowing = {}
        if section := self.form.sections.get(self.form.value("section")):
            narrowing["section_id"] = section.pk
        if start := self.form.value("start"):
            narrowing["published_at__gte"] = _local_midnight(start)
        if end := self.form.value("end"):
            narrowing["published_at__lt"] = _local_midnight(end + timedelta(days=1))
        newest_first = self.form.value("sort") == "newest"
        return search.reader_results(self.query, narrowing=narrowing, newest_first=newest_first)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(query=self.query, form=self.form, rank_limit=search.RANK_LIMIT, **kwargs)
        search.render_results(context["articles"], self.query)
        return context

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if found_under := getattr(self.object_list, "found_under", None):
            # The search index is rebuilt by a job after the content-changed event: a page cached in between
            # shows the old matches until the job renews their generation.
            page_cache.keep_while(response, found_under)
        return response


class StaffPreviewMixin:
    """Readers get the published object or a 404; signed-in staff whom preview_object() allows also see
    an unpublished one, marked as a preview, never cached and never indexed."""

    is_preview = False

    def published_object(self, queryset=None):
        """The object readers may see, or Http404."""
        return super().get_object(queryset)

    def preview_object(self):
        """The unpublished object this user may preview, or None."""
        raise NotImplementedError

    def get_object(self, queryset=None):
        try:
            return self.published_object(queryset)
        except Http404:
            obj = self.preview_object() if self.request.user.is_authenticated else None
            if obj is None:
                raise
            self.is_preview = True
            return obj

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if self.is_preview:
            add_never_cache_headers(response)
            response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(is_preview=self.is_preview, **kwargs)


class ArticleDetailView(StaffPreviewMixin, DetailView):
    """A published article; editors (and reporters, for their own pieces) also preview unpublished ones.

    An address the article used to have answers with a 301 to the current one; that lookup
    runs only after a miss, so the normal page costs nothing extra.
    """

    context_object_name = "article"
    template_name = article_page.TEMPLATE
    public_article = CompiledQuery(
        lambda now, slug: article_page.article_page_queryset(Article.objects.published(now)).filter(slug=slug)[:1]
    )

    def published_object(self, queryset=None):
        found = self.public_article.evaluate(now=timezone.now(), slug=self.kwargs["slug"])
        if not found:
            raise Http404("No published article at this address")
        return found[0]

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

    def preview_object(self):
        article = article_page.article_page_queryset().filter(slug=self.kwargs["slug"]).first()
        return article if article is not None and workflow.can_view(self.request.user, article) else None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(article_page.article_page_context(self.request, self.object))
        return context


def shared_article(request, token):
    """A draft opened through a signed share link: no account needed, never cached, never indexed.

    Once the article is public the link simply leads to it; expired, revoked or withdrawn
    links get a page saying so (410).
    """
    try:
        found = share_links.article_for_share_token(token)
    except share_links.ShareLinkError:
        response = render(request, "articles/share_expired.html", status=410)
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response
    if found is None:
        raise Http404
    article, expires_at = found
    if article.is_published():
        return HttpResponseRedirect(article.get_absolute_url())
    response = article_page.preview_response(request, article, share_expires_at=expires_at)
    response["Referrer-Policy"] = "no-referrer"
    return response


class CorrectionListView(ListView):
    """Every correction on a public article, newest first."""

    template_name = "articles/correction_list.html"
    context_object_name = "corrections"
    paginate_by = 30

    def get_queryset(self):
        return Correction.objects.public()


def archive_months():
    """[(first day of month, number of published articles)], newest first: one query."""
    rows = (
        Article.objects.published()
        .annotate(month=TruncMonth("published_at"))
        .values("month")
        .annotate(total=Count("pk"))
        .order_by("-month")
    )
    return [
        (
            timezone.localtime(row["month"]).date() if timezone.is_aware(row["month"]) else row["month"].date(),
            row["total"],
        )
        for row in rows
    ]


class ArchiveIndexView(TemplateView):
    """Every month with published articles, grouped by year, as WordPress's archives widget shows them."""

    template_name = "articles/archive_index.html"

    def get_context_data(self, **kwargs):
        years = {}
        for month, total in archive_months():
            years.setdefault(month.year, []).append((month, total))
        return super().get_context_data(years=sorted(years.items(), reverse=True), **kwargs)


class DateArchiveView(PublishedArticleMixin, ListView):
    """The articles published in one year (/archive/2026/) or one month (/archive/2026/05/)."""

    template_name = "articles/archive.html"
    card_list = cards.CardList(
        lambda now, start, end: (
            Article.objects.published(now).latest_first().filter(published_at__gte=start, published_at__lt=end)
        )
    )

    def period(self):
        try:
            year = int(self.kwargs["year"])
            month = int(self.kwargs["month"]) if "month" in self.kwargs else None
            start = date(year, month or 1, 1)
        except (ValueError, OverflowError):
            raise Http404("No such date") from None
        end_day = date(year, month, calendar.monthrange(year, month)[1]) if month else date(year, 12, 31)
        return start, end_day

    def list_values(self):
        self.start, self.end = self.period()
        self.months = archive_months()
        self.months_here = [(month, total) for month, total in self.months if self.start <= month <= self.end]
        if not self.months_here:
            raise Http404("Nothing was published then")
        end = _local_midnight(self.end) + timedelta(days=1) if self.end < date.max else datetime.max.replace(tzinfo=UTC)
        return {"start": _local_midnight(self.start), "end": end}

    def get_context_data(self, **kwargs):
        is_month = "month" in self.kwargs
        older = [month for month, _ in self.months if month < self.start]
        newer = [month for month, _ in self.months if month > self.end]
        if is_month:
            previous_period, next_period = (older[0] if older else None), (newer[-1] if newer else None)
        else:
            previous_period = date(older[0].year, 1, 1) if older else None
            next_period = date(newer[-1].year, 1, 1) if newer else None
        return super().get_context_data(
            is_month=is_month,
            period_start=self.start,
            months_in_year=sorted(self.months_here) if not is_month else [],
            previous_period=previous_period,
            next_period=next_period,
            **kwargs,
        )


class PageDetailView(StaffPreviewMixin, DetailView):
    """One of the publication's own pages; staff who may change pages also preview unpublished ones."""

    context_object_name = "page"
    template_name = "articles/page_detail.html"

    def get_queryset(self):
        return Page.objects.published()

    def preview_object(self):
        if not self.request.user.has_perm("articles.change_page"):
            return None
        return Page.objects.filter(slug=self.kwargs["slug"]).first()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            structured_data=structured_data.web_page(self.object, self.request),
            **kwargs,
        )


@require_GET
@cache_control(public=True, max_age=60 * 60 * 24)
def favicon(request):
    """/favicon.ico, which browsers and feed readers ask for whatever the page says: static/favicon.ico."""
    path = finders.find("favicon.ico")
    if not path:
        raise Http404("No favicon")
    with open(path, "rb") as icon:
        return HttpResponse(icon.read(), content_type="image/vnd.microsoft.icon")


@require_GET
@cache_control(public=True, max_age=60 * 60)
def robots_txt(request):
    """Crawlers: everything but the admin and search results; the sitemaps are named."""
    root = site_root(request)
    lines = [
        "User-agent: *",
        f"Disallow: {reverse('admin:index')}",
        f"Disallow: {reverse('articles:search')}",
        "",
        f"Sitemap: {root}{reverse('articles:sitemap')}",
        f"Sitemap: {root}{reverse('articles:sitemap-news')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
