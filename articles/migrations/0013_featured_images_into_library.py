"""Every featured image becomes a library image, nothing lost: its file moves from the public media store
to the private originals store (it carries the camera's EXIF, often with GPS), its alt text, caption
and credit move onto the Image, and each article points at it. Pictures only old revisions still name
come along too, so restoring a revision finds its picture and no original stays public.

The existing renditions (re-encoded, without metadata) are kept as the image's first renditions, so
pages show the same pictures right after the upgrade; `manage.py make_renditions` then makes the new
crops. Revisions are rewritten to name the library image. The roles get the library's permissions.
"""

import json
from pathlib import PurePosixPath

from django.contrib.auth.management import create_permissions
from django.core.files.storage import storages
from django.db import migrations

LEGACY_KEYS = ("image_alt", "image_caption", "image_credit")


def _old_manifest(public, name):
    """The renditions of the old pipeline (renditions/v1/<folder>/<stem>.json) as the new manifest format."""
    path = PurePosixPath(name)
    manifest_name = str(PurePosixPath("renditions", "v1", path.parent, path.stem)) + ".json"
    try:
        if not public.exists(manifest_name):
            return {}, None
        with public.open(manifest_name, "rb") as handle:
            old = json.loads(handle.read())
    except (OSError, ValueError):
        return {}, None
    if old.get("source") != name or not old.get("fallback"):
        return {}, None
    original = {"width": old["width"], "height": old["height"], "webp": old["webp"], "fallback": old["fallback"]}
    return {"version": 0, "width": old["width"], "height": old["height"], "crops": {"original": original}}, manifest_name


def _move(public, private, name):
    """Copy a file from the public store to the private one, then delete the public copy; returns the new name."""
    if not public.exists(name):
        return name
    with public.open(name, "rb") as handle:
        saved = private.save(name, handle)
    public.delete(name)
    return saved


def _library_image(apps, public, private, name, *, title, alt, caption, credit):
    Image = apps.get_model("articles", "Image")
    manifest, manifest_name = _old_manifest(public, name)
    stored = _move(public, private, name)
    image = Image.objects.create(
        title=(title or PurePosixPath(name).stem)[:255],
        file=stored,
        width=manifest.get("width", 0),
        height=manifest.get("height", 0),
        alt=(alt or "")[:400],
        caption=(caption or "")[:600],
        credit=(credit or "")[:200],
        source="",
        licence="unknown",
        version=1,
        renditions_data=manifest,
    )
    if manifest_name:
        public.delete(manifest_name)
    return image


def move_into_library(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    ArticleRevision = apps.get_model("articles", "ArticleRevision")
    public, private = storages["default"], storages["originals"]
    by_name = {}
    for article in Article.objects.exclude(image="").order_by("pk").iterator():
        name = article.image.name
        if name not in by_name:
            by_name[name] = _library_image(
                apps,
                public,
                private,
                name,
                title=article.headline,
                alt=article.image_alt,
                caption=article.image_caption,
                credit=article.image_credit,
            )
        Article.objects.filter(pk=article.pk).update(library_image=by_name[name])
    for revision in ArticleRevision.objects.order_by("pk").iterator():
        content = revision.content
        name = content.get("image")
        if not isinstance(name, str):
            continue
        legacy = {key: content.pop(key, "") for key in LEGACY_KEYS}
        if name:
            if name not in by_name:  # a picture only this old revision names
                by_name[name] = _library_image(
                    apps,
                    public,
                    private,
                    name,
                    title=content.get("headline", ""),
                    alt=legacy["image_alt"],
                    caption=legacy["image_caption"],
                    credit=legacy["image_credit"],
                )
            image = by_name[name]
            content["image"] = {
                "id": image.pk,
                "title": image.title,
                "alt": legacy["image_alt"],
                "caption": legacy["image_caption"],
                "credit": legacy["image_credit"],
            }
        else:
            content["image"] = None
        ArticleRevision.objects.filter(pk=revision.pk).update(content=content)


def back_out_of_library(apps, schema_editor):
    """The reverse: articles get their file (copied back to the public store) and its texts again."""
    Article = apps.get_model("articles", "Article")
    ArticleRevision = apps.get_model("articles", "ArticleRevision")
    Image = apps.get_model("articles", "Image")
    public, private = storages["default"], storages["originals"]
    names = {}
    for image in Image.objects.all().iterator():
        name = image.file.name
        if private.exists(name) and not public.exists(name):
            with private.open(name, "rb") as handle:
                name = public.save(name, handle)
        names[image.pk] = name
    for article in Article.objects.exclude(library_image=None).select_related("library_image").iterator():
        image = article.library_image
        Article.objects.filter(pk=article.pk).update(
            image=names.get(image.pk, ""), image_alt=image.alt, image_caption=image.caption, image_credit=image.credit
        )
    for revision in ArticleRevision.objects.order_by("pk").iterator():
        content = revision.content
        image = content.get("image")
        if isinstance(image, dict):
            content.update(
                image=names.get(image.get("id"), ""),
                image_alt=image.get("alt", ""),
                image_caption=image.get("caption", ""),
                image_credit=image.get("credit", ""),
            )
        elif image is None:
            content.update(image="", image_alt="", image_caption="", image_credit="")
        ArticleRevision.objects.filter(pk=revision.pk).update(content=content)


REPORTER_PERMISSIONS = ["add_image", "change_image", "view_image", "view_imagetag"]
EDITOR_MODELS = ["image", "imagetag", "taggedimage", "bodyimage", "embed"]


def library_permissions(apps, schema_editor):
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    reporters, _ = Group.objects.get_or_create(name="Reporters")
    reporters.permissions.add(
        *Permission.objects.filter(content_type__app_label="articles", codename__in=REPORTER_PERMISSIONS)
    )
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(
        *Permission.objects.filter(content_type__app_label="articles", content_type__model__in=EDITOR_MODELS)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0012_media_library"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(move_into_library, back_out_of_library),
        migrations.RunPython(library_permissions, migrations.RunPython.noop),
    ]
