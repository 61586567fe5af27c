"""How the desk shows an article's state: labels and the submit row's buttons (rules: articles.workflow)."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles import workflow
from articles.models import Article

Status = Article.Status


def transition_buttons(user, article):
    """The submit-row buttons for the moves `user` may make, as (status, label, is_primary).

    "Publish" reads "Schedule" when the article's publication time is in the future
    (static/admin/js/workflow.js keeps the label in step with the date typed in the form).
    """
    current = article.status if article else Status.DRAFT
    scheduled = bool(article and article.is_scheduled)
    buttons = []
    for target in workflow.next_statuses(user, article):
        if target == Status.IN_REVIEW:
            buttons.append((target, gettext_lazy("Submit for review"), True))
        elif target == Status.PUBLISHED:
            future = bool(article and article.published_at and article.published_at > timezone.now())
            if current == Status.UNPUBLISHED:
                label = gettext_lazy("Publish again")
            else:
                label = gettext_lazy("Schedule") if future else gettext_lazy("Publish")
            buttons.append((target, label, True))
        elif target == Status.DRAFT and current == Status.IN_REVIEW:
            label = (
                gettext_lazy("Return to reporter")
                if workflow.can_publish(user)
                else gettext_lazy("Withdraw from review")
            )
            buttons.append((target, label, False))
        elif target == Status.DRAFT and scheduled:
            buttons.append((target, gettext_lazy("Cancel schedule"), False))
        elif target == Status.UNPUBLISHED and not scheduled:
            buttons.append((target, gettext_lazy("Unpublish"), False))
    return buttons


def sentence(text):
    """`text` ending in one full stop, also when it ends with an abbreviation ("12:41 p.m.")."""
    text = str(text).rstrip()
    return text if text.endswith((".", "!", "?", "…")) else f"{text}."


def state_label(article):
    """The state as an editor thinks of it: Draft, In review, Scheduled, Embargoed, Published, Unpublished."""
    if article.status == Status.PUBLISHED and article.is_expired:
        when = date_format(timezone.localtime(article.expires_at), "DATETIME_FORMAT")
        return _("Expired: out of public view since %(when)s") % {"when": when}
    if article.status == Status.PUBLISHED and article.is_scheduled:
        when = date_format(timezone.localtime(article.goes_live_at), "DATETIME_FORMAT")
        if article.is_embargoed and article.embargo_until >= article.published_at:
            return _("Embargoed until %(when)s") % {"when": when}
        return _("Scheduled for %(when)s") % {"when": when}
    return str(article.get_status_display())
