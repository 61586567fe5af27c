"""The article's social image and the author's photo, plain uploads until now, move into the media library
like the featured images did (0013): the file goes to the private originals store, the alt text onto the
library image, and the field points at it. Revisions that named the social image by file name are
rewritten to name the library image. Run `manage.py make_renditions` after upgrading for their crops.
"""

import importlib

from django.core.files.storage import storages
from django.db import migrations, models
import django.db.models.deletion

library = importlib.import_module("articles.migrations.0013_featured_images_into_library")


def move_into_library(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    ArticleRevision = apps.get_model("articles", "ArticleRevision")
    Author = apps.get_model("articles", "Author")
    public, private = storages["default"], storages["originals"]
    by_name = {}

    def image_for(name, **texts):
        if name not in by_name:
            by_name[name] = library._library_image(apps, public, private, name, caption="", credit="", **texts)
        return by_name[name]

    for article in Article.objects.exclude(social_image="").order_by("pk").iterator():
        image = image_for(
            article.social_image.name, title=f"{article.headline} (social)", alt=article.social_image_alt
        )
        Article.objects.filter(pk=article.pk).update(social_library_image=image)
    for author in Author.objects.exclude(photo="").order_by("pk").iterator():
        image = image_for(author.photo.name, title=f"Portrait of {author.name}", alt=f"Portrait of {author.name}")
        Author.objects.filter(pk=author.pk).update(library_photo=image)
    for revision in ArticleRevision.objects.order_by("pk").iterator():
        content = revision.content
        name = content.get("social_image")
        if not isinstance(name, str):
            continue
        alt = content.pop("social_image_alt", "")
        if name:
            image = image_for(name, title=f"{content.get('headline', '')} (social)", alt=alt)
            content["social_image"] = {"id": image.pk, "title": image.title, "alt": alt, "caption": "", "credit": ""}
        else:
            content["social_image"] = None
        ArticleRevision.objects.filter(pk=revision.pk).update(content=content)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0014_article_image_from_library"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="social_library_image",
            field=models.ForeignKey(
                help_text="From the media library: the picture of a shared link, cropped to 1200×630 around its focal point. Empty: the featured image.",
                verbose_name="social image",
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="articles.image",
            ),
        ),
        migrations.AddField(
            model_name="author",
            name="library_photo",
            field=models.ForeignKey(
                help_text="A portrait from the media library, shown square around its focal point. At least 400×400 pixels.",
                verbose_name="photo",
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="articles.image",
            ),
        ),
        migrations.RunPython(move_into_library, migrations.RunPython.noop),
    ]
