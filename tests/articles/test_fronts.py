"""Curated fronts: the editors' lead and top stories on the front page and each section, in their order,
for their time; the rest newest first; who changed the order and when; one event per change."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from articles import curation, events
from articles.curation import PinSpec
from articles.models import Article, Front, FrontChange, FrontPin
from tests.articles.desk import logged_in
from tests.factories import make_article, make_section
from tests.html_forms import admin_form

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def stories(publication, section):
    """Six public stories, one an hour apart: stories[0] is the newest."""
    return [
        make_article(headline=f"Story {number}", section=section, published_at=NOW - timedelta(hours=number + 1))
        for number in range(6)
    ]


def front_order(client, url="/"):
    """The headlines of a list page in the order readers see them."""
    html = client.get(url).content.decode()
    return [title for title in _titles(html)]


def _titles(html):
    import re

    return re.findall(r'<h2 class="card-title"><a href="[^"]+">([^<]+)</a>', html)


class TestOrder:
    def test_without_pins_the_newest_article_leads(self, client, stories):
        assert front_order(client)[:3] == ["Story 0", "Story 1", "Story 2"]

    def test_pins_lead_in_their_order_and_the_rest_fills_newest_first_without_duplicates(self, client, stories):
        curation.front_save(front=Front.objects.home(), pins=[PinSpec(stories[4]), PinSpec(stories[2])])
        order = front_order(client)
        assert order == ["Story 4", "Story 2", "Story 0", "Story 1", "Story 3", "Story 5"]
        html = client.get("/").content.decode()
        lead = html[html.index('class="lead-story"') : html.index('id="top-heading"')]
        assert "Story 4" in lead
        top = html[html.index('id="top-heading"') : html.index('id="latest-heading"')]
        assert "Story 2" in top and "Story 0" not in top

    def test_pages_after_the_first_never_repeat_a_pinned_article(self, client, stories, settings):
        settings.ARTICLES_PER_PAGE = 4
        curation.front_save(front=Front.objects.home(), pins=[PinSpec(stories[5])])
        first = front_order(client, "/")
        second = front_order(client, "/?page=2")
        assert first[0] == "Story 5"
        assert len(first + second) == 6 and len(set(first + second)) == 6

    def test_a_pin_shows_only_between_its_start_and_end(self, client, stories):
        curation.front_save(
            front=Front.objects.home(),
            pins=[PinSpec(stories[3], starts_at=NOW + timedelta(hours=1), ends_at=NOW + timedelta(hours=3))],
        )
        assert front_order(client)[0] == "Story 0"
        with time_machine.travel(NOW + timedelta(hours=2)):
            assert front_order(client)[0] == "Story 3"
        with time_machine.travel(NOW + timedelta(hours=4)):
            assert front_order(client)[0] == "Story 0"

    def test_a_pinned_article_that_is_not_public_is_not_shown(self, client, stories, section):
        draft = make_article(headline="Not yet", section=section, status=Article.Status.DRAFT, published_at=None)
        curation.front_save(front=Front.objects.home(), pins=[PinSpec(draft), PinSpec(stories[2])])
        order = front_order(client)
        assert "Not yet" not in order
        assert order[0] == "Story 2"

    def test_a_section_has_its_own_front_and_lead(self, client, stories, section):
        other = make_article(headline="Elsewhere", section=make_section(), published_at=NOW - timedelta(minutes=5))
        curation.front_save(front=Front.objects.for_section(section), pins=[PinSpec(stories[5])])
        assert front_order(client, section.get_absolute_url())[0] == "Story 5"
        html = client.get(section.get_absolute_url()).content.decode()
        assert "Story 5" in html[html.index('class="lead-story"') :][:2000]
        assert front_order(client)[0] == "Elsewhere", "the front page has its own order"
        unpinned = client.get(other.section.get_absolute_url()).content.decode()
        assert "Elsewhere" in unpinned[unpinned.index('class="lead-story"') :][:2000], "unpinned: the newest leads"


class TestRecord:
    def test_who_changed_the_order_and_when_is_recorded(self, stories, desk_editor):
        front = Front.objects.home()
        curation.front_save(front=front, pins=[PinSpec(stories[3]), PinSpec(stories[1])], user=desk_editor)
        curation.front_save(front=front, pins=[PinSpec(stories[1]), PinSpec(stories[3])], user=desk_editor)
        changes = list(FrontChange.objects.order_by("pk"))
        assert [change.created_by for change in changes] == [desk_editor, desk_editor]
        assert changes[0].summary == "New lead: “Story 3”; added “Story 1”"
        assert changes[1].summary == "New lead: “Story 1”; reordered"
        assert [row["headline"] for row in changes[1].order] == ["Story 1", "Story 3"]
        front.refresh_from_db()
        assert front.updated_by == desk_editor and front.updated_at == changes[1].created_at

    def test_saving_the_same_order_records_and_announces_nothing(self, stories, heard, committed):
        front = Front.objects.home()
        curation.front_save(front=front, pins=[PinSpec(stories[2])])
        heard.clear()
        with committed():
            assert curation.front_save(front=front, pins=[PinSpec(stories[2])]) is None
        assert heard == []
        assert FrontChange.objects.count() == 1

    def test_a_user_without_the_permission_cannot_curate(self, stories, reporter):
        with pytest.raises(curation.PermissionDenied):
            curation.front_save(front=Front.objects.home(), pins=[PinSpec(stories[0])], user=reporter)


class TestEvents:
    def test_a_change_of_order_is_one_event_for_the_page(self, stories, heard, committed, section):
        with committed():
            curation.front_save(front=Front.objects.home(), pins=[PinSpec(stories[1])])
        (change,) = heard
        assert change.kind == events.FRONT_CHANGED == "front.changed"
        assert change.paths == frozenset({"/"}) and not change.everything
        heard.clear()
        front = Front.objects.for_section(section)
        with committed():
            curation.front_save(front=front, pins=[PinSpec(stories[1])])
        (change,) = heard
        assert change.paths == frozenset({section.get_absolute_url()})
        assert change.objects == (("articles.front", front.pk),)

    def test_a_pin_starting_or_ending_later_is_announced_then(self, stories, heard, committed, task_backend):
        start, end = NOW + timedelta(hours=1), NOW + timedelta(hours=5)
        with committed():
            curation.front_save(front=Front.objects.home(), pins=[PinSpec(stories[4], starts_at=start, ends_at=end)])
        heard.clear()
        assert sorted(result.task.run_after for result in task_backend.deferred) == [start, end]
        with time_machine.travel(start + timedelta(seconds=1)):
            assert task_backend.run_due() == 1
        (change,) = heard
        assert change.kind == "front.changed" and change.paths == frozenset({"/"})
        with time_machine.travel(end + timedelta(seconds=1)):
            assert task_backend.run_due() == 1
        assert len(heard) == 2

    def test_a_moved_time_is_not_announced_at_the_old_moment(self, stories, heard, committed, task_backend):
        front = Front.objects.home()
        with committed():
            curation.front_save(front=front, pins=[PinSpec(stories[4], starts_at=NOW + timedelta(hours=1))])
            curation.front_save(front=front, pins=[PinSpec(stories[4], starts_at=NOW + timedelta(hours=2))])
        heard.clear()
        with time_machine.travel(NOW + timedelta(hours=1, seconds=1)):
            task_backend.run_due()
        assert heard == []
        with time_machine.travel(NOW + timedelta(hours=2, seconds=1)):
            task_backend.run_due()
        assert [change.kind for change in heard] == ["front.changed"]


class TestAdmin:
    def change_url(self, front):
        return reverse("admin:articles_front_change", args=[front.pk])

    def post_pins(self, client, front, rows):
        data = admin_form(client, self.change_url(front), "front_form")
        prefix = "pins"
        initial = int(data.get(f"{prefix}-INITIAL_FORMS", 0))
        data = {key: value for key, value in data.items() if not key.startswith(f"{prefix}-")}
        data.update(
            {f"{prefix}-TOTAL_FORMS": len(rows), f"{prefix}-INITIAL_FORMS": initial, f"{prefix}-MIN_NUM_FORMS": 0}
        )
        data[f"{prefix}-MAX_NUM_FORMS"] = 1000
        for index, row in enumerate(rows):
            for key, value in row.items():
                data[f"{prefix}-{index}-{key}"] = value
        return client.post(self.change_url(front), data)

    def test_the_list_makes_a_front_for_the_front_page_and_each_section(self, desk, section):
        html = desk.get(reverse("admin:articles_front_changelist")).content.decode()
        assert "Front page" in html and f"Section: {section.name}" in html
        assert Front.objects.count() == 2

    def test_an_editor_orders_the_front_by_positions(self, desk, stories, client):
        front = Front.objects.home()
        response = self.post_pins(
            desk,
            front,
            [
                {"position": 2, "article": stories[1].pk},
                {"position": 1, "article": stories[5].pk},
            ],
        )
        assert response.status_code == 302
        assert list(front.pins.values_list("article__headline", "position")) == [("Story 5", 0), ("Story 1", 1)]
        assert front_order(client)[:2] == ["Story 5", "Story 1"]
        html = desk.get(self.change_url(front)).content.decode()
        assert "New lead: “Story 5”" in html and "Dana Desk" in html

    def test_only_published_or_scheduled_articles_can_be_pinned(self, desk, stories, section):
        draft = make_article(headline="Draft", section=section, status=Article.Status.DRAFT, published_at=None)
        response = self.post_pins(desk, Front.objects.home(), [{"position": 0, "article": draft.pk}])
        assert response.status_code == 200
        assert "Only published or scheduled articles can be pinned" in response.content.decode()
        assert not FrontPin.objects.exists()

    @pytest.mark.parametrize(
        "row",
        [
            {"position": "-1", "article": "1"},
            {"position": "0", "article": "999999"},
            {"position": "0", "article": "<script>"},
            {"position": "0", "article": "", "starts_at_0": "2026-13-45", "starts_at_1": "99:99"},
        ],
    )
    def test_hostile_rows_get_a_clear_error_and_change_nothing(self, desk, stories, row):
        curation.front_save(front=Front.objects.home(), pins=[PinSpec(stories[2])])
        response = self.post_pins(desk, Front.objects.home(), [row])
        assert response.status_code in (200, 302)
        assert list(FrontPin.objects.values_list("article_id", flat=True)) in ([stories[2].pk], [])
        if response.status_code == 200:
            assert "errornote" in response.content.decode()

    def test_the_end_must_follow_the_start(self, desk, stories):
        response = self.post_pins(
            desk,
            Front.objects.home(),
            [
                {
                    "position": 0,
                    "article": stories[0].pk,
                    "starts_at_0": "2026-11-27",
                    "starts_at_1": "10:00",
                    "ends_at_0": "2026-11-27",
                    "ends_at_1": "09:00",
                }
            ],
        )
        assert response.status_code == 200 and "The end must come after the start." in response.content.decode()

    def test_the_same_article_twice_is_refused(self, desk, stories):
        rows = [{"position": 0, "article": stories[0].pk}, {"position": 1, "article": stories[0].pk}]
        response = self.post_pins(desk, Front.objects.home(), rows)
        assert response.status_code == 200 and "errornote" in response.content.decode()

    def test_reporters_and_moderators_cannot_curate(self, reporter, stories):
        client = logged_in(reporter)
        assert client.get(reverse("admin:articles_front_changelist")).status_code == 403


class TestBudget:
    def measure(self, client, django_assert_max_num_queries, url, budget):
        client.get(url)
        with django_assert_max_num_queries(budget) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    def test_curated_front_and_section_pages_stay_within_budget(
        self, client, django_assert_max_num_queries, stories, section
    ):
        """Guards a query per pin or per card: the pins are a subquery of the page's own query."""
        curation.front_save(front=Front.objects.home(), pins=[PinSpec(stories[3]), PinSpec(stories[1])])
        curation.front_save(front=Front.objects.for_section(section), pins=[PinSpec(stories[2])])
        front_5 = self.measure(client, django_assert_max_num_queries, "/", 4)
        section_5 = self.measure(client, django_assert_max_num_queries, section.get_absolute_url(), 5)
        more = [make_article(section=section, published_at=NOW - timedelta(days=1, hours=n)) for n in range(30)]
        curation.front_save(front=Front.objects.home(), pins=[PinSpec(article) for article in more[:8]])
        assert self.measure(client, django_assert_max_num_queries, "/", 4) == front_5
        assert self.measure(client, django_assert_max_num_queries, section.get_absolute_url(), 5) == section_5
