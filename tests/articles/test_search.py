import re
from datetime import datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.search import clean_query, parse_query, update_search_vectors
from tests.factories import make_article, make_author, make_publisher, make_section

pytestmark = pytest.mark.django_db

on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search only")

HOSTILE_QUERIES = [
    "a" * 10_000,
    "word " * 2_000,
    "&|!():*<->",
    "!!!",
    "-",
    "or",
    "OR OR OR",
    '"',
    '"""',
    "'",
    "''''",
    "\\",
    "\x00",
    "harbour\x00strike",
    "\x01\x02\x1f",
    "' OR 1=1 --",
    "'); DROP TABLE articles_article; --",
    "<script>alert(1)</script>",
    "%_%",
    "a:*",
    "harbour <-> strike",
    "-harbour",
    "\ue000\ue001",
    "🙂🚢",
    "ａｂｃ",
]


def results(client, **params):
    response = client.get(reverse("articles:search"), params)
    assert response.status_code == 200
    return response.content.decode()


def order_of(html, *headlines):
    return sorted(headlines, key=lambda headline: html.index(headline))


@pytest.fixture
def stories(publication):
    world, local = make_section(name="World", slug="world"), make_section(name="Local", slug="local")
    reyes = make_author(name="Tomás Reyes", slug="reyes")
    wire = make_publisher(name="Meridian Wire", slug="meridian")
    now = timezone.now()
    return {
        "world": world,
        "local": local,
        "body": make_article(
            headline="Council approves budget",
            body="<p>Talks about the harbour went late into the night.</p>",
            section=local,
            published_at=now - timedelta(hours=1),
        ),
        "headline": make_article(
            headline="Harbour strike ends after talks",
            body="<p>Dockers returned to work on Monday.</p>",
            section=world,
            published_at=now - timedelta(days=3),
        ),
        "tagged": make_article(
            headline="Ferry timetable changes",
            body="<p>New crossings from June.</p>",
            tags=["Shipping"],
            section=local,
            published_at=now - timedelta(days=10),
        ),
        "credited": make_article(
            headline="Election results in",
            body="<p>Counting finished overnight.</p>",
            authors=[reyes],
            publisher=wire,
            section=world,
            published_at=now - timedelta(days=40),
        ),
        "draft": make_article(
            headline="Harbour draft story", status=Article.Status.DRAFT, section=world, published_at=None
        ),
        "future": make_article(headline="Harbour future story", section=world, published_at=now + timedelta(days=1)),
    }


def test_a_headline_match_ranks_above_a_body_match(client, stories):
    html = results(client, q="harbour")
    assert order_of(html, "Council approves budget", "Harbour strike ends after talks") == [
        "Harbour strike ends after talks",
        "Council approves budget",
    ]


def test_drafts_and_future_articles_are_never_found(client, stories):
    html = results(client, q="harbour")
    assert "Harbour draft story" not in html and "Harbour future story" not in html
    assert "2 articles found" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("shipping", "Ferry timetable changes"),
        ("Reyes", "Election results in"),
        ("Meridian", "Election results in"),
        ("dockers", "Harbour strike ends after talks"),
    ],
)
def test_search_covers_tags_authors_publisher_and_body(client, stories, query, expected):
    assert expected in results(client, q=query)


def test_matched_words_are_highlighted_in_the_excerpt(client, stories):
    html = results(client, q="harbour")
    excerpt = re.search(r'<p class="search-excerpt">(.*?)</p>', html[html.index("Council approves budget") :]).group(1)
    assert re.search(r"<mark>harbour</mark>", excerpt, re.IGNORECASE)


def test_highlighting_escapes_the_text_before_marking(client, publication, section):
    make_article(
        headline="Tags in text",
        dek='Readers typed <b>bold</b> & "quotes" about the harbour',
        body="<p>Nothing else.</p>",
        section=section,
    )
    html = results(client, q="harbour")
    # The match is in the standfirst, shown on its own line (the body has none, so no excerpt).
    assert 'class="search-excerpt"' not in html
    excerpt = re.search(r'<p class="card-dek search-dek">(.*?)</p>', html).group(1)
    assert "<b>" not in excerpt and "</b>" not in excerpt
    assert "bold" in excerpt and "&amp;" in excerpt and "&quot;quotes&quot;" in excerpt
    if connection.vendor == "sqlite":
        assert "&lt;b&gt;bold&lt;/b&gt;" in excerpt  # PostgreSQL's parser drops tag-like text instead
    assert re.search(r"<mark>harbour</mark>", excerpt, re.IGNORECASE)


def test_paragraphs_do_not_run_together_in_the_excerpt(client, publication, section):
    body = "<p>The council met late.</p><p>Harbour fees rise.</p>"
    make_article(headline="Council notes", body=body, section=section)
    html = results(client, q="harbour")
    assert re.search(r"late\.\s+<mark>Harbour</mark> fees rise", html), html


def test_snippets_never_repeat_the_standfirst(client, publication, section):
    """The standfirst is shown once, highlighted; the excerpt comes from the body around the match."""
    make_article(
        headline="Ministers meet",
        dek="Defence ministers met at the Pentagon on Wednesday.",
        body="<p>Defence ministers pledged to defend the harbour and the rules-based order.</p>",
        section=section,
    )
    html = results(client, q="harbour")
    dek = re.search(r'<p class="card-dek search-dek">(.*?)</p>', html).group(1)
    excerpt = re.search(r'<p class="search-excerpt">(.*?)</p>', html).group(1)
    assert dek == "Defence ministers met at the Pentagon on Wednesday."
    assert "Pentagon" not in excerpt
    assert re.search(r"<mark>harbour</mark>", excerpt, re.IGNORECASE)
    assert html.count("met at the Pentagon") == 1


def test_quoted_phrase_and_exclusion(client, stories):
    assert "Harbour strike ends after talks" in results(client, q='"strike ends"')
    assert "Harbour strike ends after talks" not in results(client, q='"ends strike"')
    html = results(client, q="harbour -budget")
    assert "Harbour strike ends after talks" in html and "Council approves budget" not in html


def test_or_joins_alternatives(client, stories):
    html = results(client, q="ferry or election")
    assert "Ferry timetable changes" in html and "Election results in" in html


def test_filter_by_section(client, stories):
    html = results(client, q="harbour", section="world")
    assert "Harbour strike ends after talks" in html and "Council approves budget" not in html


def test_filter_by_dates(client, stories):
    today = timezone.localdate()
    html = results(client, q="harbour", start=(today - timedelta(days=1)).isoformat())
    assert "Council approves budget" in html and "Harbour strike ends after talks" not in html
    html = results(client, q="harbour", end=(today - timedelta(days=2)).isoformat())
    assert "Harbour strike ends after talks" in html and "Council approves budget" not in html


@pytest.mark.parametrize(
    "params",
    [
        {"section": "no-such-section"},
        {"start": "yesterday"},
        {"end": "2026-13-45"},
        {"start": "2026-05-02", "end": "2026-05-01"},
        {"sort": "random()"},
        {"start": "\x00"},
        {"page": "1"},
        {"end": "9999-12-31"},
        {"start": "0001-01-01"},
        {"start": "0001-01-01", "end": "9999-12-31"},
    ],
)
def test_bad_filters_are_reported_and_ignored_never_a_500(client, stories, params):
    html = results(client, q="harbour", **params)
    assert "Harbour strike ends after talks" in html


@pytest.mark.parametrize("zone", ["UTC", "Asia/Tokyo", "America/Los_Angeles"])
@pytest.mark.parametrize(("name", "day"), [("end", "9999-12-31"), ("start", "0001-01-01"), ("end", "0001-01-01")])
def test_dates_at_the_ends_of_the_calendar_are_refused_with_a_message_not_a_500(
    client, stories, settings, zone, name, day
):
    """Regression: /search/?q=defence&end=9999-12-31 raised OverflowError (end + one day)."""
    settings.TIME_ZONE = zone
    html = results(client, q="harbour", **{name: day})
    assert "Choose a date between" in html
    assert "Harbour strike ends after talks" in html


def test_date_order_error_is_shown(client, stories):
    html = results(client, q="harbour", start="2026-05-02", end="2026-05-01")
    assert "The end date is before the start date." in html


def test_the_filters_are_rendered_once_per_distinct_choice_and_show_each_choice(client, stories, monkeypatch):
    from articles import forms

    forms._kept_filters.clear()
    rendered = []
    render = forms.render_to_string
    monkeypatch.setattr(forms, "render_to_string", lambda *args, **kw: rendered.append(1) or render(*args, **kw))
    results(client, q="harbour", section="world")
    kept = results(client, q="budget", section="world")  # other words, the same filters
    assert len(rendered) == 1 and '<option value="world" selected>World</option>' in kept
    newest = results(client, q="harbour", sort="newest")
    assert len(rendered) == 2 and '<option value="newest" selected>' in newest and "selected>World" not in newest
    for _ in range(2):
        html = results(client, q="harbour", start="2026-05-02", end="2026-05-01")
        assert "The end date is before the start date." in html and 'value="2026-05-02"' in html
    assert len(rendered) == 3
    stories["world"].name = "Abroad"
    stories["world"].save()
    assert '<option value="world" selected>Abroad</option>' in results(client, q="harbour", section="world")


def test_newest_first_ordering(client, stories):
    html = results(client, q="harbour", sort="newest")
    assert order_of(html, "Council approves budget", "Harbour strike ends after talks")[0] == "Council approves budget"


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_hostile_queries_give_a_page_never_a_500(client, stories, query):
    html = results(client, q=query)
    assert "<script>alert(1)</script>" not in html
    assert "\x00" not in html


@pytest.mark.parametrize("raw", ["%ED%A0%80", "%FF%FE", "%C0%AF", "%00%00", "%25%00"])
def test_invalid_utf8_in_the_query_string_gives_a_page(client, stories, raw):
    assert client.get(reverse("articles:search") + "?q=" + raw).status_code == 200


def test_pagination_keeps_the_query_and_filters(client, publication, section, settings):
    for number in range(15):
        make_article(headline=f"Harbour report {number}", section=section)
    html = results(client, q="harbour", section=section.slug)
    assert "15 articles found" in html
    next_link = re.search(r'rel="next" href="([^"]+)"', html).group(1)
    assert "q=harbour" in next_link and f"section={section.slug}" in next_link and "page=2" in next_link


def test_empty_query_shows_the_form_and_no_results(client, stories):
    html = results(client, q="   ")
    assert 'id="search-page-q"' in html and "found" not in html


def test_search_pages_are_not_indexed(client, stories):
    assert '<meta name="robots" content="noindex, follow">' in results(client, q="harbour")


def test_clean_query_drops_control_characters_and_caps_length():
    assert clean_query("  harbour\x00 strike\n ") == "harbour strike"
    assert len(clean_query("x" * 10_000)) == 200


def test_parse_query_understands_websearch_syntax():
    parsed = parse_query('"strike ends" -budget ferry or election')
    assert parsed.required == [["strike ends"], ["ferry", "election"]]
    assert parsed.excluded == ["budget"]


@on_postgres
def test_postgres_stems_words(client, stories):
    assert "Harbour strike ends after talks" in results(client, q="ending strikes")


@on_postgres
def test_stored_vector_follows_tags_bylines_and_renames(client, publication, section, committed):
    """The article service reindexes its article after commit; renaming an author or a tag reindexes theirs."""
    from taggit.models import Tag

    from articles import services

    article = make_article(headline="Quiet day", body="<p>Nothing happened.</p>", section=section)
    assert "Quiet day" not in results(client, q="lighthouse")
    with committed():
        services.article_save(article=article, tags=["Lighthouse"])
    assert "Quiet day" in results(client, q="lighthouse")

    author = make_author(name="Ingrid Svensson", slug="ingrid")
    with committed():
        services.article_save(article=article, authors=[author])
    assert "Quiet day" in results(client, q="svensson")
    author.name = "Ingrid Holm"
    with committed():
        author.save()
    assert "Quiet day" in results(client, q="holm") and "Quiet day" not in results(client, q="svensson")

    tag = Tag.objects.get(name="Lighthouse")
    tag.name = "Beacon"
    with committed():
        tag.save()
    assert "Quiet day" in results(client, q="beacon")


@on_postgres
def test_rebuilding_all_vectors_matches_incremental_updates(publication, section):
    article = make_article(headline="Harbour", tags=["Boats"], section=section)
    before = Article.objects.values_list("search_vector", flat=True).get(pk=article.pk)
    Article.objects.update(search_vector=None)
    update_search_vectors()
    assert Article.objects.values_list("search_vector", flat=True).get(pk=article.pk) == before


@on_postgres
def test_search_uses_the_gin_index():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'article_search_vector_gin'")
        (definition,) = cursor.fetchone()
    assert "USING gin (search_vector)" in definition


@on_postgres
def test_article_rows_keep_long_values_out_of_line():
    """A search reads the date and status of every match from its row: bodies and vectors live outside it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'articles_article'")
        (options,) = cursor.fetchone()
    assert "toast_tuple_target=128" in options


@on_postgres
def test_the_newest_matches_are_found_once_per_search(client, stories):
    """The match scan runs in one query; the count and the page look the matches up by primary key."""
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert "Harbour strike ends after talks" in results(client, q="strike")
    scans = [
        query["sql"] for query in queries.captured_queries if "@@" in query["sql"] and "LIMIT 1000" in query["sql"]
    ]
    assert len(scans) == 1


def _match_scans(client, **params):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        html = results(client, **params)
    scans = [query for query in queries.captured_queries if "@@" in query["sql"] and "LIMIT 1000" in query["sql"]]
    return html, len(scans)


@on_postgres
def test_a_repeated_search_reuses_its_matches_until_content_changes(client, stories, committed):
    first, scans = _match_scans(client, q="harbour")
    assert scans == 1
    again, scans = _match_scans(client, q="harbour")
    assert (again, scans) == (first, 0)
    assert _match_scans(client, q="harbour", section="world")[1] == 1  # narrowed: matches of its own
    assert _match_scans(client, q="harbour", sort="newest")[1] == 0  # same matches, another order

    from articles import services

    fresh = make_article(headline="Harbour lights return", section=stories["local"], status="draft", published_at=None)
    fresh.status, fresh.published_at = Article.Status.PUBLISHED, timezone.now() - timedelta(minutes=1)
    with committed():
        services.article_save(article=fresh)
    html, scans = _match_scans(client, q="harbour")
    assert scans == 1 and "Harbour lights return" in html


@on_postgres
def test_a_repeated_search_reads_only_its_page_neither_ranking_nor_highlighting_again(client, stories, committed):
    """The ranking is kept with the matches and each result's excerpt under a digest of its text: a repeated
    search is two plain reads (which matches are public now, and the page's articles)."""
    from django.test.utils import CaptureQueriesContext

    from articles import services

    first = results(client, q="harbour")
    with CaptureQueriesContext(connection) as queries:
        assert results(client, q="harbour") == first
    sql = [query["sql"] for query in queries.captured_queries]
    assert len(sql) == 2
    assert not [text for text in sql if "ts_rank" in text or "ts_headline" in text or "@@" in text]

    story = stories["body"]
    story.body = "<p>The harbour wall will be rebuilt in stone.</p>"
    with committed():
        services.article_save(article=story)
    html = results(client, q="harbour")
    assert "<mark>harbour</mark> wall will be rebuilt" in html.lower()
    assert "went late into the night" not in html


def test_a_kept_result_follows_its_bylines_section_and_headline(client, stories, committed):
    """Results are kept under a digest of what they show: a renamed author or section, or an edited headline,
    gives a new result at once."""
    from articles import services

    assert "Tomás Reyes" in results(client, q="election")
    reyes, world = stories["credited"].authors.get(), stories["world"]
    reyes.name, world.name = "Tomasina Reyes", "Abroad"
    with committed():
        reyes.save()
        world.save()
    html = results(client, q="election")
    assert "Tomasina Reyes" in html and ">Abroad</a>" in html
    story = stories["credited"]
    story.headline = "Election results are in"
    with committed():
        services.article_save(article=story)
    assert "Election results are in" in results(client, q="election")


@on_postgres
def test_kept_matches_follow_edits_withdrawals_and_scheduled_articles(client, publication, section, committed):
    from articles import services

    story = make_article(headline="Harbour strike ends", section=section)
    assert "Harbour strike ends" in results(client, q="harbour")
    story.headline = "Dockers back at work"
    with committed():
        services.article_save(article=story)
    assert "Dockers back at work" not in results(client, q="harbour")

    later = make_article(headline="Harbour gala tonight", section=section, status="draft", published_at=None)
    later.status, later.published_at = Article.Status.PUBLISHED, timezone.now() + timedelta(hours=1)
    with committed():
        services.article_save(article=later)
    assert "Harbour gala tonight" not in results(client, q="harbour")
    from django_tasks import default_task_backend

    with time_machine.travel(timezone.now() + timedelta(hours=1, minutes=1), tick=False):
        default_task_backend.run_due()
        assert "Harbour gala tonight" in results(client, q="harbour")


@on_postgres
def test_kept_matches_are_dropped_when_the_vectors_are_rebuilt(client, publication, section, committed):
    """A writer's event comes at commit, before the job that rebuilds the vectors: matches kept in between
    are dropped when the job has run."""
    from articles import tasks

    article = make_article(headline="Quiet day", section=section)
    assert "Quiet day" not in results(client, q="lighthouse")
    article.tags.add("Lighthouse")  # committed, the vector not rebuilt yet
    assert "Quiet day" not in results(client, q="lighthouse")
    with committed():
        tasks.reindex_articles.enqueue([article.pk])
    assert "Quiet day" in results(client, q="lighthouse")


def test_search_pages_stay_within_budget_on_both_databases(client, publication, section, django_assert_max_num_queries):
    """Count, page, bylines, tags: no per-result query for highlighting or ranking."""
    for number in range(30):
        make_article(headline=f"Harbour story {number}", tags=["Port", f"t{number}"], section=section)
    client.get(reverse("articles:search"), {"q": "harbour"})
    with django_assert_max_num_queries(5):
        client.get(reverse("articles:search"), {"q": "harbour", "section": section.slug, "start": "2000-01-01"})


def test_date_filter_uses_the_site_time_zone(client, publication, section, settings):
    settings.TIME_ZONE = "Asia/Tokyo"
    tokyo = timezone.get_fixed_timezone(9 * 60)
    make_article(
        headline="Late night harbour news", section=section, published_at=datetime(2026, 5, 1, 23, 30, tzinfo=tokyo)
    )
    assert "Late night harbour news" in results(client, q="harbour", start="2026-05-01", end="2026-05-01")
    assert "Late night harbour news" not in results(client, q="harbour", start="2026-05-02")
