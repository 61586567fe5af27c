"""The data migration to TaggedArticle (a real foreign key to the article): every article keeps its tags."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("articles", "0016_social_image_and_photo_fields")]
AFTER = [("articles", "0017_article_tags_foreign_key")]
# Back to the latest migration afterwards, so the models the rest of the suite uses match the tables again.
LATEST = MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes("articles")


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_existing_article_tags_move_to_the_foreign_key_and_back(publication):
    apps = migrate(BEFORE)
    Article = apps.get_model("articles", "Article")
    Section = apps.get_model("articles", "Section")
    Tag = apps.get_model("taggit", "Tag")
    TaggedItem = apps.get_model("taggit", "TaggedItem")
    ContentType = apps.get_model("contenttypes", "ContentType")
    article_type, _ = ContentType.objects.get_or_create(app_label="articles", model="article")
    section_type, _ = ContentType.objects.get_or_create(app_label="articles", model="section")
    section = Section.objects.create(name="World", slug="world")
    first = Article.objects.create(headline="First", slug="first", section=section)
    second = Article.objects.create(headline="Second", slug="second", section=section)
    japan, navy, other = (Tag.objects.create(name=name, slug=name.lower()) for name in ["Japan", "Navy", "Other"])
    for article, tags in [(first, [navy, japan]), (second, [japan])]:
        for tag in tags:
            TaggedItem.objects.create(content_type=article_type, object_id=article.pk, tag=tag)
    TaggedItem.objects.create(content_type=article_type, object_id=99999, tag=other)  # a deleted article's
    TaggedItem.objects.create(content_type=section_type, object_id=section.pk, tag=other)  # not an article

    try:
        apps = migrate(AFTER)
        TaggedArticle = apps.get_model("articles", "TaggedArticle")
        moved = list(TaggedArticle.objects.order_by("pk").values_list("content_object__slug", "tag__name"))
        assert moved == [("first", "Navy"), ("first", "Japan"), ("second", "Japan")]
        left = apps.get_model("taggit", "TaggedItem").objects.values_list("content_type__model", "tag__name")
        assert list(left) == [("section", "Other")]

        apps = migrate(BEFORE)
        TaggedItem = apps.get_model("taggit", "TaggedItem")
        back = TaggedItem.objects.filter(content_type__model="article").order_by("pk")
        assert list(back.values_list("object_id", "tag__name")) == [
            (first.pk, "Navy"),
            (first.pk, "Japan"),
            (second.pk, "Japan"),
        ]
    finally:
        migrate(LATEST)


def test_existing_tags_get_their_articles_publication_time(publication):
    from datetime import UTC, datetime

    apps = migrate([("articles", "0019_article_rows_out_of_line")])
    Article = apps.get_model("articles", "Article")
    Section = apps.get_model("articles", "Section")
    Tag = apps.get_model("taggit", "Tag")
    TaggedArticle = apps.get_model("articles", "TaggedArticle")
    section = Section.objects.create(name="World", slug="world")
    when = datetime(2025, 3, 4, 5, 6, tzinfo=UTC)
    published = Article.objects.create(headline="Published", slug="published", section=section, published_at=when)
    draft = Article.objects.create(headline="Draft", slug="draft", section=section)
    japan = Tag.objects.create(name="Japan", slug="japan")
    for article in (published, draft):
        TaggedArticle.objects.create(content_object=article, tag=japan)
    try:
        apps = migrate([("articles", "0020_tag_publication_time")])
        copies = apps.get_model("articles", "TaggedArticle").objects.values_list("content_object__slug", "published_at")
        assert dict(copies) == {"published": when, "draft": None}
    finally:
        migrate(LATEST)
