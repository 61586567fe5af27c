"""Article.image is now the library image chosen in 0009; the file and text fields it replaces go."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0013_featured_images_into_library"),
    ]

    operations = [
        migrations.RemoveField(model_name="article", name="image"),
        migrations.RemoveField(model_name="article", name="image_alt"),
        migrations.RemoveField(model_name="article", name="image_caption"),
        migrations.RemoveField(model_name="article", name="image_credit"),
        migrations.RenameField(model_name="article", old_name="library_image", new_name="image"),
        migrations.AlterField(
            model_name="article",
            name="image",
            field=models.ForeignKey(
                blank=True,
                help_text="From the media library (its alt text, caption and credit come along), or upload one below.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="featured_in",
                to="articles.image",
                verbose_name="featured image",
            ),
        ),
    ]
