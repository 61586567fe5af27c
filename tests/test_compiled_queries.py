"""Querysets compiled once per process (newsroom.compiled_queries) give what the queryset gives, for any values."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from newsroom import compiled_queries
from newsroom.compiled_queries import CompiledQuery
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


class Counting:
    """A build that counts how often it runs."""

    def __init__(self, build):
        self.build, self.calls = build, 0

    def __call__(self, *args, **kwargs):
        self.calls += 1
        return self.build(*args, **kwargs)


@pytest.fixture
def articles(publication):
    world, sport = make_section(name="World", slug="world"), make_section(name="Sport", slug="sport")
    author = make_author(name="Ada Reporter")
    made = {
        "old": make_article(headline="Old world", section=world, published_at=NOW - timedelta(days=2)),
        "new": make_article(
            headline="New world", section=world, published_at=NOW - timedelta(hours=1), authors=[author]
        ),
        "sport": make_article(headline="Sport story", section=sport, published_at=NOW - timedelta(hours=3)),
        "later": make_article(headline="Scheduled world", section=world, published_at=NOW + timedelta(hours=2)),
    }
    return world, sport, made


def _in_section(start, stop, /, *, now, section):
    return Article.objects.published(now).in_section(section).latest_first().select_related("publisher")[start:stop]


def test_model_instances_match_the_queryset_for_every_value_and_the_build_runs_only_to_compile(articles):
    world, sport, _ = articles
    build = Counting(_in_section)
    compiled = CompiledQuery(build)
    for now in (NOW, NOW + timedelta(hours=3)):
        for section in (world, sport):
            got = compiled.evaluate(0, 10, now=now, section=section.pk)
            expected = list(_in_section(0, 10, now=now, section=section.pk))
            assert [a.headline for a in got] == [a.headline for a in expected]
            assert [a.published_at for a in got] == [a.published_at for a in expected]
            assert all(type(a) is Article and a.pk and a._state.db == "default" for a in got)
    assert build.calls == 2  # twice with stand-ins when first used, then never: the SQL is reused
    # The scheduled article appears once its time has come, from the same compiled SQL.
    titles = [a.headline for a in compiled.evaluate(0, 10, now=NOW + timedelta(hours=3), section=world.pk)]
    assert titles == ["Scheduled world", "New world", "Old world"]


def test_values_rows_counts_and_one_query_a_call(articles):
    world, _, made = articles
    rows = CompiledQuery(
        lambda now, section: (
            Article.objects.published(now)
            .in_section(section)
            .values_list("headline", "published_at")
            .order_by("published_at")
        )
    )
    counted = CompiledQuery(lambda limit, /, now: Article.objects.published(now).values("pk")[:limit])
    rows.evaluate(now=NOW, section=world.pk)  # compiled
    counted.count(2, now=NOW)
    with CaptureQueriesContext(connection) as queries:
        got = rows.evaluate(now=NOW, section=world.pk)
        total = counted.count(10, now=NOW)
        capped = counted.count(2, now=NOW)
    assert got == [("Old world", made["old"].published_at), ("New world", made["new"].published_at)]
    assert got[0][1].tzinfo is not None
    assert (total, capped) == (3, 2)
    assert len(queries) == 3  # one a call; compiling the new limit's shape asks the database nothing
    assert counted.count(10, now=NOW + timedelta(days=1)) == 4


def test_an_empty_slice_asks_nothing(articles):
    compiled = CompiledQuery(lambda start, stop, /, now: Article.objects.published(now).order_by("pk")[start:stop])
    with CaptureQueriesContext(connection) as queries:
        assert compiled.evaluate(0, 0, now=NOW) == [] and compiled.count(3, 3, now=NOW) == 0
    assert len(queries) == 0
    assert len(compiled.evaluate(0, 2, now=NOW)) == 2


def test_tuple_values_and_strings(articles):
    _, _, made = articles
    by_ids = CompiledQuery(lambda ids, slug: Article.objects.filter(pk__in=ids).exclude(slug=slug).order_by("headline"))
    got = by_ids.evaluate(ids=(made["old"].pk, made["new"].pk, made["sport"].pk), slug=made["sport"].slug)
    assert [a.headline for a in got] == ["New world", "Old world"]
    got = by_ids.evaluate(ids=(made["sport"].pk, made["later"].pk, made["new"].pk), slug="no-such-slug")
    assert [a.headline for a in got] == ["New world", "Scheduled world", "Sport story"]
    # A hostile string is a parameter like any other: never part of the SQL.
    assert by_ids.evaluate(ids=(made["old"].pk,), slug="x' OR '1'='1") == [made["old"]]


def test_a_build_that_reads_the_clock_inside_is_refused(articles):
    compiled = CompiledQuery(lambda section: Article.objects.published().in_section(section))
    with time_machine.travel(NOW, tick=True), pytest.raises(ImproperlyConfigured, match="clock"):
        compiled.evaluate(section=articles[0].pk)


def test_a_value_that_shapes_the_sql_is_refused(articles):
    sliced = CompiledQuery(lambda stop, now: Article.objects.published(now)[:stop])
    with pytest.raises(ImproperlyConfigured, match="shape"):
        sliced.evaluate(stop=2, now=NOW)
    transformed = CompiledQuery(lambda words: Article.objects.filter(headline__icontains=words))
    with pytest.raises(ImproperlyConfigured, match="as given"):
        transformed.evaluate(words="world")
    unused = CompiledQuery(lambda now, section: Article.objects.published(now))
    with pytest.raises(ImproperlyConfigured, match="does not reach"):
        unused.evaluate(now=NOW, section=articles[0].pk)


@pytest.mark.parametrize("value", [True, 1.5, datetime(2026, 1, 1), None, [1, 2]])
def test_values_of_other_types_are_refused(value):
    compiled = CompiledQuery(lambda value: Article.objects.filter(pk=value))
    with pytest.raises(TypeError):
        compiled.evaluate(value=value)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements: PostgreSQL only")
def test_on_postgresql_compiled_queries_are_prepared_and_djangos_own_queries_are_not(articles):
    def prepared():
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            return [row[0] for row in cursor.fetchall()]

    compiled = CompiledQuery(lambda now, marker: Article.objects.published(now).exclude(slug=marker).order_by("pk"))
    for _ in range(3):
        Article.objects.published().exclude(slug="plain-query").count()
        assert len(compiled.evaluate(now=NOW, marker="compiled-query")) == 3
    statements = prepared()
    assert [s for s in statements if '"articles_article"."slug" = $' in s]  # parameters bound on the server
    assert not [s for s in statements if '"__count"' in s]
    # The query log (DEBUG, tests, the debug toolbar) still shows a prepared statement with its values.
    with CaptureQueriesContext(connection) as queries:
        compiled.evaluate(now=NOW, marker="compiled-query")
    (logged,) = queries.captured_queries
    assert "'compiled-query'" in logged["sql"] and "$1" not in logged["sql"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements: PostgreSQL only")
def test_a_query_whose_plan_depends_on_its_values_is_never_prepared(client, articles):
    """Tag, publisher and author lists are planned with their values: a generic plan cannot tell a tag with five
    articles from one with five thousand."""
    from taggit.models import Tag

    tag = Tag.objects.create(name="Harbour", slug="harbour")
    articles[2]["new"].tags.add(tag)
    for _ in range(4):
        assert client.get("/tag/harbour/").status_code == 200
        assert client.get("/").status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        statements = [row[0] for row in cursor.fetchall()]
    assert [
        s for s in statements if "articles_taggedarticle" not in s and '"articles_article"."published_at" <= $' in s
    ]
    assert not [s for s in statements if '"articles_taggedarticle"."tag_id" IN ($' in s]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements: PostgreSQL only")
def test_a_prepared_statement_runs_its_generic_plan(client, articles):
    """A tag page's rows: PostgreSQL, left to choose, planned them with the values on every request."""
    from taggit.models import Tag

    tag = Tag.objects.create(name="Harbour", slug="harbour")
    articles[2]["new"].tags.add(tag)
    for _ in range(8):
        assert client.get("/tag/harbour/").status_code == 200
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE %s",
            ['%card_tags%"articles_taggedarticle"."tag_id" = $%'],
        )
        plans = cursor.fetchall()
    assert plans and all(generic >= 6 and custom == 0 for generic, custom in plans), plans


def test_plans_are_bounded(articles, monkeypatch):
    monkeypatch.setattr(compiled_queries, "MAX_PLANS", 3)
    compiled = CompiledQuery(lambda stop, /, now: Article.objects.published(now).order_by("pk")[:stop])
    for stop in range(1, 8):
        assert len(compiled.evaluate(stop, now=NOW)) == min(stop, 3)
    assert len(compiled._plans) == 3


def test_the_columns_converters_are_found_once_per_plan(articles, monkeypatch):
    """Django looks up every column's converters on each query; a plan's columns are the same every time."""
    from django.db.models.sql.compiler import SQLCompiler

    world, sport, _ = articles
    looked_up = []
    get_converters = SQLCompiler.get_converters
    monkeypatch.setattr(
        SQLCompiler,
        "get_converters",
        lambda self, expressions: looked_up.append(1) or get_converters(self, expressions),
    )
    compiled = CompiledQuery(_in_section)
    first = [a.published_at for a in compiled.evaluate(0, 10, now=NOW, section=world.pk)]
    once = len(looked_up)
    assert once >= 1
    again = [a.published_at for a in compiled.evaluate(0, 10, now=NOW, section=world.pk)]
    compiled.evaluate(0, 10, now=NOW, section=sport.pk)
    assert len(looked_up) == once
    assert again == first and all(when.tzinfo is not None for when in again)  # converted as before
