"""The "Moderators" group (comments and nothing else) and the comment permissions for "Editors".

Another app may create "Editors" too, so both use get_or_create and only add permissions.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODERATOR_PERMISSIONS = [
    ("comment", ["view", "add", "change", "delete"]),
    ("moderationevent", ["view"]),
]
EDITOR_PERMISSIONS = [
    *MODERATOR_PERMISSIONS,
    ("commentsettings", ["view", "change"]),
]


def permissions(apps, spec):
    Permission = apps.get_model("auth", "Permission")
    codenames = [f"{action}_{model}" for model, actions in spec for action in actions]
    return list(Permission.objects.filter(content_type__app_label="comments", codename__in=codenames))


def make_groups(apps, schema_editor):
    # Permissions are normally created after all migrations run; the groups need them now.
    app_config = apps.get_app_config("comments")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    moderators, _ = Group.objects.get_or_create(name="Moderators")
    moderators.permissions.add(*permissions(apps, MODERATOR_PERMISSIONS))
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(*permissions(apps, EDITOR_PERMISSIONS))


def remove_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name="Moderators").delete()
    for editors in Group.objects.filter(name="Editors"):
        editors.permissions.remove(*permissions(apps, EDITOR_PERMISSIONS))


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("comments", "0001_initial"),
    ]

    operations = [migrations.RunPython(make_groups, remove_groups)]
