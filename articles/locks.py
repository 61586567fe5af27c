"""Soft locks: who has an article open in the editor, so the next person is told before they type.

Opening an article's change form takes (or refreshes) the lock when it is free, expired or already
yours; otherwise it shows who holds it and since when. The page keeps its lock with a heartbeat
(static/admin/js/desk_editor.js) and lets it go when closed; a lock whose page stopped calling in
expires by itself after models.desk.LOCK_TIMEOUT. A lock never blocks a save: the stale-save
refusal of articles.services still decides between two saves.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import EditLock


def lock_touch(*, article, user, take_over=False):
    """Take or refresh `user`'s lock on `article` unless someone else holds a fresh one (or take_over).

    Returns the lock as it stands afterwards: compare its user with `user` to know who holds it.
    """
    now = timezone.now()
    for _attempt in range(2):
        try:
            with transaction.atomic():
                lock = EditLock.objects.select_for_update().select_related("user").filter(article=article).first()
                if lock is None:
                    return EditLock.objects.create(article=article, user=user, started_at=now, seen_at=now)
                if lock.user_id == user.pk:
                    lock.seen_at = now
                    lock.save(update_fields=["seen_at"])
                elif take_over or not lock.is_fresh:
                    lock.user, lock.started_at, lock.seen_at = user, now, now
                    lock.save(update_fields=["user", "started_at", "seen_at"])
                return lock
        except IntegrityError:  # two people opened a free article at the same moment: read the winner's lock
            continue
    return EditLock.objects.select_related("user").get(article=article)


def lock_release(*, article, user):
    """Let go of `user`'s lock (the page was saved or closed); someone else's lock stays."""
    EditLock.objects.filter(article=article, user=user).delete()


def holder_name(lock):
    return lock.user.get_full_name() or lock.user.get_username()
