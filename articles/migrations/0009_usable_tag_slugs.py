"""Tags saved before every slug was made usable: an empty slug, or one no address can hold, is replaced."""

from django.db import migrations


def repair_tag_slugs(apps, schema_editor):
    from articles.tags import is_valid_slug, tag_slug

    Tag = apps.get_model("taggit", "Tag")
    taken = set(Tag.objects.values_list("slug", flat=True))
    for tag in Tag.objects.order_by("pk"):
        if is_valid_slug(tag.slug):
            continue
        slug, number = tag_slug(tag.name), 1
        while slug in taken:
            slug, number = tag_slug(tag.name, f"_{number}"), number + 1
        taken.add(slug)
        Tag.objects.filter(pk=tag.pk).update(slug=slug)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0008_api_keys_webhooks"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(repair_tag_slugs, migrations.RunPython.noop)]
