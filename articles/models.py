from datetime import timedelta

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager

from articles.richtext import EDITOR_EXTENSIONS, sanitize_html
from articles.validators import normalise_issn, validate_issn

SLUG_MAX_LENGTH = 200
UPDATE_GRACE = timedelta(minutes=1)


def unique_slug(model, text, *, instance_pk=None, max_length=SLUG_MAX_LENGTH):
    """A slug for `text` that no other row of `model` uses: "title", then "title-2", "title-3"...

    The base is cut so the suffix always fits; text with no sluggable characters
    (emoji, punctuation) falls back to the model's name.
    """
    base = slugify(text, allow_unicode=False)[:max_length].strip("-") or model._meta.model_name
    others = model._default_manager.exclude(pk=instance_pk) if instance_pk else model._default_manager.all()
    taken = set(others.filter(slug__startswith=base[: max_length - 8]).values_list("slug", flat=True))
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
    site_url = models.URLField(
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
    website = models.URLField(_("website"), blank=True)
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
        """The one definition of public: status published and a publication time not in the future."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

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
            self.select_related("section", "publisher")
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
    original_url = models.URLField(_("original URL"), max_length=500, blank=True)
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
    comments_close_after_days = models.PositiveSmallIntegerField(
        _("close comments after (days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Close comments automatically this many days after publication. Empty: the site-wide setting."),
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [models.Index(fields=["status", "-published_at"], name="article_public_idx")]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Article, self.headline, instance_pk=self.pk)
        self.body = sanitize_html(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

    @admin.display(boolean=True, description=_("public"))
    def is_published(self):
        """The instance mirror of ArticleQuerySet.published()."""
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_scheduled(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    @property
    def was_updated(self):
        """Changed after publication (ignoring the first minute's fixes): readers see "Updated"."""
        return bool(self.published_at and self.updated_at and self.updated_at - self.published_at > UPDATE_GRACE)

    @property
    def authors_in_order(self):
        """Bylines in the order the editor set them; uses the prefetch from for_listing()."""
        return [byline.author for byline in self.bylines.all()]

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
        if self.original_url and not self.publisher_id:
            errors["publisher"] = ValidationError(
                _("Choose the publisher this original URL belongs to."), code="publisher_required"
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
