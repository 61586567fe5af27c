"""States and time: each transition, scheduling without cron, the embargo, the desk's panels."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles import workflow
from articles.models import Article
from tests.articles.desk import change_url, logged_in
from tests.factories import make_article, make_author
from tests.html_forms import admin_form

pytestmark = pytest.mark.django_db

Status = Article.Status
NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _clock_at_now():
    """Every fixture of this module is built on the module's clock, never the real one: a fixture made
    at the real "now" and a test travelling to NOW would go bad as the calendar moves on."""
    with time_machine.travel(NOW, tick=True):
        yield


def save(client, article, **values):
    """Open the article's admin page, change `values`, press Save (or a transition button)."""
    data = admin_form(client, change_url(article), "article_form")
    data.update(values)
    return client.post(change_url(article), data)


def summaries(article):
    """What each desk save did (the baseline kept before the first edit has no author)."""
    return list(
        article.revisions.filter(created_by__isnull=False).order_by("version").values_list("summary", flat=True)
    )


@pytest.fixture
def draft(section, reporter):
    return make_article(
        headline="Bridge closes", section=section, status=Status.DRAFT, published_at=None, created_by=reporter
    )


class TestTransitions:
    def test_each_move_through_the_admin_is_recorded(self, draft, reporter, desk, publication):
        writer = logged_in(reporter)
        assert save(writer, draft, _transition="review").status_code == 302
        assert save(desk, draft, _transition="draft", desk_note="Needs a second source.").status_code == 302
        draft.refresh_from_db()
        assert draft.status == Status.DRAFT and draft.desk_note == "Needs a second source."
        assert save(writer, draft, _transition="review").status_code == 302
        assert save(desk, draft, _transition="published").status_code == 302
        draft.refresh_from_db()
        assert draft.is_published() and draft.published_at <= timezone.now()
        assert save(desk, draft, _transition="unpublished").status_code == 302
        assert save(desk, draft, _transition="published").status_code == 302
        assert save(desk, draft, status="draft").status_code == 302
        assert summaries(draft) == [
            "Submitted for review",
            "Returned to draft",
            "Submitted for review",
            "Published",
            "Unpublished",
            "Published",
            "Moved back to draft",
        ]
        assert list(draft.revisions.order_by("version").values_list("version", flat=True)) == list(range(1, 9))

    def test_buttons_name_the_moves_each_role_may_make(self, draft, reporter, desk):
        writer = logged_in(reporter)
        assert "Submit for review" in writer.get(change_url(draft)).content.decode()
        html = desk.get(change_url(draft)).content.decode()
        assert ">Publish<" in html and "Submit for review" in html
        draft.status = Status.IN_REVIEW
        draft.save()
        html = desk.get(change_url(draft)).content.decode()
        assert "Return to reporter" in html and ">Publish<" in html
        draft.status, draft.published_at = Status.PUBLISHED, timezone.now() + timedelta(days=1)
        draft.save()
        html = desk.get(change_url(draft)).content.decode()
        assert "Cancel schedule" in html and "Scheduled for" in html and ">Unpublish<" not in html
        draft.published_at = timezone.now() - timedelta(hours=1)
        draft.save()
        html = desk.get(change_url(draft)).content.decode()
        assert ">Unpublish<" in html

    def test_status_choices_are_limited_to_the_allowed_moves(self, draft, reporter, desk_editor):
        choices = dict(workflow.status_choices(reporter, draft))
        assert set(choices) == {Status.DRAFT, Status.IN_REVIEW}
        assert set(dict(workflow.status_choices(desk_editor, draft))) == {
            Status.DRAFT,
            Status.IN_REVIEW,
            Status.PUBLISHED,
        }
        draft.status = Status.PUBLISHED
        assert set(dict(workflow.status_choices(desk_editor, draft))) == {
            Status.PUBLISHED,
            Status.UNPUBLISHED,
            Status.DRAFT,
        }
        assert workflow.status_choices(reporter, draft) == [(Status.PUBLISHED, Status.PUBLISHED.label)]

    def test_publishing_with_no_time_uses_now_and_scheduling_keeps_the_future_time(self, draft, desk):
        with time_machine.travel(NOW, tick=False):
            save(desk, draft, _transition="published", published_at_0="", published_at_1="")
            draft.refresh_from_db()
            assert draft.published_at == NOW
        later = make_article(section=draft.section, status=Status.DRAFT, published_at=None)
        with time_machine.travel(NOW, tick=False):
            response = save(
                desk, later, _transition="published", published_at_0="2026-11-27", published_at_1="06:30:00"
            )
            assert response.status_code == 302
            later.refresh_from_db()
            assert later.is_scheduled and not later.is_published()
            assert later.revisions.first().summary.startswith("Scheduled for")
            messages = [str(m) for m in response.wsgi_request._messages]
            assert any("is not public yet: Scheduled for" in m for m in messages)

    def test_bulk_publish_now_brings_a_scheduled_article_forward(self, desk, section):
        scheduled = make_article(section=section, published_at=timezone.now() + timedelta(days=2))
        desk.post(
            reverse("admin:articles_article_changelist"), {"action": "publish_now", "_selected_action": [scheduled.pk]}
        )
        scheduled.refresh_from_db()
        assert scheduled.is_published()
        assert summaries(scheduled) == ["Published"]

    def test_bulk_unpublish_records_a_revision_per_article(self, desk, section):
        live = [make_article(section=section) for _ in range(2)]
        desk.post(
            reverse("admin:articles_article_changelist"),
            {"action": "unpublish", "_selected_action": [a.pk for a in live]},
        )
        assert not Article.objects.published().exists()
        assert all(summaries(article) == ["Unpublished"] for article in live)


class TestScheduling:
    def test_a_scheduled_article_appears_everywhere_at_its_time_with_no_job_to_run(self, client, publication, section):
        author = make_author(name="Ada", slug="ada")
        article = make_article(
            headline="Midnight launch",
            section=section,
            authors=[author],
            tags=["Space"],
            published_at=NOW + timedelta(hours=1),
        )
        urls = [
            reverse("articles:front"),
            section.get_absolute_url(),
            reverse("articles:tag", args=["space"]),
            author.get_absolute_url(),
            reverse("articles:search") + "?q=midnight",
        ]
        with time_machine.travel(NOW + timedelta(minutes=59, seconds=59), tick=False):
            assert not article.is_published() and article.is_scheduled
            assert client.get(article.get_absolute_url()).status_code == 404
            for url in urls:
                assert "Midnight launch" not in client.get(url).content.decode(), url
        with time_machine.travel(NOW + timedelta(hours=1), tick=False):
            assert article.is_published() and not article.is_scheduled
            assert client.get(article.get_absolute_url()).status_code == 200
            for url in urls:
                assert "Midnight launch" in client.get(url).content.decode(), url

    @pytest.mark.parametrize(
        ("status", "published_delta", "embargo_delta", "public"),
        [
            (Status.PUBLISHED, -1, None, True),
            (Status.PUBLISHED, +1, None, False),
            (Status.PUBLISHED, -2, -1, True),
            (Status.PUBLISHED, -2, +1, False),
            (Status.PUBLISHED, +2, +1, False),
            (Status.DRAFT, -1, None, False),
            (Status.IN_REVIEW, -1, None, False),
            (Status.UNPUBLISHED, -1, None, False),
        ],
    )
    def test_published_and_is_published_agree(self, section, status, published_delta, embargo_delta, public):
        with time_machine.travel(NOW, tick=False):
            article = Article.objects.create(
                headline="x",
                section=section,
                status=status,
                published_at=NOW + timedelta(hours=published_delta),
                embargo_until=NOW + timedelta(hours=embargo_delta) if embargo_delta is not None else None,
            )
            assert Article.objects.published().filter(pk=article.pk).exists() is public
            assert article.is_published() is public
            scheduled = status == Status.PUBLISHED and not public
            assert Article.objects.scheduled().filter(pk=article.pk).exists() is scheduled
            assert article.is_scheduled is scheduled


class TestEmbargo:
    @pytest.fixture
    def embargoed(self, section):
        return make_article(
            headline="Drug trial results",
            section=section,
            status=Status.IN_REVIEW,
            published_at=None,
            embargo_until=NOW + timedelta(hours=3),
        )

    def test_publishing_before_the_embargo_is_refused_with_the_reason(self, desk, embargoed):
        with time_machine.travel(NOW, tick=False):
            response = save(desk, embargoed, _transition="published")
            html = response.content.decode()
            assert response.status_code == 200
            assert "under embargo until" in html and "cannot be published or scheduled before then" in html
            response = save(
                desk, embargoed, _transition="published", published_at_0="2026-11-26", published_at_1="11:59"
            )
            assert "under embargo until" in response.content.decode()
            embargoed.refresh_from_db()
            assert embargoed.status == Status.IN_REVIEW

    def test_scheduling_at_or_after_the_embargo_is_accepted(self, desk, embargoed):
        with time_machine.travel(NOW, tick=False):
            response = save(
                desk, embargoed, _transition="published", published_at_0="2026-11-26", published_at_1="12:00"
            )
            assert response.status_code == 302
            embargoed.refresh_from_db()
            assert embargoed.is_scheduled
        with time_machine.travel(NOW + timedelta(hours=3), tick=False):
            assert Article.objects.published().filter(pk=embargoed.pk).exists()

    def test_bulk_publish_skips_embargoed_articles_and_says_why(self, desk, embargoed, section):
        free = make_article(section=section, status=Status.DRAFT, published_at=None)
        with time_machine.travel(NOW, tick=False):
            response = desk.post(
                reverse("admin:articles_article_changelist"),
                {"action": "publish_now", "_selected_action": [embargoed.pk, free.pk]},
                follow=True,
            )
            html = response.content.decode()
            assert "1 article published." in html
            assert "Drug trial results" in html and "under embargo until" in html
            assert list(Article.objects.published()) == [free]

    def test_an_embargo_row_set_outside_the_admin_still_hides_the_article(self, client, section, publication):
        article = make_article(section=section, embargo_until=timezone.now() + timedelta(hours=1))
        assert client.get(article.get_absolute_url()).status_code == 404
        assert article.headline not in client.get("/").content.decode()

    def test_the_admin_shows_the_embargo(self, desk, section):
        article = make_article(
            section=section, published_at=NOW + timedelta(hours=1), embargo_until=NOW + timedelta(hours=2)
        )
        with time_machine.travel(NOW, tick=False):
            html = desk.get(change_url(article)).content.decode()
            assert "Embargoed until" in html
            listing = desk.get(reverse("admin:articles_article_changelist") + "?state=scheduled").content.decode()
            assert article.headline in listing


class TestDesk:
    def test_editors_home_shows_drafts_review_scheduled_and_recent_with_links(self, desk, desk_editor, section):
        make_article(
            headline="Desk's own draft", section=section, status=Status.DRAFT, published_at=None, created_by=desk_editor
        )
        make_article(headline="Waiting piece", section=section, status=Status.IN_REVIEW, published_at=None)
        make_article(headline="Tomorrow's piece", section=section, published_at=NOW + timedelta(days=1))
        make_article(headline="Fresh piece", section=section, published_at=NOW - timedelta(minutes=5))
        with time_machine.travel(NOW, tick=False):
            html = desk.get(reverse("admin:index")).content.decode()
        for title, headline, query in [
            ("My drafts", "Desk&#x27;s own draft", "state=draft&amp;mine=1"),
            ("In review", "Waiting piece", "state=review"),
            ("Scheduled", "Tomorrow&#x27;s piece", "state=scheduled"),
            ("Recently published", "Fresh piece", "state=live"),
        ]:
            panel = html[html.rindex("<section", 0, html.index(f">{title}</a>")) :]
            panel = panel[: panel.index("</section>")]
            assert headline in panel, title
            assert f'?{query}"' in panel, title
        assert "27 Nov 2026" in html or "Nov. 27, 2026" in html, "scheduled rows show their time"
        for query in ["state=draft&amp;mine=1", "state=review", "state=scheduled", "state=live"]:
            assert f"?{query}" in html
        with time_machine.travel(NOW, tick=False):  # the same clock as the session's last request
            for query in ["state=draft&mine=1", "state=review", "state=scheduled", "state=live"]:
                assert desk.get(reverse("admin:articles_article_changelist") + "?" + query).status_code == 200

    def test_the_lists_behind_the_panels_hold_the_same_articles(self, desk, desk_editor, section):
        make_article(headline="Tomorrow's piece", section=section, published_at=timezone.now() + timedelta(days=1))
        make_article(headline="Old piece", section=section)
        html = desk.get(reverse("admin:articles_article_changelist") + "?state=scheduled").content.decode()
        assert "Tomorrow" in html and "Old piece" not in html


class TestHostileTransitions:
    @pytest.mark.parametrize(
        "post",
        [
            {"to": "published", "version": "abc"},
            {"to": "nonsense", "version": "1"},
            {"to": "", "version": ""},
            {"to": "published\x00", "version": "1"},
            {},
        ],
    )
    def test_bad_transition_requests_change_nothing_and_say_why(self, desk, draft, post):
        url = reverse("admin:articles_article_transition", args=[draft.pk])
        response = desk.post(url, post, follow=True)
        assert response.status_code == 200
        assert 'class="error"' in response.content.decode()
        draft.refresh_from_db()
        assert draft.status == Status.DRAFT and draft.version == 1

    def test_a_transition_on_someone_elses_article_is_404_for_a_reporter(self, reporter, section):
        other = make_article(section=section, status=Status.DRAFT, published_at=None)
        response = logged_in(reporter).post(
            reverse("admin:articles_article_transition", args=[other.pk]), {"to": "review", "version": "1"}
        )
        assert response.status_code == 404

    def test_a_get_on_the_transition_url_changes_nothing(self, desk, draft):
        assert desk.get(reverse("admin:articles_article_transition", args=[draft.pk])).status_code == 302
        draft.refresh_from_db()
        assert draft.status == Status.DRAFT

    @pytest.mark.parametrize("button", ["nonsense", "unpublished", "PUBLISHED", "<script>"])
    def test_a_forged_transition_button_is_refused_in_the_form(self, desk, draft, button):
        response = save(desk, draft, _transition=button)
        assert response.status_code == 200
        assert "You may not make that change of state." in response.content.decode()
        draft.refresh_from_db()
        assert draft.status == Status.DRAFT
