"""The media library: images uploaded once and used anywhere (featured images, figures and galleries in
article bodies), where they are used, and what embedded third-party content is known about.

An Image's original stays in the private "originals" store; readers get renditions made by a job
(articles.images) and recorded in `renditions`, so a page never opens a file or asks storage anything.
"""

import functools
import json
from datetime import timedelta

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.fields.json import KeyTransform
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TagBase, TaggedItemBase

from articles.storage import originals_storage


class ImageTag(TagBase):
    """The library's own words for finding pictures ("portrait", "archive"): kept apart from article tags,
    which each have a public page."""

    class Meta:
        ordering = ["name"]
        verbose_name = _("image tag")
        verbose_name_plural = _("image tags")


class TaggedImage(TaggedItemBase):
    content_object = models.ForeignKey("Image", on_delete=models.CASCADE)
    tag = models.ForeignKey(ImageTag, on_delete=models.CASCADE, related_name="tagged_images")

    class Meta:
        verbose_name = _("image tag")
        verbose_name_plural = _("image tags")


class ImageQuerySet(models.QuerySet):
    def rights_expired(self, today=None):
        """Images whose usage rights ended before `today` (local date): flagged on the desk."""
        return self.filter(rights_expire_at__lt=today or timezone.localdate())

    def rights_expiring(self, days=30, today=None):
        """Images whose rights end within `days` from `today`, not yet expired."""
        today = today or timezone.localdate()
        return self.filter(rights_expire_at__gte=today, rights_expire_at__lte=today + timedelta(days=days))

    def in_use(self):
        """Images that some article shows: as its featured image or in its body (published or not)."""
        from articles.models import Article

        return self.filter(
            Exists(Article.objects.filter(image=OuterRef("pk")))
            | Exists(BodyImage.objects.filter(image=OuterRef("pk")))
        )

    def unused(self):
        return self.exclude(pk__in=self.in_use().values("pk"))

    def search(self, words):
        """Images whose title, alt text, caption, credit, source or tags hold every one of `words`."""
        queryset = self
        for word in words.split()[:10]:
            queryset = queryset.filter(
                Q(title__icontains=word)
                | Q(alt__icontains=word)
                | Q(caption__icontains=word)
                | Q(credit__icontains=word)
                | Q(source__icontains=word)
                | Q(tags__name__icontains=word)
            )
        return queryset.distinct()


def _read_only(self, *args, **kwargs):
    raise TypeError("a stored renditions manifest is read-only: assign a new one")


class Manifest(dict):
    """A renditions manifest as read from the database: shared by every image read with the same stored text,
    so it cannot be changed in place (a new manifest replaces it: Image.renditions_data = ...). Pickled,
    copied or compared, it is the dict it holds."""

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = __ior__ = _read_only

    def __reduce__(self):
        return dict, (dict(self),)


class _ManifestList(list):
    __setitem__ = __delitem__ = __iadd__ = __imul__ = append = clear = extend = insert = pop = remove = _read_only
    reverse = sort = _read_only

    def __reduce__(self):
        return list, (list(self),)


def _frozen(value):
    if isinstance(value, dict):
        return Manifest({key: _frozen(item) for key, item in value.items()})
    if isinstance(value, list):
        return _ManifestList(_frozen(item) for item in value)
    return value


@functools.lru_cache(maxsize=256)
def _decoded_manifest(text):
    return _frozen(json.loads(text))


class RenditionsField(models.JSONField):
    """Image.renditions_data. A manifest is about 5 KB of JSON that took 0.1–0.3 ms to decode, and a page reads
    several (a feed twenty), so each stored text is decoded once per process (the last 256, about 18 KB
    each) into a read-only Manifest."""

    def from_db_value(self, value, expression, connection):
        if isinstance(value, str) and not isinstance(expression, KeyTransform):
            try:
                return _decoded_manifest(value)
            except json.JSONDecodeError:
                return value
        return super().from_db_value(value, expression, connection)


class Image(models.Model):
    """One picture in the library, with what readers see with it and the right to show it."""

    class Licence(models.TextChoices):
        STAFF = "staff", _("Staff: our own work")
        AGENCY = "agency", _("Agency or wire, under our subscription")
        LICENSED = "licensed", _("Licensed for this use (see restrictions)")
        HANDOUT = "handout", _("Handout, supplied for publication")
        CC_BY = "cc-by", _("Creative Commons BY")
        CC_BY_SA = "cc-by-sa", _("Creative Commons BY-SA")
        CC0 = "cc0", _("CC0 or public domain dedication")
        PUBLIC_DOMAIN = "public-domain", _("Public domain")
        UNKNOWN = "unknown", _("Unknown: check before publishing")

    title = models.CharField(
        _("title"), max_length=255, help_text=_("For finding the image in the library; readers do not see it.")
    )
    file = models.ImageField(
        _("file"),
        upload_to="originals/%Y/%m/",
        storage=originals_storage,
        max_length=255,
        help_text=_(
            "JPEG, PNG, WebP or GIF. The original is kept privately with its metadata; readers only ever get "
            "re-encoded copies without EXIF or GPS."
        ),
    )
    width = models.PositiveIntegerField(_("width"), default=0, editable=False)
    height = models.PositiveIntegerField(_("height"), default=0, editable=False)
    alt = models.CharField(
        _("alt text"),
        max_length=400,
        blank=True,
        help_text=_("Required unless decorative: what the picture shows, for readers who cannot see it."),
    )
    is_decorative = models.BooleanField(
        _("decorative"),
        default=False,
        help_text=_("Adds nothing a reader would miss (a texture, an ornament): screen readers skip it."),
    )
    caption = models.CharField(
        _("caption"),
        max_length=600,
        blank=True,
        help_text=_("Shown under the image wherever it is used, unless a story gives its own."),
    )
    credit = models.CharField(_("credit"), max_length=200, blank=True, help_text=_("e.g. “Photo: Ada Lovelace / AP”."))
    source = models.CharField(
        _("source"),
        max_length=500,
        blank=True,
        help_text=_("Where it came from: the agency, the photographer, a handout, a web address."),
    )
    licence = models.CharField(_("licence"), max_length=16, choices=Licence.choices, default=Licence.UNKNOWN)
    restrictions = models.TextField(
        _("restrictions"),
        blank=True,
        help_text=_("Conditions of use, e.g. “Editorial use only; not for social media”."),
    )
    rights_expire_at = models.DateField(
        _("rights expire on"),
        null=True,
        blank=True,
        help_text=_("After this day the image may no longer be shown; the desk flags every story that uses it."),
    )
    tags = TaggableManager(_("tags"), through=TaggedImage, blank=True)
    focal_x = models.FloatField(
        _("focal point (across)"),
        default=0.5,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text=_("0 is the left edge, 1 the right. Crops keep this point in view."),
    )
    focal_y = models.FloatField(
        _("focal point (down)"),
        default=0.5,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text=_("0 is the top edge, 1 the bottom."),
    )
    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        editable=False,
        help_text=_("Goes up when the file or the focal point changes; renditions are made for it."),
    )
    # Written by the renditions job only (articles.images.make_renditions): the files readers get.
    renditions_data = RenditionsField(_("renditions"), default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="images_uploaded",
    )

    objects = ImageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("image")
        verbose_name_plural = _("images")
        indexes = [models.Index(fields=["rights_expire_at"], name="image_rights_idx")]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        self.alt = " ".join(self.alt.split())
        if not self.alt and not self.is_decorative:
            errors["alt"] = ValidationError(
                _("Describe the image for readers who cannot see it, or mark it as decorative."), code="alt_required"
            )
        if errors:
            raise ValidationError(errors)

    @property
    def alt_text(self):
        """What <img alt> says: nothing for a decorative image."""
        return "" if self.is_decorative else self.alt

    @admin.display(boolean=True, description=_("rights expired"))
    def is_rights_expired(self):
        return self.rights_expire_at is not None and self.rights_expire_at < timezone.localdate()

    @property
    def has_renditions(self):
        return bool(self.renditions_data.get("crops"))

    @property
    def renditions_are_current(self):
        return self.renditions_data.get("version") == self.version

    def renditions(self):
        """The ImageSet at the image's own proportions (WebP and a universal format), or None before the
        renditions job has run once."""
        return self.crop("original")

    def crop(self, name):
        """The ImageSet of a fixed-ratio crop around the focal point (see articles.images.CROPS: "card",
        "wide", "standard", "square", "social"); the nearest existing one while it is being made.

        Kept on this instance (a page and a feed item ask for the same set several times), for as long as
        its renditions_data is the same object."""
        from articles import images

        kept = self.__dict__.setdefault("_image_sets", {})
        manifest, image_set = kept.get(name, (None, None))
        if manifest is not self.renditions_data:
            image_set = images.image_set(self.renditions_data, name)
            kept[name] = (self.renditions_data, image_set)
        return image_set

    def info(self):
        """What a reader page needs of this image, as a small picklable value (cached by articles.media)."""
        from articles.media import ImageInfo

        return ImageInfo.from_image(self)


class BodyImage(models.Model):
    """An image shown in an article's body (a figure or in a gallery): the library's "used in", kept by
    articles.services.article_save from the body's data-image-id references."""

    article = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="body_image_uses")
    image = models.ForeignKey(Image, verbose_name=_("image"), on_delete=models.PROTECT, related_name="body_uses")

    class Meta:
        ordering = ["article", "image"]
        verbose_name = _("image in a body")
        verbose_name_plural = _("images in bodies")
        constraints = [models.UniqueConstraint(fields=["article", "image"], name="unique_body_image")]

    def __str__(self):
        return f"{self.image} – {self.article}"


class Embed(models.Model):
    """What is known about an embedded URL beyond its provider, from an optional background oEmbed fetch
    (articles.embeds): its title and a thumbnail copied to our own storage. Nothing needs it to render."""

    url = models.TextField(_("URL"))
    url_hash = models.CharField(max_length=64, unique=True, editable=False)
    provider = models.CharField(_("provider"), max_length=40)
    title = models.CharField(_("title"), max_length=300, blank=True)
    author_name = models.CharField(_("author"), max_length=200, blank=True)
    # Rendition manifest of the thumbnail (articles.images format), in the public store.
    thumbnail = models.JSONField(_("thumbnail"), default=dict, blank=True)
    fetched_at = models.DateTimeField(_("fetched"), null=True, blank=True)
    error = models.CharField(_("last error"), max_length=300, blank=True)

    class Meta:
        ordering = ["-fetched_at", "-pk"]
        verbose_name = _("embed")
        verbose_name_plural = _("embeds")

    def __str__(self):
        return self.title or self.url
