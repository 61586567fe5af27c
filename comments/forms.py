import re
import secrets
import time
import unicodedata
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from comments.models import BODY_MAX_LENGTH, EMAIL_MAX_LENGTH, NAME_MAX_LENGTH, URL_MAX_LENGTH, Comment

FORM_TOKEN_SALT = "comments.form-token"  # noqa: S105 - a signing salt, not a password
# Bidirectional overrides and isolates let a name display reversed ("moc.knab" shown as "bank.com").
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
# Control characters (bar tab and newline) and non-characters: invisible, and XML feeds cannot hold them.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")


def issue_form_token():
    """A signed form timestamp with a one-time nonce: proves when the form was handed out, once."""
    return signing.dumps({"t": int(time.time()), "n": secrets.token_urlsafe(12)}, salt=FORM_TOKEN_SALT)


def plain_text(value):
    """Reader text as stored: NFC (so a decomposed copy equals the original), no control characters."""
    return CONTROL_CHARACTERS.sub("", unicodedata.normalize("NFC", value or ""))


def one_line(value):
    """A single-line field: bidi and control characters removed, every run of whitespace (newlines too) one space."""
    text = CONTROL_CHARACTERS.sub(" ", unicodedata.normalize("NFC", value or ""))
    return " ".join(BIDI_CONTROLS.sub("", text).split())


class CommentForm(forms.Form):
    """The reader's comment form. It owns the anti-spam checks: the honeypot and the signed form timestamp."""

    comment = forms.CharField(
        label=_("Comment"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 45}),
        error_messages={"required": _("Please type your comment.")},
    )
    author = forms.CharField(
        label=_("Name"),
        max_length=NAME_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "name", "size": 30}),
        error_messages={"required": _("Please enter your name.")},
    )
    email = forms.EmailField(
        label=_("Email"),
        max_length=EMAIL_MAX_LENGTH,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "size": 30}),
        error_messages={
            "required": _("Please enter your email address. It will not be published."),
            "invalid": _("Please enter a valid email address, like name@example.com."),
        },
    )
    url = forms.URLField(
        label=_("Website"),
        max_length=URL_MAX_LENGTH,
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"autocomplete": "url", "size": 30}),
        error_messages={"invalid": _("Please enter a web address starting with http:// or https://.")},
    )
    remember_me = forms.BooleanField(
        label=_("Save my name, email, and website in this browser for the next time I comment."), required=False
    )
    notify_replies = forms.BooleanField(label=_("Notify me of replies by email."), required=False)
    comment_parent = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    # The honeypot: hidden from people by CSS and aria-hidden; robots fill in every field they find.
    subject = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    form_token = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, article, replies=None, **kwargs):
        """`replies` maps the pks of comments a reader may answer to those comments (approved, same article)."""
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        self.article = article
        self.replies = replies

    def clean_author(self):
        name = one_line(self.cleaned_data["author"])
        if not name:
            raise forms.ValidationError(_("Please enter your name."), code="required")
        return name

    def clean_email(self):
        return BIDI_CONTROLS.sub("", plain_text(self.cleaned_data["email"])).strip()

    def clean_url(self):
        url = BIDI_CONTROLS.sub("", plain_text(self.cleaned_data["url"])).strip()
        if url and urlsplit(url).scheme.lower() not in {"http", "https"}:
            raise forms.ValidationError(
                _("Please enter a web address starting with http:// or https://."), code="invalid_scheme"
            )
        return url

    def clean_comment(self):
        text = plain_text(self.cleaned_data["comment"].replace("\r\n", "\n").replace("\r", "\n")).strip()
        if not text:
            raise forms.ValidationError(_("Please type your comment."), code="required")
        return text

    def clean_comment_parent(self):
        parent_id = self.cleaned_data["comment_parent"]
        if parent_id is None:
            return None
        if self.replies is not None:
            parent = self.replies.get(parent_id)
        else:
            parent = Comment.objects.public().filter(article=self.article, pk=parent_id).first()
        if parent is None:
            raise forms.ValidationError(
                _("The comment you are replying to is no longer published. Post yours as a new comment."),
                code="invalid_parent",
            )
        return parent

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("subject"):
            raise forms.ValidationError(_("Your comment could not be accepted."), code="honeypot")
        self.check_form_token(self.cleaned_data.get("form_token", ""))
        return cleaned

    def check_form_token(self, token):
        """Refuse a form posted without a valid timestamp, too fast, too late or a second time."""
        if not token:
            raise forms.ValidationError(
                _("Your comment has not been posted yet. Please check it and press “Post Comment” again."),
                code="missing_token",
            )
        try:
            data = signing.loads(token, salt=FORM_TOKEN_SALT, max_age=settings.COMMENTS_MAX_FORM_AGE)
            issued, nonce = int(data["t"]), str(data["n"])
        except signing.SignatureExpired:
            raise forms.ValidationError(
                _("This form was open for a long time. Your text is kept: press “Post Comment” again to send it."),
                code="expired_token",
            ) from None
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            raise forms.ValidationError(
                _("Your comment has not been posted yet. Please check it and press “Post Comment” again."),
                code="bad_token",
            ) from None
        if time.time() - issued < settings.COMMENTS_MIN_FORM_AGE:
            raise forms.ValidationError(
                _("That was quick! To keep robots out, please wait a few seconds and press “Post Comment” again."),
                code="too_fast",
            )
        # Spend the nonce only when everything else is valid: a form with mistakes comes back with a new token.
        if not self.errors and not cache.add(
            f"comments:form-token:{nonce}", 1, timeout=settings.COMMENTS_MAX_FORM_AGE + 60
        ):
            raise forms.ValidationError(
                _("This form has already been sent once. Press “Post Comment” again to send it anew."),
                code="replayed_token",
            )
