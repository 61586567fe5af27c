"""The second half of 0015, in its own transaction: PostgreSQL cannot alter a table that still has
pending trigger events from the rows 0015 wrote."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0015_social_images_and_portraits_into_library"),
    ]

    operations = [
        migrations.RemoveField(model_name="article", name="social_image"),
        migrations.RemoveField(model_name="article", name="social_image_alt"),
        migrations.RemoveField(model_name="author", name="photo"),
        migrations.RenameField(model_name="article", old_name="social_library_image", new_name="social_image"),
        migrations.RenameField(model_name="author", old_name="library_photo", new_name="photo"),
    ]
