"""The newsroom's roles as groups: Reporters and Editors (see articles.workflow for what each may do).

Groups are fetched with get_or_create and permissions only ever added, so other apps
(comments adds "Moderators" and gives "Editors" its moderation permissions) can do the same
in their own migrations in any order.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REPORTER_PERMISSIONS = {
    "articles": [
        "add_article",
        "change_article",
        "delete_article",
        "view_article",
        "add_byline",
        "change_byline",
        "delete_byline",
        "view_byline",
        "view_articlerevision",
        "view_section",
        "view_author",
        "view_publisher",
    ],
    "taggit": ["view_tag"],
}


def ensure_permissions(apps):
    """Permissions are normally made after migrating; this data migration needs them now."""
    for app_label in ["articles", "taggit"]:
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def create_groups(apps, schema_editor):
    ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    reporters, _ = Group.objects.get_or_create(name="Reporters")
    for app_label, codenames in REPORTER_PERMISSIONS.items():
        reporters.permissions.add(
            *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        )

    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(*Permission.objects.filter(content_type__app_label__in=["articles", "taggit"]))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_editorial_workflow"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
