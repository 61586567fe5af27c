"""Article tags move from taggit's generic TaggedItem to TaggedArticle, a real foreign key to the article.

Every existing article tag is copied (in the order it was added), then its generic row is removed; tags
of other models (none today) stay where they are. Reversible: the copy goes back the other way.
"""

import django.db.models.deletion
import taggit.managers
from django.db import migrations, models


BATCH = 5000


def _article_type(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.filter(app_label="articles", model="article").first()


def to_foreign_key(apps, schema_editor):
    article_type = _article_type(apps)
    if article_type is None:
        return
    TaggedItem = apps.get_model("taggit", "TaggedItem")
    TaggedArticle = apps.get_model("articles", "TaggedArticle")
    Article = apps.get_model("articles", "Article")
    generic = TaggedItem.objects.filter(content_type=article_type)
    existing = set(Article.objects.values_list("pk", flat=True))
    seen, rows = set(), []
    for object_id, tag_id in generic.order_by("pk").values_list("object_id", "tag_id").iterator(chunk_size=BATCH):
        if object_id in existing and (object_id, tag_id) not in seen:
            seen.add((object_id, tag_id))
            rows.append(TaggedArticle(content_object_id=object_id, tag_id=tag_id))
    TaggedArticle.objects.bulk_create(rows, batch_size=BATCH)
    generic.delete()


def to_generic(apps, schema_editor):
    TaggedArticle = apps.get_model("articles", "TaggedArticle")
    rows = list(TaggedArticle.objects.order_by("pk").values_list("content_object_id", "tag_id"))
    if not rows:
        return
    ContentType = apps.get_model("contenttypes", "ContentType")
    article_type, _ = ContentType.objects.get_or_create(app_label="articles", model="article")
    TaggedItem = apps.get_model("taggit", "TaggedItem")
    TaggedItem.objects.bulk_create(
        [TaggedItem(content_type=article_type, object_id=article_id, tag_id=tag_id) for article_id, tag_id in rows],
        batch_size=BATCH,
    )
    TaggedArticle.objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0016_social_image_and_photo_fields'),
        ('taggit', '0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.CreateModel(
            name='TaggedArticle',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('content_object', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='tagged_items', to='articles.article')),
                ('tag', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='%(app_label)s_%(class)s_items', to='taggit.tag')),
            ],
            options={
                'verbose_name': 'article tag',
                'verbose_name_plural': 'article tags',
            },
        ),
        migrations.RunPython(to_foreign_key, to_generic),
        migrations.AlterField(
            model_name='article',
            name='tags',
            field=taggit.managers.TaggableManager(blank=True, help_text='A comma-separated list of tags.', through='articles.TaggedArticle', to='taggit.Tag', verbose_name='tags'),
        ),
        migrations.AddIndex(
            model_name='taggedarticle',
            index=models.Index(fields=['tag', 'content_object'], name='article_tag_idx'),
        ),
        migrations.AddConstraint(
            model_name='taggedarticle',
            constraint=models.UniqueConstraint(fields=('content_object', 'tag'), name='unique_article_tag'),
        ),
    ]
