import ipaddress

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from articles.models import Article, HttpsURLField
from newsroom import per_request

# WordPress's limits (wp_get_comment_fields_max_lengths).
NAME_MAX_LENGTH = 245
EMAIL_MAX_LENGTH = 100
URL_MAX_LENGTH = 200
BODY_MAX_LENGTH = 65_525
USER_AGENT_MAX_LENGTH = 255

SETTINGS_CACHE_KEY = per_request.together("comments:settings:v1")


class CommentSettingsQuerySet(models.QuerySet):
    def current(self):
        """The site's moderation rules, cached (signals.py clears the cache when they are saved).

        Before staff save them once, the unsaved defaults are WordPress's.
        """
        rules = per_request.get(SETTINGS_CACHE_KEY)
        if rules is None:
            rules = self.order_by("pk").first() or CommentSettings()
            per_request.set(SETTINGS_CACHE_KEY, rules, timeout=60 * 60)
        return rules


class CommentSettings(models.Model):
    """The moderation rules, in one place, with WordPress's "Discussion settings" defaults.

    One row, edited in the admin; comments/moderation.py applies it.
    """

    auto_approve_known_authors = models.BooleanField(
        _("approve authors with an approved comment"),
        default=True,
        help_text=_(
            "Publish a new comment at once when the same name and email already have an approved comment. "
            "Otherwise every comment waits for a moderator."
        ),
    )
    hold_all = models.BooleanField(
        _("hold every comment"),
        default=False,
        help_text=_("Every comment waits for a moderator, whatever the other rules say."),
    )
    max_links = models.PositiveSmallIntegerField(
        _("hold comments with this many links"),
        default=2,
        help_text=_("A comment containing this many links or more waits for a moderator. 0 turns the check off."),
    )
    moderation_words = models.TextField(
        _("moderation words"),
        blank=True,
        help_text=_(
            "One word, phrase or IP address per line. A comment containing one of them in its name, email, "
            "website, text, IP address or browser user agent waits for a moderator. Parts of words match too: "
            "“press” matches “WordPress”."
        ),
    )
    disallowed_words = models.TextField(
        _("disallowed words"),
        blank=True,
        help_text=_("Same format as the moderation words; a matching comment goes straight to spam."),
    )
    flood_seconds = models.PositiveIntegerField(
        _("flood interval (seconds)"),
        default=15,
        help_text=_("The same IP address or email cannot post again within this many seconds. 0 turns it off."),
    )
    thread_depth = models.PositiveSmallIntegerField(
        _("reply depth"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("How deep replies may nest. 1 shows every comment in one flat list without Reply links."),
    )
    close_after_days = models.PositiveSmallIntegerField(
        _("close comments after (days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Close comments on articles this many days after publication. Empty: never. "
            "An article can set its own number."
        ),
    )
    notify_moderators = models.BooleanField(
        _("email moderators"),
        default=True,
        help_text=_("Email the moderators, editors and superusers whenever a comment is held for moderation."),
    )
    offer_reply_notifications = models.BooleanField(
        _("offer reply notifications"),
        default=True,
        help_text=_("Show the “Notify me of replies by email” box under the comment form."),
    )
    comments_per_page = models.PositiveSmallIntegerField(
        _("conversations per page"),
        default=50,
        validators=[MaxValueValidator(500)],
        help_text=_(
            "Break long discussions into pages of this many top-level comments (replies stay with them), "
            "oldest first. 0 shows every comment on one page."
        ),
    )
    flags_to_hold = models.PositiveSmallIntegerField(
        _("reports that send a comment back to moderation"),
        default=3,
        validators=[MaxValueValidator(100)],
        help_text=_(
            "Readers can report a published comment; after this many reports from different readers it is hidden "
            "and waits for a moderator. 0 turns reporting off."
        ),
    )
    personal_data_days = models.PositiveSmallIntegerField(
        _("keep IP addresses and user agents (days)"),
        default=90,
        help_text=_(
            "The purge_comment_metadata command clears commenters' IP addresses and user agents older than this. "
            "0 keeps them forever."
        ),
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    objects = CommentSettingsQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("comment settings")
        verbose_name_plural = _("comment settings")

    def __str__(self):
        return str(_("Comment settings"))

    def get_admin_url(self):
        """The rules are an admin record, not a reader page: no get_absolute_url (no "View on site")."""
        return reverse("admin:comments_commentsettings_changelist")

    @staticmethod
    def word_list(text):
        """The non-blank lines of a word list, stripped."""
        return [line.strip() for line in (text or "").splitlines() if line.strip()]


class CommentQuerySet(models.QuerySet):
    def public(self):
        """The one definition of a comment readers see: approved."""
        return self.filter(status=Comment.Status.APPROVED)

    def awaiting_moderation(self):
        return self.filter(status=Comment.Status.PENDING)

    def on(self, article):
        return self.filter(article=article)

    def by_email(self, email):
        """Every comment written with this address, ignoring case."""
        return self.filter(author_email__iexact=(email or "").strip()).exclude(author_email="")

    def for_thread(self):
        """Oldest first, as readers read a conversation."""
        return self.order_by("created_at", "pk")

    def approved_count_subquery(self, outer_ref="pk"):
        """A subquery counting approved comments of the outer article: an annotation, never a query per row."""
        counted = (
            self.public()
            .filter(article=OuterRef(outer_ref))
            .order_by()
            .values("article")
            .annotate(total=Count("pk"))
            .values("total")
        )
        return Coalesce(Subquery(counted, output_field=models.IntegerField()), 0)


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        SPAM = "spam", _("Spam")
        TRASH = "trash", _("Trash")

    article = models.ForeignKey(Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("in reply to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replies",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
        help_text=_("Set when a signed-in staff member wrote the comment."),
    )
    author_name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH)
    author_email = models.EmailField(
        _("email"),
        max_length=EMAIL_MAX_LENGTH,
        blank=True,
        help_text=_("Never published. Empty once the commenter's data has been erased."),
    )
    author_url = HttpsURLField(_("website"), max_length=URL_MAX_LENGTH, blank=True)
    body = models.TextField(_("comment"), max_length=BODY_MAX_LENGTH)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING, db_index=True)
    created_at = models.DateTimeField(_("submitted"), default=timezone.now, db_index=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=USER_AGENT_MAX_LENGTH, blank=True)
    notify_replies = models.BooleanField(
        _("notify of replies"),
        default=False,
        help_text=_("The commenter asked for an email when this comment is approved and when someone replies."),
    )
    approval_notified_at = models.DateTimeField(_("approval email sent"), null=True, blank=True, editable=False)
    reply_notified_at = models.DateTimeField(_("reply email sent"), null=True, blank=True, editable=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [
            models.Index(fields=["article", "status", "created_at"], name="comment_thread_idx"),
            models.Index(fields=["author_email"], name="comment_email_idx"),
            models.Index(fields=["ip_address", "created_at"], name="comment_ip_idx"),
        ]

    def __str__(self):
        return _("%(name)s on “%(article)s”") % {"name": self.author_name, "article": self.article.headline}

    def get_absolute_url(self):
        """A permanent link that redirects to the comment on whichever page of the discussion shows it
        (comments.display.comment_page_url), so feeds and old links survive a change of paging."""
        return reverse("comments:permalink", args=[self.pk])

    @admin.display(boolean=True, description=_("public"))
    def is_public(self):
        """The instance mirror of CommentQuerySet.public()."""
        return self.status == self.Status.APPROVED

    @property
    def is_pending(self):
        return self.status == self.Status.PENDING

    @property
    def is_staff_reply(self):
        return self.user_id is not None

    @admin.display(description=_("excerpt"))
    def excerpt(self):
        return Truncator(" ".join(self.body.split())).chars(90)

    @property
    def initials(self):
        """Up to two letters for the avatar: "Ada Lovelace" → "AL". Never derived from the email."""
        words = [word for word in self.author_name.split() if word[:1].isalnum()]
        letters = "".join(word[0] for word in words[:1] + words[1:][-1:])
        return letters.upper() or "?"

    @property
    def avatar_hue(self):
        """One of eight avatar colours, picked from the name so a commenter keeps theirs."""
        return sum(self.author_name.encode()) % 8


class ModerationEvent(models.Model):
    """Who did what to which comment, and when: the moderation history shown in the admin."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        UNAPPROVED = "unapproved", _("Unapproved")
        SPAM = "spam", _("Marked as spam")
        TRASH = "trash", _("Moved to trash")
        DELETED = "deleted", _("Deleted")
        EDITED = "edited", _("Edited")
        REPLIED = "replied", _("Replied")
        ERASED = "erased", _("Personal data erased")

    comment = models.ForeignKey(
        Comment,
        verbose_name=_("comment"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )
    comment_label = models.CharField(
        _("comment"), max_length=300, help_text=_("Which comment, kept after the comment is deleted.")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_name = models.CharField(_("by"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    from_status = models.CharField(_("from"), max_length=8, choices=Comment.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=8, choices=Comment.Status.choices, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("moderation event")
        verbose_name_plural = _("moderation history")

    def __str__(self):
        return f"{self.get_action_display()}: {self.comment_label}"

    def get_admin_url(self):
        """Like Django's LogEntry: an admin record, not a public page, so no get_absolute_url."""
        return reverse("admin:comments_moderationevent_change", args=[self.pk])

    @staticmethod
    def label_for(comment):
        """Names the comment without the commenter's personal data, so erasure leaves nothing behind."""
        headline = Truncator(comment.article.headline).chars(200)
        return _("Comment #%(id)s on “%(headline)s”") % {"id": comment.pk, "headline": headline}


class CommenterBanQuerySet(models.QuerySet):
    def matching(self, *, email="", ip_address=None):
        """The first ban covering this email (any case) or IP address (one address or a network), or None."""
        email = (email or "").strip()
        if email:
            ban = self.filter(email__iexact=email).exclude(email="").first()
            if ban is not None:
                return ban
        if ip_address:
            try:
                address = ipaddress.ip_address(ip_address)
            except ValueError:
                return None
            for ban in self.exclude(ip_network=""):
                network = ban.network
                if network is not None and address.version == network.version and address in network:
                    return ban
        return None


class CommenterBan(models.Model):
    """A commenter moderators have shut out: by email address, or by IP address or network.

    A banned commenter's new comments are kept but go straight to spam, as WordPress's disallowed
    list does: nothing is lost (a moderator can still approve one), and the commenter is not told,
    so they have no reason to try another address.
    """

    email = models.EmailField(_("email"), max_length=EMAIL_MAX_LENGTH, blank=True)
    ip_network = models.CharField(
        _("IP address or network"),
        max_length=49,
        blank=True,
        help_text=_("One address (203.0.113.7, 2001:db8::1) or a network (203.0.113.0/24)."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True, help_text=_("Why, for the other moderators."))
    created_at = models.DateTimeField(_("banned"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = CommenterBanQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("banned commenter")
        verbose_name_plural = _("banned commenters")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(email="", ip_network=""), name="ban_names_an_email_or_an_address"
            )
        ]

    def __str__(self):
        return self.email or self.ip_network

    @property
    def network(self):
        try:
            return ipaddress.ip_network(self.ip_network, strict=False)
        except ValueError:
            return None

    def clean(self):
        self.email = (self.email or "").strip().lower()
        self.ip_network = (self.ip_network or "").strip()
        if not self.email and not self.ip_network:
            raise ValidationError(_("Give an email address, an IP address, or both."), code="empty_ban")
        if self.ip_network:
            network = self.network
            if network is None:
                raise ValidationError(
                    {"ip_network": ValidationError(_("Not an IP address or network."), code="invalid_ip")}
                )
            if network.num_addresses > 2 ** (8 if network.version == 4 else 64):
                raise ValidationError(
                    {
                        "ip_network": ValidationError(
                            _("That network is too large: it would shut out many readers who did nothing."),
                            code="network_too_large",
                        )
                    }
                )
            self.ip_network = str(network) if network.num_addresses > 1 else str(network.network_address)


class CommentFlag(models.Model):
    """A reader's report of a published comment. One per reader (a keyed hash of their IP address, so no
    address is stored); CommentSettings.flags_to_hold reports send the comment back to moderation."""

    comment = models.ForeignKey(Comment, verbose_name=_("comment"), on_delete=models.CASCADE, related_name="flags")
    reporter_key = models.CharField(_("reader"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("reported"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("reader report")
        verbose_name_plural = _("reader reports")
        constraints = [models.UniqueConstraint(fields=["comment", "reporter_key"], name="one_report_per_reader")]

    def __str__(self):
        return f"#{self.comment_id} ({self.created_at:%Y-%m-%d %H:%M})"
