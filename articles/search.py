"""Article search: PostgreSQL full-text search on a stored, weighted tsvector, and a plain fallback on SQLite.

On PostgreSQL every article carries `search_vector` (headline A; dek and tags B; body C;
authors and publisher D), GIN-indexed, rebuilt by update_search_vectors() whenever the
text, tags or bylines change (signals.py). A search parses the reader's words with
websearch_to_tsquery ("quoted phrases", -exclusions, or), ranks with ts_rank and
highlights with ts_headline, so it never re-parses an article.

On SQLite the column stays empty: the same queries fall back to substring matching with
a weighted score, and the highlighting is done in Python.

Highlighting is always escape-then-mark: the text is split at the matches, every piece
is HTML-escaped, and only then are the matches wrapped in <mark>.
"""

import hashlib
import re
from dataclasses import dataclass, field
from html import unescape

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    Expression,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.safestring import mark_safe

from articles import events
from newsroom import generations
from newsroom.compiled_queries import CompiledQuery
from newsroom.fragments import fragment_key, kept_many

QUERY_MAX_LENGTH = 200
MAX_TERMS = 10
EXCERPT_CHARS = 240
# Relevance is ranked among at most this many matches, the newest: ranking every article that
# contains a common word would read every article's vector. The page says when the cap is reached.
RANK_LIMIT = 1000

# Private-use characters ts_headline puts around matches; split on them, escape, then mark.
_START, _STOP = "\ue000", "\ue001"
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ue000\ue001\ud800-\udfff]")
_TOKEN = re.compile(r'(-?)"([^"]*)"|(\S+)')
_STRIP_HTML_SQL = r"<[^>]*>"
_STRIP_ENTITIES_SQL = r"&[#a-zA-Z0-9]+;"

# An article's tag names: through TaggedArticle (migration 0017 on), or taggit's generic table before it
# (migration 0006's backfill runs before TaggedArticle exists).
TAG_NAMES_SQL = """
        SELECT string_agg(t.name, ' ') FROM articles_taggedarticle ti JOIN taggit_tag t ON t.id = ti.tag_id
        WHERE ti.content_object_id = a.id"""
GENERIC_TAG_NAMES_SQL = """
        SELECT string_agg(t.name, ' ') FROM taggit_taggeditem ti JOIN taggit_tag t ON t.id = ti.tag_id
        WHERE ti.object_id = a.id AND ti.content_type_id = (
            SELECT ct.id FROM django_content_type ct WHERE ct.app_label = 'articles' AND ct.model = 'article'
        )"""

# One UPDATE rebuilds the vectors of the given articles (or of all) from their own text, tags,
# bylines and publisher. Plain SQL so the migration's backfill and the signals share it.
_UPDATE_SQL = """
UPDATE articles_article AS a SET search_vector =
    setweight(to_tsvector(%(config)s::regconfig, coalesce(a.headline, '')), 'A')
 || setweight(to_tsvector(%(config)s::regconfig, coalesce(a.dek, '') || ' ' || coalesce((TAG_NAMES
    ), '')), 'B')
 || setweight(to_tsvector(%(config)s::regconfig, regexp_replace(
        regexp_replace(coalesce(a.body, ''), %(strip_html)s, ' ', 'g'), %(strip_entities)s, ' ', 'g'
    )), 'C')
 || setweight(to_tsvector(%(config)s::regconfig, coalesce((
        SELECT string_agg(au.name, ' ') FROM articles_byline b JOIN articles_author au ON au.id = b.author_id
        WHERE b.article_id = a.id
    ), '') || ' ' || coalesce((SELECT p.name FROM articles_publisher p WHERE p.id = a.publisher_id), '')), 'D')
"""


def search_config():
    """The PostgreSQL text-search configuration (stemming and stop words): NEWSROOM_SEARCH_CONFIG."""
    return settings.SEARCH_CONFIG


def uses_full_text(using=None):
    from django.db import connections

    return (connections[using] if using else connection).vendor == "postgresql"


def update_search_vectors(article_ids=None, *, using=None, tag_names_sql=TAG_NAMES_SQL):
    """Rebuild the stored search vector of these articles (all when None); a no-op except on PostgreSQL."""
    from django.db import connections

    conn = connections[using] if using else connection
    if conn.vendor != "postgresql":
        return
    ids = None if article_ids is None else sorted({int(pk) for pk in article_ids if pk is not None})
    if ids == []:
        return
    params = {"config": search_config(), "strip_html": _STRIP_HTML_SQL, "strip_entities": _STRIP_ENTITIES_SQL}
    sql = _UPDATE_SQL.replace("TAG_NAMES", tag_names_sql)
    if ids is not None:
        sql += " WHERE a.id = ANY(%(ids)s)"
        params["ids"] = ids
    with conn.cursor() as cursor:
        cursor.execute(sql, params)
    # The writer's content-changed event came at commit, before this (a job): a search made in between
    # was kept with the old vectors.
    transaction.on_commit(forget_matches, using=conn.alias)


def clean_query(raw):
    """The reader's query made safe to search with: no control characters or NUL, spaces folded, length capped."""
    text = _CONTROL_CHARACTERS.sub(" ", raw or "")
    return " ".join(text.split())[:QUERY_MAX_LENGTH].strip()


@dataclass
class ParsedQuery:
    """The websearch syntax, for the SQLite fallback: terms (each a set of alternatives joined by `or`)
    that must all match, and excluded terms (-word or -"phrase") that must not."""

    required: list = field(default_factory=list)
    excluded: list = field(default_factory=list)

    @property
    def words(self):
        return [word for group in self.required for word in group]


def parse_query(text):
    parsed = ParsedQuery()
    join_next = False
    for match in _TOKEN.finditer(text):
        negated, phrase, word = match.group(1), match.group(2), match.group(3)
        if word is not None:
            if word.lower() == "or" and parsed.required:
                join_next = True
                continue
            negated = word.startswith("-") and len(word) > 1
            word = word.lstrip("-") if negated else word
            term = word.strip("\"'()!&|:*<>")
        else:
            term = " ".join(phrase.split())
        if not term:
            continue
        if negated:
            parsed.excluded.append(term)
        elif join_next:
            parsed.required[-1].append(term)
        else:
            parsed.required.append([term])
        join_next = False
    parsed.required = parsed.required[:MAX_TERMS]
    parsed.excluded = parsed.excluded[:MAX_TERMS]
    return parsed


def search(queryset, text):
    """`queryset` narrowed to articles matching `text`, best first; annotated for highlight() (the API's search:
    a reader's search page reads reader_results())."""
    if uses_full_text(queryset.db):
        return _postgres_search(queryset, text)
    return _fallback_search(queryset, text)


# The newest matches of a reader's search, ranked, are kept for the searches readers repeat (a spike's searches are
# mostly the same few words), under a generation that every content change and every reindex renews
# (newsroom.generations): a new, edited or withdrawn article is searched for at once. They are found among
# the articles with status published whatever their time, and the page's count and rows keep those public
# now (published()): a scheduled article appears at its time, and an expired one leaves, with nothing to tell.
MATCHES_SECONDS = 10 * 60
MATCHES_GENERATION_KEY = "search-matches-generation"
RANK_WEIGHTS = [0.05, 0.2, 0.4, 1.0]  # D, C, B, A: credits, body, standfirst and tags, headline


@dataclass(frozen=True)
class Matches:
    """The ids of a search's matches (at most RANK_LIMIT, the newest), newest first and best first."""

    newest: tuple
    best: tuple

    @classmethod
    def from_rows(cls, rows):
        """From (id, date, rank) rows, ranked as _postgres_search orders: rank, then date, then id."""
        newest = sorted(rows, key=lambda row: (row[1], row[0]), reverse=True)
        best = sorted(newest, key=lambda row: row[2], reverse=True)  # stable: ties stay newest first
        return cls(tuple(row[0] for row in newest), tuple(row[0] for row in best))


def reader_results(text, *, narrowing, newest_first=False):
    """A reader's search page's results, for NewsPaginator: the public articles narrowed by `narrowing` (filters
    of Article: section, dates) matching `text`, best (or newest) first, read a page at a time."""
    from articles.models import Article

    candidates = Article.objects.filter(status=Article.Status.PUBLISHED, **narrowing)
    generation, matches = _kept_matches(lambda: _find_matches(candidates, text), text, narrowing)
    found_under = {MATCHES_GENERATION_KEY: generation}
    return Results(matches.newest if newest_first else matches.best, text, narrowing, found_under)


# An article's date among the matches (created_at for one never published).
_NEWEST = Coalesce("published_at", "created_at")


def _match_query(text):
    return SearchQuery(text, search_type="websearch", config=search_config())


def _newest_matches(queryset, query):
    """The ids of the newest RANK_LIMIT articles of `queryset` matching `query`, as a values queryset.

    Sorting on an expression, not the indexed column, keeps PostgreSQL on the GIN index: walking the date
    index instead would read every article's vector whenever a query matches few of them."""
    return queryset.filter(search_vector=query).order_by(_NEWEST.desc(), "-pk").values("pk")[:RANK_LIMIT]


def _find_matches(candidates, text):
    """The newest RANK_LIMIT matches among `candidates`, ranked: one query (the match scan is most of a search's
    cost; ranking reads only the matches kept)."""
    if uses_full_text(candidates.db):
        query = _match_query(text)
        rows = candidates.model.objects.filter(pk__in=_newest_matches(candidates, query)).values_list(
            "pk", _NEWEST, SearchRank(F("search_vector"), query, weights=RANK_WEIGHTS)
        )
    else:
        rows = _fallback_search(candidates, text).values_list("pk", _NEWEST, "search_rank")
    return Matches.from_rows(list(rows))


def _kept_matches(find, text, narrowing):
    key = repr((text, search_config(), sorted(narrowing.items())))
    key = "search-matches-ranked:" + hashlib.blake2b(key.encode(), digest_size=16).hexdigest()
    current, kept = generations.lookup(cache, [MATCHES_GENERATION_KEY], key)
    if kept is None:
        kept = find()
        generations.keep(cache, key, current, kept, MATCHES_SECONDS)
    return current[0], kept


def forget_matches(sender=None, **kwargs):
    cache.delete(MATCHES_GENERATION_KEY)


events.content_changed.connect(forget_matches, dispatch_uid="search-matches")


def _public_among(now, ids, **narrowing):
    from articles.models import Article

    return Article.objects.published(now).filter(_IdAmong(F("pk"), ids), **narrowing)


_public_ids = CompiledQuery(lambda now, ids, **narrowing: _public_among(now, ids, **narrowing).values_list("pk"))
_public_rows = CompiledQuery(lambda now, ids, **narrowing: _public_among(now, ids, **narrowing).card_rows())


class Results:
    """The ids of a search's matches in the order shown, as NewsPaginator reads them: the count is of those
    public now (one query), a page is their card rows (ArticleQuerySet.card_rows(), one query), whose results
    render_results() reads from the cache. Both read published() now: nothing withdrawn since the matches
    were kept is shown. `found_under`: the generation the matches were kept under, which a page showing them
    is kept under too (articles.page_cache.keep_while): a reindex that renews it renews the page."""

    def __init__(self, ids, text, narrowing, found_under):
        self.ids, self.text, self.narrowing, self.found_under = ids, text, narrowing, found_under
        self.now = timezone.now()

    @cached_property
    def shown_ids(self):
        if not self.ids:
            return []
        public = {row[0] for row in _public_ids.evaluate(now=self.now, ids=_id_list(self.ids), **self.narrowing)}
        return [pk for pk in self.ids if pk in public]

    def count_up_to(self, limit):
        return min(len(self.shown_ids), limit)

    def __getitem__(self, window):
        from articles import cards

        if not isinstance(window, slice) or window.step is not None:
            raise TypeError("search results are read a page at a time: results[start:stop]")
        ids = self.shown_ids[window]
        if not ids:
            return []
        found = _public_rows.evaluate(now=self.now, ids=_id_list(ids), **self.narrowing)
        rows = {row.pk: row for row in cards.rows(found)}
        return [rows[pk] for pk in ids if pk in rows]


def _highlights(query):
    marks = {"start_sel": _START, "stop_sel": _STOP}
    config = search_config()
    return {
        "search_excerpt": SearchHeadline(
            _plain_body(),
            query,
            config=config,
            max_words=35,
            min_words=15,
            max_fragments=2,
            fragment_delimiter=" … ",
            **marks,
        ),
        "search_dek": SearchHeadline("dek", query, config=config, highlight_all=True, **marks),
    }


def _plain_body():
    stripped = Func(F("body"), Value(_STRIP_HTML_SQL), Value(" "), Value("g"), function="regexp_replace")
    return Func(stripped, Value(_STRIP_ENTITIES_SQL), Value(" "), Value("g"), function="regexp_replace")


def _id_list(ids):
    return ",".join(str(int(pk)) for pk in ids)


class _IdAmong(Expression):
    """`column` is one of `ids`, given as one string ("4,8,15"): one parameter however many there are, so the
    SQL is the same for any number (compiled once: newsroom.compiled_queries), and quick to send (psycopg takes
    longer to adapt a list of a thousand numbers)."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, column, ids):
        super().__init__()
        self.column, self.ids = column, ids

    def get_source_expressions(self):
        return [self.column]

    def set_source_expressions(self, expressions):
        (self.column,) = expressions

    def as_sql(self, compiler, connection):
        column_sql, params = compiler.compile(self.column)
        return f"{column_sql} IN (SELECT value FROM json_each('[' || %s || ']'))", (*params, self.ids)  # noqa: S608

    def as_postgresql(self, compiler, connection):
        column_sql, params = compiler.compile(self.column)
        array_type = self.column.output_field.cast_db_type(connection)
        return f"{column_sql} = ANY(string_to_array(%s, ',')::{array_type}[])", (*params, self.ids)


def _postgres_search(queryset, text):
    query = _match_query(text)
    matches = [row["pk"] for row in _newest_matches(queryset, query)]  # run once, not in the count and the page
    return (
        queryset.filter(_IdAmong(F("pk"), _id_list(matches)))
        .annotate(search_rank=SearchRank(F("search_vector"), query, weights=RANK_WEIGHTS), **_highlights(query))
        .order_by("-search_rank", "-published_at", "-pk")
    )


def _text_condition(term):
    return (
        Q(headline__icontains=term)
        | Q(dek__icontains=term)
        | Q(body__icontains=term)
        | Q(tags__name__icontains=term)
        | Q(authors__name__icontains=term)
        | Q(publisher__name__icontains=term)
    )


def _fallback_search(queryset, text):
    from articles.models import Article, TaggedArticle

    parsed = parse_query(text)
    if not parsed.required:
        return queryset.none().annotate(search_rank=Value(0))
    condition = Q()
    for group in parsed.required:
        alternatives = Q()
        for term in group:
            alternatives |= _text_condition(term)
        condition &= alternatives
    for term in parsed.excluded:
        condition &= ~Q(pk__in=Article.objects.filter(_text_condition(term)).values("pk"))
    matching = Article.objects.filter(condition).values("pk")

    # Weights mirror PostgreSQL's: a headline match counts most, then dek and tags, then body and credits.
    score = Value(0)
    for term in parsed.words:
        tagged = TaggedArticle.objects.filter(content_object=OuterRef("pk"), tag__name__icontains=term)
        score = (
            score
            + Case(When(headline__icontains=term, then=Value(8)), default=Value(0))
            + Case(When(dek__icontains=term, then=Value(3)), default=Value(0))
            + Case(When(Exists(tagged), then=Value(3)), default=Value(0))
            + Case(When(body__icontains=term, then=Value(1)), default=Value(0))
        )
    newest_matches = queryset.filter(pk__in=matching).order_by("-published_at", "-pk").values("pk")[:RANK_LIMIT]
    return (
        queryset.filter(pk__in=newest_matches)
        .annotate(search_rank=ExpressionWrapper(score, output_field=IntegerField()))
        .order_by("-search_rank", "-published_at", "-pk")
    )


def _mark_between_sentinels(text):
    """ts_headline output -> safe HTML: every piece escaped, the sentinel-wrapped ones in <mark>."""
    parts = []
    inside = False
    for piece in re.split(f"([{_START}{_STOP}])", text or ""):
        if piece == _START:
            inside = True
        elif piece == _STOP:
            inside = False
        elif piece:
            piece = escape(unescape(piece))
            parts.append(f"<mark>{piece}</mark>" if inside else piece)
    return mark_safe("".join(parts))  # noqa: S308 (every piece is escaped above)


def mark_terms(text, terms):
    """Plain `text` as safe HTML with every case-insensitive occurrence of `terms` in <mark>."""
    terms = sorted({term for term in terms if term}, key=len, reverse=True)
    if not terms:
        return escape(text)
    pattern = re.compile("(" + "|".join(re.escape(term) for term in terms) + ")", re.IGNORECASE)
    pieces = pattern.split(text)
    html = "".join(
        f"<mark>{escape(piece)}</mark>" if index % 2 else escape(piece) for index, piece in enumerate(pieces)
    )
    return mark_safe(html)  # noqa: S308 (every piece is escaped above)


def plain_text(html):
    """The text of stored HTML as search shows it: every tag a space, as on PostgreSQL (so paragraphs do not
    run together), entities decoded, spaces folded."""
    return " ".join(unescape(re.sub(_STRIP_HTML_SQL, " ", html or "")).split())


def excerpt_around(text, terms, *, size=EXCERPT_CHARS):
    """A window of `text` about `size` characters long around the first match, cut at word boundaries."""
    lowered = text.lower()
    positions = [lowered.find(term.lower()) for term in terms if term and term.lower() in lowered]
    start = max(0, min(positions) - size // 3) if positions else 0
    if start:
        start = text.find(" ", start) + 1 or start
    end = min(len(text), start + size)
    if end < len(text):
        end = text.rfind(" ", start, end) if " " in text[start:end] else end
    snippet = text[start:end].strip()
    return ("… " if start else "") + snippet + (" …" if end < len(text) else "")


def highlight(articles, text):
    """Set `search_dek_html` (the standfirst, matched words in <mark>) and `search_excerpt_html` (the body
    around the matches, or None when the body has none) on each article of a results page, as safe HTML.
    The standfirst is shown once, on its own line, never again inside the excerpt; headlines stay as
    written, as Google shows them.
    """
    words = parse_query(text).words
    for article in articles:
        if hasattr(article, "search_excerpt"):
            article.search_dek_html = _mark_between_sentinels(article.search_dek) if article.dek else ""
            matched = _START in (article.search_excerpt or "")
            article.search_excerpt_html = _mark_between_sentinels(article.search_excerpt) if matched else None
        else:
            article.search_dek_html = mark_terms(article.dek, words) if article.dek else ""
            body = plain_text(article.body)
            lowered = body.lower()
            matched = any(word.lower() in lowered for word in words)
            article.search_excerpt_html = mark_terms(excerpt_around(body, words), words) if matched else None
    return articles


RESULT_TEMPLATES = ("articles/_search_result.html", "includes/byline.html")
RESULT_SECONDS = 6 * 60 * 60


def render_results(rows, text):
    """Set `html` on each card row (ArticleQuerySet.card_rows()) of a results page: its result, the matched
    words highlighted, read from the cache for the whole page in one round trip, kept under a digest of the
    words and of the row (newsroom.fragments: any edit saves a new `updated_at`, so a new key). Only the
    results not kept load their articles, with ts_headline's excerpts on PostgreSQL: one query."""
    from articles import cards
    from articles.chrome import sections_and_kinds_by_id
    from articles.models import Article

    chrome = sections_and_kinds_by_id()
    place = (search_config(), translation.get_language(), timezone.get_current_timezone_name())
    shown = {row: (text, row.values, cards.chrome_values(row.values, chrome), place) for row in rows}
    keys = {fragment_key("search-result", RESULT_TEMPLATES, values): row for row, values in shown.items()}

    def render(missing):
        articles = Article.objects.filter(pk__in=[keys[key].pk for key in missing]).for_listing()
        if uses_full_text(articles.db):
            articles = articles.annotate(**_highlights(_match_query(text)))
        articles = {article.pk: article for article in highlight(list(articles), text)}
        return {
            key: render_to_string(RESULT_TEMPLATES[0], {"article": articles[keys[key].pk]})
            for key in missing
            if keys[key].pk in articles  # else deleted since the page's query: no result
        }

    found = kept_many(keys, render, RESULT_SECONDS)
    for key, row in keys.items():
        row.html = found.get(key, "")
    return rows
