"""Revisions (who, when, full content), readable diffs, restore, and no lost edits."""

import pytest
from django.urls import reverse

from articles import revisions, services
from articles.models import Article, ArticleRevision, Byline
from tests.articles.desk import change_url, logged_in, save
from tests.factories import make_article, make_author, make_image, make_publisher, make_user
from tests.html_forms import admin_form, form_values

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(section):
    return make_article(
        headline="Mayor opens bridge",
        body="<p>The mayor opened the bridge on Monday.</p><p>It cost 3 million.</p>",
        section=section,
        authors=[make_author(name="Ada Lovelace")],
        publisher=make_publisher(name="City Wire"),
        tags=["Bridges", "City hall"],
    )


class TestRevisions:
    def test_every_save_keeps_who_when_and_the_full_content(self, desk, desk_editor, story):
        save(desk, story, headline="Mayor opens new bridge", tags="Bridges, Transport")
        save(desk, story, dek="A long-awaited crossing.")
        baseline, first, second = story.revisions.order_by("version")
        assert baseline.version == 1 and baseline.created_by is None
        assert baseline.summary == "As it was before its first edit on the desk"
        assert baseline.content["headline"] == "Mayor opens bridge", "history starts from what readers saw"
        assert (first.version, second.version) == (2, 3)
        assert first.created_by == second.created_by == desk_editor
        assert first.summary == "Edited"
        content = second.content
        assert content["headline"] == "Mayor opens new bridge"
        assert content["dek"] == "A long-awaited crossing."
        assert content["body"] == "<p>The mayor opened the bridge on Monday.</p><p>It cost 3 million.</p>"
        assert content["tags"] == ["Bridges", "Transport"]
        assert content["bylines"] == [{"id": story.authors_in_order[0].pk, "name": "Ada Lovelace"}]
        assert content["publisher"]["name"] == "City Wire" and content["section"]["name"] == story.section.name
        assert content["status"] == "published" and content["published_at"]

    def test_history_lists_the_revisions_newest_first(self, desk, story):
        save(desk, story, headline="Second headline")
        save(desk, story, headline="Third headline")
        html = desk.get(reverse("admin:articles_article_history", args=[story.pk])).content.decode()
        assert html.index("Third headline") < html.index("Second headline")
        assert "Dana Desk" in html and "(current)" in html
        assert f'href="{reverse("admin:articles_article_revision", args=[story.pk, 2])}"' in html

    def test_compare_shows_a_readable_escaped_diff_of_any_two_revisions(self, desk, story):
        save(desk, story, headline="Mayor opens bridge")
        save(
            desk,
            story,
            headline="Mayor <b>opens</b> bridge & road",
            body="<p>The mayor opened the bridge on Tuesday.</p><p>It cost 3 million.</p><p>New paragraph.</p>",
        )
        save(desk, story, tags="Bridges")
        url = reverse("admin:articles_article_compare", args=[story.pk])
        html = desk.get(url, {"from": 2, "to": 4}).content.decode()
        assert "<del>Monday</del><ins>Tuesday</ins>" in html
        assert '<li class="workflow-diff-added"><ins>New paragraph.</ins></li>' in html
        assert "Mayor <ins>&lt;b&gt;</ins>opens<ins>&lt;/b&gt;</ins> bridge<ins> &amp; road</ins>" in html
        assert "<b>opens</b>" not in html
        assert "<del>, City hall</del>" in html
        assert "It cost 3 million." in html, "unchanged paragraphs give context"
        reversed_order = desk.get(url, {"from": 4, "to": 2}).content.decode()
        assert "From version 2 to version 4" in reversed_order

    @pytest.mark.parametrize(
        "query", [{}, {"from": "x", "to": "2"}, {"from": "2", "to": "99"}, {"from": "-1", "to": "2"}]
    )
    def test_bad_compare_requests_are_404_not_500(self, desk, story, query):
        save(desk, story, headline="Another")
        assert desk.get(reverse("admin:articles_article_compare", args=[story.pk]), query).status_code == 404

    def test_a_revision_page_reads_the_whole_version(self, desk, story):
        save(desk, story, headline="Old wording")
        save(desk, story, headline="New wording")
        html = desk.get(reverse("admin:articles_article_revision", args=[story.pk, 2])).content.decode()
        assert "Old wording" in html and "The mayor opened the bridge on Monday." in html
        assert "Restore version 2" in html
        assert desk.get(reverse("admin:articles_article_revision", args=[story.pk, 99])).status_code == 404


class TestRestore:
    def test_restoring_brings_the_content_back_as_a_new_revision(self, desk, story, section):
        save(desk, story, headline="Original wording")
        other = make_author(name="Grace Hopper")
        data = admin_form(desk, change_url(story), "article_form")
        data.update(
            {
                "headline": "Changed wording",
                "tags": "Other",
                "bylines-0-author": str(other.pk),
                "image": str(make_image().pk),
            }
        )
        assert desk.post(change_url(story), data).status_code == 302
        story.refresh_from_db()
        version = story.version
        response = desk.post(reverse("admin:articles_article_restore", args=[story.pk, 2]), {"version": version})
        assert response.status_code == 302
        story.refresh_from_db()
        assert story.headline == "Original wording"
        assert sorted(story.tags.names()) == ["Bridges", "City hall"]
        assert [a.name for a in story.authors_in_order] == ["Ada Lovelace"]
        assert story.image is None  # the featured image chosen after version 2 is gone again
        assert story.status == Article.Status.PUBLISHED, "restoring wording does not change the state"
        latest = story.revisions.first()
        assert latest.version == version + 1 == story.version
        assert latest.summary == "Restored version 2"
        assert story.revisions.count() == 4  # the baseline, two edits, the restore

    def test_restore_from_a_stale_page_is_refused(self, desk, story):
        save(desk, story, headline="One")
        save(desk, story, headline="Two")
        response = desk.post(reverse("admin:articles_article_restore", args=[story.pk, 2]), {"version": 2}, follow=True)
        assert "Someone else saved this article since you opened its history" in response.content.decode()
        story.refresh_from_db()
        assert story.headline == "Two"

    def test_restore_needs_a_post_and_the_right_to_edit(self, desk, story, reporter):
        save(desk, story, headline="One")
        url = reverse("admin:articles_article_restore", args=[story.pk, 2])
        assert desk.get(url).status_code == 302
        story.created_by = reporter
        story.save()
        writer = logged_in(reporter)
        assert writer.post(url, {"version": story.version}).status_code == 403
        assert (
            "Restore version"
            not in writer.get(reverse("admin:articles_article_revision", args=[story.pk, 2])).content.decode()
        )

    def test_restoring_skips_authors_deleted_since(self, desk, story, desk_editor):
        save(desk, story, headline="With Ada")
        author = story.authors_in_order[0]
        Byline.objects.filter(author=author).delete()
        author.delete()
        story.refresh_from_db()
        services.article_restore(article=story, revision=story.revisions.get(version=2), user=desk_editor)
        assert story.authors_in_order == []
        assert story.headline == "With Ada"


class TestNoLostEdits:
    def test_the_second_of_two_simultaneous_saves_is_refused_with_a_link_to_the_other_change(self, story, desk_editor):
        alice, bob = logged_in(desk_editor), logged_in(make_user("bob", group="Editors"))
        alices_form = admin_form(alice, change_url(story), "article_form")
        bobs_form = admin_form(bob, change_url(story), "article_form")
        assert alices_form["version"] == bobs_form["version"] == "1"

        alices_form["headline"] = "Alice's headline"
        assert alice.post(change_url(story), alices_form).status_code == 302

        bobs_form["headline"] = "Bob's headline"
        response = bob.post(change_url(story), bobs_form)
        html = response.content.decode()
        assert response.status_code == 200
        assert "Dana Desk saved this article at" in html
        assert "Your changes are below, not saved." in html
        assert "history/compare/" in html or "/history/" in html
        assert "Bob&#x27;s headline" in html, "Bob's edit is still in the form"
        story.refresh_from_db()
        assert story.headline == "Alice's headline"

        again = form_values(html, "article_form")
        assert again["version"] == "2"
        assert bob.post(change_url(story), again).status_code == 302
        story.refresh_from_db()
        assert story.headline == "Bob's headline"
        assert [r.created_by and r.created_by.username for r in story.revisions.order_by("version")] == [
            None,
            "desk",
            "bob",
        ]

    def test_the_conflict_links_to_the_diff_of_the_other_change(self, story, desk):
        save(desk, story, headline="Base")
        stale = admin_form(desk, change_url(story), "article_form")
        save(desk, story, headline="Theirs")
        stale["headline"] = "Mine"
        html = desk.post(change_url(story), stale).content.decode()
        compare = reverse("admin:articles_article_compare", args=[story.pk])
        assert f'href="{compare}?from=2&amp;to=3"' in html
        assert "<ins>Theirs</ins>" in desk.get(compare, {"from": 2, "to": 3}).content.decode()

    @pytest.mark.parametrize("version", ["", "abc", "-5", "999"])
    def test_a_missing_or_forged_version_is_refused_not_saved(self, story, desk, version):
        data = admin_form(desk, change_url(story), "article_form")
        data.update(headline="Forged", version=version)
        response = desk.post(change_url(story), data)
        assert response.status_code == 200
        story.refresh_from_db()
        assert story.headline != "Forged"

    def test_a_bulk_action_also_makes_open_forms_stale(self, story, desk):
        stale = admin_form(desk, change_url(story), "article_form")
        desk.post(reverse("admin:articles_article_changelist"), {"action": "unpublish", "_selected_action": [story.pk]})
        stale["headline"] = "Edited after the unpublish"
        assert desk.post(change_url(story), stale).status_code == 200
        story.refresh_from_db()
        assert story.status == Article.Status.UNPUBLISHED


class TestDiffText:
    def test_rich_text_becomes_paragraph_lines_with_link_addresses(self):
        html = '<p>See <a href="https://example.com/x">the report</a> &amp; more.</p><ul><li>One</li><li>Two</li></ul>'
        assert revisions.html_to_lines(html) == ["See the report (https://example.com/x) & more.", "One", "Two"]

    def test_inline_diff_escapes_everything(self):
        marked = revisions.inline_diff("a <script> b", "a <img onerror=x> b")
        assert "<script>" not in marked and "<img" not in marked
        assert "<del>" in marked and "<ins>" in marked

    def test_identical_snapshots_have_no_differences(self, story):
        content = revisions.snapshot(story)
        assert revisions.compare(content, content) == []

    def test_revisions_survive_the_deletion_of_their_author(self, desk, story, desk_editor):
        save(desk, story, headline="Kept")
        desk_editor.delete()
        assert ArticleRevision.objects.get(version=2).created_by is None
