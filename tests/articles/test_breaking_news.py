"""The breaking-news banner: on every reader page while live, announced to screen readers, right on cached
pages (one event for everything when it starts, changes or stops), and safe against hostile input."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from articles.models import BreakingNews
from tests.factories import make_article, make_page

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def story(publication, section):
    return make_article(headline="Dam breaks", slug="dam-breaks", section=section, tags=["Japan"])


def banner_html(client, url="/"):
    html = client.get(url).content.decode()
    if 'class="breaking-news' not in html:
        return None
    start = html.index('<div class="breaking-news')
    return html[start : html.index("</div>", start)]


def reader_urls(story, section):
    about = make_page(title="About", slug="about", kind="about", is_published=True)
    return [
        "/",
        story.get_absolute_url(),
        section.get_absolute_url(),
        reverse("articles:tag", args=["japan"]),
        reverse("articles:search") + "?q=dam",
        reverse("articles:archive"),
        reverse("articles:corrections"),
        about.get_absolute_url(),
    ]


class TestShown:
    def test_a_live_banner_is_on_every_reader_page_as_an_alert(self, client, story, section):
        BreakingNews.objects.create(text="Polls have closed", url="/articles/dam-breaks/", level="live")
        for url in reader_urls(story, section):
            banner = banner_html(client, url)
            assert banner is not None, url
            assert 'role="alert"' in banner
            assert '<a href="/articles/dam-breaks/">Polls have closed</a>' in banner
            assert "Live" in banner

    def test_not_before_its_start_nor_after_its_end(self, client, story):
        BreakingNews.objects.create(text="Later", starts_at=NOW + timedelta(hours=1), ends_at=NOW + timedelta(hours=2))
        assert banner_html(client) is None
        with time_machine.travel(NOW + timedelta(hours=1, minutes=1)):
            assert "Later" in banner_html(client)
        with time_machine.travel(NOW + timedelta(hours=2, minutes=1)):
            assert banner_html(client) is None

    def test_the_most_recently_started_live_banner_wins(self, client, story):
        BreakingNews.objects.create(text="Older", starts_at=NOW - timedelta(hours=2))
        BreakingNews.objects.create(text="Newer", starts_at=NOW - timedelta(hours=1))
        assert "Newer" in banner_html(client) and "Older" not in banner_html(client)

    def test_a_banner_with_an_end_carries_it_for_browsers_that_kept_the_page(self, client, story):
        BreakingNews.objects.create(text="Until noon", ends_at=NOW + timedelta(hours=3))
        banner = banner_html(client)
        assert 'data-ends-at="2026-11-26T12:00:00+00:00"' in banner
        assert '<script src="/static/js/breaking.js" defer></script>' in client.get("/").content.decode()

    def test_text_and_link_are_escaped(self, client, story):
        BreakingNews.objects.create(text='<img src=x onerror="alert(1)">', url='/x/"><script>')
        html = client.get("/").content.decode()
        assert "<img src=x" not in html and "<script>" not in html.split("</head>")[1].replace('<script src="', "")
        assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html

    def test_pages_with_a_banner_stay_identical_for_every_reader_and_set_no_cookies(self, client, story):
        BreakingNews.objects.create(text="Storm warning")
        first = client.get("/")
        client.cookies.clear()
        second = client.get("/")
        assert first.content == second.content
        assert not first.cookies and not second.cookies

    def test_the_banner_costs_no_query_once_cached(self, client, story, django_assert_max_num_queries):
        """Guards a banner query on every page: the front page stays at 4 with a live banner."""
        BreakingNews.objects.create(text="Storm warning")
        client.get("/")
        client.get(story.get_absolute_url())
        with django_assert_max_num_queries(4):
            assert "Storm warning" in client.get("/").content.decode()
        with django_assert_max_num_queries(6):
            assert "Storm warning" in client.get(story.get_absolute_url()).content.decode()


class TestCaches:
    def test_posting_a_banner_is_one_event_for_everything(self, story, heard, committed):
        with committed():
            banner = BreakingNews.objects.create(text="Storm warning")
        (change,) = heard
        assert change.kind == "breaking_news.changed" and change.everything
        assert change.objects == (("articles.breakingnews", banner.pk),)

    def test_changing_and_taking_down_a_live_banner_are_each_one_event(self, story, heard, committed):
        banner = BreakingNews.objects.create(text="Storm warning")
        heard.clear()
        with committed():
            banner.text = "Storm warning: ferries cancelled"
            banner.save()
        assert [(change.kind, change.everything) for change in heard] == [("breaking_news.changed", True)]
        heard.clear()
        with committed():
            banner.delete()
        assert [(change.kind, change.everything) for change in heard] == [("breaking_news.changed", True)]

    def test_a_banner_for_later_is_announced_when_it_starts_and_when_it_ends(
        self, client, story, heard, committed, task_backend
    ):
        start, end = NOW + timedelta(hours=1), NOW + timedelta(hours=4)
        client.get("/")  # the current state (no banner) is cached
        with committed():
            BreakingNews.objects.create(text="Later", starts_at=start, ends_at=end)
        assert heard == [], "nothing readers can see has changed yet"
        assert sorted(result.task.run_after for result in task_backend.deferred) == [start, end]
        with time_machine.travel(start + timedelta(seconds=1)):
            assert task_backend.run_due() == 1
            assert [(change.kind, change.everything) for change in heard] == [("breaking_news.changed", True)]
            assert "Later" in banner_html(client)
        with time_machine.travel(end + timedelta(seconds=1)):
            assert task_backend.run_due() == 1
            assert len(heard) == 2
            assert banner_html(client) is None

    def test_the_cached_banner_is_cleared_when_one_is_posted(self, client, story, committed):
        assert banner_html(client) is None  # cached: no banner
        with committed():
            BreakingNews.objects.create(text="Just now")
        assert "Just now" in banner_html(client)

    def test_the_cache_lasts_only_until_the_next_change_of_state(self, client, story):
        BreakingNews.objects.create(text="Soon", starts_at=NOW + timedelta(minutes=10))
        cache.clear()
        assert banner_html(client) is None
        with time_machine.travel(NOW + timedelta(minutes=11)):
            assert "Soon" in banner_html(client), "no event needed for the cache of this server"


class TestAdmin:
    def add(self, client, **values):
        data = {
            "text": "Storm warning",
            "url": "",
            "level": "breaking",
            "starts_at_0": "2026-11-26",
            "starts_at_1": "08:00:00",
            "ends_at_0": "",
            "ends_at_1": "",
        }
        data.update(values)
        return client.post(reverse("admin:articles_breakingnews_add"), data)

    def test_an_editor_posts_a_banner_and_readers_see_it_at_once(self, desk, client, story):
        client.get("/")
        response = self.add(desk, text="  Storm   warning: ferries cancelled ", url="/section/local/")
        assert response.status_code == 302
        banner = BreakingNews.objects.get()
        assert banner.text == "Storm warning: ferries cancelled"
        assert banner.created_by.username == "desk"
        assert "Storm warning: ferries cancelled" in banner_html(client)
        assert "On every page now:" in desk.get(reverse("admin:index")).content.decode()

    def test_take_down_now(self, desk, client, story, heard):
        banner = BreakingNews.objects.create(text="Storm warning")
        heard.clear()
        response = desk.post(
            reverse("admin:articles_breakingnews_changelist"),
            {"action": "take_down", "_selected_action": [banner.pk]},
            follow=True,
        )
        assert "1 banner taken down." in response.content.decode()
        banner.refresh_from_db()
        assert banner.ends_at is not None and not banner.is_live
        assert banner_html(client) is None
        assert [change.everything for change in heard] == [True]

    @pytest.mark.parametrize(
        ("values", "message"),
        [
            ({"text": "   "}, "This field is required."),
            ({"text": "x" * 201}, "Ensure this value has at most 200 characters"),
            ({"url": "javascript:alert(1)"}, "Give an address on this site starting with /"),
            ({"url": "//evil.example/"}, "Give an address on this site starting with /"),
            ({"url": "/a b"}, "Give an address on this site starting with /"),
            ({"url": "data:text/html,hi"}, "Give an address on this site starting with /"),
            ({"level": "apocalypse"}, "Select a valid choice"),
            ({"ends_at_0": "2026-11-26", "ends_at_1": "07:00:00"}, "The end must come after the start."),
            ({"starts_at_0": "2026-02-31"}, "Enter a valid date"),
        ],
    )
    def test_hostile_input_gets_a_clear_error_and_nothing_is_posted(self, desk, story, values, message):
        response = self.add(desk, **values)
        assert response.status_code == 200
        assert message in response.content.decode()
        assert not BreakingNews.objects.exists()

    def test_reporters_cannot_post_breaking_news(self, reporter, story):
        from tests.articles.desk import logged_in

        assert self.add(logged_in(reporter)).status_code == 403
