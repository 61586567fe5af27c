from datetime import timedelta

from django.conf import settings
from django.contrib import admin
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager

from articles.richtext import EDITOR_EXTENSIONS, sanitize_html
from articles.validators import normalise_issn, validate_issn

SLUG_MAX_LENGTH = 200
UPDATE_GRACE = timedelta(minutes=1)


class HttpsURLField(models.URLField):
    """A URLField whose form field reads a bare "example.com" as https:// (Django 6's default), without
    the deprecated FORMS_URLFIELD_ASSUME_HTTPS setting. Migrations see a plain URLField."""

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.URLField", args, kwargs


def unique_slug(model, text, *, instance_pk=None, max_length=SLUG_MAX_LENGTH, reserved=None):
    """A slug for `text` that no other row of `model` uses: "title", then "title-2", "title-3"...

    The base is cut so the suffix always fits; text with no sluggable characters
    (emoji, punctuation) falls back to the model's name. `reserved` is a (model, field)
    whose values are taken too, e.g. the old addresses that still redirect.
    """
    base = slugify(text, allow_unicode=False)[:max_length].strip("-") or model._meta.model_name
    others = model._default_manager.exclude(pk=instance_pk) if instance_pk else model._default_manager.all()
    prefix = base[: max_length - 8]
    taken = set(others.filter(slug__startswith=prefix).values_list("slug", flat=True))
    if reserved:
        reserved_model, field = reserved
        taken |= set(
            reserved_model._default_manager.filter(**{f"{field}__startswith": prefix}).values_list(field, flat=True)
        )
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        suffix = f"-{number}"
        candidate = f"{base[: max_length - len(suffix)].rstrip('-')}{suffix}"
    return candidate


class PublicationQuerySet(models.QuerySet):
    def current(self):
        """The publication this site presents; an unsaved default before one is configured."""
        return self.order_by("pk").first() or Publication(name="Newsroom")


class Publication(models.Model):
    """The masthead identity: one row, edited by editors in the admin."""

    name = models.CharField(_("name"), max_length=120)
    tagline = models.CharField(_("tagline"), max_length=200, blank=True)
    issn = models.CharField(
        _("ISSN"),
        max_length=9,
        blank=True,
        validators=[validate_issn],
        help_text=_("International Standard Serial Number, e.g. 2330-717X. Shown in the masthead of every page."),
    )
    logo = models.ImageField(_("logo"), upload_to="publication/", blank=True)
    site_url = HttpsURLField(
        _("site URL"), blank=True, help_text=_("The public address, e.g. https://news.example.com")
    )
    language = models.CharField(
        _("language"), max_length=12, default="en", help_text=_("IETF language tag of the content, e.g. en or en-US.")
    )
    description = models.TextField(_("description"), blank=True)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("publication")
        verbose_name_plural = _("publication")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:front")

    def clean(self):
        self.issn = normalise_issn(self.issn)


class Section(models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Lower numbers come first in the site navigation.")
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:section", kwargs={"slug": self.slug})


class Author(models.Model):
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    title = models.CharField(_("job title"), max_length=120, blank=True, help_text=_("e.g. Defense correspondent"))
    bio = models.TextField(_("biography"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="author_profile",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:author", kwargs={"slug": self.slug})


class Publisher(models.Model):
    """The source of a republished article: a wire, a government agency, a partner."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.CharField(
        _("one-line description"),
        max_length=255,
        blank=True,
        help_text=_("Shown under each of its articles, e.g. “DoD News publishes news from the US Defense Department.”"),
    )
    website = HttpsURLField(_("website"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="publishers/", blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("publisher")
        verbose_name_plural = _("publishers")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:publisher", kwargs={"slug": self.slug})


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """The one definition of public: status published, publication time not in the future, no embargo running.

        A scheduled article (published with a future time) becomes public at that moment
        with no job to run, because every reader query asks this at request time.
        """
        now = timezone.now()
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=now).exclude(embargo_until__gt=now)

    def scheduled(self):
        """Published by an editor but not public yet: a future publication time or a running embargo."""
        now = timezone.now()
        return self.filter(status=Article.Status.PUBLISHED).filter(Q(published_at__gt=now) | Q(embargo_until__gt=now))

    def owned_by(self, user):
        """Articles `user` started, or on which they have a byline (through their author profile)."""
        return self.filter(Q(created_by=user) | Q(pk__in=Byline.objects.filter(author__user=user).values("article_id")))

    def in_section(self, section):
        return self.filter(section=section)

    def by_author(self, author):
        return self.filter(authors=author)

    def from_publisher(self, publisher):
        return self.filter(publisher=publisher)

    def tagged(self, tag):
        return self.filter(tags__in=[tag])

    def for_listing(self):
        """Everything a list card shows, in a fixed number of queries however many rows."""
        return (
            self.defer("search_vector")
            .select_related("section", "publisher")
            .prefetch_related(
                Prefetch("bylines", queryset=Byline.objects.select_related("author")),
                "tags",
            )
            .with_comment_count()
        )

    def with_comment_count(self):
        """Adds comment_count (approved comments) as a subquery of the page query: no query per article."""
        from comments.models import Comment  # comments depends on articles; importing here avoids a cycle

        return self.annotate(comment_count=Comment.objects.approved_count_subquery())

    def latest_first(self):
        return self.order_by("-published_at", "-pk")

    def related_to(self, article):
        """Other articles sharing the most tags with `article`, newest first among equals; one query.

        Uses the article's prefetched tags; without tags, the newest of its section stand in.
        """
        others = (
            self.exclude(pk=article.pk)
            .select_related("section")
            .only("headline", "slug", "published_at", "image", "section__name", "section__slug")
        )
        tag_ids = [tag.pk for tag in article.tags.all()]
        if not tag_ids:
            return others.filter(section_id=article.section_id).order_by("-published_at", "-pk")
        return (
            others.filter(tags__in=tag_ids)
            .annotate(shared_tags=models.Count("tags"))
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
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)
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
    tags = TaggableManager(_("tags"), blank=True)
    image = models.ImageField(_("featured image"), upload_to="articles/%Y/%m/", blank=True)
    image_alt = models.CharField(
        _("image alt text"),
        max_length=255,
        blank=True,
        help_text=_("Required with an image: describe it for readers who cannot see it."),
    )
    image_caption = models.CharField(_("image caption"), max_length=500, blank=True)
    image_credit = models.CharField(_("image credit"), max_length=200, blank=True)
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
        indexes = [models.Index(fields=["status", "-published_at"], name="article_public_idx")]
        permissions = [("publish_article", _("Can publish, schedule and unpublish articles"))]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Article, self.headline, instance_pk=self.pk, reserved=(SlugRedirect, "old_slug"))
        self.body = sanitize_html(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

    @admin.display(boolean=True, description=_("public"))
    def is_published(self):
        """The instance mirror of ArticleQuerySet.published()."""
        now = timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= now
            and not self.is_embargoed
        )

    @property
    def is_scheduled(self):
        """The instance mirror of ArticleQuerySet.scheduled(): published by an editor, not public yet."""
        return self.status == self.Status.PUBLISHED and not self.is_published()

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
        """Changed after publication (ignoring the first minute's fixes): readers see "Updated"."""
        return bool(self.published_at and self.updated_at and self.updated_at - self.published_at > UPDATE_GRACE)

    @property
    def authors_in_order(self):
        """Bylines in the order the editor set them; uses the prefetch from for_listing()."""
        return [byline.author for byline in self.bylines.all()]

    def schema_corrections(self):
        """The article's corrections as schema.org CorrectionComment objects, for its JSON-LD `correction`.

        Reads self.corrections.all(), which the article page prefetches (one query).
        """
        return [
            {
                "@type": "CorrectionComment",
                "text": correction.text,
                "datePublished": correction.created_at.isoformat(),
            }
            for correction in self.corrections.all()
            if correction.kind == Correction.Kind.CORRECTION
        ]

    @property
    def canonical_url(self):
        """The original's address when the editor declared it canonical, else None (this page is canonical)."""
        return self.original_url if self.is_original_canonical and self.original_url else None

    @property
    def allows_comments(self):
        return self.comment_policy != self.CommentPolicy.CLOSED

    def clean(self):
        errors = {}
        if self.image and not self.image_alt.strip():
            errors["image_alt"] = ValidationError(
                _("Describe the image for readers who cannot see it."), code="alt_required"
            )
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


RESERVED_PAGE_SLUGS = frozenset(
    {
        "admin", "articles", "archive", "author", "comments", "corrections", "feed", "media", "pages", "preview",
        "publisher", "robots.txt", "search", "section", "sitemap.xml", "static", "tag", "accounts", "api",
    }
)  # fmt: skip


def validate_page_slug(value):
    if value in RESERVED_PAGE_SLUGS:
        raise ValidationError(
            _("“%(slug)s” is used by another part of the site; choose another address."),
            code="reserved_slug",
            params={"slug": value},
        )


class PageQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def in_footer(self):
        return self.published().filter(is_in_footer=True)


class Page(models.Model):
    """One of the publication's own pages (About, Contact, policies), edited in the admin, shown at /<slug>/."""

    class Kind(models.TextChoices):
        ABOUT = "about", _("About us")
        CONTACT = "contact", _("Contact")
        PRIVACY = "privacy", _("Privacy policy")
        CORRECTIONS = "corrections", _("Corrections policy")
        ETHICS = "ethics", _("Ethics policy")
        OTHER = "other", _("Other page")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        validators=[validate_page_slug],
        help_text=_("The page's address: “about” gives /about/."),
    )
    kind = models.CharField(
        _("kind"),
        max_length=12,
        choices=Kind.choices,
        default=Kind.OTHER,
        help_text=_(
            "Search engines learn from the kind which page holds the corrections and ethics policies "
            "(the Trust Project's indicators). One page of each kind, except “Other”."
        ),
    )
    summary = models.CharField(
        _("summary"), max_length=300, blank=True, help_text=_("One sentence for search results and link previews.")
    )
    body = ProseEditorField(
        _("body"),
        config={"extensions": EDITOR_EXTENSIONS},
        blank=True,
        help_text=_("Formatting is limited to what the toolbar offers; anything else is removed on save."),
    )
    is_published = models.BooleanField(_("published"), default=True, help_text=_("Readers see only published pages."))
    is_in_footer = models.BooleanField(_("link in the footer"), default=True)
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Lower numbers come first in the footer.")
    )
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    objects = PageQuerySet.as_manager()

    class Meta:
        ordering = ["position", "title"]
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        constraints = [
            models.UniqueConstraint(
                fields=["kind"],
                condition=~models.Q(kind="other"),
                name="unique_page_kind",
                violation_error_code="kind_taken",
                violation_error_message=_("There is already a page of this kind."),
            )
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body = sanitize_html(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:page", kwargs={"slug": self.slug})


class CorrectionQuerySet(models.QuerySet):
    def public(self):
        """Corrections (not updates) on articles readers can see, newest first: the /corrections/ page."""
        return (
            self.filter(kind=Correction.Kind.CORRECTION, article__in=Article.objects.published())
            .select_related("article", "article__section")
            .order_by("-created_at", "-pk")
        )


class Correction(models.Model):
    """A dated note an editor appends to an article; published facts are never changed silently."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("Correction")
        UPDATE = "update", _("Update")

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="corrections"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.CORRECTION)
    text = models.TextField(
        _("note"),
        max_length=2000,
        help_text=_(
            "What was wrong and what is right, e.g. “An earlier version of this article misstated the date of the "
            "vote. It was 12 March.” Readers see it under the article, dated."
        ),
    )
    created_at = models.DateTimeField(_("date"), default=timezone.now, editable=False, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("correction or update")
        verbose_name_plural = _("corrections and updates")

    def __str__(self):
        return f"{self.get_kind_display()}, {date_format(timezone.localtime(self.created_at), 'j M Y')}"

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#correction-{self.pk}"


class ArticleRevision(models.Model):
    """The full content of an article after one save: who, when, what (see articles.workflow.snapshot)."""

    article = models.ForeignKey(Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField(_("version"))
    created_at = models.DateTimeField(_("saved"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    summary = models.CharField(_("summary"), max_length=255, blank=True)
    content = models.JSONField(_("content"))

    class Meta:
        ordering = ["-version"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        constraints = [models.UniqueConstraint(fields=["article", "version"], name="unique_article_revision")]

    def __str__(self):
        return f"{self.article} – {self.version}"

    def get_absolute_url(self):
        return reverse("admin:articles_article_revision", args=[self.article_id, self.version])


class SlugRedirect(models.Model):
    """An address a published article used to have; the detail view answers it with a 301 to the current one."""

    old_slug = models.SlugField(_("old slug"), max_length=SLUG_MAX_LENGTH, unique=True)
    article = models.ForeignKey(Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="old_slugs")
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("old address")
        verbose_name_plural = _("old addresses")

    def __str__(self):
        return f"{self.old_slug} → {self.article.slug}"

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.old_slug})
