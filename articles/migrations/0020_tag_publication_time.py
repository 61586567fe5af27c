from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_publication_times(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    TaggedArticle = apps.get_model("articles", "TaggedArticle")
    TaggedArticle.objects.update(
        published_at=Subquery(Article.objects.filter(pk=OuterRef("content_object_id")).values("published_at")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0019_article_rows_out_of_line"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.AddField(
            model_name="taggedarticle",
            name="published_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="article published at"),
        ),
        migrations.RunPython(copy_publication_times, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="taggedarticle",
            index=models.Index(fields=["tag", "-published_at"], name="article_tag_newest_idx"),
        ),
    ]
