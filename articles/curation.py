"""Curating fronts: the one way to change which articles lead the front page and each section.

front_save() replaces a front's pins in one transaction, records who changed the order and when
(FrontChange), announces the page's change to caches (one content-changed event) and plans the
announcement of every start and end time still to come. Pages read the order with
ArticleQuerySet.curated(); nothing here runs on a reader's request.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from articles import events, tasks
from articles.models import Front, FrontChange, FrontPin


@dataclass(frozen=True)
class PinSpec:
    """One pin as the editor wants it: the article, and when it shows (None: no limit)."""

    article: object
    starts_at: datetime | None = None
    ends_at: datetime | None = None


def can_curate(user):
    return user.has_perm("articles.change_front")


def _order(pins):
    return [
        {
            "article_id": pin.article.pk,
            "headline": pin.article.headline,
            "starts_at": pin.starts_at.isoformat() if pin.starts_at else None,
            "ends_at": pin.ends_at.isoformat() if pin.ends_at else None,
        }
        for pin in pins
    ]


def describe(old, new):
    """What changed between two orders, in the words of the desk: added, removed, moved, lead, times."""
    old_ids = [row["article_id"] for row in old]
    new_ids = [row["article_id"] for row in new]
    headline = {row["article_id"]: row["headline"] for row in [*old, *new]}
    parts = []
    if new_ids[:1] != old_ids[:1]:
        parts.append(
            _("new lead: “%(headline)s”") % {"headline": headline[new_ids[0]]} if new_ids else _("no lead pinned")
        )
    added = [pk for pk in new_ids if pk not in old_ids]
    removed = [pk for pk in old_ids if pk not in new_ids]
    parts += [_("added “%(headline)s”") % {"headline": headline[pk]} for pk in added if pk != new_ids[0]]
    parts += [_("removed “%(headline)s”") % {"headline": headline[pk]} for pk in removed]
    kept_old = [pk for pk in old_ids if pk in new_ids]
    kept_new = [pk for pk in new_ids if pk in old_ids]
    if kept_old != kept_new and not parts:
        parts.append(_("order changed"))
    elif kept_old != kept_new:
        parts.append(_("reordered"))
    old_times = {row["article_id"]: (row["starts_at"], row["ends_at"]) for row in old}
    retimed = [
        row
        for row in new
        if row["article_id"] in old_times and old_times[row["article_id"]] != (row["starts_at"], row["ends_at"])
    ]
    parts += [_("new times for “%(headline)s”") % {"headline": row["headline"]} for row in retimed]
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]


@transaction.atomic
def front_save(*, front, pins, user=None):
    """Make `pins` (PinSpecs, in order: the first is the lead) the front's pins, as `user` (None: the system).

    Returns the FrontChange recorded, or None when the order is as it was (nothing recorded, nothing
    announced). Raises PermissionDenied for a user who may not curate.
    """
    if user is not None and not can_curate(user):
        raise PermissionDenied(_("You may not change the order of the front pages."))
    front = Front.objects.select_for_update(of=("self",)).select_related("section").get(pk=front.pk)
    old = _order(front.pins.select_related("article"))
    wanted, seen = [], set()
    for spec in pins:
        if spec.article.pk not in seen:
            seen.add(spec.article.pk)
            wanted.append(spec)
    new_pins = [
        FrontPin(front=front, article=spec.article, position=position, starts_at=spec.starts_at, ends_at=spec.ends_at)
        for position, spec in enumerate(wanted)
    ]
    new = _order(new_pins)
    if new == old:
        return None
    front.pins.all().delete()
    FrontPin.objects.bulk_create(new_pins)
    person = user if user is not None and user.is_authenticated else None
    front.updated_at, front.updated_by = timezone.now(), person
    front.save(update_fields=["updated_at", "updated_by"])
    change = FrontChange.objects.create(
        front=front, created_by=person, created_at=front.updated_at, summary=describe(old, new)[:500], order=new
    )
    events.emit(events.FRONT_CHANGED, paths=tasks.front_paths(front), objects=[events.object_key(front)])
    moments = [moment for spec in wanted for moment in (spec.starts_at, spec.ends_at)]
    tasks.plan_moments_on_commit(tasks.announce_front_change, front.pk, *moments)
    return change


def front_pin(*, front, article, user=None, as_lead=False):
    """Add `article` to a front (at the end, or as the lead), keeping the other pins as they are."""
    current = [PinSpec(pin.article, pin.starts_at, pin.ends_at) for pin in front.pins.select_related("article")]
    current = [spec for spec in current if spec.article.pk != article.pk]
    spec = PinSpec(article)
    return front_save(front=front, pins=[spec, *current] if as_lead else [*current, spec], user=user)


def pin_state(pin, now=None):
    """How a pin stands for readers now, for the desk: live, waiting for its time or its article, ended."""
    now = now or timezone.now()
    article = pin.article
    if pin.ends_at and pin.ends_at <= now:
        return _("ended")
    if not article.is_published():
        if article.is_scheduled:
            when = date_format(timezone.localtime(article.goes_live_at), "DATETIME_FORMAT")
            return _("shows when the article goes live (%(when)s)") % {"when": when}
        return _("not shown: the article is not public")
    if pin.starts_at and pin.starts_at > now:
        when = date_format(timezone.localtime(pin.starts_at), "DATETIME_FORMAT")
        return _("shows from %(when)s") % {"when": when}
    return _("showing now")
