"""Who publishes: the publication (masthead, ISSN), its sections, authors and syndication publishers."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from articles.models.common import HttpsURLField
from articles.validators import normalise_issn, validate_issn, validate_profile_links
from newsroom.reverse import reverse


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
    bio = models.TextField(
        _("short biography"),
        max_length=1000,
        blank=True,
        help_text=_("Two or three sentences shown under the author's articles and on their page."),
    )
    photo = models.ForeignKey(
        "articles.Image",
        verbose_name=_("photo"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("A portrait from the media library, shown square around its focal point. At least 400×400 pixels."),
    )
    links = models.TextField(
        _("links"),
        max_length=2000,
        blank=True,
        validators=[validate_profile_links],
        help_text=_(
            "One address per line: the author's website and profiles elsewhere (Mastodon, LinkedIn…). "
            "Search engines read them as the same person."
        ),
    )
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

    @property
    def link_list(self):
        """The profile links, one per line, as a list (validated on save by validate_profile_links)."""
        return [line.strip() for line in self.links.splitlines() if line.strip()]

    @property
    def has_profile(self):
        """Something to show in the author box beyond the name."""
        return bool(self.title or self.bio or self.photo_id or self.links.strip())


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
