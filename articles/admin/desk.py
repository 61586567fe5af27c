"""The desk's extra pages and calls around the article form: soft locks with a heartbeat, autosave,
the planning calendar and reporters' notifications. ArticleAdmin mixes this in."""

from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timesince import timesince
from django.utils.translation import gettext

from articles import locks, revisions, services, workflow
from articles.admin.states import sentence, state_label
from articles.models import Article, ArticleAutosave, DeskNotification
from articles.reading import length_label

PLANNING_WEEKS = 4
PLANNING_MAX_WEEKS = 12


def _when(moment):
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def lock_data(lock, user):
    """What the editor page needs to know about a lock, as JSON."""
    mine = lock.user_id == user.pk
    return {
        "mine": mine,
        "holder": locks.holder_name(lock),
        "since": timezone.localtime(lock.started_at).isoformat(),
        "message": "" if mine else lock_message(lock),
    }


def lock_message(lock):
    if timezone.now() - lock.seen_at < timedelta(minutes=1):
        active = gettext("active just now")
    else:
        active = gettext("last active %(ago)s ago") % {"ago": timesince(lock.seen_at)}
    return sentence(
        gettext(
            "%(who)s has had this article open since %(since)s (%(active)s). "
            "Talk to them before you change it: if you both save, the second save is refused"
        )
        % {"who": locks.holder_name(lock), "since": _when(lock.started_at), "active": active}
    )


class DeskViewsMixin:
    """Views for ArticleAdmin: lock heartbeat and take-over, autosave, autosave review, planning, notifications."""

    def desk_urls(self):
        def view(function, pattern, name):
            return path(pattern, self.admin_site.admin_view(function), name=f"articles_article_{name}")

        return [
            view(self.planning_view, "planning/", "planning"),
            view(self.notifications_read_view, "notifications/read/", "notifications_read"),
            view(self.lock_view, "<int:object_id>/lock/", "lock"),
            view(self.unlock_view, "<int:object_id>/unlock/", "unlock"),
            view(self.autosave_save_view, "<int:object_id>/autosave/", "autosave_save"),
            view(self.autosave_view, "<int:object_id>/autosave/<int:autosave_id>/", "autosave"),
        ]

    def desk_context(self, request, obj):
        """For the change form: the length, someone else's lock, this person's autosave, the calls' addresses."""
        context = {"length_label": length_label(obj.body if obj else "")}
        if obj is None:
            return context
        DeskNotification.objects.filter(recipient=request.user, article=obj, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        if not workflow.can_edit(request.user, obj):
            return context
        lock = locks.lock_touch(article=obj, user=request.user)
        autosave = obj.autosaves.filter(user=request.user).first()
        context.update(
            edit_lock=None if lock.user_id == request.user.pk else lock,
            edit_lock_message="" if lock.user_id == request.user.pk else lock_message(lock),
            own_autosave=autosave,
            desk_urls={
                "lock": reverse("admin:articles_article_lock", args=[obj.pk]),
                "unlock": reverse("admin:articles_article_unlock", args=[obj.pk]),
                "autosave": reverse("admin:articles_article_autosave_save", args=[obj.pk]),
            },
        )
        return context

    def desk_saved(self, request, article):
        """After a save from the form: the page is leaving, so is its lock (the next page takes it again)."""
        locks.lock_release(article=article, user=request.user)

    def _editable_or_404(self, request, object_id):
        article = self._article_or_404(request, object_id)
        if not workflow.can_edit(request.user, article):
            raise PermissionDenied
        return article

    # Soft lock

    @staticmethod
    def _post_only(request):
        return None if request.method == "POST" else HttpResponseNotAllowed(["POST"])

    def lock_view(self, request, object_id):
        """The heartbeat (JSON), and "Take over" (take_over=1; a plain form post is sent back to the article)."""
        if refused := self._post_only(request):
            return refused
        article = self._editable_or_404(request, object_id)
        take_over = request.POST.get("take_over") == "1"
        lock = locks.lock_touch(article=article, user=request.user, take_over=take_over)
        if request.headers.get("Accept", "").startswith("application/json"):
            return JsonResponse(lock_data(lock, request.user))  # never cached: admin_view sees to it
        if take_over:
            self.message_user(request, gettext("You have taken over editing this article."), messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))

    def unlock_view(self, request, object_id):
        """The page is closed or saved: let go of the lock (sent with navigator.sendBeacon)."""
        if refused := self._post_only(request):
            return refused
        article = self._article_or_404(request, object_id)
        locks.lock_release(article=article, user=request.user)
        return JsonResponse({"released": True})

    # Autosave

    def autosave_save_view(self, request, object_id):
        """Every 30 seconds while the form has unsaved changes: keep them as this person's autosave (JSON)."""
        if refused := self._post_only(request):
            return refused
        article = self._editable_or_404(request, object_id)
        try:
            autosave = services.article_autosave(article=article, user=request.user, data=request.POST)
        except PermissionDenied:
            return JsonResponse({"saved": False, "message": gettext("You may not change this article.")}, status=403)
        lock = locks.lock_touch(article=article, user=request.user)
        when = date_format(timezone.localtime(autosave.saved_at), "TIME_FORMAT")
        return JsonResponse(
            {
                "saved": True,
                "message": gettext("Draft autosaved at %(when)s") % {"when": when},
                "saved_at": autosave.saved_at.isoformat(),
                "lock": lock_data(lock, request.user),
            }
        )

    def autosave_view(self, request, object_id, autosave_id):
        """An autosave against the current version: what changed; restore it (a real save) or discard it."""
        article = self._article_or_404(request, object_id)
        autosave = get_object_or_404(ArticleAutosave.objects.select_related("user"), pk=autosave_id, article=article)
        if autosave.user_id != request.user.pk and not workflow.can_publish(request.user):
            raise Http404
        if request.method == "POST":
            return self._act_on_autosave(request, article, autosave)
        current = article.revisions.filter(version=article.version).first()
        current_content = current.content if current else revisions.snapshot(article)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Autosave of “%(headline)s”") % {"headline": article.headline},
            "article": article,
            "autosave": autosave,
            "diffs": revisions.compare(current_content, autosave.content),
            "outdated": autosave.based_on_version != article.version,
            "can_restore": workflow.can_edit(request.user, article),
        }
        return TemplateResponse(request, "admin/articles/article/autosave.html", context)

    def _act_on_autosave(self, request, article, autosave):
        change_url = reverse("admin:articles_article_change", args=[article.pk])
        if request.POST.get("discard"):
            autosave.delete()
            self.message_user(request, gettext("The autosave is discarded."), messages.SUCCESS)
            return HttpResponseRedirect(change_url)
        try:
            expected = int(request.POST.get("version", ""))
        except ValueError:
            expected = -1
        try:
            services.article_restore_autosave(
                article=article, autosave=autosave, user=request.user, expected_version=expected
            )
        except PermissionDenied as error:
            self.message_user(request, str(error), messages.ERROR)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            self.message_user(
                request, gettext("The autosave is now the article's latest version. Check it."), messages.SUCCESS
            )
        return HttpResponseRedirect(change_url)

    # Notifications

    def notifications_read_view(self, request):
        if refused := self._post_only(request):
            return refused
        DeskNotification.objects.filter(recipient=request.user, read_at__isnull=True).update(read_at=timezone.now())
        return HttpResponseRedirect(reverse("admin:index"))

    # Planning

    def planning_view(self, request):
        """Scheduled, embargoed and expiring articles by day, for the coming weeks (a calendar)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        start, weeks = planning_period(request.GET)
        days = planning_days(self.get_queryset(request), start, weeks)
        today = timezone.localdate()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Planning"),
            "weeks": [days[index : index + 7] for index in range(0, len(days), 7)],
            "start": start,
            "end": start + timedelta(days=weeks * 7 - 1),
            "weeks_shown": weeks,
            "today": today,
            "previous_start": start - timedelta(days=weeks * 7),
            "next_start": start + timedelta(days=weeks * 7),
            "this_week": today - timedelta(days=today.weekday()),
            "total": sum(len(day["items"]) for day in days),
            "unscheduled_review": self.get_queryset(request).filter(status=Article.Status.IN_REVIEW).count()
            if workflow.can_publish(request.user)
            else None,
        }
        return TemplateResponse(request, "admin/articles/article/planning.html", context)


def planning_period(params):
    """The first day (a Monday; this week's by default) and the number of weeks from the query string;
    anything unreadable falls back to the defaults."""
    today = timezone.localdate()
    try:
        start = date.fromisoformat(params.get("start", ""))
    except ValueError:
        start = today
    try:
        weeks = min(max(int(params.get("weeks", PLANNING_WEEKS)), 1), PLANNING_MAX_WEEKS)
    except (TypeError, ValueError):
        weeks = PLANNING_WEEKS
    start = max(min(start, date(9990, 1, 1)), date(1900, 1, 8))
    return start - timedelta(days=start.weekday()), weeks


def _midnight(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def planning_days(queryset, start, weeks):
    """[{"day": date, "items": [...]}] for each day of the period, in one query. An item is a published
    article going live (or gone live) that day, an embargo lifting (on a scheduled piece, or on one not
    scheduled yet), or an article leaving public view."""
    first, last = _midnight(start), _midnight(start + timedelta(days=weeks * 7))
    now = timezone.now()
    published = Q(status=Article.Status.PUBLISHED) & (
        Q(published_at__gte=first, published_at__lt=last) | Q(expires_at__gte=first, expires_at__lt=last)
    )
    embargoed = ~Q(status=Article.Status.UNPUBLISHED) & Q(embargo_until__gte=first, embargo_until__lt=last)
    articles = (
        queryset.filter(published | embargoed)
        .select_related("section", "kind")
        .prefetch_related("bylines__author")
        .order_by("published_at", "pk")
    )
    by_day = {start + timedelta(days=offset): [] for offset in range(weeks * 7)}
    for article in articles:
        for moment, kind in _planned_moments(article, now):
            if first <= moment < last:
                by_day[timezone.localtime(moment).date()].append(
                    {"moment": moment, "kind": kind, "article": article, "state": state_label(article)}
                )
    return [
        {"day": day, "items": sorted(items, key=lambda item: (item["moment"], item["article"].pk))}
        for day, items in by_day.items()
    ]


def _planned_moments(article, now):
    if article.status != Article.Status.PUBLISHED:
        return [(article.embargo_until, "embargo-unscheduled")] if article.embargo_until else []
    moments = []
    live = article.goes_live_at
    if live:
        if live <= now:
            moments.append((live, "published"))
        elif article.embargo_until and live == article.embargo_until:
            moments.append((live, "embargo"))
        else:
            moments.append((live, "scheduled"))
    if article.expires_at:
        moments.append((article.expires_at, "expires"))
    return moments
