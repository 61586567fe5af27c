"""The desk: planning calendar, notifications to reporters, soft locks, autosave, length and spellcheck,
and the desk page itself (full width, Add article, the publication's name)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from articles import services
from articles.models import Article, ArticleAutosave, DeskNotification, EditLock
from articles.richtext import EDITOR_EXTENSIONS
from tests.articles.desk import change_url, logged_in, save
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)  # a Thursday
Status = Article.Status


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def own_draft(reporter, section):
    article = make_article(
        headline="Reporter's draft", section=section, status=Status.DRAFT, published_at=None, created_by=reporter
    )
    article.bylines.create(author=reporter.author_profile, position=0)
    return article


def planning(client, query=""):
    return client.get(reverse("admin:articles_article_planning") + query)


class TestPlanning:
    def test_scheduled_embargoed_and_expiring_articles_by_day(self, desk, section, publication):
        make_article(headline="Goes out Saturday", section=section, published_at=NOW + timedelta(days=2, hours=1))
        make_article(
            headline="Under embargo",
            section=section,
            published_at=NOW + timedelta(days=1),
            embargo_until=NOW + timedelta(days=8),
        )
        make_article(
            headline="Embargoed draft",
            section=section,
            status=Status.DRAFT,
            published_at=None,
            embargo_until=NOW + timedelta(days=3),
        )
        make_article(
            headline="Wire copy",
            section=section,
            published_at=NOW - timedelta(hours=1),
            expires_at=NOW + timedelta(days=4),
        )
        make_article(headline="Far away", section=section, published_at=NOW + timedelta(days=60))
        response = planning(desk)
        assert response.status_code == 200
        days = {day["day"].isoformat(): day["items"] for week in response.context["weeks"] for day in week}
        assert response.context["start"].isoformat() == "2026-11-23", "the calendar starts on this week's Monday"
        assert len(days) == 28
        kinds = {item["article"].headline: (day, item["kind"]) for day, items in days.items() for item in items}
        assert kinds["Goes out Saturday"] == ("2026-11-28", "scheduled")
        assert kinds["Under embargo"] == ("2026-12-04", "embargo")
        assert kinds["Embargoed draft"] == ("2026-11-29", "embargo-unscheduled")
        assert kinds["Wire copy"] == ("2026-11-30", "expires")
        assert "Far away" not in kinds
        html = response.content.decode()
        assert "Embargo lifts (not scheduled)" in html and "Leaves public view" in html and 'class="desk-today' in html

    def test_other_weeks_and_hostile_parameters(self, desk, section):
        make_article(headline="Far away", section=section, published_at=NOW + timedelta(days=60))
        response = planning(desk, "?start=2027-01-20&weeks=4")
        assert response.context["start"].isoformat() == "2027-01-18"
        assert "Far away" in response.content.decode()
        for query in ["?start=garbage&weeks=x", "?start=0001-01-01&weeks=-5", "?start=9999-12-31&weeks=99999"]:
            response = planning(desk, query)
            assert response.status_code == 200, query
            assert 1 <= response.context["weeks_shown"] <= 12

    def test_reporters_plan_their_own_pieces_only(self, reporter, own_draft, section):
        own_draft.status, own_draft.published_at = Status.PUBLISHED, NOW + timedelta(days=1)
        own_draft.save()
        make_article(headline="A colleague's scoop", section=section, published_at=NOW + timedelta(days=1))
        html = planning(logged_in(reporter)).content.decode()
        assert "Reporter&#x27;s draft" in html and "colleague" not in html

    def test_planning_needs_a_desk_account(self, client, db):
        assert planning(client).status_code == 302


class TestNotifications:
    def test_sending_a_piece_back_with_a_note_tells_the_reporter_on_the_desk_and_by_mail(
        self, desk, reporter, own_draft, desk_editor, publication
    ):
        services.article_transition(article=own_draft, user=reporter, to_status=Status.IN_REVIEW)
        mail.outbox.clear()
        response = save(desk, own_draft, desk_note="Needs a second source for the quote.", _transition="draft")
        assert response.status_code == 302
        (note,) = DeskNotification.objects.filter(recipient=reporter)
        assert note.kind == "returned" and note.actor == desk_editor
        assert note.note == "Needs a second source for the quote."
        (message,) = mail.outbox
        assert message.to == ["reporter@example.com"]
        assert message.subject == "[The Test Gazette] “Reporter's draft” was sent back to you"
        assert "Dana Desk sent the piece back to you as a draft." in message.body
        assert "Needs a second source for the quote." in message.body
        assert f"/admin/articles/article/{own_draft.pk}/change/" in message.body
        desk_page = logged_in(reporter).get(reverse("admin:index")).content.decode()
        assert "For you" in desk_page and "was sent back to you" in desk_page
        assert "Needs a second source for the quote." in desk_page

    def test_scheduling_and_publishing_tell_the_reporter(self, desk, reporter, own_draft, task_backend, publication):
        go_live = NOW + timedelta(hours=5)
        save(
            desk,
            own_draft,
            _transition="published",
            published_at_0=go_live.strftime("%Y-%m-%d"),
            published_at_1=go_live.strftime("%H:%M:%S"),
        )
        kinds = list(DeskNotification.objects.filter(recipient=reporter).values_list("kind", flat=True))
        assert kinds == ["scheduled"]
        assert "is scheduled for" in mail.outbox[-1].subject
        with time_machine.travel(go_live + timedelta(seconds=5)):
            task_backend.run_due()
        kinds = list(DeskNotification.objects.filter(recipient=reporter).order_by("pk").values_list("kind", flat=True))
        assert kinds == ["scheduled", "published"]
        assert mail.outbox[-1].subject == "[The Test Gazette] “Reporter's draft” is published"
        assert "http://localhost/articles/" in mail.outbox[-1].body

    def test_nobody_is_told_of_their_own_change_and_imports_tell_nobody(self, reporter, own_draft, section):
        services.article_transition(article=own_draft, user=reporter, to_status=Status.IN_REVIEW)
        services.article_save(article=make_article(section=section, authors=[reporter.author_profile]))
        assert not DeskNotification.objects.exists()

    def test_a_mail_job_run_twice_mails_once(self, reporter, own_draft, desk_editor, committed):
        from articles.notifications import send_desk_notification

        with committed():
            services.article_transition(article=own_draft, user=reporter, to_status=Status.IN_REVIEW)
            services.article_transition(article=own_draft, user=desk_editor, to_status=Status.DRAFT)
        count = len(mail.outbox)
        assert count == 1
        send_desk_notification.call(DeskNotification.objects.get().pk)
        assert len(mail.outbox) == count

    def test_opening_the_article_or_mark_all_read_clears_them(self, reporter, own_draft, desk_editor):
        services.article_transition(article=own_draft, user=reporter, to_status=Status.IN_REVIEW)
        services.article_transition(article=own_draft, user=desk_editor, to_status=Status.DRAFT)
        client = logged_in(reporter)
        client.get(change_url(own_draft))
        assert not DeskNotification.objects.unread().exists()
        services.article_transition(article=own_draft, user=reporter, to_status=Status.IN_REVIEW)
        services.article_transition(article=own_draft, user=desk_editor, to_status=Status.DRAFT)
        client.post(reverse("admin:articles_article_notifications_read"))
        assert not DeskNotification.objects.unread().exists()
        assert client.get(reverse("admin:articles_article_notifications_read")).status_code == 405


class TestSoftLock:
    def test_the_second_person_is_told_who_has_it_open_before_typing(self, desk, own_draft, desk_editor):
        other = make_user("rosa", group="Editors", first_name="Rosa", last_name="Night")
        desk.get(change_url(own_draft))
        lock = EditLock.objects.get(article=own_draft)
        assert lock.user == desk_editor
        html = logged_in(other).get(change_url(own_draft)).content.decode()
        warning = html[html.index('id="desk-lock"') :][:900]
        assert "Dana Desk has had this article open since" in warning
        assert "Take over editing" in warning
        assert EditLock.objects.get(article=own_draft).user == desk_editor, "opening it does not steal the lock"
        assert 'id="desk-lock" role="alert" hidden' not in html

    def test_the_heartbeat_keeps_the_lock_and_reports_the_holder(self, desk, own_draft):
        desk.get(change_url(own_draft))
        url = reverse("admin:articles_article_lock", args=[own_draft.pk])
        answer = desk.post(url, HTTP_ACCEPT="application/json").json()
        assert answer["mine"] is True and answer["holder"] == "Dana Desk"
        assert "no-cache" in desk.post(url, HTTP_ACCEPT="application/json")["Cache-Control"]
        assert desk.get(url).status_code == 405

    def test_a_lock_whose_page_went_quiet_expires_by_itself(self, desk, own_draft):
        other = make_user("rosa", group="Editors", first_name="Rosa", last_name="Night")
        desk.get(change_url(own_draft))
        with time_machine.travel(NOW + timedelta(minutes=3)):
            html = logged_in(other).get(change_url(own_draft)).content.decode()
            assert "has had this article open" not in html
            assert EditLock.objects.get(article=own_draft).user == other

    def test_take_over_and_the_first_persons_heartbeat_hears_of_it(self, desk, own_draft):
        other = make_user("rosa", group="Editors", first_name="Rosa", last_name="Night")
        desk.get(change_url(own_draft))
        rosa = logged_in(other)
        response = rosa.post(reverse("admin:articles_article_lock", args=[own_draft.pk]), {"take_over": "1"})
        assert response.status_code == 302
        answer = desk.post(reverse("admin:articles_article_lock", args=[own_draft.pk]), HTTP_ACCEPT="application/json")
        assert answer.json()["mine"] is False and "Rosa Night has had this article open" in answer.json()["message"]

    def test_saving_or_closing_lets_go(self, desk, own_draft):
        desk.get(change_url(own_draft))
        save(desk, own_draft, headline="Changed")
        assert not EditLock.objects.exists()
        desk.get(change_url(own_draft))
        desk.post(reverse("admin:articles_article_unlock", args=[own_draft.pk]))
        assert not EditLock.objects.exists()

    def test_the_stale_save_refusal_still_protects_two_saves(self, desk, own_draft):
        other = logged_in(make_user("rosa", group="Editors"))
        from tests.html_forms import admin_form

        first = admin_form(desk, change_url(own_draft), "article_form")
        second = admin_form(other, change_url(own_draft), "article_form")
        assert desk.post(change_url(own_draft), {**first, "headline": "First"}).status_code == 302
        response = other.post(change_url(own_draft), {**second, "headline": "Second"})
        assert response.status_code == 200 and "after you opened it" in response.content.decode()

    def test_read_only_viewers_take_no_lock(self, reporter, own_draft, desk_editor):
        services.article_transition(article=own_draft, user=reporter, to_status=Status.IN_REVIEW)
        logged_in(reporter).get(change_url(own_draft))
        assert not EditLock.objects.exists()
        assert logged_in(reporter).post(reverse("admin:articles_article_lock", args=[own_draft.pk])).status_code == 403


class TestAutosave:
    def autosave(self, client, article, **values):
        return client.post(reverse("admin:articles_article_autosave_save", args=[article.pk]), values)

    def test_one_autosave_updated_in_place_and_nothing_else_changes(self, desk, own_draft, heard):
        own_draft.refresh_from_db()
        before = (own_draft.version, own_draft.headline, own_draft.revisions.count())
        first = self.autosave(desk, own_draft, headline="Half-written", body="<p>Typing…</p>")
        assert first.status_code == 200 and first.json()["saved"] is True
        assert first.json()["message"].startswith("Draft autosaved at")
        self.autosave(desk, own_draft, headline="Still typing", body="<p>More…</p>", tags="North Korea, Japan")
        (autosave,) = ArticleAutosave.objects.all()
        assert autosave.content["headline"] == "Still typing" and autosave.content["body"] == "<p>More…</p>"
        assert autosave.content["tags"] == ["Japan", "North Korea"]
        own_draft.refresh_from_db()
        assert (own_draft.version, own_draft.headline, own_draft.revisions.count()) == before
        assert heard == []

    def test_it_shows_in_the_history_and_a_real_save_removes_it(self, desk, own_draft):
        self.autosave(desk, own_draft, headline="Half-written")
        history = desk.get(reverse("admin:articles_article_history", args=[own_draft.pk])).content.decode()
        assert "Autosaved, not saved" in history and "Dana Desk" in history
        assert "You have changes autosaved at" in desk.get(change_url(own_draft)).content.decode()
        save(desk, own_draft, headline="Properly saved")
        assert not ArticleAutosave.objects.exists()

    def test_review_and_restore_an_autosave(self, desk, own_draft):
        self.autosave(desk, own_draft, headline="The better headline", body="<p>Lost after a crash.</p>")
        autosave = ArticleAutosave.objects.get()
        page = desk.get(autosave.get_absolute_url())
        assert page.status_code == 200
        assert "<ins>better headline</ins>" in page.content.decode()
        own_draft.refresh_from_db()
        response = desk.post(autosave.get_absolute_url(), {"restore": "1", "version": own_draft.version})
        assert response.status_code == 302
        own_draft.refresh_from_db()
        assert own_draft.headline == "The better headline" and own_draft.body == "<p>Lost after a crash.</p>"
        assert own_draft.revisions.first().summary.startswith("Restored the autosave of")
        assert not ArticleAutosave.objects.exists()

    def test_discard_an_autosave(self, desk, own_draft):
        self.autosave(desk, own_draft, headline="Not wanted")
        desk.post(ArticleAutosave.objects.get().get_absolute_url(), {"discard": "1"})
        assert not ArticleAutosave.objects.exists()

    def test_hostile_autosaves_are_cleaned_and_bounded(self, desk, own_draft):
        response = self.autosave(
            desk,
            own_draft,
            headline="x\x00y " * 200,
            body='<p onclick="steal()">Hi<script>bad()</script></p>',
            dek="d" * 5000,
            tags='"unclosed, , , ' + "t" * 300,
            unknown_field="ignored",
        )
        assert response.status_code == 200
        content = ArticleAutosave.objects.get().content
        assert content["body"] == "<p>Hi</p>"
        assert "\x00" not in content["headline"] and len(content["headline"]) <= 255
        assert len(content["dek"]) <= 600
        assert all(len(tag) <= 100 for tag in content["tags"])
        assert "unknown_field" not in content

    def test_only_people_who_may_edit_can_autosave(self, reporter, own_draft, section, client):
        colleague = make_article(section=section, status=Status.DRAFT, published_at=None)
        reporter_client = logged_in(reporter)
        assert self.autosave(reporter_client, colleague, headline="Mine now").status_code == 404
        services.article_transition(article=own_draft, user=reporter, to_status=Status.IN_REVIEW)
        assert self.autosave(reporter_client, own_draft, headline="Too late").status_code == 403
        assert self.autosave(client, own_draft, headline="Anonymous").status_code == 302
        assert not ArticleAutosave.objects.exists()
        assert (
            reporter_client.get(reverse("admin:articles_article_autosave_save", args=[own_draft.pk])).status_code == 405
        )


class TestEditorForm:
    def test_words_and_reading_time_under_the_body(self, desk, section):
        article = make_article(section=section, body="<p>" + "word " * 460 + "</p>")
        html = desk.get(change_url(article)).content.decode()
        labels = 'data-one-word="1 word" data-words="{count} words" data-minutes="{count} min read"'
        assert f"data-desk-length {labels}>" in html
        assert ">460 words · 2 min read</span>" in html

    def test_spellcheck_is_on_in_the_body_editor(self):
        assert EDITOR_EXTENSIONS["NoSpellCheck"] is False


class TestDeskPage:
    def test_the_desk_has_add_article_planning_and_the_publications_name(self, desk, publication):
        html = desk.get(reverse("admin:index")).content.decode()
        assert f'<a class="button desk-add" href="{reverse("admin:articles_article_add")}">Add article</a>' in html
        assert reverse("admin:articles_article_planning") in html
        assert "The Test Gazette" in html[html.index('id="site-name"') :][:300]
        assert 'class="colM desk-wide"' in html
        assert "Post breaking news" in html and "Front pages" in html

    def test_reporters_get_add_article_and_planning_but_not_the_editors_tools(self, reporter, publication):
        html = logged_in(reporter).get(reverse("admin:index")).content.decode()
        assert "Add article" in html and "Planning" in html
        assert "Post breaking news" not in html and "Front pages" not in html

    def test_the_admin_pages_wear_the_publication_name(self, desk, publication):
        html = desk.get(reverse("admin:articles_article_changelist")).content.decode()
        assert "<title>Select article to change | The Test Gazette</title>" in html
