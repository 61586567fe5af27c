"""What a new user hit on the first day (issue 12, item 11), each fixed and kept fixed."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from articles.models import Article, Page, Publication
from articles.tags import edit_string, parse_tags
from tests.articles.desk import change_url, logged_in, save
from tests.factories import make_article, make_page, make_user
from tests.html_forms import admin_form

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 26, 17, 41, tzinfo=UTC)  # 5:41 p.m.: a time that ends in "p.m."


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=True):
        yield


def messages_of(response):
    return [str(message) for message in response.wsgi_request._messages]


class TestMessages:
    def test_a_message_ending_in_a_time_has_one_full_stop(self, desk, section):
        draft = make_article(section=section, status=Article.Status.DRAFT, published_at=None)
        response = save(desk, draft, _transition="published", published_at_0="2026-11-27", published_at_1="12:41:00")
        (message,) = [m for m in messages_of(response) if "not public yet" in m]
        assert message.endswith("12:41 p.m.")
        assert ".." not in message

    def test_the_share_link_message_is_whole_sentences(self, desk, section):
        draft = make_article(section=section, status=Article.Status.DRAFT, published_at=None)
        response = desk.post(reverse("admin:articles_article_share", args=[draft.pk]), {"days": 3}, follow=True)
        html = response.content.decode()
        assert 'Share link created: <a class="workflow-share-link"' in html
        assert "Anyone with the link can read this draft until Nov. 29, 2026, 5:41 p.m., unless it is published" in html
        assert ".." not in messages_of(response)[0].replace("...", "")


class TestPublication:
    def test_an_editor_cannot_delete_the_only_publication(self, desk, publication):
        url = reverse("admin:articles_publication_delete", args=[publication.pk])
        assert desk.get(url).status_code == 403
        assert desk.post(url, {"post": "yes"}).status_code == 403
        changelist = reverse("admin:articles_publication_changelist")
        desk.post(changelist, {"action": "delete_selected", "_selected_action": [publication.pk], "post": "yes"})
        assert Publication.objects.filter(pk=publication.pk).exists()
        change_page = desk.get(reverse("admin:articles_publication_change", args=[publication.pk])).content.decode()
        assert 'class="deletelink"' not in change_page

    def test_a_second_publication_made_by_accident_can_be_deleted(self, publication):
        spare = Publication.objects.create(name="Duplicate")
        superuser = make_user("boss", is_superuser=True)
        response = logged_in(superuser).post(
            reverse("admin:articles_publication_delete", args=[spare.pk]), {"post": "yes"}
        )
        assert response.status_code == 302
        assert list(Publication.objects.all()) == [publication]


class TestEditorsAndPages:
    def test_the_editors_group_edits_the_publications_pages(self, desk, publication):
        about = make_page(title="About us", slug="about", kind=Page.Kind.ABOUT, is_published=True)
        url = reverse("admin:articles_page_change", args=[about.pk])
        data = admin_form(desk, url, "page_form")
        data["summary"] = "Who we are."
        assert desk.post(url, data).status_code == 302
        about.refresh_from_db()
        assert about.summary == "Who we are."
        assert desk.get(reverse("admin:articles_page_add")).status_code == 200


class TestCommentSettings:
    def test_comment_settings_have_no_view_on_site_link_looping_back_to_the_admin(self, db):
        superuser = make_user("boss", is_superuser=True)
        client = logged_in(superuser)
        html = client.get(reverse("admin:comments_commentsettings_changelist"), follow=True).content.decode()
        assert "Discussion" in html
        assert "View on site" not in html and "viewsitelink" not in html


class TestFavicon:
    def test_favicon_is_served_and_announced(self, client, publication):
        response = client.get("/favicon.ico")
        assert response.status_code == 200
        assert response["Content-Type"] == "image/vnd.microsoft.icon"
        assert response.content[:4] == b"\x00\x00\x01\x00"  # the ICO header
        assert "max-age=86400" in response["Cache-Control"]
        assert not response.cookies
        assert '<link rel="icon" href="/favicon.ico"' in client.get("/").content.decode()


class TestTags:
    @pytest.mark.parametrize(
        ("typed", "names"),
        [
            ("North Korea", ["North Korea"]),
            ("North Korea, Japan", ["North Korea", "Japan"]),
            ('"North Korea", Japan', ["North Korea", "Japan"]),
            ('"Smith, John", Japan', ["Smith, John", "Japan"]),
            ("Japan, japan,  , ,", ["Japan"]),
            ("  Indo-Pacific  ,South   China Sea ", ["Indo-Pacific", "South China Sea"]),
            ('"unclosed, quote', ["unclosed", "quote"]),
            ("a\x00b, c\x1fd", ["a b", "c d"]),
            ("x" * 300, ["x" * 300]),  # kept whole: the form refuses it with a message
            ("", []),
        ],
    )
    def test_commas_separate_tags_and_spaces_do_not(self, typed, names):
        assert parse_tags(typed) == names

    def test_the_field_shows_multi_word_tags_without_quotes_and_keeps_them_on_save(self, desk, section):
        article = make_article(section=section, tags=["North Korea", "Japan", "Smith, John"])
        data = admin_form(desk, change_url(article), "article_form")
        assert data["tags"] == 'Japan, North Korea, "Smith, John"'
        desk.post(change_url(article), data)
        assert sorted(article.tags.names()) == ["Japan", "North Korea", "Smith, John"]

    def test_edit_string_round_trips(self, section):
        article = make_article(section=section, tags=["Rules-based order", "US", "Smith, John"])
        assert sorted(parse_tags(edit_string(article.tags.all()))) == ["Rules-based order", "Smith, John", "US"]

    def test_the_tags_app_is_called_tags(self, desk):
        html = desk.get(reverse("admin:index")).content.decode()
        assert ">Tags<" in html
        assert "Taggit" not in html and "TAGGIT" not in html
