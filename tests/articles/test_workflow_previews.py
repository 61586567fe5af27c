"""Preview in the admin, and signed expiring share links for people without an account."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import Article
from tests.articles.desk import logged_in
from tests.factories import make_article
from tests.html_forms import admin_form

pytestmark = pytest.mark.django_db


def preview_url(article):
    return reverse("admin:articles_article_preview", args=[article.pk])


@pytest.fixture
def draft(section, publication):
    return make_article(
        headline="Secret merger talks",
        section=section,
        status=Article.Status.DRAFT,
        published_at=None,
        tags=["Business"],
    )


def create_share_link(client, article, days=3):
    response = client.post(reverse("admin:articles_article_share", args=[article.pk]), {"days": days}, follow=True)
    match = re.search(
        r'class="workflow-share-link" href="(http://testserver/preview/[^"]+/)"', response.content.decode()
    )
    assert match, response.content.decode()[:3000]
    return match.group(1).removeprefix("http://testserver")


class TestPreview:
    @pytest.mark.parametrize("kind", ["draft", "review", "scheduled", "published", "unpublished"])
    def test_preview_renders_the_reader_template_with_a_banner_uncached_and_unindexed(self, desk, section, kind):
        status = {"draft": "draft", "review": "review", "unpublished": "unpublished"}.get(kind, "published")
        when = timezone.now() + timedelta(days=1) if kind == "scheduled" else timezone.now() - timedelta(hours=1)
        article = make_article(headline="Preview me", section=section, status=status, published_at=when)
        response = desk.get(preview_url(article))
        html = response.content.decode()
        assert response.status_code == 200
        assert "articles/article_detail.html" in [t.name for t in response.templates]
        assert 'class="preview-banner"' in html and "Preview" in html
        assert '<meta name="robots" content="noindex, nofollow">' in html
        assert response["X-Robots-Tag"] == "noindex, nofollow"
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
        assert '<h1 class="article-headline">Preview me</h1>' in html

    def test_the_change_page_links_to_the_preview(self, desk, draft):
        html = desk.get(reverse("admin:articles_article_change", args=[draft.pk])).content.decode()
        assert f'href="{preview_url(draft)}"' in html

    def test_preview_is_closed_to_visitors_and_to_other_reporters(self, client, draft, reporter):
        assert client.get(preview_url(draft)).status_code == 302  # to the login page
        assert logged_in(reporter).get(preview_url(draft)).status_code == 404
        assert client.get(reverse("admin:articles_article_preview", args=[99999])).status_code == 302

    def test_a_public_article_page_has_no_preview_banner_or_noindex(self, client, section, publication):
        html = client.get(make_article(section=section).get_absolute_url()).content.decode()
        assert "preview-banner" not in html and "noindex" not in html


class TestShareLinks:
    def test_anyone_with_the_link_reads_the_draft_uncached_unindexed_and_without_cookies(self, desk, draft):
        url = create_share_link(desk, draft)
        reader = Client()
        response = reader.get(url)
        html = response.content.decode()
        assert response.status_code == 200
        assert "Secret merger talks" in html
        assert "Preview shared for checking" in html
        assert "noindex" in html and response["X-Robots-Tag"] == "noindex, nofollow"
        assert "no-store" in response["Cache-Control"]
        assert response["Referrer-Policy"] == "no-referrer"
        assert not response.cookies
        assert reader.get(draft.get_absolute_url()).status_code == 404, "the normal address stays closed"

    def test_the_link_stops_working_when_it_expires(self, desk, draft):
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            url = create_share_link(desk, draft, days=1)
        with time_machine.travel(start + timedelta(hours=23, minutes=59), tick=False):
            assert Client().get(url).status_code == 200
        with time_machine.travel(start + timedelta(days=1, seconds=1), tick=False):
            response = Client().get(url)
            assert response.status_code == 410
            assert "This preview link no longer works" in response.content.decode()
            assert "Secret merger talks" not in response.content.decode()

    def test_once_published_the_link_leads_to_the_public_article(self, desk, draft):
        url = create_share_link(desk, draft)
        services.article_publish_now(article=draft, user=_editor(desk))
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"] == draft.get_absolute_url()

    def test_a_scheduled_article_can_still_be_checked(self, desk, draft):
        url = create_share_link(desk, draft)
        Article.objects.filter(pk=draft.pk).update(
            status=Article.Status.PUBLISHED, published_at=timezone.now() + timedelta(hours=5)
        )
        assert Client().get(url).status_code == 200

    def test_withdrawn_and_revoked_links_stop(self, desk, draft):
        url = create_share_link(desk, draft)
        desk.post(reverse("admin:articles_article_share_revoke", args=[draft.pk]))
        assert Client().get(url).status_code == 410
        url = create_share_link(desk, draft)
        Article.objects.filter(pk=draft.pk).update(status=Article.Status.UNPUBLISHED)
        assert Client().get(url).status_code == 410

    def test_editing_the_draft_keeps_its_share_links_working(self, desk, draft):
        url = create_share_link(desk, draft)
        change = reverse("admin:articles_article_change", args=[draft.pk])
        data = admin_form(desk, change, "article_form")
        data["headline"] = "Secret merger talks, updated"
        assert desk.post(change, data).status_code == 302
        assert "Secret merger talks, updated" in Client().get(url).content.decode()

    def test_a_deleted_article_link_stops(self, desk, draft):
        url = create_share_link(desk, draft)
        draft.delete()
        assert Client().get(url).status_code == 410

    @pytest.mark.parametrize(
        "token",
        ["nonsense", "a" * 500, "eyJhIjoxfQ:1tXyZ:abc", "%00", "..", "eyJhIjoiMSJ9:1t:xx"],
    )
    def test_forged_tokens_are_404_not_500(self, client, draft, token):
        assert client.get(f"/preview/{token}/").status_code == 404

    def test_a_token_for_another_article_cannot_be_edited_into_this_one(self, desk, draft, section):
        url = create_share_link(desk, draft)
        token = url.split("/")[2]
        payload, rest = token.split(":", 1)
        assert Client().get(f"/preview/{payload[:-2]}xx:{rest}/").status_code == 404

    def test_share_links_are_offered_only_for_articles_not_yet_public(self, desk, draft, section):
        change = reverse("admin:articles_article_change", args=[draft.pk])
        assert "Create share link" in desk.get(change).content.decode()
        live = make_article(section=section)
        assert (
            "Create share link"
            not in desk.get(reverse("admin:articles_article_change", args=[live.pk])).content.decode()
        )
        response = desk.post(reverse("admin:articles_article_share", args=[live.pk]), {"days": 3}, follow=True)
        assert "Only an article that is not public can be shared." in response.content.decode()

    @pytest.mark.parametrize("days", ["", "0", "365", "abc", "-1"])
    def test_a_bad_duration_is_refused_with_a_message(self, desk, draft, days):
        response = desk.post(reverse("admin:articles_article_share", args=[draft.pk]), {"days": days}, follow=True)
        assert "Choose how long the link should work." in response.content.decode()

    def test_reporters_share_their_own_drafts_only(self, reporter, draft, section):
        writer = logged_in(reporter)
        assert writer.post(reverse("admin:articles_article_share", args=[draft.pk]), {"days": 1}).status_code == 404
        own = make_article(section=section, status=Article.Status.DRAFT, published_at=None, created_by=reporter)
        assert create_share_link(writer, own).startswith("/preview/")


def _editor(client):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=client.session["_auth_user_id"])
