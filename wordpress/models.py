"""What the WordPress import remembers: one record per WordPress object, and the old addresses that redirect."""

from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from articles.models import Article, Author, Section
from comments.models import Comment

PATH_MAX_LENGTH = 500


class ImportedItem(models.Model):
    """A WordPress object the import has seen, keyed on its site and ID (and its GUID for posts).

    The key makes the import idempotent and resumable: a second run finds each object here, skips
    it when its fingerprint (a hash of what was imported) is the same, updates it when it changed,
    and leaves an article alone when the desk has saved it since (its version moved on).
    """

    class Kind(models.TextChoices):
        POST = "post", _("post")
        ATTACHMENT = "attachment", _("attachment")
        COMMENT = "comment", _("comment")
        AUTHOR = "author", _("author")
        CATEGORY = "category", _("category")
        TAG = "tag", _("tag")

    source = models.CharField(
        _("site"), max_length=200, help_text=_("The WordPress site the object came from (its address).")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    wp_id = models.BigIntegerField(_("WordPress ID"))
    guid = models.CharField(_("GUID"), max_length=500, blank=True, db_index=True)
    fingerprint = models.CharField(_("fingerprint"), max_length=64, blank=True)
    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    article_version = models.PositiveIntegerField(
        _("article version"),
        null=True,
        blank=True,
        help_text=_("The version the last import wrote; another version means the desk has changed the article since."),
    )
    comment = models.ForeignKey(
        Comment, verbose_name=_("comment"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author = models.ForeignKey(
        Author, verbose_name=_("author"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    tag = models.ForeignKey(
        Tag, verbose_name=_("tag"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_sticky = models.BooleanField(
        _("sticky in WordPress"),
        default=False,
        help_text=_(
            "The post was sticky (pinned to the front page) in WordPress: pin it once front-page curation exists."
        ),
    )
    parent_wp_id = models.BigIntegerField(
        _("parent's WordPress ID"), null=True, blank=True, help_text=_("An attachment's post; a comment's parent.")
    )
    featured_wp_id = models.BigIntegerField(
        _("featured image (attachment ID)"), null=True, blank=True, help_text=_("A post's _thumbnail_id.")
    )
    url = models.URLField(_("file URL"), max_length=PATH_MAX_LENGTH, blank=True)
    file_path = models.CharField(
        _("file under uploads"), max_length=PATH_MAX_LENGTH, blank=True, help_text=_("e.g. 2024/03/photo.jpg")
    )
    details = models.JSONField(
        _("details"),
        default=dict,
        blank=True,
        help_text=_("An attachment's title, caption, alt text and state; the media a post's body refers to."),
    )
    imported_at = models.DateTimeField(_("first imported"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("last imported"), default=timezone.now)

    class Meta:
        ordering = ["source", "kind", "wp_id"]
        verbose_name = _("imported WordPress object")
        verbose_name_plural = _("imported WordPress objects")
        constraints = [models.UniqueConstraint(fields=["source", "kind", "wp_id"], name="unique_imported_item")]
        # An <img> without its attachment ID is matched to its attachment by the file's path under uploads.
        indexes = [models.Index(fields=["source", "kind", "file_path"], name="wordpress_item_file_path")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.wp_id} ({self.source})"

    def get_absolute_url(self):
        return reverse("admin:wordpress_importeditem_change", args=[self.pk])


class LegacyRedirectQuerySet(models.QuerySet):
    def target_for(self, path):
        """The address an old path now lives at, or None (also when what it names is not public)."""
        if not path or "\x00" in path:  # no database stores it, and no WordPress address has it
            return None
        found = self.filter(old_path=normalise_path(path)).select_related("article", "section", "author", "tag").first()
        return found.target() if found else None


def normalise_path(path):
    """How old paths are compared: decoded (the request's path is), lowercased, no trailing slash."""
    path = (path or "").strip()
    if "?" in path:
        path, query = path.split("?", 1)
        path = (path.rstrip("/") or "") + "/?" + query
        return path.lower()[:PATH_MAX_LENGTH]
    return (path.rstrip("/") or "/").lower()[:PATH_MAX_LENGTH]


class LegacyRedirect(models.Model):
    """An address of the old site (/2024/03/hello/, /?p=12, /category/news/...) and what it now is.

    Consulted only when a request found nothing (wordpress.middleware), so reader pages pay nothing.
    The target is an object, not a path: it follows later renames.
    """

    old_path = models.CharField(_("old path"), max_length=PATH_MAX_LENGTH, unique=True)
    article = models.ForeignKey(Article, verbose_name=_("article"), on_delete=models.CASCADE, null=True, blank=True)
    section = models.ForeignKey(Section, verbose_name=_("section"), on_delete=models.CASCADE, null=True, blank=True)
    author = models.ForeignKey(Author, verbose_name=_("author"), on_delete=models.CASCADE, null=True, blank=True)
    tag = models.ForeignKey(
        Tag, verbose_name=_("tag"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    is_feed = models.BooleanField(_("to the feed"), default=False, help_text=_("Redirect to the target's RSS feed."))
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    objects = LegacyRedirectQuerySet.as_manager()

    class Meta:
        ordering = ["old_path"]
        verbose_name = _("old WordPress address")
        verbose_name_plural = _("old WordPress addresses")

    def __str__(self):
        return self.old_path

    def get_absolute_url(self):
        return self.target() or "/"

    def target(self):
        """The current address, or None when the target is gone or not public."""
        if self.article is not None:
            return self.article.get_absolute_url() if self.article.is_published() else None
        for name, obj in (("section", self.section), ("author", self.author), ("tag", self.tag)):
            if obj is not None:
                try:
                    return reverse(f"articles:{name}-feed" if self.is_feed else f"articles:{name}", args=[obj.slug])
                except NoReverseMatch:  # a slug the reader URLs cannot carry
                    return None
        return reverse("articles:feed") if self.is_feed else None
