"""The standard article kinds; "Updated" dates kept as readers saw them; the Editors group gets the
permissions it lacked.

- Kinds: News (no label), Analysis, Opinion, Review, Explainer and Sponsored, each with its
  schema.org type; editors add others in the admin. Existing rows are left as they are.
- content_updated_at: an article that readers saw as "Updated" keeps that date (its last save).
- Editors: 0005 gave the group every "articles" permission that existed then; the publication's
  pages, the fronts, breaking news, kinds and notifications came later. Permissions are only added.
"""

from datetime import timedelta

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.models import F

KINDS = [
    # name, slug, schema type, show label, paid, disclosure
    ("News", "news", "NewsArticle", False, False, ""),
    ("Analysis", "analysis", "AnalysisNewsArticle", True, False, ""),
    ("Opinion", "opinion", "OpinionNewsArticle", True, False, ""),
    ("Review", "review", "ReviewNewsArticle", True, False, ""),
    ("Explainer", "explainer", "BackgroundNewsArticle", True, False, ""),
    (
        "Sponsored",
        "sponsored",
        "AdvertiserContentArticle",
        True,
        True,
        "This content was paid for by an advertiser. The newsroom did not write or edit it.",
    ),
]

EDITOR_MODELS = [
    "page",
    "articlekind",
    "front",
    "frontpin",
    "frontchange",
    "breakingnews",
    "desknotification",
    "articleautosave",
    "editlock",
]
REPORTER_PERMISSIONS = ["view_articlekind"]


def forwards(apps, schema_editor):
    ArticleKind = apps.get_model("articles", "ArticleKind")
    for position, (name, slug, schema_type, show_label, paid, disclosure) in enumerate(KINDS):
        ArticleKind.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "schema_type": schema_type,
                "show_label": show_label,
                "is_sponsored": paid,
                "disclosure": disclosure,
                "position": position,
            },
        )

    Article = apps.get_model("articles", "Article")
    Article.objects.filter(
        status="published", published_at__isnull=False, updated_at__gt=F("published_at") + timedelta(minutes=1)
    ).update(content_updated_at=F("updated_at"))

    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(
        *Permission.objects.filter(content_type__app_label="articles", content_type__model__in=EDITOR_MODELS)
    )
    reporters, _ = Group.objects.get_or_create(name="Reporters")
    reporters.permissions.add(
        *Permission.objects.filter(content_type__app_label="articles", codename__in=REPORTER_PERMISSIONS)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0010_desk_fronts_kinds_profiles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
