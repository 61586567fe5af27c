"""The media library: images (originals in the private store), their tags, where bodies use them, and what
is known of embeds. The featured images move into it in 0009; 0010 makes Article.image the library's."""

import articles.storage
import django.core.validators
import django.db.models.deletion
import taggit.managers
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0011_kinds_update_dates_editor_permissions'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Embed',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('url', models.TextField(verbose_name='URL')),
                ('url_hash', models.CharField(editable=False, max_length=64, unique=True)),
                ('provider', models.CharField(max_length=40, verbose_name='provider')),
                ('title', models.CharField(blank=True, max_length=300, verbose_name='title')),
                ('author_name', models.CharField(blank=True, max_length=200, verbose_name='author')),
                ('thumbnail', models.JSONField(blank=True, default=dict, verbose_name='thumbnail')),
                ('fetched_at', models.DateTimeField(blank=True, null=True, verbose_name='fetched')),
                ('error', models.CharField(blank=True, max_length=300, verbose_name='last error')),
            ],
            options={
                'verbose_name': 'embed',
                'verbose_name_plural': 'embeds',
                'ordering': ['-fetched_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='ImageTag',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, unique=True, verbose_name='name')),
                ('slug', models.SlugField(allow_unicode=True, max_length=100, unique=True, verbose_name='slug')),
            ],
            options={
                'verbose_name': 'image tag',
                'verbose_name_plural': 'image tags',
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='Image',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(help_text='For finding the image in the library; readers do not see it.', max_length=255, verbose_name='title')),
                ('file', models.ImageField(help_text='JPEG, PNG, WebP or GIF. The original is kept privately with its metadata; readers only ever get re-encoded copies without EXIF or GPS.', max_length=255, storage=articles.storage.originals_storage, upload_to='originals/%Y/%m/', verbose_name='file')),
                ('width', models.PositiveIntegerField(default=0, editable=False, verbose_name='width')),
                ('height', models.PositiveIntegerField(default=0, editable=False, verbose_name='height')),
                ('alt', models.CharField(blank=True, help_text='Required unless decorative: what the picture shows, for readers who cannot see it.', max_length=400, verbose_name='alt text')),
                ('is_decorative', models.BooleanField(default=False, help_text='Adds nothing a reader would miss (a texture, an ornament): screen readers skip it.', verbose_name='decorative')),
                ('caption', models.CharField(blank=True, help_text='Shown under the image wherever it is used, unless a story gives its own.', max_length=600, verbose_name='caption')),
                ('credit', models.CharField(blank=True, help_text='e.g. “Photo: Ada Lovelace / AP”.', max_length=200, verbose_name='credit')),
                ('source', models.CharField(blank=True, help_text='Where it came from: the agency, the photographer, a handout, a web address.', max_length=500, verbose_name='source')),
                ('licence', models.CharField(choices=[('staff', 'Staff: our own work'), ('agency', 'Agency or wire, under our subscription'), ('licensed', 'Licensed for this use (see restrictions)'), ('handout', 'Handout, supplied for publication'), ('cc-by', 'Creative Commons BY'), ('cc-by-sa', 'Creative Commons BY-SA'), ('cc0', 'CC0 or public domain dedication'), ('public-domain', 'Public domain'), ('unknown', 'Unknown: check before publishing')], default='unknown', max_length=16, verbose_name='licence')),
                ('restrictions', models.TextField(blank=True, help_text='Conditions of use, e.g. “Editorial use only; not for social media”.', verbose_name='restrictions')),
                ('rights_expire_at', models.DateField(blank=True, help_text='After this day the image may no longer be shown; the desk flags every story that uses it.', null=True, verbose_name='rights expire on')),
                ('focal_x', models.FloatField(default=0.5, help_text='0 is the left edge, 1 the right. Crops keep this point in view.', validators=[django.core.validators.MinValueValidator(0.0), django.core.validators.MaxValueValidator(1.0)], verbose_name='focal point (across)')),
                ('focal_y', models.FloatField(default=0.5, help_text='0 is the top edge, 1 the bottom.', validators=[django.core.validators.MinValueValidator(0.0), django.core.validators.MaxValueValidator(1.0)], verbose_name='focal point (down)')),
                ('version', models.PositiveIntegerField(default=1, editable=False, help_text='Goes up when the file or the focal point changes; renditions are made for it.', verbose_name='version')),
                ('renditions_data', models.JSONField(blank=True, default=dict, editable=False, verbose_name='renditions')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='uploaded')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='last changed')),
                ('uploaded_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='images_uploaded', to=settings.AUTH_USER_MODEL, verbose_name='uploaded by')),
            ],
            options={
                'verbose_name': 'image',
                'verbose_name_plural': 'images',
                'ordering': ['-created_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='BodyImage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('article', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='body_image_uses', to='articles.article')),
                ('image', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='body_uses', to='articles.image', verbose_name='image')),
            ],
            options={
                'verbose_name': 'image in a body',
                'verbose_name_plural': 'images in bodies',
                'ordering': ['article', 'image'],
            },
        ),
        migrations.AddField(
            model_name='article',
            name='body_images',
            field=models.ManyToManyField(blank=True, editable=False, related_name='in_bodies', through='articles.BodyImage', to='articles.image'),
        ),
        migrations.AddField(
            model_name='article',
            name='library_image',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='featured_in', to='articles.image', verbose_name='featured image'),
        ),
        migrations.CreateModel(
            name='TaggedImage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('content_object', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='articles.image')),
                ('tag', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='tagged_images', to='articles.imagetag')),
            ],
            options={
                'verbose_name': 'image tag',
                'verbose_name_plural': 'image tags',
            },
        ),
        migrations.AddField(
            model_name='image',
            name='tags',
            field=taggit.managers.TaggableManager(blank=True, help_text='A comma-separated list of tags.', through='articles.TaggedImage', to='articles.ImageTag', verbose_name='tags'),
        ),
        migrations.AddConstraint(
            model_name='bodyimage',
            constraint=models.UniqueConstraint(fields=('article', 'image'), name='unique_body_image'),
        ),
        migrations.AddIndex(
            model_name='image',
            index=models.Index(fields=['rights_expire_at'], name='image_rights_idx'),
        ),
    ]
