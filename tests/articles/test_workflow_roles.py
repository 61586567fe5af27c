"""What each role may do, proved through the admin pages themselves (workflow.py has the rules)."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from articles.models import Article, Section
from tests.articles.desk import change_url, logged_in
from tests.factories import PASSWORD, image_upload, make_article, make_author, make_user
from tests.html_forms import admin_form, form_values

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_article_changelist")
ADD = reverse("admin:articles_article_add")


def new_article_data(client, section, **values):
    data = admin_form(client, ADD, "article_form")
    data.update(
        headline="Council approves new budget",
        body="<p>The council voted 5-4.</p>",
        section=str(section.pk),
        tags="Budget, Local politics",
    )
    data.update(values)
    return data


@pytest.fixture
def others_draft(section, desk_editor):
    return make_article(
        headline="Someone else's scoop",
        section=section,
        status=Article.Status.DRAFT,
        published_at=None,
        created_by=desk_editor,
    )


@pytest.fixture
def own_draft(section, reporter):
    return make_article(
        headline="My own draft", section=section, status=Article.Status.DRAFT, published_at=None, created_by=reporter
    )


def test_the_data_migration_makes_the_groups_with_their_permissions():
    reporters = set(Group.objects.get(name="Reporters").permissions.values_list("codename", flat=True))
    editors = set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))
    assert {"add_article", "change_article", "view_article"} <= reporters
    assert "publish_article" not in reporters and "add_section" not in reporters
    assert {"publish_article", "change_article", "delete_article", "add_section", "change_author"} <= editors
    assert {"add_publisher", "add_correction", "change_tag", "view_articlerevision"} <= editors
    assert {"add_image", "change_image", "view_image"} <= reporters and "delete_image" not in reporters
    assert {"add_image", "change_image", "delete_image", "view_embed"} <= editors


class TestReporter:
    def test_sees_only_their_own_articles_in_the_list(self, reporter, own_draft, others_draft):
        html = logged_in(reporter).get(CHANGELIST).content.decode()
        assert "My own draft" in html
        assert "Someone else&#x27;s scoop" not in html and "Someone else's scoop" not in html

    def test_cannot_open_someone_elses_article(self, reporter, others_draft):
        client = logged_in(reporter)
        response = client.get(change_url(others_draft), follow=True)
        html = response.content.decode()
        assert "Someone else" not in html
        assert response.redirect_chain == [(CHANGELIST, 302)]
        # Said as it is: the article is a colleague's, not deleted.
        assert "doesn’t exist" not in html and "Perhaps it was deleted" not in html
        assert "That article is a colleague’s: reporters open only the pieces they started" in html
        history = client.get(reverse("admin:articles_article_history", args=[others_draft.pk]), follow=True)
        assert history.redirect_chain == [(CHANGELIST, 302)]
        assert "Someone else" not in history.content.decode()
        missing = client.get(reverse("admin:articles_article_change", args=[999999]), follow=True)
        assert "Perhaps it was deleted" in missing.content.decode()  # a missing article is still said to be missing
        assert client.get(reverse("admin:articles_article_preview", args=[others_draft.pk])).status_code == 404

    def test_writes_a_draft_that_is_theirs_with_their_byline(self, reporter, section):
        client = logged_in(reporter)
        response = client.post(ADD, new_article_data(client, section))
        assert response.status_code == 302, response.content.decode()[:2000]
        article = Article.objects.get()
        assert article.status == Article.Status.DRAFT
        assert article.created_by == reporter
        assert [author.name for author in article.authors_in_order] == ["Rita Reporter"]
        assert sorted(article.tags.names()) == ["Budget", "Local politics"]
        assert article.revisions.get().created_by == reporter

    def test_is_offered_only_draft_and_review_and_cannot_publish_by_forging_the_form(self, reporter, section):
        client = logged_in(reporter)
        html = client.get(ADD).content.decode()
        assert 'value="review"' in html and 'value="published"' not in html and 'value="unpublished"' not in html
        assert "Submit for review" in html and ">Publish<" not in html
        assert 'name="published_at_0"' not in html, "reporters do not pick publication times"

        forged = client.post(ADD, new_article_data(client, section, status="published"))
        assert forged.status_code == 200
        assert "Select a valid choice" in forged.content.decode()
        forged = client.post(ADD, new_article_data(client, section, _transition="published"))
        assert forged.status_code == 200
        assert "You may not make that change of state." in forged.content.decode()
        sneaky = client.post(
            ADD, new_article_data(client, section, published_at_0="2020-01-01", published_at_1="10:00")
        )
        assert sneaky.status_code == 302
        assert Article.objects.get().published_at is None
        assert not Article.objects.published().exists()

    def test_edits_and_submits_their_draft_then_it_is_locked(self, reporter, own_draft):
        client = logged_in(reporter)
        data = admin_form(client, change_url(own_draft), "article_form")
        data.update(headline="My own draft, polished", _transition="review")
        assert client.post(change_url(own_draft), data).status_code == 302
        own_draft.refresh_from_db()
        assert own_draft.status == Article.Status.IN_REVIEW
        assert own_draft.headline == "My own draft, polished"

        html = client.get(change_url(own_draft)).content.decode()
        assert 'name="_save"' not in html, "in review, the reporter's copy is read-only"
        assert "Withdraw from review" in html
        data["headline"] = "Sneaky late change"
        assert client.post(change_url(own_draft), data).status_code == 403
        own_draft.refresh_from_db()
        assert own_draft.headline == "My own draft, polished"

    def test_can_withdraw_a_submission_and_edit_again(self, reporter, own_draft):
        own_draft.status = Article.Status.IN_REVIEW
        own_draft.save()
        client = logged_in(reporter)
        transition = reverse("admin:articles_article_transition", args=[own_draft.pk])
        response = client.post(transition, {"to": "draft", "version": own_draft.version}, follow=True)
        assert "is now: Draft" in response.content.decode()
        own_draft.refresh_from_db()
        assert own_draft.status == Article.Status.DRAFT
        assert 'name="_save"' in client.get(change_url(own_draft)).content.decode()
        assert client.post(transition, {"to": "published", "version": own_draft.version}).status_code == 302
        own_draft.refresh_from_db()
        assert own_draft.status == Article.Status.DRAFT

    def test_sees_their_published_piece_read_only(self, reporter, section):
        article = make_article(headline="My big story", section=section, created_by=reporter)
        client = logged_in(reporter)
        response = client.get(change_url(article))
        html = response.content.decode()
        assert response.status_code == 200
        assert "My big story" in html and 'name="_save"' not in html and 'name="headline"' not in html
        data = form_values(html, "article_form")
        data.update(headline="Quietly changed", status="published")
        assert client.post(change_url(article), data).status_code == 403
        article.refresh_from_db()
        assert article.headline == "My big story"

    def test_pieces_with_their_byline_count_as_theirs(self, reporter, section, desk_editor):
        author = reporter.author_profile
        article = make_article(
            headline="Filed for Rita",
            section=section,
            status=Article.Status.DRAFT,
            published_at=None,
            created_by=desk_editor,
            authors=[author],
        )
        client = logged_in(reporter)
        assert "Filed for Rita" in client.get(CHANGELIST).content.decode()
        assert 'name="_save"' in client.get(change_url(article)).content.decode()

    def test_cannot_use_bulk_publish_or_bulk_delete(self, reporter, own_draft):
        client = logged_in(reporter)
        html = client.get(CHANGELIST).content.decode()
        assert "publish_now" not in html and "delete_selected" not in html
        client.post(CHANGELIST, {"action": "publish_now", "_selected_action": [own_draft.pk]})
        own_draft.refresh_from_db()
        assert own_draft.status == Article.Status.DRAFT

    def test_deletes_only_their_own_drafts(self, reporter, own_draft, section):
        published = make_article(section=section, created_by=reporter)
        client = logged_in(reporter)
        assert client.get(reverse("admin:articles_article_delete", args=[published.pk])).status_code == 403
        response = client.post(reverse("admin:articles_article_delete", args=[own_draft.pk]), {"post": "yes"})
        assert response.status_code == 302
        assert list(Article.objects.all()) == [published]

    def test_cannot_manage_sections_or_publishers(self, reporter):
        client = logged_in(reporter)
        assert client.get(reverse("admin:articles_section_add")).status_code == 403
        assert client.get(reverse("admin:articles_publisher_add")).status_code == 403
        assert client.get(reverse("admin:articles_section_changelist")).status_code == 200  # to pick one

    def test_previews_own_draft_on_the_site_but_not_others(self, reporter, own_draft, others_draft):
        client = logged_in(reporter)
        assert client.get(own_draft.get_absolute_url()).status_code == 200
        assert client.get(others_draft.get_absolute_url()).status_code == 404


class TestEditor:
    def test_sees_and_edits_everyones_work(self, desk_editor, own_draft, others_draft):
        client = logged_in(desk_editor)
        html = client.get(CHANGELIST).content.decode()
        assert "My own draft" in html and "Someone else" in html
        data = admin_form(client, change_url(own_draft), "article_form")
        data["headline"] = "Edited by the desk"
        assert client.post(change_url(own_draft), data).status_code == 302
        own_draft.refresh_from_db()
        assert own_draft.headline == "Edited by the desk"

    def test_publishes_schedules_and_unpublishes(self, desk_editor, own_draft):
        client = logged_in(desk_editor)
        html = client.get(change_url(own_draft)).content.decode()
        for value in ["draft", "review", "published"]:
            assert f'value="{value}"' in html
        data = admin_form(client, change_url(own_draft), "article_form")
        data["_transition"] = "published"
        assert client.post(change_url(own_draft), data).status_code == 302
        own_draft.refresh_from_db()
        assert own_draft.is_published()

        data = admin_form(client, change_url(own_draft), "article_form")
        data["_transition"] = "unpublished"
        assert client.post(change_url(own_draft), data).status_code == 302
        own_draft.refresh_from_db()
        assert own_draft.status == Article.Status.UNPUBLISHED

    def test_manages_sections_tags_publishers_and_authors(self, desk_editor):
        client = logged_in(desk_editor)
        for name in ["section", "publisher", "author"]:
            assert client.get(reverse(f"admin:articles_{name}_add")).status_code == 200, name
        assert client.get(reverse("admin:taggit_tag_changelist")).status_code == 200
        response = client.post(
            reverse("admin:articles_section_add"),
            {"name": "Science", "slug": "science", "position": 3, "description": ""},
        )
        assert response.status_code == 302
        assert Section.objects.filter(slug="science").exists()

    def test_cannot_delete_corrections_but_a_superuser_can(self, desk_editor, section):
        from django.contrib import admin
        from django.test import RequestFactory

        from articles.admin.inlines import CorrectionInline

        inline = CorrectionInline(Article, admin.site)
        request = RequestFactory().get("/")
        request.user = desk_editor
        assert not inline.has_delete_permission(request) and not inline.has_change_permission(request)
        request.user = make_user("boss", is_superuser=True)
        assert inline.has_delete_permission(request)


def test_staff_without_a_role_cannot_open_articles(db):
    client = logged_in(make_user("intern"))
    assert client.get(CHANGELIST).status_code == 403
    assert client.get(ADD).status_code == 403


def test_superuser_can_do_everything_including_bulk_publish(db, section):
    boss = make_user("boss", is_superuser=True)
    draft = make_article(section=section, status=Article.Status.DRAFT, published_at=None)
    client = logged_in(boss)
    client.post(CHANGELIST, {"action": "publish_now", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.is_published()
    assert client.get(reverse("admin:articles_section_add")).status_code == 200


def test_reporter_logs_in_with_a_password_and_lands_on_their_desk(client, reporter, own_draft):
    response = client.post(
        reverse("admin:login"), {"username": "reporter", "password": PASSWORD, "next": "/admin/"}, follow=True
    )
    html = response.content.decode()
    assert "My drafts" in html and "My own draft" in html
    assert "Recently published" not in html


def test_reporter_uploads_an_image_with_their_draft(reporter, section):
    client = logged_in(reporter)
    data = new_article_data(client, section, new_image=image_upload(), new_image_alt="A red square")
    assert client.post(ADD, data).status_code == 302
    image = Article.objects.get().image
    assert image.file.name.startswith("originals/") and image.alt == "A red square"
    assert image.uploaded_by == reporter


def test_reporters_use_the_library_and_change_only_their_own_uploads(reporter, desk_editor, section):
    from articles.models import Image
    from tests.factories import make_image

    theirs = make_image(title="Desk photo")
    theirs.uploaded_by = desk_editor
    theirs.save()
    client = logged_in(reporter)
    assert client.get(reverse("admin:articles_image_changelist")).status_code == 200
    assert client.get(reverse("admin:articles_image_add")).status_code == 200
    page = client.get(reverse("admin:articles_image_change", args=[theirs.pk])).content.decode()
    assert 'name="alt"' not in page  # read-only for them
    assert client.get(reverse("admin:articles_image_library") + "?q=desk").json()["results"][0]["id"] == theirs.pk
    assert client.get(reverse("admin:articles_image_delete", args=[theirs.pk])).status_code == 403
    assert Image.objects.count() == 1


def test_editor_with_an_author_profile_is_credited_on_new_articles(desk_editor, section):
    make_author(name="Dana Desk", slug="dana", user=desk_editor)
    client = logged_in(desk_editor)
    assert client.post(ADD, new_article_data(client, section)).status_code == 302
    assert [author.name for author in Article.objects.get().authors_in_order] == ["Dana Desk"]


def test_a_read_only_page_shows_the_body_formatted_not_as_html_source(reporter, section):
    article = make_article(section=section, created_by=reporter, body="<p>First <strong>bold</strong> para.</p>")
    html = logged_in(reporter).get(change_url(article)).content.decode()
    assert '<div class="workflow-body"><p>First <strong>bold</strong> para.</p></div>' in html
    assert "&lt;p&gt;" not in html
