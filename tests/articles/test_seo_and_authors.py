"""Per-article SEO and social fields, with their fallbacks; author profiles under articles and on author pages."""

from datetime import UTC, datetime

import pytest
import time_machine

from articles import revisions, services
from tests.articles.desk import change_url, save
from tests.articles.test_structured_data import head_of
from tests.factories import image_bytes, make_article, make_author, make_image
from tests.html_forms import admin_form

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=True):
        yield


def with_image(obj, field="image", *, color=(10, 120, 40), size=(1200, 630), alt="A picture"):
    """`obj` (an article or an author) with a new library image, renditions made, in `field`."""
    setattr(obj, field, make_image(image_bytes(size=size, color=color, format="JPEG"), title=field, alt=alt))
    obj.save()
    return obj


class TestSeoAndSocial:
    def test_the_social_fields_lead_and_the_article_fills_in(self, client, publication, section):
        article = make_article(headline="Dam breaks", dek="Water everywhere.", section=section)
        article.seo_title = "Dam breaks in the north: what we know"
        article.social_headline = "The dam has broken"
        article.social_description = "Read this before you travel."
        article.save()
        head = head_of(client, article.get_absolute_url())
        html = client.get(article.get_absolute_url()).content.decode()
        assert "<title>Dam breaks in the north: what we know – The Test Gazette</title>" in html
        assert head.meta["og:title"] == ["The dam has broken"] and head.meta["twitter:title"] == ["The dam has broken"]
        assert head.meta["og:description"] == ["Read this before you travel."]
        assert head.meta["description"] == ["Water everywhere."]
        (data,) = [block for block in head.json_ld if "headline" in block]
        assert data["headline"] == "Dam breaks", "search engines get the headline itself"

    def test_without_them_the_headline_standfirst_and_featured_image_are_used(self, client, publication, section):
        article = make_article(headline="Dam breaks", dek="Water everywhere.", section=section)
        with_image(article, alt="The broken dam")
        head = head_of(client, article.get_absolute_url())
        assert head.meta["og:title"] == ["Dam breaks"]
        assert head.meta["og:description"] == ["Water everywhere."]
        assert head.meta["og:image"] == ["http://testserver" + article.image.crop("social").largest.url]
        assert head.meta["og:image:alt"] == ["The broken dam"]

    def test_a_social_image_replaces_the_featured_one_when_shared(self, client, publication, section):
        article = with_image(make_article(section=section), color=(200, 0, 0), alt="Featured")
        with_image(article, "social_image", color=(0, 0, 200), alt="Made for sharing")
        head = head_of(client, article.get_absolute_url())
        assert head.meta["og:image"] == ["http://testserver" + article.social_image.crop("social").largest.url]
        assert head.meta["og:image:alt"] == ["Made for sharing"]
        body = client.get(article.get_absolute_url()).content.decode().split("</head>")[1]
        assert article.image.renditions().default.url in body, "the page itself keeps the featured image"
        assert article.social_image.renditions().default.url not in body

    def test_a_social_image_is_a_library_image_or_nothing(self, desk, section):
        """The library checks uploads and requires alt text; the article only names one of its images."""
        article = make_article(section=section)
        for hostile in ["999999", "<svg onload=alert(1)>", "-1"]:
            data = admin_form(desk, change_url(article), "article_form")
            data["social_image"] = hostile
            response = desk.post(change_url(article), data)
            assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
        article.refresh_from_db()
        assert article.social_image is None
        picture = make_image(title="For sharing", alt="A flooded street")
        data = admin_form(desk, change_url(article), "article_form")
        data["social_image"] = picture.pk
        assert desk.post(change_url(article), data).status_code == 302
        article.refresh_from_db()
        assert article.social_image == picture

    def test_the_seo_title_has_a_limit(self, desk, section):
        response = save(desk, make_article(section=section), seo_title="x" * 121)
        assert response.status_code == 200 and "at most 120 characters" in response.content.decode()

    def test_seo_and_social_changes_are_in_the_history(self, section, desk_editor):
        article = make_article(section=section)
        services.article_save(article=article, user=desk_editor)
        article.seo_title = "Better for search"
        article.social_headline = "Better for sharing"
        services.article_save(article=article, user=desk_editor)
        newer, older = article.revisions.order_by("-version")[:2]
        labels = [diff.label for diff in revisions.compare(older.content, newer.content)]
        assert labels == ["SEO title", "Social headline"]
        services.article_restore(article=article, revision=older, user=desk_editor)
        article.refresh_from_db()
        assert article.seo_title == "" and article.social_headline == ""


class TestAuthors:
    @pytest.fixture
    def ada(self, db):
        author = make_author(
            name="Ada Okafor",
            slug="ada",
            title="Diplomatic correspondent",
            bio="Ada covers diplomacy & aid.",
            links="https://ada.example\nhttps://social.example/@ada",
        )
        return with_image(author, "photo", size=(400, 400), alt="Portrait of Ada Okafor")

    def test_an_author_box_sits_under_the_article(self, client, publication, section, ada):
        article = make_article(section=section, authors=[ada, make_author(name="No Profile")])
        html = client.get(article.get_absolute_url()).content.decode()
        body_end = html.index('<div class="article-body">')
        box = html[html.index('<aside class="author-box"', body_end) :]
        box = box[: box.index("</aside>")]
        assert 'aria-label="About Ada Okafor"' in box
        assert '<a href="/author/ada/" rel="author">Ada Okafor</a>' in box
        assert "Diplomatic correspondent" in box and "Ada covers diplomacy &amp; aid." in box
        assert '<a href="https://ada.example" rel="me noopener">ada.example</a>' in box
        assert 'class="author-photo"' in box and 'alt=""' in box
        assert html.count('class="author-box"') == 1, "an author with no profile gets no empty box"

    def test_json_ld_names_the_author_with_photo_and_profiles(self, client, publication, section, ada):
        article = make_article(section=section, authors=[ada])
        (data,) = [block for block in head_of(client, article.get_absolute_url()).json_ld if "headline" in block]
        (person,) = data["author"]
        assert person["@type"] == "Person" and person["jobTitle"] == "Diplomatic correspondent"
        assert person["sameAs"] == ["https://ada.example", "https://social.example/@ada"]
        assert person["image"].startswith("http://testserver/media/renditions/")

    def test_the_author_page_shows_the_profile(self, client, publication, section, ada):
        make_article(section=section, authors=[ada])
        html = client.get(ada.get_absolute_url()).content.decode()
        profile = html[html.index('<div class="author-profile">') :][:2500]
        assert "Diplomatic correspondent" in profile and "Ada covers diplomacy &amp; aid." in profile
        assert 'class="author-photo"' in profile and 'rel="me noopener"' in profile
        head = head_of(client, ada.get_absolute_url())
        (page,) = head.json_ld
        assert page["@type"] == "ProfilePage" and page["mainEntity"]["sameAs"][0] == "https://ada.example"

    def test_author_pages_stay_within_budget(self, client, publication, section, ada, django_assert_max_num_queries):
        for _number in range(6):
            make_article(section=section, authors=[ada])
        client.get(ada.get_absolute_url())
        with django_assert_max_num_queries(5):
            client.get(ada.get_absolute_url())

    def test_changing_a_profile_tells_the_pages_that_show_it(self, publication, section, ada, heard, committed):
        make_article(slug="by-ada", section=section, authors=[ada])
        with committed():
            ada.bio = "Ada now covers the Pacific."
            ada.save()
        (change,) = heard
        assert "/articles/by-ada/" in change.paths and "/author/ada/" in change.paths

    def test_an_editor_gives_an_author_a_photo_and_links(self, desk, ada):
        from django.urls import reverse

        url = reverse("admin:articles_author_change", args=[ada.pk])
        data = admin_form(desk, url, "author_form")
        data["links"] = "https://ada.example\nhttps://mastodon.example/@ada"
        portrait = make_image(image_bytes(size=(500, 500), format="JPEG"), title="New portrait", alt="Ada")
        data["photo"] = portrait.pk
        assert desk.post(url, data).status_code == 302
        ada.refresh_from_db()
        assert ada.link_list[1] == "https://mastodon.example/@ada" and ada.photo == portrait

    def test_reporters_see_but_do_not_edit_author_profiles(self, reporter):
        from django.urls import reverse

        from tests.articles.desk import logged_in

        author = make_author()
        client = logged_in(reporter)
        url = reverse("admin:articles_author_change", args=[author.pk])
        assert client.post(url, {"name": "Changed", "slug": author.slug}).status_code == 403
