"""The moderation rules, in one declarative place.

Who may comment where (`comments_open`) and what happens to a new comment (`verdict`),
following WordPress's wp_allow_comment() and check_comment(): a banned commenter's comment
and disallowed words send it to spam; "hold every comment", the article's own policy, too many links and
moderation words hold it; otherwise it is approved if its author already has an approved comment posted
from the same browser (or that rule is off). Flood and duplicate refusals need the database and a lock, so
services.comment_submit() applies them.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import Article
from comments.models import Comment, CommenterBan, CommentSettings

# WordPress counts "http://", "https://" and protocol-relative "//" links; plain text also has "www.".
LINK_PATTERN = re.compile(r"(?:https?:)?//|\bwww\.", re.IGNORECASE)


@dataclass(frozen=True)
class Verdict:
    status: str
    reasons: list[str] = field(default_factory=list)

    @property
    def note(self):
        return "; ".join(self.reasons)[:300]


def close_after_days(article, rules):
    """The article's own number of days, else the site-wide one; None means comments never close by age."""
    return article.comments_close_after_days or rules.close_after_days


def closes_at(article, rules):
    days = close_after_days(article, rules)
    if not days or article.published_at is None:
        return None
    return article.published_at + timedelta(days=days)


def comments_open(article, rules=None):
    """May readers post on this article now? Published, policy not closed, not past its closing date."""
    rules = rules or CommentSettings.objects.current()
    if not article.is_published() or article.comment_policy == Article.CommentPolicy.CLOSED:
        return False
    closing = closes_at(article, rules)
    return closing is None or timezone.now() < closing


# Zero-width and other invisible format characters that split a word without showing: "v\u200biagra".
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\u034f]")
_TAGS = re.compile(r"<[^>]*>")


def normalized(text):
    """Text as the word lists and duplicate checks see it: markup and invisible characters gone, NFKC,
    case folded and whitespace folded, so `vi<b></b>agra`, `v\u200biagra` and `ＶＩＡＧＲＡ` all read `viagra`."""
    text = _INVISIBLE.sub("", _TAGS.sub("", str(text or "")))
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def count_links(text):
    return len(LINK_PATTERN.findall(text or ""))


def matching_word(words, values):
    """The first word (normalized(), also inside longer words) found in any of `values`, or None."""
    haystacks = [normalized(value) for value in values if value]
    for word in words:
        needle = normalized(word)
        if needle and any(needle in haystack for haystack in haystacks):
            return word
    return None


def checked_values(comment):
    """Everything WordPress checks against the word lists."""
    return [
        comment.author_name,
        comment.author_email,
        comment.author_url,
        comment.body,
        comment.ip_address,
        comment.user_agent,
    ]


def verdict(comment, *, rules, is_moderator=False, proven_comment_ids=()):
    """The status a new, not yet saved comment gets, with the reasons a moderator sees in its history.

    A "known author" is approved at once only with proof: `proven_comment_ids` are the comments this
    browser posted (from a signed cookie), one of which must be approved and carry the same name and
    email. A public name and a guessable address alone prove nothing.
    """
    if is_moderator:  # "The author and the admins get respect." (WordPress)
        return Verdict(Comment.Status.APPROVED, [_("written by a moderator")])
    if ban := CommenterBan.objects.matching(email=comment.author_email, ip_address=comment.ip_address):
        return Verdict(Comment.Status.SPAM, [_("the commenter is banned (%(ban)s)") % {"ban": ban}])
    values = checked_values(comment)
    if word := matching_word(CommentSettings.word_list(rules.disallowed_words), values):
        return Verdict(Comment.Status.SPAM, [_("contains the disallowed word “%(word)s”") % {"word": word}])

    reasons = []
    if rules.hold_all:
        reasons.append(_("every comment is held (comment settings)"))
    if comment.article.comment_policy == Article.CommentPolicy.HOLD_ALL:
        reasons.append(_("every comment on this article is held"))
    links = count_links(comment.body)
    if rules.max_links and links >= rules.max_links:
        reasons.append(_("contains %(count)d links") % {"count": links})
    if word := matching_word(CommentSettings.word_list(rules.moderation_words), values):
        reasons.append(_("contains the moderation word “%(word)s”") % {"word": word})
    if reasons:
        return Verdict(Comment.Status.PENDING, reasons)

    if not rules.auto_approve_known_authors:
        return Verdict(Comment.Status.APPROVED, [_("passed every rule")])
    if not proven_comment_ids:
        return Verdict(Comment.Status.PENDING, [_("the author has not shown an approved comment from this browser")])
    known = (
        Comment.objects.public()
        .filter(pk__in=list(proven_comment_ids)[-20:], author_name=comment.author_name)
        .by_email(comment.author_email)
        .exists()
    )
    if known:
        return Verdict(Comment.Status.APPROVED, [_("the author has an approved comment from this browser")])
    return Verdict(Comment.Status.PENDING, [_("first comment by this author from this browser")])
