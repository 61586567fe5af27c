"""The data migration: featured images move into the media library, nothing lost, no original left public."""

import io
import json

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from PIL import Image as PILImage

from tests.factories import jpeg_with_exif

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("articles", "0012_media_library")]
# After: the latest migration, so the models the rest of the suite uses match the tables again.
AFTER = MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes("articles")


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture(autouse=True)
def back_to_the_latest_schema():
    """Even when a test fails half-way, the tests after it find the tables they expect."""
    yield
    migrate(AFTER)


def test_featured_images_and_revisions_move_into_the_library(publication):
    apps = migrate(BEFORE)
    Article = apps.get_model("articles", "Article")
    Section = apps.get_model("articles", "Section")
    ArticleRevision = apps.get_model("articles", "ArticleRevision")
    public = storages["default"]
    name = public.save("articles/2026/05/harbour.jpg", ContentFile(jpeg_with_exif(size=(800, 600))))
    old_only = public.save("articles/2026/04/first-try.jpg", ContentFile(jpeg_with_exif(size=(400, 300))))
    rendition = public.save("renditions/v1/articles/2026/05/harbour-800w.jpg", ContentFile(b"re-encoded"))
    entry = {"name": rendition, "width": 800, "height": 600, "mime": "image/jpeg", "size": 10}
    manifest = {"source": name, "width": 800, "height": 600, "webp": [entry], "fallback": [entry]}
    public.save("renditions/v1/articles/2026/05/harbour.json", ContentFile(json.dumps(manifest).encode()))
    section = Section.objects.create(name="World", slug="world")
    article = Article.objects.create(
        headline="Harbour story",
        slug="harbour-story",
        section=section,
        image=name,
        image_alt="Boats at dawn",
        image_caption="The harbour.",
        image_credit="Photo: Ada",
    )
    plain = Article.objects.create(headline="No picture", slug="no-picture", section=section)
    content = {
        "headline": "First try",
        "image": old_only,
        "image_alt": "An older picture",
        "image_caption": "",
        "image_credit": "Photo: Bo",
    }
    ArticleRevision.objects.create(article=article, version=1, content=content)
    ArticleRevision.objects.create(
        article=article,
        version=2,
        content={
            "headline": "Harbour story",
            "image": name,
            "image_alt": "Boats at dawn",
            "image_caption": "The harbour.",
            "image_credit": "Photo: Ada",
        },
    )
    ArticleRevision.objects.create(article=plain, version=1, content={"headline": "No picture", "image": ""})

    apps = migrate(AFTER)
    Article = apps.get_model("articles", "Article")
    Image = apps.get_model("articles", "Image")
    ArticleRevision = apps.get_model("articles", "ArticleRevision")
    article = Article.objects.get(slug="harbour-story")
    image = Image.objects.get(pk=article.image_id)
    assert (image.alt, image.caption, image.credit, image.title) == (
        "Boats at dawn",
        "The harbour.",
        "Photo: Ada",
        "Harbour story",
    )
    assert (image.width, image.height) == (800, 600)
    # The original moved to the private store, metadata and all; nothing of it stays public.
    private = storages["originals"]
    with private.open(image.file.name) as handle, PILImage.open(io.BytesIO(handle.read())) as picture:
        assert picture.getexif().get(0x8825)
    assert not public.exists(name) and not public.exists(old_only)
    # The old renditions stay in use until new ones are made (manage.py make_renditions); their manifest file went.
    assert image.renditions_data["crops"]["original"]["fallback"][0]["name"] == rendition
    assert image.version == 1 and image.renditions_data["version"] == 0
    assert not public.exists("renditions/v1/articles/2026/05/harbour.json")
    assert Article.objects.get(slug="no-picture").image_id is None
    # Revisions name the library image; one that only an old revision named joined the library too.
    first, second = ArticleRevision.objects.filter(article=article).order_by("version")
    assert second.content["image"] == {
        "id": image.pk,
        "title": "Harbour story",
        "alt": "Boats at dawn",
        "caption": "The harbour.",
        "credit": "Photo: Ada",
    }
    older = Image.objects.get(pk=first.content["image"]["id"])
    assert (older.alt, older.credit, older.title) == ("An older picture", "Photo: Bo", "First try")
    assert private.exists(older.file.name)
    assert "image_alt" not in first.content
    assert ArticleRevision.objects.get(article__slug="no-picture").content["image"] is None


def test_the_migration_runs_backwards_too(publication):
    from articles.models import Article
    from tests.factories import make_article, make_image

    image = make_image(alt="Boats", caption="Harbour", credit="Photo: Ada")
    make_article(headline="Back", slug="back", image=image)
    apps = migrate(BEFORE)
    old = apps.get_model("articles", "Article").objects.get(slug="back")
    assert (old.image_alt, old.image_caption, old.image_credit) == ("Boats", "Harbour", "Photo: Ada")
    assert storages["default"].exists(old.image.name)
    migrate(AFTER)
    assert Article.objects.get(slug="back").image.alt == "Boats"


def test_social_images_and_author_photos_move_into_the_library(publication):
    apps = migrate([("articles", "0014_article_image_from_library")])
    Article = apps.get_model("articles", "Article")
    Author = apps.get_model("articles", "Author")
    Section = apps.get_model("articles", "Section")
    ArticleRevision = apps.get_model("articles", "ArticleRevision")
    public = storages["default"]
    social = public.save("social/2026/05/share.jpg", ContentFile(jpeg_with_exif(size=(1200, 630))))
    portrait = public.save("authors/ada.jpg", ContentFile(jpeg_with_exif(size=(400, 400))))
    section = Section.objects.create(name="World", slug="world")
    article = Article.objects.create(
        headline="Shared story", slug="shared", section=section, social_image=social, social_image_alt="A flood"
    )
    Author.objects.create(name="Ada Okafor", slug="ada", photo=portrait)
    ArticleRevision.objects.create(
        article=article,
        version=1,
        content={"headline": "Shared story", "social_image": social, "social_image_alt": "A flood"},
    )

    apps = migrate(AFTER)
    article = apps.get_model("articles", "Article").objects.select_related("social_image").get(slug="shared")
    author = apps.get_model("articles", "Author").objects.select_related("photo").get(slug="ada")
    assert article.social_image.alt == "A flood" and article.social_image.title == "Shared story (social)"
    assert author.photo.alt == "Portrait of Ada Okafor"
    for image in [article.social_image, author.photo]:
        assert storages["originals"].exists(image.file.name)
    assert not public.exists(social) and not public.exists(portrait), "no original stays public"
    content = apps.get_model("articles", "ArticleRevision").objects.get(article_id=article.pk).content
    assert content["social_image"]["id"] == article.social_image.pk and "social_image_alt" not in content
