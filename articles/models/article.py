"""Articles and their bylines; ArticleQuerySet.published() is the one definition of public."""

import datetime
import functools
import json

from django.conf import settings
from django.contrib import admin
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import connections, models
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager
from taggit.models import Tag, TaggedItemBase

from articles import hooks
from articles.models.common import SLUG_MAX_LENGTH, UPDATE_GRACE, HttpsURLField, unique_slug
from articles.models.kind import ArticleKind
from articles.models.media import Image, RenditionsField
from articles.models.publication import Author, Publisher, Section
from articles.richtext import EDITOR_EXTENSIONS, sanitize_html
from newsroom.reverse import reverse

# What a card needs of its featured image (alt text and renditions), when a query loads only some columns.
IMAGE_CARD_FIELDS = ["id", "alt", "is_decorative", "width", "height", "renditions_data"]
# The columns ArticleQuerySet.published() tests besides the publication time.
PUBLIC_COLUMNS = ["status", "embargo_until", "expires_at"]
# What a list card shows of an article's own row and its featured image and publisher (with its section and
# kind, from the site chrome, and its bylines and tags): ArticleQuerySet.card_rows() reads these as plain
# values, and articles.cards keys the kept card on them.
CARD_ROW_FIELDS = [
    "pk",
    "headline",
    "slug",
    "dek",
    "published_at",
    "originally_published_at",
    "updated_at",
    "section_id",
    "kind_id",
    "image_id",
    "image__updated_at",
    "image__version",
    "image__alt",
    "image__is_decorative",
    "publisher_id",
    "publisher__name",
    "publisher__slug",
]
# Where an article's bylines (in byline order, with each author's photo: a card reads no column of it, and the
# databases drop a left join nothing reads) and its tags are, as (source, order), for subqueries of the article's
# own query that return them as JSON (_json_rows_sql).
_BYLINES = (
    "articles_byline b JOIN articles_author a ON a.id = b.author_id LEFT JOIN articles_image p ON p.id = a.photo_id "
    "WHERE b.article_id = articles_article.id",
    "b.position, b.id",
)
_TAGS = (
    "articles_taggedarticle i JOIN taggit_tag t ON t.id = i.tag_id WHERE i.content_object_id = articles_article.id",
    "i.id",
)
# For model instances (for_listing()): every column of each byline's author with the columns of their photo a
# crop needs, and every column of each tag.
CREDIT_AUTHOR_COLUMNS = [field.column for field in Author._meta.concrete_fields]
CREDIT_TAG_COLUMNS = [field.column for field in Tag._meta.concrete_fields]


@functools.cache
def _card_relations_sql(vendor):
    """A card's bylines (author id, slug, name) and tags (id, slug, name) as JSON arrays (card_rows())."""
    return {
        "card_authors": _json_rows_sql(vendor, ["a.id", "a.slug", "a.name"], *_BYLINES),
        "card_tags": _json_rows_sql(vendor, ["t.id", "t.slug", "t.name"], *_TAGS),
    }


@functools.cache
def _credits_sql(vendor):
    """An instance's bylines and tags, every column of each, as JSON arrays (for_listing())."""
    # The photo's manifest as the text it is stored as, decoded once per process like any (RenditionsField).
    manifest = "p.renditions_data::text" if vendor == "postgresql" else "p.renditions_data"
    photo = [f"p.{column}" if column != "renditions_data" else manifest for column in IMAGE_CARD_FIELDS]
    authors = [*(f"a.{column}" for column in CREDIT_AUTHOR_COLUMNS), *photo]
    return {
        "credit_authors": _json_rows_sql(vendor, authors, *_BYLINES),
        "credit_tags": _json_rows_sql(vendor, [f"t.{column}" for column in CREDIT_TAG_COLUMNS], *_TAGS),
    }


@functools.cache
def _corrections_sql(vendor):
    columns = [f"c.{column}" for column in _fields_by_column(_correction_model())]
    source = "articles_correction c WHERE c.article_id = articles_article.id"
    return _json_rows_sql(vendor, columns, source, "c.created_at, c.id")


def _json_rows_sql(vendor, columns, source, order):
    """SQL for a JSON array holding an array of `columns` for each row of `source` (FROM ... WHERE ...), in `order`;
    PostgreSQL's, or SQLite's for any other database."""
    if vendor == "postgresql":
        return f"SELECT json_agg(json_build_array({', '.join(columns)}) ORDER BY {order})::text FROM {source}"  # noqa: S608
    # SQLite orders in a subquery.
    names = [f"c{number}" for number in range(len(columns))]
    inner = ", ".join(f"{column} AS {name}" for column, name in zip(columns, names, strict=True))
    return (
        f"SELECT json_group_array(json_array({', '.join(names)})) FROM (SELECT {inner} FROM {source} ORDER BY {order})"  # noqa: S608
    )


def _correction_model():
    from articles.models.editorial import Correction  # it points at Article

    return Correction


def correction_notes_from_json(article):
    model = _correction_model()
    columns = list(_fields_by_column(model))
    rows = json.loads(article.correction_rows or "[]")
    notes = [_from_json(model, article._state.db, columns, values) for values in rows]
    for note in notes:
        model.article.field.set_cached_value(note, article)
    return notes


# How many of the newest articles sharing a tag related_to() weighs.
RELATED_CANDIDATES = 120


class InEither(models.Expression):
    """`column IN (first) OR column IN (second)` for two small subqueries. On PostgreSQL written as
    `= ANY(ARRAY(...))`, which the planner answers from the primary key's index (a BitmapOr) where
    `IN (...) OR IN (...)` would filter every row of the table."""

    output_field = models.BooleanField()
    conditional = True

    def __init__(self, column, first, second):
        super().__init__()
        self.column, self.first, self.second = column, first, second

    def get_source_expressions(self):
        return [self.column, self.first, self.second]

    def set_source_expressions(self, exprs):
        self.column, self.first, self.second = exprs

    def _compile(self, compiler, connection, template):
        column_sql, column_params = compiler.compile(self.column)
        first_sql, first_params = compiler.compile(self.first)
        second_sql, second_params = compiler.compile(self.second)
        sql = template.format(column=column_sql, first=first_sql, second=second_sql)
        return sql, (*column_params, *first_params, *column_params, *second_params)

    def as_sql(self, compiler, connection):
        return self._compile(compiler, connection, "({column} IN {first} OR {column} IN {second})")

    def as_postgresql(self, compiler, connection):
        return self._compile(compiler, connection, "({column} = ANY(ARRAY{first}) OR {column} = ANY(ARRAY{second}))")


class TaggedArticle(TaggedItemBase):
    """An article's tag, with a real foreign key to the article. (taggit's generic TaggedItem stores an
    integer object_id that PostgreSQL must cast to compare with the article's bigint id, so no index serves
    a join from the article's side.) Cards read the (article) index.

    It keeps a copy of the article's publication time, so that a tag page's newest articles are the first
    entries of the (tag, newest) index: ordered by the article's own time, PostgreSQL walked every recent
    article to find a small tag's few, and a plan good for one tag was bad for another. The copy is made
    when the tag is added and renewed by every save of the article (Article.save)."""

    content_object = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="tagged_items")
    published_at = models.DateTimeField(_("article published at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("article tag")
        verbose_name_plural = _("article tags")
        constraints = [models.UniqueConstraint(fields=["content_object", "tag"], name="unique_article_tag")]
        indexes = [
            models.Index(fields=["tag", "content_object"], name="article_tag_idx"),
            models.Index(fields=["tag", "-published_at"], name="article_tag_newest_idx"),
        ]

    def __str__(self):
        return f"{self.tag} – {self.content_object_id}"

    def save(self, *args, **kwargs):
        self.published_at = self.content_object.published_at  # taggit adds tags with the article itself
        super().save(*args, **kwargs)


class ArticleQuerySet(models.QuerySet):
    def published(self, now=None):
        """The one definition of public: status published, publication time not in the future, no embargo
        running, not expired (at `now`, by default the present).

        A scheduled article (published with a future time) becomes public at that moment, and an
        article with an expiry time leaves public view at that moment, with no job to run, because
        every reader query asks this at request time. (Jobs only tell caches: articles.tasks.)
        """
        now = now or timezone.now()
        return (
            self.filter(status=Article.Status.PUBLISHED, published_at__lte=now)
            .exclude(embargo_until__gt=now)
            .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        )

    def expired(self):
        """Published by an editor, past their expiry time: out of public view (rights-limited copy)."""
        return self.filter(status=Article.Status.PUBLISHED, expires_at__lte=timezone.now())

    def scheduled(self):
        """Published by an editor but not public yet: a future publication time or a running embargo."""
        now = timezone.now()
        return (
            self.filter(status=Article.Status.PUBLISHED)
            .filter(Q(published_at__gt=now) | Q(embargo_until__gt=now))
            .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        )

    def owned_by(self, user):
        """Articles `user` started, or on which they have a byline (through their author profile)."""
        return self.filter(Q(created_by=user) | Q(pk__in=Byline.objects.filter(author__user=user).values("article_id")))

    def in_section(self, section):
        return self.filter(section=section)

    def by_author(self, author):
        return self.filter(authors=author)

    def from_publisher(self, publisher):
        return self.filter(publisher=publisher)

    def tagged(self, tag, now=None):
        """The articles tagged `tag`, newest first, in the order of the tag's own index (TaggedArticle).

        A prepared statement's plan, made without the values, walks that index for any tag when it reads a
        page of them. To count them, pass published()'s `now` here too: bounding the tag's copies of the
        publication time as published() bounds the articles' own changes nothing in the result, but lets
        the plan count from that index (else it may scan every article)."""
        bounded = {} if now is None else {"tagged_items__published_at__lte": now}
        return self.filter(tagged_items__tag=tag, **bounded).order_by("-tagged_items__published_at", "-pk")

    def for_listing(self):
        """Articles as model instances with what their card or page shows of other rows, in one query however
        many: their publisher and featured image joined, their bylines (with each author's photo) and tags as
        JSON from subqueries of the same query, their section and kind from the site chrome
        (attach_listing_relations). For the article page, feeds, search and the API; list pages read
        card_rows() instead, and for_card() for the cards they must render."""
        credits = _credits_sql(connections[self.db].vendor)
        subqueries = {name: RawSQL(sql, ()) for name, sql in credits.items()}  # noqa: S611 (constant SQL)
        listing = self._with_joined_rows().annotate(**subqueries)
        listing._with_listing_relations = "all"
        return listing

    def with_correction_notes(self):
        """Each article's corrections and updates (correction_notes), oldest first, as JSON in its own query."""
        notes = self.annotate(correction_rows=RawSQL(_corrections_sql(connections[self.db].vendor), ()))  # noqa: S611
        notes._with_correction_notes = True
        return notes

    def for_card(self):
        """What a list card shows of the article's own row: for_listing() without the body, the bylines and
        the tags (articles.cards has those from the card rows)."""
        card = self._with_joined_rows().defer("body")
        card._with_listing_relations = "chrome"
        return card

    def _with_joined_rows(self):
        return self.defer("search_vector").select_related("publisher", "image").with_listing_annotations()

    def card_rows(self):
        """One tuple per article of everything its list card shows (CARD_ROW_FIELDS, then its bylines and
        tags as JSON, then the listing annotations, then `pin_position` on a curated list), in one query:
        a page whose cards are kept (articles.cards) builds no model instance. Call it last: it turns the
        queryset into values."""
        relations = _card_relations_sql(connections[self.db].vendor)
        subqueries = {name: RawSQL(sql, ()) for name, sql in relations.items()}  # noqa: S611 (constant SQL)
        rows = self.with_listing_annotations().annotate(**subqueries)
        curated = ["pin_position"] if "pin_position" in self.query.annotations else []
        rows = rows.values_list(*CARD_ROW_FIELDS, *relations, *sorted(hooks.listing_annotations), *curated)
        rows._rows_of = self
        return rows

    def with_listing_annotations(self):
        """What apps hanging off articles add to each card (e.g. the comments app's comment_count),
        as subqueries of the page query: no query per article. See articles.hooks."""
        return self.annotate(**hooks.listing_annotation_expressions())

    def latest_first(self):
        return self.order_by("-published_at", "-pk")

    def curated(self, section=None, now=None):
        """The editors' pins for the front page (section None) or a section's page first, in their order, then
        every other article newest first; no article twice. One subquery in the page's own query: no extra
        query, and pagination counts and slices the same list. Each article gets `pin_position` (None when
        not pinned)."""
        from articles.models.curation import FrontPin

        pins = FrontPin.objects.live(now)
        pins = pins.filter(front__section__isnull=True) if section is None else pins.filter(front__section=section)
        position = pins.filter(article=OuterRef("pk")).order_by("position").values("position")[:1]
        curated = self.annotate(pin_position=Subquery(position)).order_by(
            F("pin_position").asc(nulls_last=True), "-published_at", "-pk"
        )
        curated._curated_pins = pins.values("article_id")
        curated._curated_base = self
        return curated

    # A curated list sorts on the pins, which no index can serve: sorted whole, a page would cost a sort of
    # every published article. The first `stop` rows of the curated order are all among the pinned articles
    # and the `stop` newest others, so a slice sorts only those (an index scan of `stop` rows).

    def count_up_to(self, limit):
        """The number of rows, counting no further than `limit`: a pagination count that does not grow with
        the archive (articles.pagination)."""
        return self.counting(limit).count()

    def counting(self, limit):
        """What count_up_to(limit) counts: the first `limit` primary keys, unordered. Card rows are counted
        as the queryset they were made from, without the joins their values need."""
        rows_of = getattr(self, "_rows_of", None)
        plain = (self if rows_of is None else rows_of).order_by().values("pk")
        plain._curated_pins = None
        return plain[:limit]

    def _clone(self):
        clone = super()._clone()
        clone._curated_pins = getattr(self, "_curated_pins", None)
        clone._curated_base = getattr(self, "_curated_base", None)
        clone._rows_of = getattr(self, "_rows_of", None)
        clone._with_listing_relations = getattr(self, "_with_listing_relations", None)
        clone._with_correction_notes = getattr(self, "_with_correction_notes", False)
        return clone

    def _fetch_all(self):
        fetching = self._result_cache is None
        super()._fetch_all()
        relations = getattr(self, "_with_listing_relations", None)
        if fetching and relations and self._iterable_class is models.query.ModelIterable:
            attach_listing_relations(self._result_cache, credits=relations == "all")
        if (
            fetching
            and getattr(self, "_with_correction_notes", False)
            and self._iterable_class is models.query.ModelIterable
        ):
            for article in self._result_cache:
                article._correction_notes = correction_notes_from_json(article)

    def __getitem__(self, k):
        pins = getattr(self, "_curated_pins", None)
        if pins is None or not isinstance(k, slice) or k.stop is None or self._result_cache is not None:
            return super().__getitem__(k)
        plain = self._chain()
        plain._curated_pins = None
        # From the list as filtered before curated(): the page's annotations and values have no place here.
        newest_others = self._curated_base.exclude(pk__in=pins).order_by("-published_at", "-pk").values("pk")
        return plain.filter(InEither(F("pk"), Subquery(pins), Subquery(newest_others[: k.stop])))[k]

    def related_to(self, article, limit):
        """The `limit` other articles sharing the most tags with `article`, newest first among equals; one query.

        Uses the article's attached tags; without tags, the newest of its section stand in. The ranking
        reads only narrow rows (the tagging index and the articles' ids and dates), and only of the
        RELATED_CANDIDATES newest articles carrying any of those tags, so it costs the same however large
        the archive and however popular the tags (an older article sharing more tags than every newer one
        is the price); what the list shows is read for the winners alone.
        """
        others = self.exclude(pk=article.pk)
        tag_ids = [tag.pk for tag in article.tag_list]
        if not tag_ids:
            return others.filter(section_id=article.section_id).order_by("-published_at", "-pk")[:limit]
        sharing = Q(tagged_items__tag_id__in=tag_ids)
        candidates = (
            TaggedArticle.objects.filter(tag_id__in=tag_ids)
            .order_by("-content_object_id")
            .values("content_object_id")[:RELATED_CANDIDATES]
        )
        ranked = (
            self.exclude(pk=article.pk)
            .filter(sharing, pk__in=Subquery(candidates))
            .values("pk")
            .annotate(shared=models.Count("tagged_items"))
            .order_by("-shared", "-published_at", "-pk")
            .values("pk")[:limit]
        )
        return (
            others.filter(pk__in=Subquery(ranked))
            .annotate(shared_tags=models.Count("tagged_items", filter=sharing))
            .order_by("-shared_tags", "-published_at", "-pk")
        )


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "review", _("In review")
        PUBLISHED = "published", _("Published")
        UNPUBLISHED = "unpublished", _("Unpublished")

    class CommentPolicy(models.TextChoices):
        OPEN = "open", _("Open")
        HOLD_ALL = "hold", _("Open, every comment held for moderation")
        CLOSED = "closed", _("Closed")

    headline = models.CharField(_("headline"), max_length=255)
    slug = models.SlugField(
        _("slug"),
        max_length=SLUG_MAX_LENGTH,
        unique=True,
        blank=True,
        help_text=_("The article's address. Made from the headline when left empty."),
    )
    dek = models.TextField(
        _("standfirst"), max_length=600, blank=True, help_text=_("One or two sentences under the headline (the dek).")
    )
    body = ProseEditorField(
        _("body"),
        config={"extensions": EDITOR_EXTENSIONS},
        blank=True,
        help_text=_("Formatting is limited to what the toolbar offers; anything else is removed on save."),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True)
    published_at = models.DateTimeField(
        _("publication time"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Readers see a published article from this moment on. A future time schedules it."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)
    content_updated_at = models.DateTimeField(
        _("last substantive update"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "When readers were last told “Updated”: set by a save that changes the wording, the image or "
            "adds a correction after publication, unless the editor marks the save as a minor change."
        ),
    )
    expires_at = models.DateTimeField(
        _("leaves public view at"),
        null=True,
        blank=True,
        help_text=_(
            "For copy licensed for a limited time: from this moment readers no longer see the article; it "
            "leaves every list, feed, sitemap and search. Empty: never."
        ),
    )
    originally_published_at = models.DateTimeField(
        _("first published"),
        null=True,
        blank=True,
        help_text=_(
            "For a syndicated article: when the publisher first published it. Readers see it beside our "
            "publication time; search engines get it as dateCreated."
        ),
    )
    kind = models.ForeignKey(
        ArticleKind,
        verbose_name=_("kind"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
        help_text=_("News, Analysis, Opinion, Review, Explainer, Sponsored… Empty: news."),
    )
    sponsor = models.CharField(
        _("sponsor"),
        max_length=120,
        blank=True,
        help_text=_("Who paid for a sponsored article; named in its disclosure line."),
    )
    section = models.ForeignKey(Section, verbose_name=_("section"), on_delete=models.PROTECT, related_name="articles")
    authors = models.ManyToManyField(Author, through="Byline", related_name="articles", blank=True)
    publisher = models.ForeignKey(
        Publisher,
        verbose_name=_("publisher"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
        help_text=_("For a republished (syndicated) article: where it first appeared."),
    )
    original_url = HttpsURLField(_("original URL"), max_length=500, blank=True)
    is_original_canonical = models.BooleanField(
        _("original is canonical"),
        default=False,
        help_text=_(
            "Tell search engines that the original URL is the main copy of this story "
            "(rel=canonical), as many syndication agreements require."
        ),
    )
    rights = models.CharField(
        _("rights"), max_length=255, blank=True, help_text=_("e.g. “Public domain: work of the US government”.")
    )
    tags = TaggableManager(_("tags"), through=TaggedArticle, blank=True)
    image = models.ForeignKey(
        Image,
        verbose_name=_("featured image"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="featured_in",
        help_text=_("From the media library (its alt text, caption and credit come along), or upload one below."),
    )
    body_images = models.ManyToManyField(
        Image, through="BodyImage", related_name="in_bodies", blank=True, editable=False
    )
    seo_title = models.CharField(
        _("SEO title"),
        max_length=120,
        blank=True,
        help_text=_(
            "The title search engines show, when it should differ from the headline (about 60 characters show)."
        ),
    )
    social_headline = models.CharField(
        _("social headline"),
        max_length=255,
        blank=True,
        help_text=_("The headline shown when the article is shared on social networks. Empty: the headline."),
    )
    social_description = models.TextField(
        _("social description"),
        max_length=300,
        blank=True,
        help_text=_("The text under a shared link. Empty: the standfirst."),
    )
    social_image = models.ForeignKey(
        Image,
        verbose_name=_("social image"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_(
            "From the media library: the picture of a shared link, cropped to 1200×630 around its focal point. "
            "Empty: the featured image."
        ),
    )
    comment_policy = models.CharField(
        _("comments"), max_length=8, choices=CommentPolicy.choices, default=CommentPolicy.OPEN
    )
    # Filled by articles.search.update_search_vectors on PostgreSQL (GIN-indexed there); NULL on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)
    comments_close_after_days = models.PositiveSmallIntegerField(
        _("close comments after (days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Close comments automatically this many days after publication. Empty: the site-wide setting."),
    )
    embargo_until = models.DateTimeField(
        _("embargo until"),
        null=True,
        blank=True,
        help_text=_(
            "Agreed with a source: nobody can publish or schedule the article before this moment. "
            "Separate from the publication time."
        ),
    )
    desk_note = models.TextField(
        _("note for the desk"),
        blank=True,
        help_text=_("Between the reporter and the editors, e.g. why a draft went back. Never shown to readers."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="articles_created",
    )
    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        editable=False,
        help_text=_("Goes up by one on every save through the desk; a form saved from an older version is refused."),
    )
    share_key = models.CharField(
        _("share key"),
        max_length=32,
        blank=True,
        editable=False,
        help_text=_("Part of every share link's signature; changing it stops all links shared so far."),
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        # The list pages' counts (articles.pagination) and newest-first pages read these indexes alone
        # (index-only scans on PostgreSQL): the columns published() tests are included.
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_public_idx"),
            models.Index(fields=["-published_at"], include=PUBLIC_COLUMNS, name="article_listing_idx"),
            models.Index(
                fields=["section", "-published_at"], include=PUBLIC_COLUMNS, name="article_section_listing_idx"
            ),
        ]
        permissions = [("publish_article", _("Can publish, schedule and unpublish articles"))]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        if not self.slug:
            old_addresses = Article._meta.get_field("old_slugs").related_model
            self.slug = unique_slug(Article, self.headline, instance_pk=self.pk, reserved=(old_addresses, "old_slug"))
        self.body = sanitize_html(self.body)
        super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "published_at" in update_fields:
            self._copy_publication_time_to_tags()

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

    def _copy_publication_time_to_tags(self):
        """TaggedArticle keeps a copy of it (for the tag pages' index)."""
        tags = TaggedArticle.objects.filter(content_object=self)
        if self.published_at is None:
            stale = tags.filter(published_at__isnull=False)
        else:
            stale = tags.exclude(published_at=self.published_at)
        stale.update(published_at=self.published_at)

    @admin.display(boolean=True, description=_("public"))
    def is_published(self):
        """The instance mirror of ArticleQuerySet.published()."""
        now = timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= now
            and not self.is_embargoed
            and not self.is_expired
        )

    @property
    def is_scheduled(self):
        """The instance mirror of ArticleQuerySet.scheduled(): published by an editor, not public yet."""
        return self.status == self.Status.PUBLISHED and not self.is_expired and not self.is_published()

    @property
    def is_expired(self):
        """The instance mirror of ArticleQuerySet.expired() (for any status: past its expiry time)."""
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_sponsored(self):
        return bool(self.kind_id and self.kind.is_sponsored)

    @property
    def schema_type(self):
        return self.kind.schema_type if self.kind_id else ArticleKind.SchemaType.NEWS

    @property
    def is_embargoed(self):
        return self.embargo_until is not None and self.embargo_until > timezone.now()

    @property
    def goes_live_at(self):
        """When readers first see a published article: its publication time, or the embargo's end if later."""
        if self.published_at is None:
            return None
        if self.embargo_until and self.embargo_until > self.published_at:
            return self.embargo_until
        return self.published_at

    @property
    def was_updated(self):
        """Substantively changed after publication (ignoring the first minute's fixes): readers see "Updated"
        with content_updated_at. Saves that change nothing readers read (tags, notes, a minor fix) do not count."""
        return bool(
            self.published_at and self.content_updated_at and self.content_updated_at - self.published_at > UPDATE_GRACE
        )

    @property
    def modified_at(self):
        """The date search engines and feeds get as the last modification: the last substantive update."""
        return self.content_updated_at if self.was_updated else self.published_at

    @property
    def authors_in_order(self):
        """The bylines' authors in the order the editor set them (attached by for_listing(), else one query)."""
        credits = self.__dict__.get("_credits")
        if credits is None:
            return [byline.author for byline in self.bylines.select_related("author", "author__photo")]
        return credits[0]

    @property
    def tag_list(self):
        """The article's tags (attached by for_listing(), else one query); read this, not `tags.all()`, on pages."""
        credits = self.__dict__.get("_credits")
        if credits is None:
            return [item.tag for item in self.tagged_items.select_related("tag").order_by("pk")]
        return credits[1]

    @property
    def correction_notes(self):
        """Its corrections and updates, oldest first (read with it by with_correction_notes(), else one query)."""
        notes = self.__dict__.get("_correction_notes")
        return list(self.corrections.all()) if notes is None else notes

    @property
    def canonical_url(self):
        """The original's address when the editor declared it canonical, else None (this page is canonical)."""
        return self.original_url if self.is_original_canonical and self.original_url else None

    @property
    def allows_comments(self):
        return self.comment_policy != self.CommentPolicy.CLOSED

    def clean(self):
        errors = {}
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        if self.status == self.Status.PUBLISHED and self.embargo_until and self.published_at < self.embargo_until:
            when = date_format(timezone.localtime(self.embargo_until), "DATETIME_FORMAT")
            errors["published_at"] = ValidationError(
                _(
                    "This article is under embargo until %(when)s: it cannot be published or scheduled before then. "
                    "Set the publication time to %(when)s or later, or change the embargo."
                ),
                code="embargoed",
                params={"when": when},
            )
        if self.kind_id and self.kind.is_sponsored and not self.sponsor.strip():
            errors["sponsor"] = ValidationError(
                _("Name the sponsor: readers must know who paid for this article."), code="sponsor_required"
            )
        live_at = self.goes_live_at if self.status == self.Status.PUBLISHED else None
        if self.expires_at and live_at and self.expires_at <= live_at:
            errors["expires_at"] = ValidationError(
                _("The article would leave public view before readers could see it: choose a later time."),
                code="expires_before_live",
            )
        if self.originally_published_at and self.originally_published_at > timezone.now():
            errors["originally_published_at"] = ValidationError(
                _("The first publication elsewhere cannot be in the future."), code="original_in_future"
            )
        if self.original_url and not self.publisher_id:
            errors["publisher"] = ValidationError(
                _("Choose the publisher this original URL belongs to."), code="publisher_required"
            )
        if self.is_original_canonical and not self.original_url:
            errors["original_url"] = ValidationError(
                _("Give the original URL that the canonical link should point to."), code="original_url_required"
            )
        if errors:
            raise ValidationError(errors)


class Byline(models.Model):
    """An author's credit on an article, in the order the editor set."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(Author, verbose_name=_("author"), on_delete=models.PROTECT, related_name="bylines")
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("byline")
        verbose_name_plural = _("bylines")
        constraints = [models.UniqueConstraint(fields=["article", "author"], name="unique_byline")]

    def __str__(self):
        return f"{self.author} – {self.article}"


def attach_listing_relations(articles, *, credits=True):
    """Give each of `articles` its section and kind from the site chrome (a handful of rows read on every
    page anyway; one not found there is read when first used) and, with `credits`, its authors in byline
    order and its tags (authors_in_order, tag_list) from the JSON its query read (for_listing()). Django's
    prefetch_related builds a queryset per article (taggit's twice), and even two plain queries for all of
    them cost more than the subqueries."""
    if not articles:
        return
    from articles.chrome import sections_and_kinds_by_id

    try:
        sections, kinds = sections_and_kinds_by_id()
    except Exception:  # a cache that raises (newsroom.cache's backend never does): read them when first used
        sections, kinds = {}, {}
    for article in articles:
        if (section := sections.get(article.section_id)) is not None:
            Article.section.field.set_cached_value(article, section)
        if article.kind_id is not None and (kind := kinds.get(article.kind_id)) is not None:
            Article.kind.field.set_cached_value(article, kind)
    if not credits:
        return
    for article in articles:
        db = article._state.db
        authors = [_author_from_json(db, values) for values in json.loads(article.credit_authors or "[]")]
        tags = [_from_json(Tag, db, CREDIT_TAG_COLUMNS, values) for values in json.loads(article.credit_tags or "[]")]
        article._credits = (authors, tags)


def _from_json(model, db, columns, values):
    """A model instance, as a query would load it, from the JSON values of its `columns`."""
    fields = [_fields_by_column(model)[column] for column in columns]
    return loaded_instance(
        model, db, {field.attname: _python_value(field, value) for field, value in zip(fields, values, strict=True)}
    )


def loaded_instance(model, db, values):
    """`model` as a query loading only `values` (by attname) makes it; the other columns are deferred.
    (Model.from_db takes the values in the model's column order, whatever order the names come in.)"""
    names = [field.attname for field in model._meta.concrete_fields if field.attname in values]
    return model.from_db(db, names, [values[name] for name in names])


@functools.cache
def _fields_by_column(model):
    return {field.column: field for field in model._meta.concrete_fields}


def _python_value(field, value):
    if value is None or field.is_relation:
        return value
    if isinstance(field, RenditionsField):  # read as the stored text (_credits_sql)
        return field.from_db_value(value, None, None)
    value = field.to_python(value)
    if isinstance(field, models.DateTimeField) and settings.USE_TZ and timezone.is_naive(value):
        return timezone.make_aware(value, datetime.UTC)  # SQLite keeps UTC times without their zone
    return value


def _author_from_json(db, values):
    author = _from_json(Author, db, CREDIT_AUTHOR_COLUMNS, values[: len(CREDIT_AUTHOR_COLUMNS)])
    photo_values = values[len(CREDIT_AUTHOR_COLUMNS) :]
    photo = _from_json(Image, db, IMAGE_CARD_FIELDS, photo_values) if photo_values[0] is not None else None
    Author.photo.field.set_cached_value(author, photo)
    return author
