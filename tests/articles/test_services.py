"""The article service called directly, as the WordPress import and the API call it."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from articles import services
from articles.models import Article, Correction, SlugRedirect
from articles.models import article as article_module
from tests.articles.desk import change_url
from tests.factories import make_author, make_section
from tests.html_forms import admin_form

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
Status = Article.Status


@pytest.fixture(autouse=True)
def _clock_at_now():
    with time_machine.travel(NOW, tick=True):
        yield


def new_article(section, **fields):
    return Article(headline=fields.pop("headline", "Flood warning for the Elbe"), section=section, **fields)


def test_creates_an_article_with_tags_ordered_bylines_and_a_first_revision(section):
    second, first = make_author(name="Zoe Zed"), make_author(name="Abe Able")
    article = services.article_save(article=new_article(section), tags=["Weather", "Rivers"], authors=[second, first])
    stored = Article.objects.get(pk=article.pk)
    assert stored.slug == "flood-warning-for-the-elbe" and stored.version == 1
    assert stored.authors_in_order == [second, first], "bylines keep the order given, not the alphabet"
    assert sorted(stored.tags.names()) == ["Rivers", "Weather"]
    (revision,) = stored.revisions.all()
    assert revision.version == 1 and revision.summary == "Created"
    assert revision.content["tags"] == ["Rivers", "Weather"]
    assert [byline["name"] for byline in revision.content["bylines"]] == ["Zoe Zed", "Abe Able"]


def test_an_update_bumps_the_version_and_records_what_it_did(section):
    article = services.article_save(article=new_article(section))
    article.headline = "Flood warning lifted"
    services.article_save(article=article, expected_version=1)
    assert Article.objects.get(pk=article.pk).version == 2
    assert list(article.revisions.order_by("version").values_list("summary", flat=True)) == ["Created", "Edited"]


def test_a_stale_save_is_refused_and_changes_nothing(section):
    article = services.article_save(article=new_article(section))
    mine, theirs = Article.objects.get(pk=article.pk), Article.objects.get(pk=article.pk)
    theirs.headline = "Their version"
    services.article_save(article=theirs, expected_version=1)
    mine.headline = "My version"
    with pytest.raises(ValidationError) as refused:
        services.article_save(article=mine, expected_version=1, tags=["Mine"])
    assert refused.value.code == "stale"
    stored = Article.objects.get(pk=article.pk)
    assert (stored.headline, stored.version, list(stored.tags.names())) == ("Their version", 2, [])


def test_invalid_content_is_refused_before_anything_is_written(section):
    with pytest.raises(ValidationError) as refused:
        services.article_save(article=new_article(section, original_url="https://example.com/original"))
    assert "publisher" in refused.value.message_dict
    assert not Article.objects.exists()


def test_transitions_follow_the_roles(section, reporter, desk_editor):
    draft = services.article_save(article=new_article(section, created_by=reporter), user=reporter)
    services.article_transition(article=draft, user=reporter, to_status=Status.IN_REVIEW, expected_version=1)
    assert Article.objects.get(pk=draft.pk).status == Status.IN_REVIEW
    with pytest.raises(PermissionDenied):
        services.article_transition(article=draft, user=reporter, to_status=Status.PUBLISHED)
    draft.status = Status.PUBLISHED
    with pytest.raises(PermissionDenied):
        services.article_save(article=draft, user=reporter)
    draft.status = Status.IN_REVIEW
    services.article_transition(article=draft, user=desk_editor, to_status=Status.PUBLISHED)
    published = Article.objects.get(pk=draft.pk)
    assert published.is_published() and published.published_at == NOW.replace(
        microsecond=published.published_at.microsecond
    )
    assert list(published.revisions.order_by("version").values_list("summary", flat=True)) == [
        "Created",
        "Submitted for review",
        "Published",
    ]


def test_publishing_before_the_embargo_is_refused(section, desk_editor):
    article = services.article_save(article=new_article(section, embargo_until=NOW + timedelta(hours=2)))
    with pytest.raises(ValidationError) as refused:
        services.article_publish_now(article=article, user=desk_editor)
    assert refused.value.error_dict["published_at"][0].code == "embargoed"
    assert Article.objects.get(pk=article.pk).status == Status.DRAFT


def test_scheduling_keeps_the_future_time(section, desk_editor):
    article = services.article_save(
        article=new_article(section, status=Status.PUBLISHED, published_at=NOW + timedelta(hours=3)), user=desk_editor
    )
    assert article.is_scheduled and not Article.objects.published().exists()
    assert article.revisions.get().summary.startswith("Scheduled for")


def test_corrections_are_appended_dated_and_named_in_the_revision(section, desk_editor):
    article = services.article_save(article=new_article(section, status=Status.PUBLISHED))
    services.article_save(
        article=article,
        user=desk_editor,
        corrections=[(Correction.Kind.CORRECTION, "The river is the Elbe, not the Oder.")],
    )
    (note,) = article.corrections.all()
    assert (note.text, note.created_by, note.created_at.replace(microsecond=0)) == (
        "The river is the Elbe, not the Oder.",
        desk_editor,
        NOW,
    )
    assert article.revisions.get(version=2).summary == "Edited; correction or update added"


def test_a_published_articles_old_slug_keeps_working(section):
    article = services.article_save(article=new_article(section, status=Status.PUBLISHED, slug="flood"))
    article.slug = "flood-warning"
    services.article_save(article=article)
    assert SlugRedirect.objects.get().old_slug == "flood"


def test_restore_brings_back_text_tags_and_bylines_as_a_new_revision(section, desk_editor):
    author = make_author(name="Abe Able")
    article = services.article_save(article=new_article(section), tags=["Rivers"], authors=[author])
    article.headline, article.status = "Rewritten", Status.PUBLISHED
    services.article_save(article=article, tags=["Other"], authors=[])
    restored = services.article_restore(article=article, revision=article.revisions.get(version=1), user=desk_editor)
    stored = Article.objects.get(pk=article.pk)
    assert (stored.headline, stored.status, stored.version) == ("Flood warning for the Elbe", Status.PUBLISHED, 3)
    assert list(stored.tags.names()) == ["Rivers"] and stored.authors_in_order == [author]
    assert restored.summary == "Restored version 1"


def test_a_headline_slug_taken_meanwhile_by_another_save_is_made_again(section, monkeypatch):
    """Two saves of the same headline at once both see the slug free; the database refuses the second,
    and the service makes its slug again instead of failing."""
    services.article_save(article=new_article(section, headline="Storm"))
    real = article_module.unique_slug
    calls = []

    def as_if_not_yet_committed(*args, **kwargs):
        calls.append(args)
        return "storm" if len(calls) == 1 else real(*args, **kwargs)

    monkeypatch.setattr(article_module, "unique_slug", as_if_not_yet_committed)
    second = services.article_save(article=new_article(section, headline="Storm"))
    assert second.slug == "storm-2" and len(calls) == 2


def test_a_chosen_slug_that_is_taken_is_a_validation_error(section):
    services.article_save(article=new_article(section, slug="storm"))
    with pytest.raises(ValidationError) as refused:
        services.article_save(article=new_article(section, slug="storm"))
    assert "slug" in refused.value.message_dict


def test_the_admin_hands_tags_bylines_and_notes_to_the_service_in_one_save(desk, section):
    article = services.article_save(article=new_article(section, status=Status.PUBLISHED))
    first, second = make_author(name="First"), make_author(name="Second")
    data = admin_form(desk, change_url(article), "article_form")
    data.update(
        {
            "tags": "Rivers, Weather",
            "section": make_section(name="Weather", slug="weather").pk,
            "bylines-TOTAL_FORMS": "2",
            "bylines-0-author": second.pk,
            "bylines-0-position": "1",
            "bylines-1-author": first.pk,
            "bylines-1-position": "0",
            "corrections-TOTAL_FORMS": "1",
            "corrections-0-kind": "update",
            "corrections-0-text": "Adds the forecast.",
        }
    )
    assert desk.post(change_url(article), data).status_code == 302
    stored = Article.objects.get(pk=article.pk)
    assert stored.version == 2 and stored.authors_in_order == [first, second]
    assert sorted(stored.tags.names()) == ["Rivers", "Weather"]
    revision = stored.revisions.get(version=2)
    assert revision.summary == "Edited; correction or update added" and revision.content["section"]["name"] == "Weather"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="search vectors exist on PostgreSQL only")
def test_one_admin_save_updates_the_search_vector_once(desk, section, django_assert_max_num_queries):
    article = services.article_save(article=new_article(section, status=Status.PUBLISHED), tags=["Rivers"])
    data = admin_form(desk, change_url(article), "article_form")
    data.update({"headline": "Flood warning lifted", "tags": "Rivers, Weather"})
    with django_assert_max_num_queries(200) as save:
        assert desk.post(change_url(article), data).status_code == 302
    updates = [query["sql"] for query in save.captured_queries if "SET search_vector" in query["sql"]]
    assert len(updates) == 1
    assert "WHERE a.id = ANY" in updates[0]


def test_a_batch_of_saves_announces_once_and_reindexes_once_keeping_each_revision(section, committed, task_backend):
    from taggit.models import Tag

    from articles import events

    heard = []

    def receiver(sender, change, **kwargs):
        heard.append(change)

    events.content_changed.connect(receiver)
    try:
        with committed(), services.article_batch():
            tag = Tag.objects.create(name="Rivers", slug="rivers")
            first = services.article_save(
                article=new_article(section, status=Status.PUBLISHED), tags=[tag], summary="Imported"
            )
            second = services.article_save(
                article=new_article(section, headline="Dam opens", status=Status.PUBLISHED), tags=["Dams"]
            )
    finally:
        events.content_changed.disconnect(receiver)
    assert [change.kind for change in heard] == [events.ARTICLES_IMPORTED]
    assert heard[0].everything and ("articles.article", first.pk) in heard[0].objects
    reindex = [result.args for result in task_backend.results if result.task.name == "reindex_articles"]
    assert [list(args) for args in reindex] == [[[first.pk, second.pk]]]
    assert first.revisions.get().summary == "Imported" and first.revisions.get().content["tags"] == ["Rivers"]
    assert list(second.tags.names()) == ["Dams"]


def test_a_save_may_keep_the_modification_time_of_the_source(section):
    then = NOW - timedelta(days=400)
    article = services.article_save(
        article=new_article(section, status=Status.PUBLISHED, published_at=then), modified_at=then
    )
    assert Article.objects.get(pk=article.pk).updated_at == then and not article.was_updated
